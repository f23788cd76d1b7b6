package dev.skiff.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --target, skipped stages, dependency order and parallel waves, bad references. */
class StageGraphTest {
    private static BuildPlan plan(String text, String target, Map<String, String> args) {
        Dockerfile df = DockerfileParser.parse("Dockerfile", text);
        return StageGraph.plan(df, target, Variables.global(df, args, PlatformArgs.host()));
    }

    private static List<Integer> order(BuildPlan p) {
        return p.stages().stream().map(PlannedStage::index).toList();
    }

    private static final String MULTI = """
            FROM busybox AS base
            RUN x
            FROM base AS dev
            RUN y
            FROM alpine AS tools
            RUN z
            FROM golang AS build
            RUN --mount=type=bind,from=tools,target=/t make
            FROM base AS prod
            COPY --from=build /app /app
            COPY --from=nginx:latest /etc/nginx /etc/nginx
            """;

    @Test
    void plan_lastStage_skipsUnneededAndOrdersDependencies() {
        BuildPlan p = plan(MULTI, null, Map.of());
        assertThat(order(p)).containsExactly(0, 2, 3, 4);
        assertThat(p.target().index()).isEqualTo(4);
        assertThat(p.target().baseStage()).isEqualTo(0);
        assertThat(p.target().dependsOn()).containsExactlyInAnyOrder(0, 3);
        assertThat(p.target().images()).containsExactly("nginx:latest");
        assertThat(p.waves().stream().map(w -> w.stream().map(PlannedStage::index).toList()).toList())
                .containsExactly(List.of(0, 2), List.of(3), List.of(4));
        assertThat(p.stage(0).orElseThrow().base()).isEqualTo("busybox");
    }

    @Test
    void plan_target_buildsOnlyWhatItNeeds() {
        assertThat(order(plan(MULTI, "DEV", Map.of()))).containsExactly(0, 1);
        assertThatThrownBy(() -> plan(MULTI, "nope", Map.of()))
                .hasMessageContaining("target stage \"nope\" could not be found");
    }

    @Test
    void plan_globalArgsInFromAndIndexReferences() {
        BuildPlan p = plan("ARG BASE=busybox\nARG V\nFROM ${BASE}:${V:-1.36} AS a\nFROM scratch\nCOPY --from=0 /x /x\n",
                null, Map.of("V", "1.37"));
        assertThat(p.stage(0).orElseThrow().base()).isEqualTo("busybox:1.37");
        assertThat(p.target().fromScratch()).isTrue();
        assertThat(p.target().dependsOn()).containsExactly(0);
        BuildPlan viaArg = plan("ARG SRC=a\nFROM busybox AS a\nFROM scratch\nARG SRC\nCOPY --from=$SRC /x /x\n", null, Map.of());
        assertThat(viaArg.target().dependsOn()).containsExactly(0);
        BuildPlan viaBase = plan("ARG B=a\nFROM busybox AS a\nFROM $B\n", null, Map.of());
        assertThat(viaBase.target().baseStage()).isEqualTo(0);
    }

    @Test
    void plan_badReferences() {
        assertThatThrownBy(() -> plan("FROM a AS first\nCOPY --from=1 /x /x\nFROM b\n", "first", Map.of()))
                .hasMessageContaining("Dockerfile:2: invalid from flag value 1");
        assertThatThrownBy(() -> plan("FROM a AS x\nCOPY --from=y /a /a\nFROM b AS y\nCOPY --from=x /a /a\n", "y", Map.of()))
                .hasMessageContaining("circular dependency detected");
        assertThatThrownBy(() -> plan("ARG B\nFROM $B\n", null, Map.of())).hasMessageContaining("is empty after substituting");
        BuildPlan self = plan("FROM busybox AS busybox\nRUN x\n", null, Map.of());
        assertThat(self.target().baseStage()).isNull();
    }
}
