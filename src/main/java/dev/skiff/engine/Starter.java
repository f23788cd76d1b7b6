package dev.skiff.engine;

import dev.skiff.engine.network.ports.PortBindings;
import dev.skiff.errors.ConflictException;
import dev.skiff.errors.InternalException;
import dev.skiff.errors.SkiffException;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.CreateRequest;
import dev.skiff.runtime.CreatedContainer;
import dev.skiff.runtime.RuntimeSpec;
import dev.skiff.runtime.Snapshotter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a container: mounts its snapshot, writes its /etc files, turns its config into a runtime spec, then
 * has the runtime create and start it. A failure leaves the container stopped with State.Error set.
 * Callers hold the container's lock.
 */
final class Starter {
    private static final Logger LOG = LoggerFactory.getLogger(Starter.class);
    private static final Path HOST_HOSTS = Path.of("/etc/hosts");

    private final EngineOptions options;
    private final ContainerStore store;
    private final ContainerRuntime runtime;
    private final Snapshotter snapshotter;
    private final EventBus events;
    private final AttachService attaches;
    private volatile LogRotationWatcher rotations;
    private volatile ContainerMounts mounts = ContainerMounts.HOST_ONLY;
    private final LinuxSetup linux;
    private volatile PortBindings ports = PortBindings.inMemory();
    private volatile ContainerNetworking networking = ContainerNetworking.NONE;
    private volatile LogShipping shipping = new LogShipping();

    Starter(EngineOptions options, ContainerStore store, ContainerRuntime runtime, Snapshotter snapshotter, EventBus events,
            AttachService attaches) {
        this.attaches = attaches;
        this.options = options;
        this.store = store;
        this.runtime = runtime;
        this.snapshotter = snapshotter;
        this.events = events;
        this.linux = new LinuxSetup(store, options);
    }

