package dev.skiff.api.routes;

import dev.skiff.api.http.Router;
import dev.skiff.engine.Engine;

/**
 * Every container, exec and events endpoint of the engine in one call, for the daemon's wiring:
 * {@code new ContainerRoutes(engine).register(router)}.
 */
public final class ContainerRoutes {
    private final Engine engine;

    public ContainerRoutes(Engine engine) {
        this.engine = engine;
    }

    public void register(Router router) {
        new ContainerLifecycleRoutes(engine).register(router);
        new ContainerQueryRoutes(engine).register(router);
        new ContainerStreamRoutes(engine).register(router);
        new ContainerArchiveRoutes(engine).register(router);
        new ExecRoutes(engine).register(router);
        new EventRoutes(engine.events()).register(router);
    }
}
