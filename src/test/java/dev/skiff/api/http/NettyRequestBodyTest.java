package dev.skiff.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.errors.InvalidArgumentException;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON request bodies: bounded before they are built into a tree, and an empty one is none. */
class NettyRequestBodyTest {
    private static NettyRequest request(InputStream body) {
        return new NettyRequest(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/containers/create"),
                body, () -> false);
    }

    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBodyOfManyTokens_isRefusedBeforeItFillsTheHeap() {
        // 150 MB of variables ran the daemon out of heap; this stream would give 2 GB if read to its end
        InputStream head = text("{\"Image\":\"busybox\",\"Env\":[");
        InputStream entries = new InputStream() {
            private final byte[] entry = "\"A=1\",".getBytes(StandardCharsets.US_ASCII);
            private long left = 2L * 1024 * 1024 * 1024;
            private int at;

            @Override
            public int read() {
                if (left-- <= 0) {
                    return -1;
                }
                byte b = entry[at];
                at = (at + 1) % entry.length;
                return b;
            }
        };
        assertThatThrownBy(() -> request(new SequenceInputStream(Collections.enumeration(List.of(head, entries))))
                .json(ObjectNode.class)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("the request body is too large: a JSON body may have at most 16 MiB");
    }

    @Test
    void anEmptyBody_isNone_andAnArrayWhereAnObjectGoesSaysSo() {
        assertThat(request(text("")).json(ObjectNode.class)).isNull();
        assertThatThrownBy(() -> request(text("[1]")).json(ObjectNode.class))
                .hasMessage("invalid JSON in the request body: a JSON object was expected");
    }
}
