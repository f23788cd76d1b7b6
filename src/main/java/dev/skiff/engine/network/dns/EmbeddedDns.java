package dev.skiff.engine.network.dns;

import dev.skiff.errors.UnavailableException;
import dev.skiff.runtime.unix.NetnsSwitch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker's embedded DNS server: answers at 127.0.0.11:53 (UDP and TCP) inside each container's network
 * namespace with the names of its networks, and forwards every other name to upstream resolvers.
 *
 * <p>One platform thread runs a selector over every container's sockets and every upstream exchange, so a
 * thousand containers cost sockets, not threads. The sockets are created inside the container's namespace (a
 * socket keeps the namespace of the thread that made it) and served from the daemon's own, which is also where
 * forwarded queries leave from: the host's resolvers (even a 127.0.0.53 stub) are reachable there. See
 * docs/DNS.md.
 */
public final class EmbeddedDns implements AutoCloseable {
    /** Where Docker's embedded DNS listens in every container. */
    public static final InetSocketAddress CONTAINER_ADDRESS =
            new InetSocketAddress(InetAddress.ofLiteral("127.0.0.11"), 53);
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDns.class);
    private static final long CALL_TIMEOUT_SECONDS = 10;

    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean warm = new java.util.concurrent.atomic.AtomicBoolean();
    private final Thread thread;
    private volatile boolean running = true;
    // owned by the loop thread
    final Timers timers = new Timers();
    final Forwarder forwarder = new Forwarder(this);
    final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(65535);
    private final Set<Served> served = new HashSet<>();

    private EmbeddedDns(Selector selector) {
        this.selector = selector;
        this.thread = Thread.ofPlatform().name("embedded-dns").daemon(true).unstarted(this::loop);
    }

    /** Starts the one thread that serves every container. */
    public static EmbeddedDns start() {
        try {
            initNioHere();
            EmbeddedDns dns = new EmbeddedDns(Selector.open());
            dns.thread.start();
            return dns;
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a selector for the embedded DNS server", e);
        }
    }

    /**
     * Makes the JDK set up its socket machinery in the daemon's own namespace. The first socket channel a JVM
     * opens initialises NIO statics that hold a socket of their own for the JVM's life (the pre-close socket
     * pair); were that first channel opened inside a container's namespace (a serve right after a daemon
     * restart, before the API server made any socket), that socket would pin the namespace and its veth forever.
     */
    private static void initNioHere() throws IOException {
        try (DatagramChannel udp = DatagramChannel.open(java.net.StandardProtocolFamily.INET);
             ServerSocketChannel tcp = ServerSocketChannel.open(java.net.StandardProtocolFamily.INET)) {
            udp.configureBlocking(false);
            tcp.configureBlocking(false);
            udp.close();
            tcp.close();
        }
    }

    /**
     * Listens on 127.0.0.11:53 (UDP and TCP) inside the network namespace file {@code netns} (its loopback may
     * still be down: answers flow once it is up); closing the returned handle stops it. {@code upstreams}: where
     * other names go (empty: SERVFAIL, as for --internal networks).
     */
    public Handle serve(Path netns, NameResolver resolver, List<InetSocketAddress> upstreams) {
        return serve(netns, resolver, upstreams, List.of(), true);
    }

    /**
     * As {@link #serve(Path, NameResolver, List)}, also answering {@code name.<domain>} like {@code name} for each
     * of the container's search domains (its --dns-search, or the host's). {@code fresh}: the namespace was just
     * made (a start), not served before (a daemon restart serves running containers again).
     */
    public Handle serve(Path netns, NameResolver resolver, List<InetSocketAddress> upstreams,
            List<String> searchDomains, boolean fresh) {
        warmUpOnce();
        Listeners listeners;
        try {
            // kernel-chosen ports behind a redirect of 127.0.0.11:53, as Docker's: port 53 stays the container's
            listeners = NetnsSwitch.inside(netns,
                    () -> Listeners.open(new InetSocketAddress(CONTAINER_ADDRESS.getAddress(), 0)));
            try {
                DnsRedirect.install(netns, listeners.address().getPort(), listeners.tcpPort(), fresh);
            } catch (IOException | RuntimeException e) {
                listeners.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UnavailableException("could not start the embedded DNS server at " + CONTAINER_ADDRESS
                    + " in network namespace " + netns + ": " + e.getMessage()
                    + (java.nio.file.Files.exists(netns) ? "" : " (the container's network namespace is gone)"), e);
        }
        return register(listeners, resolver, upstreams, searchDomains);
    }

    /** Serves at {@code address} in the daemon's own namespace: what the tests and the benchmark use. */
    Served serveAt(InetSocketAddress address, NameResolver resolver, List<InetSocketAddress> upstreams,
            List<String> searchDomains) throws IOException {
        return register(Listeners.open(address), resolver, upstreams, searchDomains);
    }

    private Served register(Listeners listeners, NameResolver resolver, List<InetSocketAddress> upstreams,
            List<String> searchDomains) {
        Answerer answerer = new Answerer(resolver, normalized(searchDomains), !upstreams.isEmpty());
        Served handle = new Served(this, listeners, answerer, List.copyOf(upstreams));
        try {
            onLoop(() -> {
                handle.register(selector);
                served.add(handle);
                return null;
            });
        } catch (RuntimeException e) {
            listeners.close();
            throw e;
        }
        return handle;
    }

    /** Stops the thread and closes every container's sockets. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(CALL_TIMEOUT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs {@code action} on the loop thread and waits for it (directly when already there). */
    <T> T onLoop(Callable<T> action) {
        FutureTask<T> task = new FutureTask<>(action);
        if (Thread.currentThread() == thread) {
            task.run();
        } else {
            if (!running) {
                throw new IllegalStateException("the embedded DNS server is closed");
            }
            tasks.add(task);
            selector.wakeup();
        }
        try {
            return task.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("embedded DNS: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "the embedded DNS thread did not answer in " + CALL_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the embedded DNS thread", e);
        }
    }

    void forget(Served handle) {
        served.remove(handle);
    }

    /**
     * dnsjava's first message costs ~150 ms of class loading (some 160 classes): done on the loop when the first
     * container is served, ahead of its first query, rather than at daemon start, so a daemon whose containers
     * never join a user network never carries them.
     */
    private void warmUpOnce() {
        if (!warm.getAndSet(true)) {
            tasks.add(new FutureTask<>(Answerer::warmUp, null)); // a failure here only costs the speed-up
            selector.wakeup();
        }
    }

    Selector selector() {
        return selector;
    }

    boolean isLoopThread() {
        return Thread.currentThread() == thread;
    }

    private void loop() {
        try {
            while (running) {
                long wait = timers.millisToNext();
                if (wait == 0) {
                    selector.selectNow();
                } else {
                    selector.select(wait < 0 ? 0 : wait);
                }
                runTasks();
                for (SelectionKey key : selector.selectedKeys()) {
                    dispatch(key);
                }
                selector.selectedKeys().clear();
                timers.runDue();
            }
        } catch (IOException | RuntimeException | Error e) {
            LOG.error("the embedded DNS thread failed; containers lose name resolution", e);
        } finally {
            running = false;
            for (Served handle : new ArrayList<>(served)) {
                handle.shutdown();
            }
            forwarder.closeAll();
            try {
                selector.close();
            } catch (IOException e) {
                LOG.debug("closing the DNS selector", e);
            }
            runTasks(); // whoever still waits gets an answer (registering on a closed selector fails)
        }
    }

    private void dispatch(SelectionKey key) {
        Handler handler = (Handler) key.attachment();
        try {
            if (key.isValid()) {
                handler.ready(key);
            }
        } catch (IOException | RuntimeException e) { // isolate: one socket's trouble is not the others'
            handler.fail(e);
        }
    }

    private void runTasks() {
        for (Runnable task; (task = tasks.poll()) != null; ) {
            task.run(); // a FutureTask: keeps its own exception for the caller
        }
    }

    private static List<String> normalized(List<String> domains) {
        List<String> out = new ArrayList<>();
        for (String d : domains) {
            String s = d.toLowerCase(Locale.ROOT).replaceAll("^\\.+|\\.+$", "");
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** One container's DNS endpoint, as {@link #serve} returns it: an AutoCloseable whose close() throws nothing. */
    public interface Handle extends AutoCloseable {
        /** Closes the endpoint's sockets (idempotent; safe from any thread). */
        @Override
        void close();
    }

    /** What the loop calls when a channel is ready; failures close only that channel's owner. */
    interface Handler {
        void ready(SelectionKey key) throws IOException;

        void fail(Exception e);
    }

    /** The two listening sockets of one container, opened (in its namespace) before they are registered. */
    record Listeners(DatagramChannel udp, ServerSocketChannel tcp) {
        static Listeners open(InetSocketAddress address) throws IOException {
            if (address.getPort() != 0) {
                return openOnce(address);
            }
            // a free UDP port may be taken for TCP: the tests' kernel-chosen ports try again
            for (int attempt = 1; ; attempt++) {
                try {
                    return openOnce(address);
                } catch (java.net.BindException e) {
                    if (attempt == 20) {
                        throw e;
                    }
                }
            }
        }

        private static Listeners openOnce(InetSocketAddress address) throws IOException {
            DatagramChannel udp = DatagramChannel.open(java.net.StandardProtocolFamily.INET);
            ServerSocketChannel tcp = null;
            try {
                udp.bind(address);
                udp.configureBlocking(false);
                tcp = ServerSocketChannel.open(java.net.StandardProtocolFamily.INET);
                tcp.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                // the TCP port follows the UDP one when the caller let the kernel pick (tests)
                int port = ((InetSocketAddress) udp.getLocalAddress()).getPort();
                tcp.bind(new InetSocketAddress(address.getAddress(), port), 64);
                tcp.configureBlocking(false);
                return new Listeners(udp, tcp);
            } catch (IOException | RuntimeException e) {
                udp.close();
                if (tcp != null) {
                    tcp.close();
                }
                throw e;
            }
        }

        int tcpPort() {
            try {
                return ((InetSocketAddress) tcp.getLocalAddress()).getPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        InetSocketAddress address() {
            try {
                return (InetSocketAddress) udp.getLocalAddress();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void close() {
            Served.closeQuietly(udp);
            Served.closeQuietly(tcp);
        }
    }
}
