package dev.skiff.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

class DigestTest {
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void sha256_ofBytesAndStream_agree() throws Exception {
        assertThat(Digest.sha256(new byte[0]).hex()).isEqualTo(EMPTY);
        assertThat(Digest.sha256(new ByteArrayInputStream(new byte[0])).hex()).isEqualTo(EMPTY);
        assertThat(Digest.sha256("abc")).isEqualTo(Digest.sha256(new ByteArrayInputStream("abc".getBytes())));
    }

    @Test
    void parse_roundTrips() {
        Digest d = Digest.parse("sha256:" + EMPTY);
        assertThat(d.algorithm()).isEqualTo("sha256");
        assertThat(d.toString()).isEqualTo("sha256:" + EMPTY);
        assertThat(d.shortHex()).isEqualTo("e3b0c44298fc");
    }

    @Test
    void parse_refusesMalformed() {
        for (String bad : new String[] {"", "sha256", "sha256:abc", "md5:" + EMPTY, "sha256:" + EMPTY.toUpperCase(),
                EMPTY, "sha256:" + EMPTY + "0"}) {
            assertThatThrownBy(() -> Digest.parse(bad)).as(bad).isInstanceOf(InvalidArgumentException.class);
        }
        assertThat(Digest.isDigest("sha256:" + EMPTY)).isTrue();
        assertThat(Digest.isDigest("busybox")).isFalse();
    }
}
