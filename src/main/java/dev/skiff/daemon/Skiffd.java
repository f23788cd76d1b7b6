package dev.skiff.daemon;

import dev.skiff.api.http.HttpServer;
import dev.skiff.api.http.LoggingFilter;
import dev.skiff.api.http.PingHandler;
import dev.skiff.api.http.Router;
import dev.skiff.api.http.VersionFilter;
import dev.skiff.api.routes.BuildRoutes;
import dev.skiff.api.routes.ContainerRoutes;
import dev.skiff.api.routes.DiskUsageRoutes;
import dev.skiff.api.routes.NetworkRoutes;
import dev.skiff.api.routes.EventRoutes;
import dev.skiff.api.routes.ExecRoutes;
import dev.skiff.api.routes.ImageRoutes;
import dev.skiff.api.routes.RegistryRoutes;
import dev.skiff.registry.client.RegistryClient;
import dev.skiff.api.routes.SwarmRoutes;
import dev.skiff.api.routes.SystemRoutes;
import dev.skiff.api.routes.VolumeRoutes;
import dev.skiff.build.Builder;
import dev.skiff.engine.Container;
import dev.skiff.engine.ContainerService;
import dev.skiff.engine.ContainerState;
import dev.skiff.engine.ContainerStore;
import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineOptions;
import dev.skiff.engine.EventBus;
import dev.skiff.engine.network.NetworkService;
import dev.skiff.engine.network.ports.PortBindings;
import dev.skiff.engine.volume.VolumeService;
import dev.skiff.image.ImageUsers;
import dev.skiff.image.LocalImageService;
import dev.skiff.runtime.overlay.OverlaySnapshotter;
import dev.skiff.runtime.oci.HostInfo;
import dev.skiff.runtime.runc.ComponentVersion;
import dev.skiff.runtime.runc.RuncConmonRuntime;
import dev.skiff.sys.Sqlite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running daemon: owns the data root lock, the metadata database, the stores, the engine and the
 * API server, and wires them together. Containers are not stopped when the daemon stops: conmon keeps
 * them, and the next start re-adopts them.
 */
public final class Skiffd {
    private static final Logger LOG = LoggerFactory.getLogger(Skiffd.class);

    private final DaemonOptions options;
    private final DataRootLock lock;
    private final Sqlite db;
    private final ContainerService containers;
    private final HttpServer server;
    private final Builder builder;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Skiffd(DaemonOptions options, DataRootLock lock, Sqlite db, ContainerService containers, HttpServer server,
                   Builder builder) {
        this.options = options;
        this.lock = lock;
        this.db = db;
        this.containers = containers;
        this.server = server;
        this.builder = builder;
    }

    /**
     * sqlite-jdbc unpacks its native library into java.io.tmpdir once per JVM and deletes it at a clean exit only:
     * every skiffd killed (kill -9, the OOM killer, a power cut) left a megabyte in /tmp for good. Under the data
     * root, which this daemon owns while it holds its lock, what a killed one left is cleared at the next start. (Not
     * under the exec root: /run is often mounted noexec, and a library there cannot be mapped.)
     */
    private static void keepNativeLibrariesUnder(Path dir) throws IOException {
        dev.skiff.sys.FileTrees.delete(dir);
        Files.createDirectories(dir);
        System.setProperty("org.sqlite.tmpdir", dir.toString());
    }

    /**
     * A data root holding containers or image layers must have its database: started with a new, empty one, the
     * reconciliation would take them all for leftovers of a crash and delete them. A database that is gone was
     * deleted or moved by hand; starting is refused until it is back or the data root is cleared.
     */
    static void requireDatabaseOfItsContents(Path dataRoot) throws IOException {
        if (Files.exists(dataRoot.resolve("skiff.db"))) {
            return;
        }
        for (String held : List.of("containers", "layers")) {
            Path dir = dataRoot.resolve(held);
            if (Files.isDirectory(dir)) {
                try (var entries = Files.list(dir)) {
                    if (entries.anyMatch(p -> !p.getFileName().toString().startsWith("."))) {
                        throw new dev.skiff.errors.UnavailableException("the data root " + dataRoot + " holds " + held
                                + " but no metadata database (skiff.db): it was deleted or moved. Put it back, or remove"
                                + " the data root's contents to start empty; started without it, skiffd would delete"
                                + " what it holds as leftovers");
                    }
                }
            }
        }
    }