    Container start(Container c) {
        Path dir = options.containerDir(c.id());
        // looks only (joined namespaces, host devices): a mistake fails here with nothing made
        LinuxSetup.Resolved ns = linux.resolve(c);
        java.util.List<Links.Link> links = Links.running(c, store::find);
        ContainerNetworking.Sandbox sandbox = null;
        boolean announced = false; // its connect event on the none or host network went out
        boolean inRuntime = false; // a failure now is the runtime's, which dockerd words as its task's
        dev.skiff.engine.logging.LogSink logSink = null;
        try {
            long t0 = System.nanoTime();
            Container joined = joinedNetwork(c);
            String netns = joined == null ? null : "/proc/" + joined.state().pid() + "/ns/net";
            Container named = joined == null ? c : withNamesOf(c, joined);
            sandbox = netns == null ? networking.attach(c) : null;
            networking.predefinedNetworkEvent("connect", c); // none and host: no endpoint publishes it
            announced = true;
            if (sandbox != null) {
                netns = sandbox.netns();
            }
            long tNet = System.nanoTime();
            Path rootfs = snapshotter.mount(c.id());
            long tMount = System.nanoTime();
            // joined to another's network: that container's own hostname, hosts and resolv.conf files, as dockerd's
            // initializeNetworkingPaths gives them (its names, its embedded DNS server, its host entries)
            EtcFiles etc = EtcFiles.in(joined == null ? dir : options.containerDir(joined.id()));
            // links on the default bridge are /etc/hosts lines and variables; on user networks, DNS names
            boolean legacyLinks = !links.isEmpty() && onDefaultBridge(c);
            java.util.List<String> extraHosts = new java.util.ArrayList<>(ConfigMerger.strings(c.hostConfig().get("ExtraHosts")));
            if (legacyLinks) {
                extraHosts.addAll(Links.hostEntries(links, store::resolve, this::bridgeIp));
            }
            if (joined == null) {
                etc.write(ConfigMerger.text(c.config(), "Hostname"), ConfigMerger.text(c.config(), "Domainname"),
                        sandbox == null ? null : sandbox.address(), sandbox == null ? "" : sandbox.address6(),
                        options.hostResolvConf(),
                        extraHosts, dnsSettings(c), networking.hostGateway(),
                        sandbox != null && sandbox.embeddedDns());
            }
            if (ConfigMerger.text(c.hostConfig(), "NetworkMode").equals("host") && Files.isReadable(HOST_HOSTS)) {
                // the host's network, so the host's names, as Docker does for --network host
                dev.skiff.sys.AtomicFiles.replace(etc.hosts(), Files.readAllBytes(HOST_HOSTS), EtcFiles.READABLE);
            }
            linux.mountShm(c, ns);
            RuntimeSpec spec = SpecBuilder.build(named, rootfs, etc, netns,
                    LinuxSetup.withShm(ns.shm(), mounts.mount(c, rootfs)), ns.linux(),
                    legacyLinks ? Links.environment(c, links, store::resolve, this::bridgeIp) : java.util.List.of());
            quietly(() -> runtime.delete(c.id(), true));
            Files.deleteIfExists(runtime.exitDir().resolve(c.id()));
            LogConfig log = LogConfig.of(c.hostConfig(), options);
            if (!log.none()) {
                new LogRotation(Path.of(c.logPath()), log.maxFiles()).beforeStart();
            }
            logSink = shipping.open(c);
            long tPrepared = System.nanoTime();
            inRuntime = true;
            CreatedContainer created = runtime.create(new CreateRequest(c.id(), c.shortName(), dir, spec,
                    log.none() ? null : Path.of(c.logPath()), log.maxSize(), c.config().path("OpenStdin").asBoolean(false),
                    c.config().path("StdinOnce").asBoolean(false)));
            inRuntime = false;
            long tCreated = System.nanoTime();
            if (sandbox != null) {
                sandbox.awaitWired();
            }
            long tWired = System.nanoTime();
            attaches.connectPending(c.id());
            inRuntime = true;
            runtime.start(c.id());
            inRuntime = false;
            long tStarted = System.nanoTime();
            Container running = named.withMonitorPid(created.monitorPid()).withState(c.state().running(created.pid(), Times.now()));
            store.put(running);
            LogRotationWatcher w = rotations;
            if (w != null && log.maxSize() > 0) {
                w.watch(c.id(), Path.of(c.logPath()), log.maxFiles());
            }
            if (logSink != null) {
                shipping.started(running, logSink);
                logSink = null; // the shipper's now
            }
            events.publishContainer(running, "start", Map.of());
            if (LOG.isDebugEnabled()) {
                LOG.debug("started {}: network {} ms, mount {} ms, bundle files {} ms, runtime create {} ms, then waited"
                        + " {} ms for the network's wiring, start {} ms, record {} ms", c.shortName(), ms(tNet - t0),
                        ms(tMount - tNet), ms(tPrepared - tMount), ms(tCreated - tPrepared), ms(tWired - tCreated),
                        ms(tStarted - tWired), ms(System.nanoTime() - tStarted));
            }
            return running;
        } catch (SkiffException | IOException e) {
            String raw = e.getMessage() == null ? e.toString() : e.getMessage();
            int code = StartErrors.exitCode(raw);
            // only the runtime's own failures take dockerd's task prefix: not the engine's refusals of the config (a
            // user the image lacks, a --network container:NAME that is not there), nor the volumes', the network's or
            // the mounts' failures, which dockerd reports in their own words
            String message = !inRuntime || e instanceof ConflictException
                    || e instanceof dev.skiff.errors.InvalidArgumentException
                    || e instanceof dev.skiff.errors.NotFoundException ? raw : StartErrors.message(raw);
            if (logSink != null) {
                logSink.close();
            }
            quietly(() -> runtime.delete(c.id(), true));
            if (sandbox != null) {
                sandbox.awaitQuietly(); // its own failure released it already; else it must be done before detach
            }
            quietly(() -> mounts.unmount(c.id()));
            quietly(() -> linux.releaseShm(c.id()));
            quietly(() -> networking.detach(c.id()));
            if (announced) {
                quietly(() -> networking.predefinedNetworkEvent("disconnect", c));
            }
            quietly(() -> ports.release(c.id()));
            quietly(() -> snapshotter.unmount(c.id()));
            store.put(c.withState(c.state().startFailed(code, message)));
            if (e instanceof ConflictException ce) {
                throw ce;
            }
            if (e instanceof IOException) {
                throw new InternalException("cannot start container " + c.shortName() + ": " + raw, e);
            }
            throw StartErrors.toApiError(message, code);
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    void useRotationWatcher(LogRotationWatcher watcher) {
        this.rotations = watcher;
    }

    void useShipping(LogShipping s) {
        this.shipping = s;
    }

    void useMounts(ContainerMounts m) {
        this.mounts = m;
    }

    /** The container's process is gone: its host-side /dev/shm goes too. */
    void releaseShm(String id) {
        quietly(() -> linux.releaseShm(id));
    }

    void usePorts(PortBindings p) {
        this.ports = p;
    }

    void useNetworking(ContainerNetworking n) {
        this.networking = n;
    }

    /** HostConfig.Dns, DnsSearch and DnsOptions. */
    static EtcFiles.DnsSettings dnsSettings(Container c) {
        return new EtcFiles.DnsSettings(ConfigMerger.strings(c.hostConfig().get("Dns")),
                ConfigMerger.strings(c.hostConfig().get("DnsSearch")), ConfigMerger.strings(c.hostConfig().get("DnsOptions")));
    }

    void stopWatchingLog(String id) {
        LogRotationWatcher w = rotations;
        if (w != null) {
            w.unwatch(id);
        }
    }

    private static boolean onDefaultBridge(Container c) {
        // create normalizes "" and "default" to "bridge" (ConfigMerger.normalizeHostConfig)
        return ConfigMerger.text(c.hostConfig(), "NetworkMode").equals("bridge");
    }

    /** A running container's address on the default bridge, or "" when it has none. */
    private String bridgeIp(String containerId) {
        com.fasterxml.jackson.databind.node.ObjectNode settings = networking.networkSettings(store.resolve(containerId), false);
        return settings == null ? "" : settings.path("Networks").path("bridge").path("IPAddress").asText("");
    }

    /** For NetworkMode "container:x": the other container, which must be running; null for any other mode. */
    private Container joinedNetwork(Container c) {
        String mode = ConfigMerger.text(c.hostConfig(), "NetworkMode");
        String other = HostConfigRules.joinedContainer(mode);
        if (other == null) {
            return null;
        }
        Container o = store.resolve(other);
        if (!o.state().hasProcess() || o.state().pid() <= 0) {
            throw new ConflictException("cannot join network namespace of a non running container: " + o.shortName()
                    + " (start " + o.shortName() + " first)");
        }
        return o;
    }

    /** {@code c} named as the container whose network it joins (dockerd keeps that in its Config, as here). */
    private static Container withNamesOf(Container c, Container joined) {
        com.fasterxml.jackson.databind.node.ObjectNode config = c.config().deepCopy();
        config.put("Hostname", ConfigMerger.text(joined.config(), "Hostname"));
        config.put("Domainname", ConfigMerger.text(joined.config(), "Domainname"));
        return c.withConfig(config);
    }

    static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.debug("cleanup step failed (ignored): {}", e.toString());
        }
    }

}
