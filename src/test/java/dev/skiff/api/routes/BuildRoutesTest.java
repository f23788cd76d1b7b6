package dev.skiff.api.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.api.http.Router;
import dev.skiff.build.BuildOutput;
import dev.skiff.build.BuildRequest;
import dev.skiff.build.BuildService;
import dev.skiff.build.StepFailedException;
import dev.skiff.build.exec.Cancellation;
import dev.skiff.errors.InvalidArgumentException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildRoutesTest {
    /** A builder that records the request and answers with fixed messages (or fails its RUN with code 3). */
    static final class FakeBuilds implements BuildService {
        BuildRequest seen;
        boolean fail;
        Instant pruneUntil;
        boolean pruneAll;

        @Override
        public String build(BuildRequest request, InputStream context, BuildOutput output, Cancellation cancel) {
            seen = request;
            try {
                contextSeen = context.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            output.stream("Step 1/1 : FROM busybox\n");
            if (fail) {
                throw new StepFailedException("/bin/sh -c exit 3", 3, List.of("last line"));
            }
            output.imageId("sha256:abc");
            return "sha256:abc";
        }

        String remoteAsked;
        byte[] contextSeen;

        @Override
        public InputStream remoteContext(String remote, String dockerfile, BuildOutput output) {
            remoteAsked = remote + " " + dockerfile;
            if (remote.contains("missing")) {
                throw new dev.skiff.errors.UnavailableException("ADD " + remote + ": cannot fetch the default branch");
            }
            if (remote.endsWith(".tar")) {
                output.progress("Downloading context", remote, 0, 2048);
                if (remote.contains("broken")) {
                    throw new dev.skiff.errors.UnavailableException("build context: " + remote + ": truncated");
                }
                output.progress("Downloading context", remote, 2048, 2048);
            }
            return new java.io.ByteArrayInputStream(("context of " + remote).getBytes());
        }

        SpaceLimits pruneLimits;

        @Override
        public PruneReport prune(boolean all, Instant until, SpaceLimits limits) {
            pruneLimits = limits;
            return prune(all, until);
        }

        @Override
        public PruneReport prune(boolean all, Instant until) {
            pruneAll = all;
            pruneUntil = until;
            return new PruneReport(List.of("k1"), 42);
        }

        @Override
        public List<CacheUsage> usage() {
            return List.of();
        }
    }

    private static Router router(FakeBuilds builds) {
        Router r = new Router();
        new BuildRoutes(builds).register(r);
        return r;
    }

    /** --add-host as a container's: NAME:IP or NAME=IP, checked, and host-gateway the default bridge's gateway. */
    @Test
    void extraHosts_areCheckedAsAContainers_andHostGatewayIsTheBridgesGateway() {
        assertThat(BuildRoutes.extraHosts(List.of("a:1.2.3.4,b=[::1]", "host.docker.internal:host-gateway"),
                () -> "10.88.0.1")).containsExactly("a:1.2.3.4", "b:::1", "host.docker.internal:10.88.0.1");
        assertThatThrownBy(() -> BuildRoutes.extraHosts(List.of("gw:host-gateway"), () -> ""))
                .hasMessageContaining("unable to derive the IP value for host-gateway");
        assertThatThrownBy(() -> BuildRoutes.extraHosts(List.of("name:not-an-ip"), () -> ""))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("invalid IP address in add-host");
    }

    @Test
    void build_parsesTheQuery_andStreamsMessagesWithTheAuxId() throws Exception {
        FakeBuilds builds = new FakeBuilds();
        var rs = FakeHttp.call(router(builds), "POST", "/build?t=a:1&t=b&dockerfile=sub/Dockerfile"
                + "&buildargs=%7B%22A%22%3A%221%22%7D&labels=%7B%22l%22%3A%22v%22%7D&target=final&nocache=1"
                + "&networkmode=host&memory=8388608&memswap=-1&cpushares=512&cpuperiod=100000&cpuquota=50000&cpusetcpus=0"
                + "&ulimits=%5B%7B%22Name%22%3A%22nofile%22%2C%22Hard%22%3A512%2C%22Soft%22%3A256%7D%5D"
                + "&extrahosts=h%3A1.2.3.4&nocachefilter=x&cachefrom=%5B%22app%3Alatest%22%2C%22app%3Aold%22%5D",
                new byte[0]);
        BuildRequest rq = builds.seen;
        assertThat(rq.tags()).containsExactly("a:1", "b");
        assertThat(rq.dockerfile()).isEqualTo("sub/Dockerfile");
        assertThat(rq.buildArgs()).containsEntry("A", "1");
        assertThat(rq.labels()).containsEntry("l", "v");
        assertThat(rq.target()).isEqualTo("final");
        assertThat(rq.noCache()).isTrue();
        assertThat(rq.noCacheStages()).containsExactly("x");
        assertThat(rq.network()).isEqualTo("host");
        assertThat(rq.resources()).isEqualTo(new dev.skiff.runtime.RuntimeSpec.Resources(8388608, -1, 0, 0, 512,
                100000, 50000, "0", null, 0, 0));
        assertThat(rq.ulimits()).containsExactly(new dev.skiff.runtime.RuntimeSpec.Rlimit("RLIMIT_NOFILE", 256, 512));
        assertThat(rq.extraHosts()).containsExactly("h:1.2.3.4");
        assertThat(rq.cacheFrom()).containsExactly("app:latest", "app:old");
        FakeHttp.call(router(builds), "POST", "/build?securityopt=seccomp%3Dunconfined&securityopt=no-new-privileges"
                + "&cgroupparent=%2Fbuilds", new byte[0]);
        assertThat(builds.seen.sandbox()).isEqualTo(new dev.skiff.build.StepSandbox("unconfined", true, "/builds"));
        assertThatThrownBy(() -> FakeHttp.call(router(new FakeBuilds()), "POST",
                "/build?securityopt=bogus%3D1", new byte[0])).hasMessage("invalid --security-opt 2: \"bogus=1\"");
        assertThatThrownBy(() -> FakeHttp.call(router(new FakeBuilds()), "POST",
                "/build?securityopt=seccomp%3D%2Fetc%2Fp.json", new byte[0]))
                .hasMessageContaining("Decoding seccomp profile failed");
        assertThatThrownBy(() -> FakeHttp.call(router(new FakeBuilds()), "POST", "/build?cachefrom=app", new byte[0]))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("want a JSON array of image references");
        String body = rs.body.toString(StandardCharsets.UTF_8);
        assertThat(body).contains("{\"stream\":\"Step 1/1 : FROM busybox\\n\"}", "{\"aux\":{\"ID\":\"sha256:abc\"}}");
    }

    @Test
    void failingRun_becomesAnErrorMessageWithTheExitCode() throws Exception {
        FakeBuilds builds = new FakeBuilds();
        builds.fail = true;
        var rs = FakeHttp.call(router(builds), "POST", "/build", new byte[0]);
        assertThat(rs.body.toString(StandardCharsets.UTF_8)).contains("\"errorDetail\":{\"code\":3,"
                + "\"message\":\"The command '/bin/sh -c exit 3' returned a non-zero code: 3\"}");
    }

    @Test
    void quiet_printsOnlyTheId() throws Exception {
        var rs = FakeHttp.call(router(new FakeBuilds()), "POST", "/build?q=1", new byte[0]);
        String body = rs.body.toString(StandardCharsets.UTF_8);
        assertThat(body).doesNotContain("Step 1/1").contains("{\"stream\":\"sha256:abc\\n\"}");
    }

    /** As dockerd: a quiet build that fails writes what it held back, then the error, so the failing step shows. */
    @Test
    void aQuietBuildThatFails_showsItsStepsBeforeTheError() throws Exception {
        FakeBuilds builds = new FakeBuilds();
        builds.fail = true;
        String body = FakeHttp.call(router(builds), "POST", "/build?q=1", new byte[0]).body.toString(StandardCharsets.UTF_8);
        assertThat(body).startsWith("{\"stream\":\"Step 1/1 : FROM busybox\\n\"}\n")
                .contains("\"errorDetail\":{\"code\":3,");
        BuildRoutes.QuietText kept = new BuildRoutes.QuietText();
        kept.add("x".repeat(BuildRoutes.QuietText.QUIET_KEPT));
        kept.add("y".repeat(BuildRoutes.QuietText.QUIET_KEPT + 10));
        assertThat(kept.kept()).as("only the tail is kept").hasSize(BuildRoutes.QuietText.QUIET_KEPT).matches("y+");
    }

    @Test
    void badInput_isRefusedBeforeTheBuild() {
        FakeBuilds builds = new FakeBuilds();
        assertThatThrownBy(() -> FakeHttp.call(router(builds), "POST", "/build?buildargs=notjson", new byte[0]))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("buildargs");
        assertThatThrownBy(() -> FakeHttp.call(router(builds), "POST", "/build?buildargs=%7B%22a%22%3A1%7D", new byte[0]))
                .isInstanceOf(InvalidArgumentException.class).hasMessageEndingWith("the value of a is not a string");
        assertThatThrownBy(() -> FakeHttp.call(router(builds), "POST", "/build?t=UPPER", new byte[0]))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("must be lowercase");
        assertThatThrownBy(() -> FakeHttp.call(router(builds), "POST", "/build?platform=bogus", new byte[0]))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("unknown operating system");
        assertThatThrownBy(() -> FakeHttp.call(router(builds), "POST", "/build?version=2", new byte[0]))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("DOCKER_BUILDKIT=0");
        assertThatThrownBy(() -> FakeHttp.call(router(builds), "POST", "/build?memory=1000", new byte[0]))
                .hasMessage("Minimum memory limit allowed is 6MB");
        assertThatThrownBy(() -> FakeHttp.call(router(builds), "POST", "/build?memswap=9000000", new byte[0]))
                .hasMessageContaining("always set the Memory limit");
        assertThatThrownBy(() -> FakeHttp.call(router(builds), "POST", "/build?cpuperiod=10", new byte[0]))
                .hasMessageContaining("CPU cfs period can not be less than 1ms");
        assertThatThrownBy(() -> FakeHttp.call(router(builds), "POST", "/build?ulimits=%5B%7B%22Name%22%3A%22bogus%22%7D%5D",
                new byte[0])).hasMessage("invalid ulimit type: bogus");
        assertThatThrownBy(() -> FakeHttp.call(router(builds), "POST", "/build?ulimits=notjson", new byte[0]))
                .hasMessageContaining("invalid ulimits");
        assertThat(builds.seen).isNull();
    }

    @Test
    void aRemoteContext_isFetchedByTheDaemon_andOneThatCannotBeHadIsTheRequestsError() throws Exception {
        FakeBuilds builds = new FakeBuilds();
        var rs = FakeHttp.call(router(builds), "POST", "/build?remote=https%3A%2F%2Fh%2Fr.git%23v1&dockerfile=D",
                new byte[0]);
        assertThat(builds.remoteAsked).isEqualTo("https://h/r.git#v1 D");
        assertThat(new String(builds.contextSeen, StandardCharsets.UTF_8)).isEqualTo("context of https://h/r.git#v1");
        assertThat(rs.body.toString(StandardCharsets.UTF_8)).contains("sha256:abc");
        FakeBuilds failing = new FakeBuilds();
        assertThatThrownBy(() -> FakeHttp.call(router(failing), "POST", "/build?remote=git%3A%2F%2Fmissing%2Fr.git",
                new byte[0])).isInstanceOf(dev.skiff.errors.UnavailableException.class);
        assertThat(failing.seen).isNull();
    }

    @Test
    void aRemoteContextsDownload_showsDockerdsProgress_andAFailureAfterItIsAnErrorMessage() throws Exception {
        FakeBuilds builds = new FakeBuilds();
        var rs = FakeHttp.call(router(builds), "POST", "/build?remote=http%3A%2F%2Fh%2Fctx.tar", new byte[0]);
        String body = rs.body.toString(StandardCharsets.UTF_8);
        assertThat(body).startsWith("{\"status\":\"http://h/ctx.tar\",\"progressDetail\":{\"current\":0,\"total\":2048},")
                .contains("\"id\":\"Downloading context\"}\n")
                .contains("{\"status\":\"http://h/ctx.tar\",\"progressDetail\":{\"current\":2048,\"total\":2048},")
                .contains("sha256:abc");
        var quiet = FakeHttp.call(router(builds), "POST", "/build?q=1&remote=http%3A%2F%2Fh%2Fctx.tar", new byte[0]);
        assertThat(quiet.body.toString(StandardCharsets.UTF_8)).doesNotContain("progress");
        FakeBuilds broken = new FakeBuilds();
        var failed = FakeHttp.call(router(broken), "POST", "/build?remote=http%3A%2F%2Fh%2Fbroken.tar", new byte[0]);
        assertThat(failed.body.toString(StandardCharsets.UTF_8))
                .contains("\"errorDetail\":{\"code\":1,\"message\":\"build context: http://h/broken.tar: truncated\"}");
        assertThat(broken.seen).isNull();
    }

    @Test
    void prune_passesItsSpaceLimits_keepStorageBeingReservedSpace() throws Exception {
        FakeBuilds builds = new FakeBuilds();
        FakeHttp.call(router(builds), "POST", "/build/prune?keep-storage=7000000", new byte[0]);
        assertThat(builds.pruneLimits).isEqualTo(new BuildService.SpaceLimits(7000000, 0, 0));
        FakeHttp.call(router(builds), "POST", "/build/prune?reserved-space=1&max-used-space=2&min-free-space=3", new byte[0]);
        assertThat(builds.pruneLimits).isEqualTo(new BuildService.SpaceLimits(1, 2, 3));
        FakeHttp.call(router(builds), "POST", "/build/prune", new byte[0]);
        assertThat(builds.pruneLimits.none()).isTrue();
        assertThatThrownBy(() -> FakeHttp.call(router(builds), "POST", "/build/prune?keep-storage=-5", new byte[0]))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("keep-storage");
    }

    @Test
    void spaceLimits_sayWhenTheCacheIsOver_asBuildKitsPrune() {
        var reservedOnly = new BuildService.SpaceLimits(100, 0, 0);
        assertThat(reservedOnly.over(101, 0)).isTrue();
        assertThat(reservedOnly.over(100, 0)).isFalse();
        var maxUsed = new BuildService.SpaceLimits(10, 50, 0);
        assertThat(maxUsed.over(51, 0)).isTrue();
        assertThat(maxUsed.over(50, 0)).isFalse(); // between reserved and max: kept
        var minFree = new BuildService.SpaceLimits(10, 0, 1000);
        assertThat(minFree.over(500, 999)).isTrue();
        assertThat(minFree.over(500, 1000)).isFalse();
        assertThat(minFree.over(10, 0)).as("never below the reserved space").isFalse();
        assertThat(BuildService.SpaceLimits.NONE.none()).isTrue();
    }

    @Test
    void prune_passesAllAndUntil() throws Exception {
        FakeBuilds builds = new FakeBuilds();
        var rs = FakeHttp.call(router(builds), "POST", "/build/prune?all=1&filters=%7B%22until%22%3A%5B%2224h%22%5D%7D",
                new byte[0]);
        assertThat(builds.pruneAll).isTrue();
        assertThat(builds.pruneUntil).isBefore(Instant.now().minusSeconds(23 * 3600));
        assertThat(rs.body.toString(StandardCharsets.UTF_8)).contains("\"CachesDeleted\":[\"k1\"]", "\"SpaceReclaimed\":42");
        assertThatThrownBy(() -> FakeHttp.call(router(builds), "POST", "/build/prune?filters=%7B%22bogus%22%3A%5B%22x%22%5D%7D",
                new byte[0])).isInstanceOf(InvalidArgumentException.class);
    }
}
