package dev.skiff.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.engine.network.ports.PortBindings;
import dev.skiff.engine.network.ports.PortRequests;
import dev.skiff.errors.ConflictException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotModifiedException;
import dev.skiff.errors.SkiffException;
import dev.skiff.image.Image;
import dev.skiff.image.ImageService;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.Snapshotter;
import dev.skiff.sys.Signals;
import dev.skiff.sys.Trash;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The container engine's facade: Docker's container lifecycle over the store, the image service, the
 * snapshotter and the runtime. State changes happen under the container's lock and reach the database before
 * a call returns. See docs/CONTAINERS.md for the state machine.
 */
public final class ContainerService implements AutoCloseable {
    private final EngineOptions options;
    private final ContainerStore store;
    private final ImageService images;
    private final ContainerRuntime runtime;
    private final Snapshotter snapshotter;
    private final EventBus events;
    private final Waiters waiters = new Waiters();
    private final NameGenerator names;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** Containers being created, by ID, and their images: users of those images before their rows exist. */
    private final Map<String, String> creating = new ConcurrentHashMap<>();
    private final Starter starter;
    private final AttachService attaches;
    private final ExitHandler exits;
    private final HealthMonitor health;
    private final Stopper stopper;
    private final ContainerEdits edits;
    private final Trash trash;
    private final LogShipping shipping = new LogShipping();
    private ExitMonitor monitor;
    private LogRotationWatcher rotations;
    private volatile ContainerMounts mounts = ContainerMounts.HOST_ONLY;
    private volatile PortBindings ports = PortBindings.inMemory();
    private volatile ContainerNetworking networking = ContainerNetworking.NONE;

    public ContainerService(EngineOptions options, ContainerStore store, ImageService images, ContainerRuntime runtime,
                            Snapshotter snapshotter, EventBus events) {
        this(options, store, images, runtime, snapshotter, events, new NameGenerator());
    }

