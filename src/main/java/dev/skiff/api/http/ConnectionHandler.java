package dev.skiff.api.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's state on its event loop: it starts an exchange per request, feeds the request
 * body (or, after hijack, the raw stream) to the handler thread, and reads the next request only
 * when the previous exchange is done (autoRead is off). Pipelined messages that arrive early are
 * parked until then. An upload route's body is not fed from here: its consumer reads the socket itself
 * ({@link DirectBody}, docs/CONCURRENCY.md). Every field is touched only on the event loop, except where marked.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);

    private static final int LINGER_SECONDS = 2;

    private final RequestDispatcher dispatcher;
    private final ArrayDeque<Object> parked = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private WriteGate gate;
    private InboundPipe inbound;
    private DirectBody direct;
    private boolean busy;
    private boolean requestComplete;
    private volatile boolean hijacked;
    private boolean discarding;
    private volatile boolean inputClosed;

    ConnectionHandler(RequestDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.gate = new WriteGate(ctx.channel());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (discarding) {
            ReferenceCountUtil.release(msg);
        } else if (direct != null) {
            if (msg instanceof ByteBuf raw) {
                direct.offer(raw); // the decoder's leftover (re-entrantly, from its removal), or stray bytes
            } else {
                ReferenceCountUtil.release(msg);
            }
        } else if (hijacked) {
            if (msg instanceof ByteBuf buf) {
                inbound.offer(buf);
            } else {
                ReferenceCountUtil.release(msg);
            }
        } else if (busy && requestComplete) {
            parked.add(msg);
        } else {
            onHttp(msg);
        }
    }

    private void onHttp(Object msg) {
        if (msg instanceof io.netty.handler.codec.http.HttpRequest head) {
            if (head.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                badRequest(head.decoderResult().cause());
                return;
            }
            busy = true;
            requestComplete = false;
            boolean upgrade = "tcp".equalsIgnoreCase(head.headers().get(HttpHeaderNames.UPGRADE));
            boolean isHead = head.method().name().equals("HEAD");
            direct = upgrade ? null : directBody(head);
            if (direct != null) {
                DirectBody body = direct;
                NettyResponse response = new NettyResponse(gate, this, body, head.protocolVersion(), isHead, false,
                        () -> false);
                // The decoder goes before it decodes any of the body: what it buffered comes back to channelRead
                // as raw bytes, re-entrantly, from its removal; the body starts reading the socket after them.
                ctx.pipeline().get(HttpServerCodec.class).removeInboundHandler();
                ctx.executor().execute(body::start);
                dispatcher.dispatch(head, body, response, this);
                return;
            }
            inbound = new InboundPipe(ctx.channel());
            if (!HttpUtil.isTransferEncodingChunked(head) && HttpUtil.getContentLength(head, 0L) == 0) {
                // No body: end it now, before the handler thread can look (keep-alive depends on it).
                inbound.end();
            }
            boolean keepAliveWanted = HttpUtil.isKeepAlive(head);
            InboundPipe body = inbound;
            NettyResponse response = new NettyResponse(gate, this, body, head.protocolVersion(), isHead, upgrade,
                    () -> keepAliveWanted && body.ended() && !clientGone());
            dispatcher.dispatch(head, body, response, this);
        }
        if (msg instanceof HttpContent content) {
            if (!busy || requestComplete) {
                content.release();
                return;
            }
            inbound.offer(content.content());
            if (content instanceof LastHttpContent) {
                requestComplete = true;
                inbound.end();
            }
        }
    }

    /** An upload route's body with a body to read, on a channel that can hand its socket over; else null. */
    private DirectBody directBody(io.netty.handler.codec.http.HttpRequest head) {
        boolean chunked = HttpUtil.isTransferEncodingChunked(head);
        long length = chunked ? -1 : HttpUtil.getContentLength(head, 0L);
        // most requests have no body: the route is looked up only for those that do
        if ((!chunked && length <= 0) || !DirectBody.possible(ctx.channel()) || !dispatcher.readsBodyDirectly(head)) {
            return null;
        }
        return chunked ? DirectBody.chunked(ctx.channel()) : DirectBody.ofLength(ctx.channel(), length);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (inbound != null) {
            inbound.readComplete();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputClosed = true;
            if (discarding) {
                ctx.close();
            } else if (direct != null) {
                // its reader sees the end of the stream itself
            } else if (hijacked) {
                inbound.end();
            } else if (!busy) {
                ctx.close();
            } else if (!requestComplete) {
                inbound.fail(new IOException("the client closed the connection before the request body ended"));
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        gate.signal();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inputClosed = true;
        if (direct != null) {
            direct.finish();
        }
        if (inbound != null) {
            if (hijacked) {
                inbound.end();
            } else {
                inbound.fail(new IOException("the client closed the connection"));
            }
        }
        gate.signal();
        parked.forEach(ReferenceCountUtil::release);
        parked.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection {} failed: {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    /**
     * Any thread: the peer has gone. Before a hijack, a half-close means the client left (HTTP clients
     * don't half-close mid-request); after it, a half-close is only stdin's EOF (docker run without -i
     * sends one at once) while the client still reads, so it counts only when the socket was hung up on:
     * a unix socket whose peer closed it entirely polls POLLHUP, one whose peer only shut down its sending
     * side does not (over TCP the two look alike until a write fails).
     */
    boolean clientGone() {
        if (!ctx.channel().isActive()) {
            return true;
        }
        if (!inputClosed) {
            return false;
        }
        if (!hijacked) {
            return true;
        }
        if (ctx.channel() instanceof io.netty.channel.unix.UnixChannel unix
                && ctx.channel() instanceof io.netty.channel.unix.DomainSocketChannel) {
            try {
                return dev.skiff.sys.Syscalls.hungUp(unix.fd().intValue());
            } catch (IOException e) {
                return true;
            }
        }
        return false;
    }

    /**
     * Handler thread: switches the connection to raw bytes (drops the HTTP codec) and returns the
     * stream of what the client sends from now on. Bytes the codec had already buffered are handed on.
     */
    InboundPipe hijack() throws IOException {
        try {
            return ctx.executor().submit(() -> {
                hijacked = true;
                inbound = new InboundPipe(ctx.channel());
                if (inputClosed) {
                    inbound.end();
                }
                if (ctx.pipeline().get(HttpServerExpectContinueHandler.class) != null) {
                    ctx.pipeline().remove(HttpServerExpectContinueHandler.class);
                }
                ctx.pipeline().remove(HttpServerCodec.class);
                return inbound;
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while taking over the connection");
        } catch (ExecutionException e) {
            throw new IOException("taking over the connection failed: " + e.getCause(), e.getCause());
        }
    }

    /** Handler thread: the exchange is over; read the next request or close. */
    void exchangeDone(boolean keepAlive) {
        ctx.executor().execute(() -> afterExchange(keepAlive));
    }

    private void afterExchange(boolean keepAlive) {
        busy = false;
        if (hijacked) {
            return;
        }
        if (direct != null) {
            // The decoder is gone: no next request on this connection. Bytes may still wait in the socket (a body
            // left unread, or sent after it), and a close over unread bytes resets the connection under the
            // response: close as for an unread body (half-close, discard a moment, close).
            requestComplete = false;
            direct.finish();
            direct = null;
            keepAlive = false;
        }
        if (inbound != null) {
            inbound.close();
            inbound = null;
        }
        if (!keepAlive || !requestComplete || inputClosed) {
            parked.forEach(ReferenceCountUtil::release);
            parked.clear();
            closeAfterWrites();
            return;
        }
        Object msg;
        while ((msg = parked.poll()) != null) {
            if (busy && requestComplete) {
                parked.addFirst(msg);
                break;
            }
            onHttp(msg);
        }
        if (inbound != null) {
            inbound.readComplete(); // wakes the new exchange's reader for the parked body chunks
        }
        if (!busy) {
            ctx.read();
        }
    }

    /**
     * Closes once the response is written. If the client is still sending a body nobody read, do
     * as Go's net/http does: half-close, discard what still arrives for a moment, then close, so
     * the client reads the answer instead of a connection reset.
     */
    private void closeAfterWrites() {
        Channel ch = ctx.channel();
        if (requestComplete || inputClosed || !(ch instanceof DuplexChannel duplex)) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        discarding = true;
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> duplex.shutdownOutput());
        ch.config().setAutoRead(true);
        ctx.executor().schedule(() -> ch.close(), LINGER_SECONDS, TimeUnit.SECONDS);
    }

    /** The codec could not parse the request: answer 400 and close, as there is no safe next request. */
    private void badRequest(Throwable cause) {
        busy = true;
        requestComplete = true;
        inbound = new InboundPipe(ctx.channel());
        inbound.end();
        NettyResponse response = new NettyResponse(gate, this, inbound, HttpVersion.HTTP_1_1, false, false, () -> false);
        dispatcher.reject(response, cause, this);
    }
}
