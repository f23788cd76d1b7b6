package dev.skiff.api.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/1.1 server: Netty's epoll transport does the socket work on two event-loop threads and
 * every request runs on its own virtual thread (see docs/CONCURRENCY.md).
 *
 * <p>Lifecycle: construct with a router and filters, {@link #start} on one or more addresses,
 * {@link #stop} (or close) to close the listeners, remove unix socket files and end the threads.
 */
public final class HttpServer implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private final Router router;
    private final List<Filter> filters;
    private final List<Channel> listeners = new ArrayList<>();
    private final List<Path> socketFiles = new ArrayList<>();
    private String socketGroup = SocketPermissions.GROUP;
    private EpollEventLoopGroup group;
    private ExecutorService handlers;

    /** @param filters run in this order before routing, e.g. new VersionFilter(), new LoggingFilter() */
    public HttpServer(Router router, List<Filter> filters) {
        this.router = router;
        this.filters = List.copyOf(filters);
    }

    /** The group that owns unix sockets bound after this call (dockerd's --group). */
    public synchronized HttpServer socketGroup(String groupName) {
        this.socketGroup = groupName;
        return this;
    }

    public synchronized void start(List<String> addresses) throws IOException {
        if (group != null) {
            throw new IllegalStateException("server already started");
        }
        if (!Epoll.isAvailable()) {
            throw new IOException("the epoll transport is not available: " + Epoll.unavailabilityCause());
        }
        group = new EpollEventLoopGroup(2);
        handlers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("http-", 0).factory());
        RequestDispatcher dispatcher = new RequestDispatcher(router, filters, handlers);
        try {
            for (String a : addresses) {
                listeners.add(bind(ListenAddress.parse(a), dispatcher));
            }
        } catch (IOException | RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** The bound addresses (a tcp port 0 shows the port chosen). */
    public synchronized List<SocketAddress> boundAddresses() {
        return listeners.stream().map(Channel::localAddress).toList();
    }

    public synchronized void stop() {
        stopAccepting();
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
            group = null;
        }
        if (handlers != null) {
            handlers.shutdownNow();
            handlers = null;
        }
    }

    /**
     * Takes no more connections (the listeners close, their socket files go); the connections open are served
     * until {@link #stop}. The daemon's shutdown cancels its builds in between, so that none starts after.
     */
    public synchronized void stopAccepting() {
        for (Channel c : listeners) {
            c.close().awaitUninterruptibly();
        }
        listeners.clear();
        for (Path p : socketFiles) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warn("could not remove socket file {}: {}", p, e.toString());
            }
        }
        socketFiles.clear();
    }

    @Override
    public void close() {
        stop();
    }

    private Channel bind(ListenAddress address, RequestDispatcher dispatcher) throws IOException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new io.netty.channel.AdaptiveRecvByteBufAllocator(512, 16 * 1024, 256 * 1024))
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 2 * 1024 * 1024))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // Nothing that transforms bytes (TLS) may come before the codec: an upload's consumer
                        // reads the socket itself (DirectBody).
                        ch.pipeline().addLast(
                                new FlushConsolidationHandler(256, true),
                                // Long lines and headers: filters JSON in the query, X-Registry-Auth.
                                new HttpServerCodec(64 * 1024, 1024 * 1024, 1024 * 1024),
                                new HttpServerExpectContinueHandler(),
                                new ConnectionHandler(dispatcher));
                    }
                });
        SocketAddress where;
        if (address.unix()) {
            Path sock = address.socketPath();
            Files.createDirectories(sock.toAbsolutePath().getParent());
            removeStaleSocket(sock);
            b.channel(EpollServerDomainSocketChannel.class);
            where = new DomainSocketAddress(sock.toString());
        } else {
            b.channel(EpollServerSocketChannel.class).option(ChannelOption.SO_REUSEADDR, true);
            where = new InetSocketAddress(address.host(), address.port());
        }
        Channel ch;
        try {
            ch = b.bind(where).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + address);
        } catch (Exception e) {
            throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
        if (address.unix()) {
            socketFiles.add(address.socketPath());
            SocketPermissions.apply(address.socketPath(), socketGroup);
        }
        InetSocketAddress bound = address.unix() ? null : (InetSocketAddress) ch.localAddress();
        LOG.info("API listening on {}", address.unix() ? address : "tcp://" + bound.getHostString() + ":" + bound.getPort());
        return ch;
    }

    /** A socket file left by a crashed daemon is removed; one a live server answers on is not. */
    private static void removeStaleSocket(Path sock) throws IOException {
        if (!Files.exists(sock)) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(sock));
            throw new IOException("another server is already listening on unix://" + sock
                    + " (stop it first, or choose another socket with -H)");
        } catch (IOException refused) {
            if (refused.getMessage() != null && refused.getMessage().startsWith("another server")) {
                throw refused;
            }
            Files.delete(sock);
        }
    }
}
