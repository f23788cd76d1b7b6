package dev.skiff.registry.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedNioFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Writes a {@link Reply}. A blob goes from the page cache to the socket with sendfile (a
 * {@link DefaultFileRegion}) on plain TCP; under TLS the bytes must pass through the cipher, so it is
 * sent as chunks of the file instead.
 */
final class ReplyWriter {
    private static final int TLS_CHUNK = 256 * 1024;
    private final boolean tls;

    ReplyWriter(boolean tls) {
        this.tls = tls;
    }

    ChannelFuture write(ChannelHandlerContext ctx, Reply reply, boolean head, boolean close) {
        FileChannel file = null;
        if (reply.file() != null && !head && reply.file().length() > 0) {
            try {
                file = FileChannel.open(reply.file().path(), StandardOpenOption.READ);
            } catch (NoSuchFileException swept) {
                reply = Reply.error(new RegistryException(ErrorCode.BLOB_UNKNOWN, "the blob was deleted while being requested"));
            } catch (IOException e) {
                reply = Reply.json(500, Map.of("errors", java.util.List.of(Map.of("code", "UNKNOWN",
                        "message", "cannot read content: " + e.getMessage()))));
            }
        }
        HttpResponseStatus status = HttpResponseStatus.valueOf(reply.status());
        if (file == null) {
            DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    head || reply.body() == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(reply.body()));
            headers(r, reply, close);
            return ctx.writeAndFlush(r);
        }
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        headers(r, reply, close);
        ctx.write(r);
        Reply.FileSlice slice = reply.file();
        if (tls) {
            try {
                // HttpChunkedInput ends with the last-content marker; its future completes when all is written.
                return ctx.writeAndFlush(new HttpChunkedInput(new ChunkedNioFile(file, slice.offset(), slice.length(), TLS_CHUNK)));
            } catch (IOException e) {
                ctx.close();
                return ctx.newFailedFuture(e);
            }
        }
        ctx.write(new DefaultFileRegion(file, slice.offset(), slice.length()));
        return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    private static void headers(HttpResponse r, Reply reply, boolean close) {
        HttpHeaders h = r.headers();
        reply.headers().forEach(h::set);
        h.set("Docker-Distribution-API-Version", "registry/2.0");
        h.set(HttpHeaderNames.CONTENT_LENGTH, reply.contentLength());
        if (!h.contains(HttpHeaderNames.CONTENT_TYPE) && reply.contentLength() > 0) {
            h.set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
        }
        h.set("X-Content-Type-Options", "nosniff");
        if (close) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }
}