    public ContainerService(EngineOptions options, ContainerStore store, ImageService images, ContainerRuntime runtime,
                            Snapshotter snapshotter, EventBus events, NameGenerator names) {
        this.options = options;
        this.store = store;
        this.images = images;
        this.runtime = runtime;
        this.snapshotter = snapshotter;
        this.events = events;
        this.names = names;
        this.attaches = new AttachService(runtime);
        this.starter = new Starter(options, store, runtime, snapshotter, events, attaches);
        starter.useShipping(shipping);
        this.exits = new ExitHandler(this, store, runtime, snapshotter, events, waiters);
        this.stopper = new Stopper(this, store, runtime, events, waiters);
        this.edits = new ContainerEdits(this, store, runtime, events);
        this.health = new HealthMonitor(this);
        this.trash = new Trash(options.dataRoot().resolve("trash").resolve("containers"));
        try {
            dev.skiff.sys.FileTrees.spreadSubdirectories(options.containersDir()); // a directory per container
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + options.containersDir(), e);
        }
    }

    /** Starts watching for exits; call once at daemon start, after {@link #reconcile()}. */
    public void startMonitor() throws IOException {
        rotations = new LogRotationWatcher();
        starter.useRotationWatcher(rotations);
        for (Container c : store.all()) {
            if (c.state().hasProcess()) {
                LogConfig log = LogConfig.of(c.hostConfig(), options);
                if (log.maxSize() > 0) {
                    rotations.watch(c.id(), java.nio.file.Path.of(c.logPath()), log.maxFiles());
                }
            }
        }
        shipping.adopt(store.all());
        monitor = new ExitMonitor(runtime.exitDir(), this::checkExit,
                () -> store.all().stream().filter(c -> c.state().hasProcess()).map(Container::id).toList(),
                id -> !runtime.monitorAlive(id));
        health.adoptRunning();
    }

    /**
     * Points a running container's /etc/resolv.conf at the embedded DNS server (it joined a user-defined network
     * after starting on the default bridge). Written in place: the container's bind mount holds the file's inode.
     */
    public void pointResolvConfAtEmbeddedDns(Container c) {
        java.nio.file.Path file = EtcFiles.in(options.containerDir(c.id())).resolvConf();
        try {
            Files.writeString(file, EtcFiles.resolv(options.hostResolvConf(), Starter.dnsSettings(c), true),
                    java.nio.charset.StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                    java.nio.file.StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new dev.skiff.errors.InternalException("cannot rewrite the resolv.conf of container " + c.shortName()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Re-adopts or cleans up after a daemon restart (see {@link Reconciler}), then the volumes' mounts. */
    public void reconcile() {
        new Reconciler(this, store, runtime, snapshotter, options).run();
        java.util.Set<String> running = store.all().stream().filter(c -> c.state().hasProcess()).map(Container::id)
                .collect(java.util.stream.Collectors.toSet());
        mounts.reconcile(running);
        networking.reconcile(running, store.all().stream().map(Container::id).collect(java.util.stream.Collectors.toSet()));
        ports.retainOnly(running);
        images.releaseUnused(imageUsers()); // a removal a crash cut short may have left layers no one needs
    }

    /** Wires the network service in (before {@link #reconcile()}); without it containers get loopback only. */
    public void useNetworking(ContainerNetworking n) {
        this.networking = n;
        starter.useNetworking(n);
    }

    public ContainerNetworking networking() {
        return networking;
    }

    /** Wires the daemon's published-port table in (before {@link #reconcile()}); without it ports are not persisted. */
    public void usePorts(PortBindings p) {
        this.ports = p;
        starter.usePorts(p);
    }

    /** The host ports the containers publish. */
    public PortBindings ports() {
        return ports;
    }

    /** Wires the volume service in (before {@link #reconcile()}); without it only host binds and tmpfs work. */
    public void useMounts(ContainerMounts m) {
        this.mounts = m;
        starter.useMounts(m);
    }

    public ContainerMounts mounts() {
        return mounts;
    }

    // ---- queries

    /** The container as the API shows it (see {@link #shown}). */
    public Container get(String idOrName) {
        return shown(store.resolve(idOrName));
    }

    public Collection<Container> all() {
        return store.all().stream().map(this::shown).toList();
    }

    /**
     * Paused while a commit holds it frozen, as dockerd's commit pauses it: ps says "(Paused)", exec is refused
     * with dockerd's message instead of runc's, health probes wait. Not stored: the freeze ends with the commit,
     * or with the daemon (the reconciler thaws what a crash left frozen).
     */
    private Container shown(Container c) {
        return commitFreezes.containsKey(c.id()) && c.state().running() && !c.state().paused()
                ? c.withState(c.state().withPaused(true)) : c;
    }

    public EventBus events() {
        return events;
    }

    public ContainerRuntime runtime() {
        return runtime;
    }

    public Snapshotter snapshotter() {
        return snapshotter;
    }

    /** Health check results (State.Health). */
    public HealthMonitor health() {
        return health;
    }

    public AttachService attaches() {
        return attaches;
    }

    public ImageService images() {
        return images;
    }

    public EngineOptions options() {
        return options;
    }

    /**
     * The directory of the hostname, hosts and resolv.conf files {@code c} has: its own, or, with --network
     * container:X, X's (Starter mounts X's, as dockerd's initializeNetworkingPaths gives them); its own again once X
     * is gone.
     */
    public java.nio.file.Path etcFilesDir(Container c) {
        String other = HostConfigRules.joinedContainer(ConfigMerger.text(c.hostConfig(), "NetworkMode"));
        String owner = other == null ? c.id() : store.find(other).map(Container::id).orElse(c.id());
        return options.containerDir(owner);
    }

    /** The containers of each image, for image removal: running (or paused) ones and the others. */
    public dev.skiff.image.ImageUsers imageUsers() {
        return new dev.skiff.image.ImageUsers() {
            @Override
            public java.util.Optional<String> running(String imageId) {
                return store.all().stream().filter(c -> c.imageId().equals(imageId) && c.state().hasProcess())
                        .map(Container::id).findFirst();
            }

            @Override
            public java.util.Optional<String> stopped(String imageId) {
                java.util.Optional<String> made = store.all().stream()
                        .filter(c -> c.imageId().equals(imageId) && !c.state().hasProcess()).map(Container::id).findFirst();
                if (made.isPresent()) {
                    return made;
                }
                return creating.entrySet().stream().filter(e -> e.getValue().equals(imageId)).map(Map.Entry::getKey)
                        .findFirst();
            }
        };
    }

    // ---- create

    /**
     * Creates a container from Docker's create body (Config fields at top level, plus HostConfig and
     * NetworkingConfig).
     *
     * @param name the requested name, or null/empty for a generated one
     */
    public CreateResult create(String name, ObjectNode body) {
        String imageName = ConfigMerger.text(body, "Image");
        if (imageName.isEmpty()) {
            throw new InvalidArgumentException("config.Image is empty: say which image to run (docker create IMAGE)");
        }
        HealthConfig.validate(body.get("Healthcheck"));
        String workingDir = ConfigMerger.text(body, "WorkingDir");
        if (!workingDir.isEmpty() && !workingDir.startsWith("/")) {
            // dockerd's check and words; runc would refuse it only at the first start
            throw new InvalidArgumentException("the working directory '" + workingDir
                    + "' is invalid, it needs to be an absolute path");
        }
        String stopSignal = ConfigMerger.text(body, "StopSignal");
        if (!stopSignal.isEmpty()) {
            Signals.parse(stopSignal, 0); // refused at create, as by dockerd, not at the first stop
        }
        for (String env : ConfigMerger.strings(body.get("Env"))) {
            if (env.isEmpty() || env.charAt(0) == '=') {
                throw new InvalidArgumentException("invalid environment variable: " + env); // dockerd's ValidateEnv
            }
        }
        ObjectNode hostConfig = ConfigMerger.normalizeHostConfig(options.containerDefaults().applyTo(body.get("HostConfig")));
        hostConfig.path("Tmpfs").fieldNames().forEachRemaining(target -> {
            if (!target.startsWith("/")) {
                throw new InvalidArgumentException("invalid mount path: '" + target + "' mount path must be absolute");
            }
        });
        ConfigMerger.strings(hostConfig.get("ExtraHosts")).forEach(EtcFiles::parseExtraHost);
        for (String dns : ConfigMerger.strings(hostConfig.get("Dns"))) {
            if (!dev.skiff.sys.NatPorts.isIp(dns)) {
                throw new InvalidArgumentException(dns + " is not an ip address (--dns takes addresses of DNS servers)");
            }
        }
        List<String> warnings = new ArrayList<>();
        PortRequests.validate(body, hostConfig);
        warnings.addAll(PortRequests.networkModeWarnings(hostConfig));
        SpecBuilder.securityOptions(ConfigMerger.strings(hostConfig.get("SecurityOpt")), true);
        for (String opt : ConfigMerger.strings(hostConfig.get("SecurityOpt"))) {
            if (opt.startsWith("apparmor") || opt.startsWith("label")) {
                warnings.add("security option " + opt + " is ignored: this host has no AppArmor/SELinux support in Skiff");
            }
        }
        HostConfigRules.applyAtCreate(hostConfig, ConfigMerger.text(body, "Hostname"), HostFacts.current(), warnings);
        HostConfigRules.checkDomainname(hostConfig, ConfigMerger.text(body, "Domainname"));
        String id = names.newId();
        // from the lookup until the row exists the image counts this container as a user, so an `rmi -f` meanwhile
        // keeps the layers the snapshot is made of (it deleted them under a container that then could not start)
        Image image = images.resolveAndHold(imageName, imageId -> creating.put(id, imageId));
        boolean made = false;
        try {
            ObjectNode userConfig = body.deepCopy();
            userConfig.remove(List.of("HostConfig", "NetworkingConfig"));
            String fullName;
            // The store's lock covers picking and reserving the name only: the snapshot, the mounts' records and the
            // database row are made outside it, so creates run side by side (and a rename is never held up by one).
            synchronized (store) {
                fullName = name == null || name.isEmpty() ? names.newName(store::nameTaken) : NameGenerator.validateName(name);
                store.reserveName(fullName, id);
            }
            try {
                Container c = createReserved(id, fullName, imageName, image, userConfig, hostConfig, body);
                made = true;
                events.publishContainer(c, "create", Map.of());
            } finally {
                store.releaseName(fullName, id);
            }
        } finally {
            creating.remove(id);
            if (!made) {
                // an image an `rmi -f` deleted while this create held it has no user left now
                Starter.quietly(() -> images.releaseUnused(imageUsers()));
            }
        }
        return new CreateResult(id, warnings);
    }

    /** The rest of {@link #create} once {@code fullName} is reserved for {@code id}. */
    private Container createReserved(String id, String fullName, String imageName, Image image, ObjectNode userConfig,
                                     ObjectNode hostConfig, ObjectNode body) {
        Links.normalize(hostConfig, fullName, store::find);
        // as dockerd, a --ipc/--pid container:X names a container that exists now: a typo is told at once
        // instead of leaving a container that cannot start
        for (String key : List.of("IpcMode", "PidMode")) {
            String mode = hostConfig.path(key).asText("");
            String other = HostConfigRules.joinedContainer(mode);
            if (other != null && store.find(other).isEmpty()) {
                throw new InvalidArgumentException("No such container: " + other);
            }
        }
        boolean hostUts = hostConfig.path("NetworkMode").asText().equals("host")
                || hostConfig.path("UTSMode").asText().equals("host");
        String hostname = hostUts ? hostHostname() : id.substring(0, 12);
        ObjectNode config = ConfigMerger.merge(userConfig, image.config().config(), hostname);
        List<String> cmd = ConfigMerger.commandLine(config);
        networking.create(id, hostConfig, body.get("NetworkingConfig") instanceof ObjectNode nc ? nc : null);
        boolean mountsMade = false;
        boolean snapshotMade = false;
        try {
            mounts.create(id, config, hostConfig);
            mountsMade = true;
            try {
                Files.createDirectories(options.containerDir(id));
            } catch (IOException e) {
                throw new dev.skiff.errors.InternalException("cannot create the directory of container " + fullName
                        + ": " + e.getMessage() + " (check the data root's free space and permissions)", e);
            }
            // a --rm container's changes go with it: nothing needs them on disk when it stops
            snapshotter.prepareContainer(id, images.layerDirs(image), hostConfig.path("AutoRemove").asBoolean(false)
                    ? Snapshotter.Writes.DISPOSABLE : Snapshotter.Writes.DURABLE);
            snapshotMade = true;
            Container c = new Container(id, fullName, Times.now(), cmd.get(0), List.copyOf(cmd.subList(1, cmd.size())),
                    config, hostConfig, image.id(), imageName, ContainerState.created(), 0,
                    options.containerDir(id).resolve("container.log").toString(), 0, false);
            store.put(c);
            return c;
        } catch (RuntimeException e) {
            // nothing of a container that was never recorded stays behind
            if (snapshotMade) {
                Starter.quietly(() -> snapshotter.remove(id));
            }
            if (mountsMade) {
                Starter.quietly(() -> mounts.remove(id, true));
            }
            try {
                Files.deleteIfExists(options.containerDir(id)); // empty until the first start
            } catch (IOException ignored) {
                // a directory the next start's reconciliation removes
            }
            Starter.quietly(() -> networking.remove(id));
            throw e;
        }
    }

    private static String hostHostname() {
        try {
            return Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }

    // ---- start / stop / kill

    /**
     * Starts a created or exited container; 304 when it already runs. A start that fails removes an
     * AutoRemove (--rm) container, as Docker does, so `docker run --rm nope` leaves nothing behind.
     */
    public void start(String idOrName) {
        Container c = store.resolve(idOrName);
        boolean launched = false;
        try {
            synchronized (lock(c.id())) {
                c = store.resolve(c.id());
                ContainerState s = c.state();
                if (s.paused()) {
                    throw new ConflictException("cannot start a paused container, try unpause instead");
                }
                if (s.running() && !s.restarting()) {
                    throw new NotModifiedException("container " + c.shortName() + " is already running");
                }
                if (s.status().equals(ContainerState.REMOVING) || s.status().equals(ContainerState.DEAD)) {
                    throw new ConflictException("cannot start container " + c.shortName() + ": it is being removed or dead");
                }
                exits.cancelRestart(c.id());
                c = c.withManuallyStopped(false);
                if (s.restarting()) {
                    c = c.withState(s.exited(s.exitCode(), s.oomKilled(), s.finishedAt()));
                }
                store.put(c);
                launched = true;
                starter.start(c);
            }
        } catch (SkiffException e) {
            if (launched && c.autoRemove()) {
                Starter.quietly(() -> remove(idOrName, true));
            }
            throw e;
        }
    }

    /** Starts a container again for its restart policy (called by the exit handler after the backoff delay). */
    void restartByPolicy(String id) {
        synchronized (lock(id)) {
            Container c = store.get(id).orElse(null);
            if (c == null || !c.state().restarting() || c.manuallyStopped()) {
                return;
            }
            c = c.withRestartCount(c.restartCount() + 1);
            store.put(c);
            try {
                starter.start(c);
            } catch (SkiffException e) {
                // the start failure is recorded in State.Error by the starter; the policy gives up here as Docker's does
            }
        }
    }

    /**
     * Stops a running container: its stop signal (StopSignal or SIGTERM), then SIGKILL after the timeout.
     *
     * @param timeoutSeconds null for Config.StopTimeout or 10; -1 waits forever
     * @param signal         overrides the stop signal when not blank
     */
    public void stop(String idOrName, Integer timeoutSeconds, String signal) {
        stopper.stop(idOrName, timeoutSeconds, signal);
    }

    /** Sends a signal; 409 when the container is not running. */
    public void kill(String idOrName, String signal) {
        stopper.kill(idOrName, signal);
    }

    public void restart(String idOrName, Integer timeoutSeconds, String signal) {
        Container c = store.resolve(idOrName);
        exitHandler().beginManualRestart(c.id());
        try {
            try {
                stop(c.id(), timeoutSeconds, signal);
            } catch (NotModifiedException e) {
                // not running: restart is just a start
            }
            start(c.id());
        } finally {
            exitHandler().endManualRestart(c.id());
        }
        events.publishContainer(store.resolve(c.id()), "restart", Map.of());
    }

    public void pause(String idOrName) {
        Container c = store.resolve(idOrName);
        synchronized (lock(c.id())) {
            c = store.resolve(c.id());
            if (!c.state().hasProcess()) {
                throw new ConflictException("Container " + c.id() + " is not running");
            }
            if (c.state().paused()) {
                throw new ConflictException("Container " + c.id() + " is already paused");
            }
            if (!commitFreezes.containsKey(c.id())) { // frozen by a commit already: it stays so when that ends
                try {
                    runtime.pause(c.id());
                } catch (ConflictException e) {
                    throw exitedMeanwhile(c, e, "running");
                }
            }
            store.put(c.withState(c.state().withPaused(true)));
            events.publishContainer(c, "pause", Map.of());
        }
    }

    public void unpause(String idOrName) {
        Container c = store.resolve(idOrName);
        synchronized (lock(c.id())) {
            c = store.resolve(c.id());
            if (!c.state().paused() && commitFreezes.containsKey(c.id())) {
                throw new ConflictException("Container " + c.id() + " is paused by docker commit while it reads the "
                        + "container's files: it resumes when the commit ends (commit with --pause=false to leave it running)");
            }
            if (!c.state().paused()) {
                throw new ConflictException("Container " + c.id() + " is not paused");
            }
            if (!commitFreezes.containsKey(c.id())) { // else the last commit's end thaws it
                try {
                    runtime.resume(c.id());
                } catch (ConflictException e) {
                    throw exitedMeanwhile(c, e, "paused");
                }
            }
            store.put(c.withState(c.state().withPaused(false)));
            events.publishContainer(c, "unpause", Map.of());
        }
    }

    /**
     * The runtime refused a pause or unpause the records allowed: PID 1 ended (a kill thaws a paused container) and
     * its exit is not recorded yet. dockerd's words then, not runc's ("container not running").
     */
    private static ConflictException exitedMeanwhile(Container c, ConflictException e, String notWhat) {
        String m = String.valueOf(e.getMessage());
        return m.contains("not running") || m.contains("not paused") || m.contains("stopped")
                ? new ConflictException("Container " + c.id() + " is not " + notWhat, e) : e;
    }

    /** A commit's freeze of a container; closing it lets go (see {@link #freezeForCommit}). */
    public interface Freeze extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Freezes a running container's processes while a commit reads its files (docker commit's --pause, the
     * default), until the returned freeze is closed. Overlapping commits share one freeze (the second's pause
     * used to fail: runc refuses to pause a paused container); a container the user paused stays paused; a pause
     * or unpause meanwhile only decides what the container is left as when the last commit ends. A stop, kill or
     * rm -f thaws it (a frozen process never acts on the signal) and the commit goes on reading.
     */
    public Freeze freezeForCommit(String id) {
        synchronized (lock(id)) {
            Container c = store.resolve(id);
            Integer n = commitFreezes.get(c.id());
            if (n != null) {
                commitFreezes.put(c.id(), n + 1);
            } else if (c.state().running() && !c.state().paused()) {
                try {
                    runtime.pause(c.id());
                } catch (ConflictException e) {
                    return () -> { }; // PID 1 ended, its exit not recorded yet: nothing will write, nothing to freeze
                }
                commitFreezes.put(c.id(), 1);
                events.publishContainer(c, "pause", Map.of());
            } else {
                return () -> { };
            }
            String frozen = c.id();
            return () -> thawAfterCommit(frozen);
        }
    }

    private void thawAfterCommit(String id) {
        synchronized (lock(id)) {
            if (commitFreezes.merge(id, -1, Integer::sum) > 0) {
                return;
            }
            commitFreezes.remove(id);
            store.find(id).filter(c -> c.state().hasProcess() && !c.state().paused()).ifPresent(c -> {
                Starter.quietly(() -> runtime.resume(id)); // quietly: a kill may have thawed it
                events.publishContainer(c, "unpause", Map.of());
            });
        }
    }

    /**
     * Whether the container's processes are frozen now: paused by the user, by a commit, or (the runtime's own
     * word) by a pause whose record a crash lost. A stop or kill thaws it first: a frozen process never acts on
     * a signal.
     */
    boolean frozen(Container c) {
        return c.state().paused() || commitFreezes.containsKey(c.id()) || runtime.frozen(c.id());
    }

    // ---- wait / remove / rename / update

    /**
     * Registers a wait; the future completes per the condition. Registration is done when this returns, so a
     * caller may answer the HTTP headers and then start the container.
     */
    public CompletableFuture<WaitResult> waitFor(String idOrName, Waiters.Condition condition) {
        Container c = store.resolve(idOrName);
        synchronized (lock(c.id())) {
            c = store.resolve(c.id());
            return switch (condition) {
                case NOT_RUNNING -> c.state().running()
                        ? waiters.onNextExit(c.id())
                        : CompletableFuture.completedFuture(new WaitResult(c.state().exitCode(), null));
                case NEXT_EXIT -> waiters.onNextExit(c.id());
                case REMOVED -> waiters.onRemoved(c.id());
            };
        }
    }

    /** Removes a container; a running one only with force (it is killed first). */
    public void remove(String idOrName, boolean force) {
        remove(idOrName, force, false);
    }

    /** @param removeVolumes rm -v: the container's anonymous volumes go too (named ones stay) */
    public void remove(String idOrName, boolean force, boolean removeVolumes) {
        new Remover(this, store, runtime, snapshotter, events, waiters, options)
                .remove(store.resolve(idOrName), force, removeVolumes);
    }

    public void rename(String idOrName, String newName) {
        edits.rename(idOrName, newName);
    }

    /** docker update: resources and restart policy; live containers get the new cgroup limits at once. */
    public List<String> update(String idOrName, ObjectNode changes) {
        return edits.update(idOrName, changes);
    }

    // ---- exits

    /** Handles an exit file for {@code id} (called by the exit monitor, reconcile and tests). */
    public void checkExit(String id) {
        exits.check(id);
    }

    /** Commits freezing each container now, by ID: how many (see {@link #freezeForCommit}). Changed under lock(id). */
    private final Map<String, Integer> commitFreezes = new ConcurrentHashMap<>();

    Object lock(String id) {
        return locks.computeIfAbsent(id, k -> new Object());
    }

    void forgetLock(String id) {
        locks.remove(id);
    }

    Starter starter() {
        return starter;
    }

    /** Where removed containers' directories go to be deleted in the background. */
    LogShipping shipping() {
        return shipping;
    }

    Trash trash() {
        return trash;
    }

    ExitHandler exitHandler() {
        return exits;
    }

    Waiters waiters() {
        return waiters;
    }

    /** Restart delays use this; tests shorten nothing, the policy's backoff is real. */
    Duration uptime(Container c) {
        java.time.Instant started = Times.parse(c.state().startedAt());
        return started == null ? Duration.ZERO : Duration.between(started, java.time.Instant.now());
    }

    @Override
    public void close() throws IOException {
        health.close();
        exits.close();
        if (monitor != null) {
            monitor.close();
        }
        if (rotations != null) {
            rotations.close();
        }
        shipping.close();
    }
}
