package dev.skiff.registry.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code skiff registry serve}: wires storage, auth, TLS, the pull-through upstream and periodic garbage
 * collection to a Netty listener. Lifecycle: {@link #start}, then {@link #close}.
 */
public final class RegistryServer implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);

    private final RegistryStorage storage;
    private final UploadSessions uploads;
    private final GarbageCollector gc;
    private final EventLoopGroup group;
    private final ExecutorService handlers;
    private final ScheduledExecutorService periodic;
    private final Channel listener;
    private final boolean tls;

    private RegistryServer(RegistryConfig c) throws IOException {
        if (c.root() == null) {
            throw new IllegalArgumentException("the registry needs a storage directory (--root DIR)");
        }
        storage = new RegistryStorage(c.root());
        uploads = new UploadSessions(storage.uploadsDir());
        gc = new GarbageCollector(storage, uploads);
        Htpasswd htpasswd = c.htpasswd() == null ? null : new Htpasswd(c.htpasswd());
        TokenAuthority tokens = null;
        if (c.tokenKey() != null) {
            if (htpasswd == null) {
                throw new IllegalArgumentException("token auth (--token-key) checks users against an htpasswd file: give --htpasswd too");
            }
            tokens = new TokenAuthority(TokenAuthority.loadOrCreateKey(c.tokenKey()),
                    c.tokenIssuer() == null ? "skiff-registry" : c.tokenIssuer(),
                    c.tokenService() == null ? "skiff-registry" : c.tokenService());
        }
        Authenticator auth = new Authenticator(htpasswd, tokens, c.tokenRealm(), Clock.systemUTC());
        ProxyUpstream upstream = c.proxyUrl() == null ? null
                : new ProxyUpstream(URI.create(c.proxyUrl()), c.proxyUsername(), c.proxyPassword(), storage);
        RegistryApi api = new RegistryApi(storage, uploads, auth, Boolean.TRUE.equals(c.readOnly()), upstream, gc);
        SslContext ssl = sslContext(c.tlsCert(), c.tlsKey());
        tls = ssl != null;

        boolean epoll = Epoll.isAvailable();
        group = epoll ? new EpollEventLoopGroup() : new NioEventLoopGroup();
        handlers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("registry-", 0).factory());
        periodic = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("registry-gc").factory());
        Class<? extends ServerChannel> channel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap b = new ServerBootstrap().group(group).channel(channel)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(
                                // A connection silent for 10 minutes is a client gone without closing.
                                new IdleStateHandler(0, 0, 600) {
                                    @Override
                                    protected void channelIdle(io.netty.channel.ChannelHandlerContext ctx,
                                                               io.netty.handler.timeout.IdleStateEvent evt) {
                                        ctx.close();
                                    }
                                },
                                new HttpServerCodec(8192, 64 * 1024, 1 << 20),
                                new ChunkedWriteHandler(),
                                new RegistryHandler(api, handlers, ssl != null));
                    }
                });
        try {
            listener = b.bind(socketAddress(c.addrOrDefault())).sync().channel();
        } catch (Exception e) {
            shutdown();
            throw new IOException("cannot listen on " + c.addrOrDefault() + ": " + e.getMessage()
                    + " (is another registry using that port? choose another with --addr)", e);
        }
        // Pushes abandoned mid-upload hold a file and a session each: cancel those idle for an hour.
        periodic.scheduleWithFixedDelay(() -> {
            try {
                uploads.reapIdle(Duration.ofHours(1));
            } catch (RuntimeException e) { // a periodic task that throws is never run again
                LOG.error("reaping idle uploads failed", e);
            }
        }, 10, 10, TimeUnit.MINUTES);
        if (c.gcInterval() != null && !c.gcInterval().isZero()) {
            Duration grace = c.graceOrDefault();
            long every = c.gcInterval().toMillis();
            periodic.scheduleWithFixedDelay(() -> {
                try {
                    gc.run(grace, false);
                } catch (IOException | RuntimeException e) {
                    LOG.error("periodic garbage collection failed", e);
                }
            }, every, every, TimeUnit.MILLISECONDS);
        }
        InetSocketAddress a = address();
        LOG.info("registry listening on {}://{}:{} (storage {}{}{}{})", tls ? "https" : "http", a.getHostString(), a.getPort(),
                storage.root(), htpasswd == null ? "" : tokens == null ? ", basic auth" : ", token auth",
                Boolean.TRUE.equals(c.readOnly()) ? ", read-only" : "", upstream == null ? "" : ", proxy of " + c.proxyUrl());
    }

    public static RegistryServer start(RegistryConfig config) throws IOException {
        return new RegistryServer(config);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    public boolean tls() {
        return tls;
    }

    public GarbageCollector gc() {
        return gc;
    }

    public RegistryStorage storage() {
        return storage;
    }

    /** Blocks until the listener closes (the server is stopped from another thread or by a signal). */
    public void awaitClose() throws InterruptedException {
        listener.closeFuture().await();
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
        shutdown();
    }

    private void shutdown() {
        periodic.shutdownNow();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        handlers.shutdownNow();
        uploads.closeAll();
    }

    static InetSocketAddress socketAddress(String addr) {
        int colon = addr.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("invalid address \"" + addr + "\" (HOST:PORT or :PORT)");
        }
        String host = addr.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(addr.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port in address \"" + addr + "\" (HOST:PORT or :PORT)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("invalid port in address \"" + addr + "\" (0 to 65535)");
        }
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    private static SslContext sslContext(Path cert, Path key) throws IOException {
        if (cert == null && key == null) {
            return null;
        }
        if (cert == null || key == null) {
            throw new IllegalArgumentException("TLS needs both --tls-cert and --tls-key");
        }
        try {
            return SslContextBuilder.forServer(cert.toFile(), key.toFile()).build();
        } catch (Exception e) {
            throw new IOException("cannot load the TLS certificate " + cert + " and key " + key + ": " + e.getMessage()
                    + " (PEM files; the key unencrypted PKCS#8, as openssl genpkey writes it)", e);
        }
    }
}
