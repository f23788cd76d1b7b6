package dev.skiff.daemon;

import dev.skiff.api.http.HttpServer;
import dev.skiff.api.http.LoggingFilter;
import dev.skiff.api.http.Router;
import dev.skiff.api.http.VersionFilter;
import dev.skiff.api.routes.ImageRoutes;
import dev.skiff.api.routes.SystemRoutes;
import dev.skiff.image.LocalImageService;
import dev.skiff.sys.Sqlite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    private final HttpServer server;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Skiffd(DaemonOptions options, DataRootLock lock, Sqlite db, HttpServer server) {
        this.options = options;
        this.lock = lock;
        this.db = db;
        this.server = server;
    }

    /** Starts everything or nothing: a failure part-way closes what was opened. */
    public static Skiffd start(DaemonOptions options) throws IOException {
        Path dataRoot = options.dataRoot().toAbsolutePath();
        Files.createDirectories(dataRoot);
        Files.createDirectories(options.execRoot());
        DataRootLock lock = DataRootLock.acquire(dataRoot, options.pidFile());
        Sqlite db = null;
        try {
            db = Sqlite.open(dataRoot.resolve("skiff.db"));
            LocalImageService images = LocalImageService.open(dataRoot, db);
            Router router = new Router();
            new SystemRoutes(() -> new SystemRoutes.Counts(0, 0, 0, 0, images.list().size()),
                    new SystemRoutes.Host(DaemonId.load(dataRoot), dataRoot.toString(), options.runtime(),
                            CgroupVersion.detect(), options.logLevel().equalsIgnoreCase("debug")))
                    .register(router);
            new ImageRoutes(images, id -> false).register(router);
            HttpServer server = new HttpServer(router, List.of(new VersionFilter(), new LoggingFilter()))
                    .socketGroup(options.group());
            server.start(options.hosts());
            LOG.info("skiffd {} serving the Docker Engine API on {} (data root {})", dev.skiff.sys.Versions.SKIFF,
                    options.hosts(), dataRoot);
            return new Skiffd(options, lock, db, server);
        } catch (IOException | RuntimeException e) {
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
            server.stop();
            db.close();
            lock.release();
        } finally {
            stopped.countDown();
        }
    }

    DaemonOptions options() {
        return options;
    }
}
