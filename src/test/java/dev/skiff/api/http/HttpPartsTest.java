package dev.skiff.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.cli.client.StdCopy;
import dev.skiff.errors.ConflictException;
import dev.skiff.errors.ForbiddenException;
import dev.skiff.errors.InternalException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.errors.NotModifiedException;
import dev.skiff.errors.UnavailableException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The small pure parts: path decoding, filters, versions, error mapping, stdcopy framing. */
class HttpPartsTest {
    @Test
    void pathPattern_keepsPlusAndDecodesEscapes() {
        PathPattern p = PathPattern.compile("/volumes/{name}");
        assertThat(p.match("/volumes/a+b%20c").orElseThrow()).containsEntry("name", "a+b c");
        PathPattern rest = PathPattern.compile("/images/{name...}/json");
        assertThat(rest.match("/images/docker.io/library/busybox:1.36/json").orElseThrow())
                .containsEntry("name", "docker.io/library/busybox:1.36");
        assertThatThrownBy(() -> p.match("/volumes/bad%zz")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void queryFilters_acceptBothDockerForms() {
        assertThat(QueryFilters.parse("{\"label\":{\"a=b\":true,\"c\":true},\"status\":[\"running\"]}"))
                .isEqualTo(Map.of("label", List.of("a=b", "c"), "status", List.of("running")));
        assertThat(QueryFilters.parse(null)).isEmpty();
        assertThatThrownBy(() -> QueryFilters.parse("[1]")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void apiVersions_compareNumerically() {
        assertThat(ApiVersions.compare("1.9", "1.24")).isNegative();
        assertThat(ApiVersions.compare("1.50", "1.50")).isZero();
        assertThat(ApiVersions.atLeast("1.44", "1.41")).isTrue();
    }

    @Test
    void errorMapper_mapsEveryKindOnce() {
        assertThat(ErrorMapper.status(new NotFoundException("x"))).isEqualTo(404);
        assertThat(ErrorMapper.status(new ConflictException("x"))).isEqualTo(409);
        assertThat(ErrorMapper.status(new InvalidArgumentException("x"))).isEqualTo(400);
        assertThat(ErrorMapper.status(new ForbiddenException("x"))).isEqualTo(403);
        assertThat(ErrorMapper.status(new NotModifiedException("x"))).isEqualTo(304);
        assertThat(ErrorMapper.status(new UnavailableException("x"))).isEqualTo(500);
        assertThat(ErrorMapper.status(new InternalException("x"))).isEqualTo(500);
        assertThat(ErrorMapper.status(new IllegalStateException("x"))).isEqualTo(500);
    }

    @Test
    void errorMapper_addsTheWayOutOfAFullFilesystem_once() {
        String full = ErrorMapper.withWayOut("cannot store a layer: write /a: No space left on device");
        assertThat(full).startsWith("cannot store a layer: write /a: No space left on device (the filesystem is full:")
                .contains("docker system prune");
        assertThat(ErrorMapper.withWayOut(full)).isEqualTo(full);
        assertThat(ErrorMapper.withWayOut("No such image: x")).isEqualTo("No such image: x");
    }

    @Test
    void stdcopy_framesOnePerWrite_andDemuxesBack() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        StdCopyOutputStream out = StdCopyOutputStream.stdout(wire);
        StdCopyOutputStream err = StdCopyOutputStream.stderr(wire);
        byte[] big = new byte[300_000];
        big[299_999] = 7;
        out.write("hello ".getBytes(StandardCharsets.UTF_8));
        err.write("oops\n".getBytes(StandardCharsets.UTF_8));
        out.write(big);
        byte[] framed = wire.toByteArray();
        assertThat(framed).startsWith(1, 0, 0, 0, 0, 0, 0, 6, 'h');
        assertThat(framed).hasSize(3 * 8 + 6 + 5 + big.length);

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        long n = StdCopy.demux(new ByteArrayInputStream(framed), stdout, stderr);
        assertThat(n).isEqualTo(6 + 5 + big.length);
        assertThat(new String(stderr.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("oops\n");
        assertThat(stdout.toByteArray()).hasSize(6 + big.length).endsWith(7);
    }

    @Test
    void stdcopy_systemErrorFrameIsThrown() {
        byte[] frame = {3, 0, 0, 0, 0, 0, 0, 4, 'd', 'e', 'a', 'd'};
        assertThatThrownBy(() -> StdCopy.demux(new ByteArrayInputStream(frame), new ByteArrayOutputStream(),
                new ByteArrayOutputStream())).hasMessageContaining("dead");
    }

    @Test
    void listenAddress_parsesBothKinds() {
        assertThat(ListenAddress.parse("unix:///run/skiff/skiff.sock").unix()).isTrue();
        assertThat(ListenAddress.parse("tcp://0.0.0.0:2375").port()).isEqualTo(2375);
        assertThatThrownBy(() -> ListenAddress.parse("tcp://nohost")).isInstanceOf(InvalidArgumentException.class);
    }
}
