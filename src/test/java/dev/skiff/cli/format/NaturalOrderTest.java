package dev.skiff.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NaturalOrderTest {
    @Test
    void numbersCompareAsNumbers() {
        List<String> l = new ArrayList<>(List.of("443/tcp -> 0.0.0.0:1", "80/tcp -> [::]:8080", "80/tcp -> 0.0.0.0:8080",
                "8080/tcp -> 0.0.0.0:1", "080/tcp -> x", "a10", "a9", "a", ""));
        l.sort(NaturalOrder.INSTANCE);
        assertThat(l).containsExactly("", "80/tcp -> 0.0.0.0:8080", "80/tcp -> [::]:8080", "080/tcp -> x",
                "443/tcp -> 0.0.0.0:1", "8080/tcp -> 0.0.0.0:1", "a", "a9", "a10");
    }
}
