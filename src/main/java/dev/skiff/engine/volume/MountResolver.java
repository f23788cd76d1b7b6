package dev.skiff.engine.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.errors.InvalidArgumentException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A container's mount points at create, in Docker's registerMountPoints order: volumes-from first, then Binds,
 * then Mounts, then the image's and -v's anonymous volumes wherever nothing else is mounted. Volumes it
 * names are found or created; the caller holds the volume service's lock and removes {@code created} on failure.
 */
final class MountResolver {
    private final VolumeService volumes;
    private final VolumeStore store;
    private final Function<String, String> containerIds;
    private final Path daemonRoot;

    /** @param daemonRoot the data root, or null: a bind over or inside it defaults to rslave propagation */
    MountResolver(VolumeService volumes, Function<String, String> containerIds, Path daemonRoot) {
        this.volumes = volumes;
        this.store = volumes.store();
        this.containerIds = containerIds;
        this.daemonRoot = daemonRoot;
    }

    /**
     * A bind's propagation when none was given: rprivate, as Docker's, but rslave when the source holds the daemon's
     * root or lies inside it (a monitoring agent's -v /:/host), as dockerd does: a private copy of every overlay
     * mount there would keep other containers' layers busy in this container's namespace after they were removed.
     * For the same reason such a bind with any other propagation given is refused, with dockerd's words.
     */
    static MountPoint defaultPropagation(MountPoint mp, Path daemonRoot) {
        if (!mp.type().equals("bind")) {
            return mp;
        }
        boolean overRoot = overDaemonRoot(Path.of(mp.source()), daemonRoot);
        if (mp.propagation().isEmpty()) {
            return mp.withPropagation(overRoot ? "rslave" : "rprivate");
        }
        if (overRoot && !mp.propagation().equals("rslave") && !mp.propagation().equals("rshared")) {
            throw new InvalidArgumentException("invalid mount config: must use either propagation mode \"rslave\" or "
                    + "\"rshared\" when mount source is within the daemon root, daemon root: \""
                    + daemonRoot.toAbsolutePath().normalize() + "\", bind mount source: \"" + mp.source()
                    + "\", propagation: \"" + mp.propagation() + "\"");
        }
        return mp;
    }

    static boolean overDaemonRoot(Path source, Path daemonRoot) {
        if (daemonRoot == null) {
            return false;
        }
        Path root = daemonRoot.toAbsolutePath().normalize();
        Path src = source.toAbsolutePath().normalize();
        return root.startsWith(src) || src.startsWith(root);
    }

    /** @param created receives the names of the volumes this call made */
    Map<String, MountPoint> resolve(ObjectNode config, ObjectNode h, List<String> created) {
        Map<String, MountPoint> byDest = new LinkedHashMap<>();
        for (JsonNode spec : h.path("VolumesFrom")) {
            String[] parts = MountSpecs.parseVolumesFrom(spec.asText());
            String other = containerIds.apply(parts[0]);
            boolean rw = !List.of(parts[1].split(",")).contains("ro");
            for (MountPoint mp : store.mounts(other)) {
                byDest.put(mp.destination(), mp.inherited(rw));
            }
        }
        Set<String> tmpfs = new HashSet<>();
        h.path("Tmpfs").fieldNames().forEachRemaining(d -> tmpfs.add(Path.of(d).normalize().toString()));
        Set<String> given = new HashSet<>();
        String defaultDriver = h.path("VolumeDriver").asText("");
        for (JsonNode bind : h.path("Binds")) {
            MountSpecs.Request r = MountSpecs.parseBind(bind.asText(), defaultDriver);
            claim(r.mount().destination(), given, tmpfs);
            byDest.put(r.mount().destination(), r.mount().isVolume() ? withVolume(r, created, true)
                    : defaultPropagation(r.mount(), daemonRoot));
        }
        for (JsonNode m : h.path("Mounts")) {
            MountSpecs.Request r = MountSpecs.parseMount(m);
            claim(r.mount().destination(), given, tmpfs);
            byDest.put(r.mount().destination(), r.mount().isVolume() ? withVolume(r, created, true)
                    : defaultPropagation(r.mount(), daemonRoot));
        }
        config.path("Volumes").fieldNames().forEachRemaining(dest -> {
            // a relative path is taken from the root, as dockerd resolves it in the container's filesystem (an image
            // built with `VOLUME data` has "data" in its config)
            String d = Path.of("/").resolve(dest).normalize().toString();
            if (dest.isBlank() || d.equals("/")) {
                throw new InvalidArgumentException("invalid volume: path \"" + dest + "\" names the root: a volume "
                        + "needs a directory below it, e.g. /data");
            }
            if (!byDest.containsKey(d) && !tmpfs.contains(d)) {
                MountSpecs.Request r = new MountSpecs.Request(MountPoint.volume("", d, defaultDriver, "", true, true, ""),
                        defaultDriver, null, null);
                byDest.put(d, withVolume(r, created, false));
            }
        });
        return byDest;
    }

    private static void claim(String destination, Set<String> given, Set<String> tmpfs) {
        if (!given.add(destination) || tmpfs.contains(destination)) {
            throw new InvalidArgumentException("Duplicate mount point: " + destination);
        }
    }

    /** Finds or creates the volume a mount names (an anonymous one when it names none). */
    private MountPoint withVolume(MountSpecs.Request r, List<String> created, boolean defaultModeZ) {
        MountPoint mp = r.mount();
        boolean anonymous = mp.name().isEmpty();
        Volume v = anonymous ? null : store.get(mp.name()).orElse(null);
        if (v == null) {
            Map<String, String> labels = r.labels() == null ? null : new LinkedHashMap<>(r.labels());
            if (anonymous) {
                labels = labels == null ? new LinkedHashMap<>() : labels;
                labels.put(Volume.ANONYMOUS_LABEL, "");
            }
            v = volumes.create(anonymous ? null : mp.name(), r.driver(), labels, r.driverOpts());
            created.add(v.name());
        } else if (!r.driver().isEmpty() && !r.driver().equals(v.driver())) {
            throw new InvalidArgumentException("volume " + v.name() + " exists with driver " + v.driver()
                    + ", not " + r.driver() + " (leave the driver out, or use another volume name)");
        } else {
            volumes.announce(v);
        }
        MountPoint out = mp.withVolume(v.name(), v.driver(), v.mountpoint());
        if (defaultModeZ && out.mode().isEmpty() && v.driver().equals("local")) {
            // Docker's setBindModeIfNull: local volumes named in Binds or Mounts show Mode "z"
            out = new MountPoint(out.type(), out.name(), out.source(), out.destination(), out.driver(), "z", out.rw(),
                    out.propagation(), out.copyData(), out.subpath(), out.tmpfsData(), out.createSource(), out.recursive());
        }
        return out;
    }
}
