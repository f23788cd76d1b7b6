package dev.skiff.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.image.CommitRequest;
import dev.skiff.image.ConfigChanges;
import dev.skiff.image.Image;
import dev.skiff.image.ImageConfig;
import dev.skiff.sys.Json;
import java.util.List;
import java.util.Map;

/**
 * docker commit: the container's upper directory becomes a new layer on its image; the new image's config is
 * the container's Config, overridden by the request's config and then by Dockerfile-style changes.
 */
public final class CommitService {
    private final ContainerService containers;

    public CommitService(ContainerService containers) {
        this.containers = containers;
    }

    /** What POST /commit carries. */
    public record Options(String reference, String comment, String author, boolean pause, List<String> changes,
                          ObjectNode config) {
    }

    public Image commit(String idOrName, Options o) {
        Container c = containers.get(idOrName);
        if (containers.images().find(c.imageId()).isEmpty()) {
            throw new dev.skiff.errors.NotFoundException("cannot commit container " + c.shortName() + ": its image "
                    + c.imageId() + " was removed (docker rmi -f) and a commit needs it as the parent (docker export"
                    + " the container and docker import the result instead)");
        }
        ObjectNode cfg = c.config().deepCopy();
        if (o.config() != null) {
            o.config().properties().forEach(e -> {
                if (!e.getValue().isNull()) {
                    cfg.set(e.getKey(), e.getValue());
                }
            });
        }
        // the same instructions, read the same way, as docker import --change
        ImageConfig.Config imageConfig = ConfigChanges.apply(toImageConfig(cfg), o.changes());
        try (ContainerService.Freeze frozen = o.pause() ? containers.freezeForCommit(c.id()) : () -> { }) {
            String createdBy = String.join(" ", ConfigMerger.strings(c.config().get("Cmd")));
            Image image = containers.images().commit(new CommitRequest(c.imageId(),
                    containers.snapshotter().upperDir(c.id()), imageConfig, createdBy, o.author(), o.comment(),
                    o.reference()));
            // dockerd's attributes, the new name among them ("" when the commit names none)
            String imageRef = o.reference() == null || o.reference().isBlank() ? ""
                    : dev.skiff.image.Reference.parseWithDefaultTag(o.reference()).familiar();
            containers.events().publishContainer(c, "commit", Map.of("comment", o.comment() == null ? "" : o.comment(),
                    "imageID", image.id(), "imageRef", imageRef));
            return image;
        }
    }

    static ImageConfig.Config toImageConfig(ObjectNode cfg) {
        ObjectNode img = JsonNodeFactory.instance.objectNode();
        for (String f : List.of("User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "Volumes", "WorkingDir", "Labels",
                "StopSignal", "ArgsEscaped", "Healthcheck", "OnBuild", "Shell")) {
            JsonNode v = cfg.get(f);
            if (v != null && !v.isNull()) {
                img.set(f, v);
            }
        }
        return Json.MAPPER.convertValue(img, ImageConfig.Config.class);
    }
}
