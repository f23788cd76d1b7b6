package dev.skiff.registry.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests, one at a time. On the network thread: the head is checked
 * ({@link RegistryApi#prepare}) and the body streamed into its upload file or a bounded buffer; then the
 * request is handled on a virtual thread and the reply written by {@link ReplyWriter}. Messages of a
 * pipelined next request wait in a queue until the reply is out.
 */
final class RegistryHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHandler.class);

    private final RegistryApi api;
    private final Executor handlers;
    private final ReplyWriter writer;
    private final String scheme;
    private final ArrayDeque<Object> queued = new ArrayDeque<>();

    private RegistryRequest current;
    private boolean keepAlive;
    private CompositeByteBuf body;
    /** A refused request whose body is still arriving: discarded, then the error is sent. */
    private RegistryException refusal;
    private boolean handling;
    /** The reply went out before the request's body was all read: see {@link #closeAfterDraining}. */
    private boolean bodyUnread;
    private boolean draining;

    RegistryHandler(RegistryApi api, Executor handlers, boolean tls) {
        this.api = api;
        this.handlers = handlers;
        this.writer = new ReplyWriter(tls);
        this.scheme = tls ? "https" : "http";
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (draining) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (handling || !queued.isEmpty()) {
            queued.add(msg);
            return;
        }
        process(ctx, msg);
    }

    private void process(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest req) {
                start(ctx, req);
            }
            if (msg instanceof HttpContent content && (current != null || refusal != null)) {
                content(ctx, content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void start(ChannelHandlerContext ctx, HttpRequest req) {
        keepAlive = HttpUtil.isKeepAlive(req);
        bodyUnread = false;
        if (!req.decoderResult().isSuccess()) {
            keepAlive = false;
            refusal = new RegistryException(ErrorCode.UNSUPPORTED, 400, "malformed HTTP request", null);
            return;
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        req.headers().forEach(e -> headers.putIfAbsent(e.getKey(), e.getValue()));
        QueryStringDecoder q = new QueryStringDecoder(req.uri());
        String host = headers.getOrDefault("Host", String.valueOf(ctx.channel().localAddress()).replaceFirst("^/", ""));
        try {
            current = api.prepare(req.method().name(), q.path(), q.parameters(), headers, scheme + "://" + host);
            if (current.upload() == null) {
                body = ctx.alloc().compositeBuffer(1024);
            }
            if (HttpUtil.is100ContinueExpected(req)) {
                // Only now, authorized and routed, is the client invited to send its body.
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
            }
        } catch (RegistryException e) {
            refusal = e;
            if (HttpUtil.is100ContinueExpected(req) || HttpUtil.getContentLength(req, 0L) > RegistryApi.SMALL_BODY
                    || HttpUtil.isTransferEncodingChunked(req)) {
                keepAlive = false; // reply at once rather than read a body nobody wants
                bodyUnread = true;
                finish(ctx);
            }
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", req.method(), req.uri(), e);
            refusal = new RegistryException(ErrorCode.UNSUPPORTED, 500, "internal error: " + e.getMessage(), null);
        }
    }

    private void content(ChannelHandlerContext ctx, HttpContent content) {
        ByteBuf data = content.content();
        if (current != null && data.isReadable()) {
            try {
                if (current.upload() != null) {
                    for (ByteBuffer b : data.nioBuffers()) {
                        current.upload().append(b);
                    }
                } else if (body.readableBytes() + data.readableBytes() > RegistryApi.bodyLimit(current)) {
                    refusal = RegistryApi.tooLarge(current);
                    keepAlive = false;
                    bodyUnread = true;
                    abandon();
                    finish(ctx);
                    return;
                } else {
                    body.addComponent(true, data.retain());
                }
            } catch (IOException e) {
                LOG.error("cannot store an upload's data: {}", e.toString());
                refusal = new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, 500, "cannot store the data: " + e.getMessage(), null);
                keepAlive = false;
                bodyUnread = true;
                abandon();
                finish(ctx);
                return;
            }
        }
        if (content instanceof LastHttpContent) {
            finish(ctx);
        }
    }

    /** The request is complete (or refused): handle it off the network thread and write the reply. */
    private void finish(ChannelHandlerContext ctx) {
        RegistryRequest r = current;
        RegistryException refused = refusal;
        byte[] bytes = null;
        if (body != null) {
            bytes = new byte[body.readableBytes()];
            body.readBytes(bytes);
            body.release();
            body = null;
        }
        current = null;
        refusal = null;
        handling = true;
        ctx.channel().config().setAutoRead(false);
        boolean close = !keepAlive;
        boolean drain = bodyUnread;
        RegistryRequest complete = r == null ? null : r.upload() != null ? r : r.withBody(null, bytes);
        handlers.execute(() -> {
            Reply reply = refused != null ? Reply.error(refused) : api.handle(complete);
            boolean head = complete != null && complete.head();
            writer.write(ctx, reply, head, close).addListener((ChannelFutureListener) f -> {
                if (close && drain && f.isSuccess()) {
                    closeAfterDraining(ctx);
                } else if (close || !f.isSuccess()) {
                    ctx.close();
                } else {
                    resume(ctx);
                }
            });
        });
    }

    /**
     * Closing a connection whose client is still sending the body we refused (a 413 for a manifest too large) makes
     * the kernel answer its data with a reset, which can reach the client before it read our reply: it sees the
     * connection reset, not the 413. So the rest is read and dropped until the client, having read the reply, closes
     * (Connection: close), or for at most 2 s (Go's net/http lingers likewise).
     */
    private void closeAfterDraining(ChannelHandlerContext ctx) {
        ctx.executor().execute(() -> {
            draining = true;
            ctx.channel().config().setAutoRead(true);
            ctx.executor().schedule(() -> {
                ctx.close();
            }, 2, java.util.concurrent.TimeUnit.SECONDS);
        });
    }

    private void resume(ChannelHandlerContext ctx) {
        handling = false;
        while (!handling && !queued.isEmpty()) {
            process(ctx, queued.poll());
        }
        if (!handling) {
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    private void abandon() {
        if (current != null) {
            api.abandon(current);
            current = null;
        }
        if (body != null) {
            body.release();
            body = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        abandon();
        queued.forEach(ReferenceCountUtil::release);
        queued.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            LOG.warn("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }
}