    /** Starts everything or nothing: a failure part-way closes what was opened. */
    public static Skiffd start(DaemonOptions options) throws IOException {
        dev.skiff.engine.LogConfig.checkDaemonDefault(options.logDriver(), options.givenLogOpts());
        Path dataRoot = options.dataRoot().toAbsolutePath();
        Files.createDirectories(dataRoot);
        Files.createDirectories(options.execRoot());
        DataRootLock lock = DataRootLock.acquire(dataRoot, options.pidFile());
        keepNativeLibrariesUnder(dataRoot.resolve("tmp/native"));
        Sqlite db = null;
        ContainerService containers = null;
        try {
            requireDatabaseOfItsContents(dataRoot);
            db = Sqlite.open(dataRoot.resolve("skiff.db"));
            LocalImageService images = LocalImageService.open(dataRoot, db);
            Path runtimePath = Executables.find(options.runtime());
            Path conmonPath = Executables.find("conmon");
            RuncConmonRuntime runtime = new RuncConmonRuntime(runtimePath, conmonPath,
                    options.execRoot().toAbsolutePath(), options.cgroupParent());
            runtime.useDefaultSeccomp(options.seccompProfileJson());
            ExecHelpers.load().ifPresent(runtime::useExecHelper);
            EngineOptions engineOptions = new EngineOptions(dataRoot, Sizes.parse(options.logOpts().get("max-size")),
                    Integer.parseInt(options.logOpts().get("max-file")), DaemonDns.resolvConf(options),
                    options.containerDefaults());
            containers = new ContainerService(engineOptions, new ContainerStore(db), images,
                    runtime, new OverlaySnapshotter(dataRoot), new EventBus());
            containers.usePorts(PortBindings.open(db));
            Engine engine = new Engine(containers);
            VolumeService volumes = Volumes.wire(dataRoot, db, containers);
            Networks.Wired wired = Networks.wire(options, db, containers);
            NetworkService networks = wired.service();
            // every image event names its actor, as dockerd's LogImageEvent does (save and load name the image ID)
            images.addListener((action, ref, attrs) -> engine.events().publish("image", action, ref,
                    attrs.containsKey("name") ? attrs : Map.of("name", ref)));
            containers.reconcile();
            containers.startMonitor();
            IdleHeap.start(); // a daemon thread: it ends with the JVM
            RegistryClient registry = new RegistryClient(options.registryOptions(), images, OwnCredentials::lookup);
            Builder builder = Builder.open(images, db, dataRoot, options.execRoot(), runtimePath, containers.imageUsers(),
                    new BuildPulls(registry), wired.buildSteps());
            builder.cleanLeftovers();

            Router router = new Router().add("GET", "/_ping", new PingHandler());
            ContainerService cs = containers;
            new SystemRoutes(() -> counts(cs, images),
                    new SystemRoutes.Host(DaemonId.load(dataRoot), dataRoot.toString(), runtimePath.toString(),
                            CgroupVersion.detect(), options.logLevel().equalsIgnoreCase("debug"), options.logDriver(),
                            List.copyOf(options.labels()), options.seccompProfile() == null ? "builtin" : options.seccompProfile()))
                    .withComponents(() -> List.of(ComponentVersion.probe("conmon", conmonPath),
                            ComponentVersion.probe("runc", runtimePath),
                            ComponentVersion.probe("docker-init", HostInfo.detect().initBinary())))
                    .register(router);
            // an image a container or a build in progress uses is not removed under it
            ImageRoutes imageRoutes = new ImageRoutes(images, ImageUsers.both(containers.imageUsers(), builder.imageUsers()));
            new RegistryRoutes(registry, images, imageRoutes).register(router); // before ImageRoutes: it takes /images/create pulls
            imageRoutes.register(router);
            new ContainerRoutes(engine).register(router);
            new ExecRoutes(engine).register(router);
            new EventRoutes(engine.events()).register(router);
            new DiskUsageRoutes(engine, images, volumes).withBuildCache(() -> BuildRoutes.diskUsage(builder)).register(router);
            new VolumeRoutes(volumes).register(router);
            new BuildRoutes(builder).withHostGateway(wired.buildSteps()::hostGateway).register(router);
            new NetworkRoutes(networks).register(router);
            new SwarmRoutes().register(router);
            StateDirectories.restrict(dataRoot, options.execRoot().toAbsolutePath());
            HttpServer server = new HttpServer(router, List.of(new VersionFilter(), new LoggingFilter()))
                    .socketGroup(options.group());
            server.start(options.hosts());
            if (!options.ignoredKeys().isEmpty()) {
                LOG.warn("{}: ignored, dockerd options skiffd does not use: {}",
                        options.configFileInUse(), String.join(", ", options.ignoredKeys()));
            }
            LOG.info("skiffd {} serving the Docker Engine API on {} (data root {})", dev.skiff.sys.Versions.SKIFF,
                    options.hosts(), dataRoot);
            return new Skiffd(options, lock, db, containers, server, builder);
        } catch (IOException | RuntimeException e) {
            if (containers != null) {
                try {
                    containers.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (db != null) {
                db.close();
            }
            lock.release();
            throw e;
        }
    }

    /** Blocks until {@link #shutdown()} ran. */
    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    /** Stops serving and closes the stores; running containers keep running. */
    public void shutdown() {
        LOG.info("skiffd shutting down; containers keep running and are re-adopted at the next start");
        try {
            server.stopAccepting(); // no build starts after the cancel below
            try {
                builder.cancelRunning(java.time.Duration.ofSeconds(10)); // before the server stops their threads
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server.stop();
            builder.releaseKeptContext();
            try {
                containers.close();
            } catch (IOException e) {
                LOG.warn("closing the container store: {}", e.toString());
            }
            db.close();
            lock.release();
        } finally {
            stopped.countDown();
        }
    }

    private static SystemRoutes.Counts counts(ContainerService containers, LocalImageService images) {
        int all = 0, running = 0, paused = 0;
        for (Container c : containers.all()) {
            all++;
            if (ContainerState.PAUSED.equals(c.state().status())) {
                paused++;
            } else if (c.state().running()) {
                running++;
            }
        }
        return new SystemRoutes.Counts(all, running, paused, all - running - paused, images.list().size());
    }

    DaemonOptions options() {
        return options;
    }
}
