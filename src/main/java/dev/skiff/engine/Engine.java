package dev.skiff.engine;

/**
 * The container engine's services, made once by the daemon and handed to the API routes.
 * Wiring: {@code new Engine(new ContainerService(...))}, then {@code containers().reconcile()} and
 * {@code containers().startMonitor()} before serving the API.
 */
public record Engine(ContainerService containers, ExecService execs, ArchiveService archives, CommitService commits,
                     TopService top, StatsService stats, PruneService prune) {
    public Engine(ContainerService containers) {
        this(containers, new ExecService(containers), new ArchiveService(containers), new CommitService(containers),
                new TopService(containers), new StatsService(containers), new PruneService(containers));
    }

    public EventBus events() {
        return containers.events();
    }
}
