package dev.skiff.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigChangesTest {
    @Test
    void apply_execAndShellForms() {
        ImageConfig.Config c = ConfigChanges.apply(null, List.of("CMD [\"nginx\", \"-g\", \"daemon off;\"]",
                "entrypoint /docker-entrypoint.sh run", "WORKDIR /app", "WORKDIR sub", "USER www-data",
                "STOPSIGNAL SIGQUIT", "ONBUILD RUN make", "VOLUME [\"/data\"]", "VOLUME /a /b", "EXPOSE 80 53/UDP"));
        assertThat(c.cmd()).containsExactly("nginx", "-g", "daemon off;");
        assertThat(c.entrypoint()).containsExactly("/bin/sh", "-c", "/docker-entrypoint.sh run");
        assertThat(c.workingDir()).isEqualTo("/app/sub");
        assertThat(c.user()).isEqualTo("www-data");
        assertThat(c.stopSignal()).isEqualTo("SIGQUIT");
        assertThat(c.onBuild()).containsExactly("RUN make");
        assertThat(c.volumes()).containsOnlyKeys("/data", "/a", "/b");
        assertThat(c.exposedPorts()).containsOnlyKeys("80/tcp", "53/udp");
    }

    @Test
    void apply_envAndLabels_quotedAndLegacyForms_replaceEarlierValues() {
        ImageConfig.Config base = ConfigChanges.apply(null, List.of("ENV PATH=/bin A=old"));
        ImageConfig.Config c = ConfigChanges.apply(base, List.of("ENV A=\"new value\" B=b\\ c", "ENV LEGACY some words",
                "LABEL \"com.example.x\"='quoted v' y=1"));
        assertThat(c.env()).containsExactly("PATH=/bin", "A=new value", "B=b c", "LEGACY=some words");
        assertThat(c.labels()).isEqualTo(Map.of("com.example.x", "quoted v", "y", "1"));
        assertThat(base.env()).containsExactly("PATH=/bin", "A=old");
    }

    @Test
    void apply_unknownInstruction_refused() {
        assertThatThrownBy(() -> ConfigChanges.apply(null, List.of("RUN rm -rf /")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("run is not a valid change command");
        assertThatThrownBy(() -> ConfigChanges.apply(null, List.of("ENV A=\"open")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("unterminated quote");
    }

    @Test
    void apply_healthcheck_asTheDockerfileWritesIt() {
        ImageConfig.Config c = ConfigChanges.apply(null, List.of(
                "HEALTHCHECK --interval=5s --timeout=1m30s --start-period=100ms --retries=3 CMD curl -f http://x/ || exit 1"));
        assertThat(c.healthcheck()).containsEntry("Test", List.of("CMD-SHELL", "curl -f http://x/ || exit 1"))
                .containsEntry("Interval", 5_000_000_000L).containsEntry("Timeout", 90_000_000_000L)
                .containsEntry("StartPeriod", 100_000_000L).containsEntry("Retries", 3);
        assertThat(ConfigChanges.apply(c, List.of("healthcheck CMD [\"/bin/check\", \"-q\"]")).healthcheck())
                .isEqualTo(Map.of("Test", List.of("CMD", "/bin/check", "-q")));
        assertThat(ConfigChanges.apply(c, List.of("HEALTHCHECK NONE")).healthcheck())
                .isEqualTo(Map.of("Test", List.of("NONE")));
        assertThat(ConfigChanges.apply(c, List.of("ENV A=1")).healthcheck()).isEqualTo(c.healthcheck());
    }

    @Test
    void apply_badHealthcheck_refusedWithTheWayOut() {
        assertThatThrownBy(() -> ConfigChanges.apply(null, List.of("HEALTHCHECK --bogus=1 CMD true")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("unknown flag --bogus=1");
        assertThatThrownBy(() -> ConfigChanges.apply(null, List.of("HEALTHCHECK --interval=soon CMD true")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> ConfigChanges.apply(null, List.of("HEALTHCHECK CMD")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("use NONE, or CMD and a command");
    }
}
