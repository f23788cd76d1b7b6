package dev.skiff.engine;

import dev.skiff.errors.NotFoundException;
import dev.skiff.image.CommitRequest;
import dev.skiff.image.HistoryEntry;
import dev.skiff.image.Image;
import dev.skiff.image.ImageConfig;
import dev.skiff.image.ImageEventListener;
import dev.skiff.image.ImageService;
import dev.skiff.image.ImportOptions;
import dev.skiff.image.Progress;
import dev.skiff.image.PruneResult;
import dev.skiff.image.RemovedEntry;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/** Images by name in memory; commit records its request. */
public class FakeImages implements ImageService {
    final Map<String, Image> byName = new ConcurrentHashMap<>();
    public final List<CommitRequest> commits = new ArrayList<>();

    FakeImages add(String name, ImageConfig.Config config) {
        String id = "sha256:" + String.format("%08x", name.hashCode()).repeat(8).substring(0, 64);
        byName.put(name, new Image(id, List.of("docker.io/library/" + name + ":latest"), List.of(), Instant.now(), 1000,
                new ImageConfig("amd64", "linux", null, null, null, null, null, config, null, null), ""));
        return this;
    }

    static ImageConfig.Config config(List<String> env, List<String> entrypoint, List<String> cmd, String workdir,
                                     Map<String, String> labels) {
        return new ImageConfig.Config(null, null, env, entrypoint, cmd, null, workdir, labels, null, null, null, null, null);
    }

    @Override
    public Image resolve(String nameOrId) {
        return find(nameOrId).orElseThrow(() -> new NotFoundException("No such image: " + nameOrId));
    }

    @Override
    public Optional<Image> find(String nameOrId) {
        Image i = byName.get(nameOrId);
        if (i != null) {
            return Optional.of(i);
        }
        return byName.values().stream().filter(x -> x.id().equals(nameOrId)).findFirst();
    }

    @Override
    public List<Image> list() {
        return List.copyOf(byName.values());
    }

    @Override
    public List<Path> layerDirs(Image image) {
        return List.of(Path.of("/nonexistent/layer"));
    }

    @Override
    public Image importRootfs(InputStream tar, ImportOptions options, Progress progress) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Image> load(InputStream archive, Progress progress) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void save(List<String> names, OutputStream out) {
        throw new UnsupportedOperationException();
    }

    @Override
    public synchronized Image commit(CommitRequest request) {
        commits.add(request);
        return new Image("sha256:" + "c".repeat(64), List.of(), List.of(), Instant.now(), 0,
                new ImageConfig("amd64", "linux", null, null, null, null, null, request.config(), null, null), request.parentId());
    }

    @Override
    public dev.skiff.image.PreparedCommit prepareCommit(CommitRequest request) {
        return new dev.skiff.image.PreparedCommit("sha256:" + "c".repeat(64), request, request.parentId(), List.of(),
                List.of(), null, 0, new byte[0]);
    }

    @Override
    public Image publish(dev.skiff.image.PreparedCommit prepared) {
        return commit(prepared.request());
    }

    @Override
    public void tag(String source, String target) {
    }

    @Override
    public List<RemovedEntry> remove(String nameOrId, boolean force, boolean noPrune, dev.skiff.image.ImageUsers users) {
        return List.of();
    }

    @Override
    public PruneResult prune(boolean all, Predicate<Image> filter, dev.skiff.image.ImageUsers users) {
        return new PruneResult(List.of(), 0);
    }

    @Override
    public List<HistoryEntry> history(String nameOrId) {
        return List.of();
    }

    @Override
    public void addListener(ImageEventListener listener) {
    }
}
