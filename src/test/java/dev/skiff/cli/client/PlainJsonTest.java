package dev.skiff.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.sys.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlainJsonTest {
    @Test
    void writesWhatJacksonsDatabindWrites_forEverythingARequestBodyHolds() throws Exception {
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("Memory", 64L << 20);
        host.put("CpuShares", 512);
        host.put("NanoCpus", 1.5e9);
        host.put("Binds", List.of("/a:/b:ro"));
        host.put("ConsoleSize", new int[] {24, 80});
        host.put("RestartPolicy", Map.of("Name", "on-failure", "MaximumRetryCount", 3));
        host.put("Null", null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Image", "busybox \"quoted\" \u00e9");
        body.put("Cmd", new ArrayList<>(List.of("sh", "-c", "echo $HOME")));
        body.put("Tty", true);
        body.put("Labels", Map.of());
        body.put("Entrypoint", new String[] {"/bin/sh"});
        body.put("Weight", new BigDecimal("0.25"));
        body.put("Tree", Json.MAPPER.readTree("{\"a\":[1,2,{\"b\":null}]}"));
        body.put("HostConfig", host);

        byte[] plain = PlainJson.bytes(body);

        assertThat(Json.MAPPER.readTree(plain)).isEqualTo(Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(body)));
        assertThat(new String(plain, java.nio.charset.StandardCharsets.UTF_8))
                .startsWith("{\"Image\":\"busybox \\\"quoted\\\" \u00e9\",\"Cmd\":[\"sh\"");
    }

    @Test
    void anythingElse_isLeftToDatabind() throws Exception {
        record Point(int x, int y) {
        }
        assertThat(Json.MAPPER.readTree(PlainJson.bytes(Map.of("p", new Point(1, 2)))))
                .isEqualTo(Json.MAPPER.readTree("{\"p\":{\"x\":1,\"y\":2}}"));
    }
}
