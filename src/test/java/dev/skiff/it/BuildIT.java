package dev.skiff.it;

import static dev.skiff.it.BuildContexts.context;
import static dev.skiff.it.BuildContexts.count;
import static dev.skiff.it.BuildContexts.dockerBuild;
import static dev.skiff.it.BuildContexts.output;
import static dev.skiff.it.Cli.docker;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** `docker build` (classic builder) against a real skiffd: the images it makes, run and inspected. */
class BuildIT {
    static SkiffdProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = SkiffdProcess.startWithBusybox();
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void addFromGit_clonesTheRepositoryIntoTheImage_andAnUnchangedCommitIsCached() throws Exception {
        try (GitServer git = GitServer.start(daemon.dir())) {
            Path work = git.repository("tools", Map.of("hello", "from git\n", "bin/tool.sh", "#!/bin/sh\necho tool ran\n"));
            Path ctx = context(daemon.dir(), Map.of("Dockerfile", "FROM busybox\n"
                    + "ADD " + git.url("tools") + "#v1 /src\n"
                    + "RUN cat /src/hello && /src/bin/tool.sh && stat -c '%a %n' /src/hello /src/bin/tool.sh && ls -a /src\n"));
            String out = dockerBuild(daemon, ctx, "-t", "fromgit:1").assertOk().stdout();
            assertThat(out).contains("from git", "tool ran", "644 /src/hello", "755 /src/bin/tool.sh")
                    .doesNotContain(".git\n");
            assertThat(count(dockerBuild(daemon, ctx, "-t", "fromgit:1").assertOk().stdout(), "Using cache"))
                    .isEqualTo(2); // cloned again, the same files: ADD and RUN from the cache

            // the repository as the build context itself (POST /build?remote=, docker-py's build(path=URL)):
            // its Dockerfile in the subdirectory the fragment names
            git.push(work, Map.of("app/Dockerfile", "FROM busybox\nCOPY msg /msg\nCMD cat /msg\n",
                    "app/msg", "from a remote context\n"), "two");
            String remote = java.net.URLEncoder.encode(git.url("tools") + "#main:app", StandardCharsets.UTF_8);
            Process curl = new ProcessBuilder("curl", "-sS", "--unix-socket", daemon.socket().toString(), "-X", "POST",
                    "http://localhost/v1.43/build?t=remotectx:1&remote=" + remote).redirectErrorStream(true).start();
            String stream = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(curl.waitFor()).as(stream).isZero();
            assertThat(stream).contains("Successfully tagged remotectx:1");
            assertThat(output(daemon, "remotectx:1").assertOk().out()).isEqualTo("from a remote context");
            // skiff build URL asks the daemon for the same
            assertThat(Cli.skiff(daemon, "build", "-t", "remotectx:2", git.url("tools") + "#main:app").assertOk().out())
                    .contains("Successfully tagged remotectx:2");
            assertThat(output(daemon, "remotectx:2").assertOk().out()).isEqualTo("from a remote context");
        }
    }

    /**
     * --cache-from as a CI machine uses it: the last build's image loaded (or pulled) with no build cache beside it;
     * its steps are taken instead of run, and the build ends on that very image.
     */
    @Test
    void cacheFrom_takesTheStepsOfALoadedImage_insteadOfRunningThem() throws Exception {
        Path ctx = context(daemon.dir(), Map.of("Dockerfile", """
                FROM busybox
                ENV A=1
                RUN head -c 8 /dev/urandom | od -An -tx1 > /random
                COPY f /f
                CMD ["cat", "/random"]
                """, "f", "a file"));
        dockerBuild(daemon, ctx, "-t", "cachefrom:1").assertOk();
        String id = docker(daemon, "image", "inspect", "-f", "{{.Id}}", "cachefrom:1").assertOk().out();
        String random = output(daemon, "cachefrom:1").assertOk().out();
        Path saved = daemon.dir().resolve("cachefrom.tar");
        docker(daemon, "save", "-o", saved.toString(), "cachefrom:1").assertOk();
        docker(daemon, "rmi", "cachefrom:1").assertOk();
        docker(daemon, "builder", "prune", "-af").assertOk();
        docker(daemon, "load", "-i", saved.toString()).assertOk();

        Cli.Result build = dockerBuild(daemon, ctx, "--cache-from", "cachefrom:1", "-t", "cachefrom:2").assertOk();
        assertThat(count(build.stdout(), "Using cache")).as(build.stdout()).isEqualTo(4);
        assertThat(docker(daemon, "image", "inspect", "-f", "{{.Id}}", "cachefrom:2").assertOk().out()).isEqualTo(id);
        assertThat(output(daemon, "cachefrom:2").assertOk().out()).isEqualTo(random);
        // recorded in the build cache: the next build needs no source
        assertThat(count(dockerBuild(daemon, ctx).assertOk().stdout(), "Using cache")).isEqualTo(4);
        // a changed file: the steps before it still come from the source, the rest run
        Files.writeString(ctx.resolve("f"), "another file");
        docker(daemon, "builder", "prune", "-af").assertOk();
        Cli.Result changed = dockerBuild(daemon, ctx, "--cache-from", "cachefrom:1").assertOk();
        assertThat(count(changed.stdout(), "Using cache")).as(changed.stdout()).isEqualTo(2);
    }

    /** As dockerd's classic builder: a RUN's stderr between red escape codes, each stream's lines in their order. */
    @Test
    void aRunsStderr_comesInTheClassicBuildersRed() {
        Path ctx = context(daemon.dir(), Map.of("Dockerfile",
                "FROM busybox\nRUN echo out1; echo err1 >&2; echo out2; echo err2 >&2\n"));
        String out = dockerBuild(daemon, ctx, "--no-cache").assertOk().stdout();
        assertThat(out).contains("\033[91merr1\n\033[0m", "\033[91merr2\n\033[0m")
                .containsSubsequence("out1\n", "out2\n").containsSubsequence("err1", "err2");
        assertThat(out.indexOf("out1")).isPositive();
        assertThat(out).doesNotContain("\033[91mout");
    }

    @Test
    void multiStage_buildsOnlyWhatTheTargetNeeds_andCopiesFromAStage() {
        Path ctx = context(daemon.dir(), Map.of("Dockerfile", """
                FROM busybox AS base
                RUN echo from-base > /made
                FROM busybox AS unused
                RUN echo this stage must not run; exit 9
                FROM busybox AS final
                COPY --from=base /made /copied
                CMD ["cat", "/copied"]
                FROM busybox AS after
                RUN exit 7
                """));
        Cli.Result build = dockerBuild(daemon, ctx, "-t", "multi:1", "--target", "final").assertOk();
        assertThat(build.stdout()).doesNotContain("this stage must not run").contains("Successfully tagged multi:1");
        assertThat(output(daemon, "multi:1").assertOk().out()).isEqualTo("from-base");
    }

    @Test
    void runSteps_getTheBuildsLimits_ulimitsAndCgroups() {
        Path ctx = context(daemon.dir(), Map.of("Dockerfile", "FROM busybox\n"
                + "RUN echo \"limits $(ulimit -n) $(ulimit -Hn) $(cat /sys/fs/cgroup/cpu/cpu.shares)"
                + " $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes) $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us)\"\n"));
        String out = dockerBuild(daemon, ctx, "--no-cache", "--ulimit", "nofile=256:512", "--cpu-shares", "512",
                "--memory", "64m", "--cpu-quota", "50000", "-t", "limits:1").assertOk().stdout();
        if (Files.exists(Path.of("/sys/fs/cgroup/cpu/cpu.shares"))) { // cgroup v1, as on these machines
            assertThat(out).contains("limits 256 512 512 67108864 50000");
        } else {
            assertThat(out).contains("limits 256 512 ");
        }
        Cli.Result refused = dockerBuild(daemon, ctx, "--memory", "1m");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("Minimum memory limit allowed is 6MB");
    }

    /** --security-opt and --cgroup-parent reach the RUN steps, as dockerd gives them its step containers. */
    @Test
    void runSteps_getTheBuildsSecurityOptions_andCgroupParent() throws Exception {
        Path ctx = context(daemon.dir(), Map.of("Dockerfile", "FROM busybox\n"
                + "RUN echo \"confined $(grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status | tr -d ' \\t\\n')"
                + " $(grep -c skiffbuildparent /proc/self/cgroup)\"\n"));
        assertThat(dockerBuild(daemon, ctx, "--no-cache").assertOk().stdout()).contains("confined NoNewPrivs:0Seccomp:2 0");
        assertThat(dockerBuild(daemon, ctx, "--no-cache", "--security-opt", "seccomp=unconfined", "--security-opt",
                "no-new-privileges", "--cgroup-parent", "/skiffbuildparent").assertOk().stdout())
                .containsPattern("confined NoNewPrivs:1Seccomp:0 [1-9]");
        // runc made the parent in every hierarchy and left it, as under dockerd: empty now, so it goes
        try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : hierarchies.toList()) {
                Files.deleteIfExists(h.resolve("skiffbuildparent"));
            }
        }
        Files.deleteIfExists(Path.of("/sys/fs/cgroup/skiffbuildparent"));
        Cli.Result bogus = dockerBuild(daemon, ctx, "--security-opt", "bogus=1");
        assertThat(bogus.exitCode()).isNotZero();
        assertThat(bogus.stderr()).contains("invalid --security-opt 2: \"bogus=1\"");
    }

    @Test
    void runSteps_joinTheDefaultBridge_unlessTheyAskForNone() throws Exception {
        String gateway = daemon.bip().replaceFirst("/.*", "");
        String subnet = gateway.substring(0, gateway.lastIndexOf('.') + 1);
        Path ctx = context(daemon.dir(), Map.of("Dockerfile", """
                FROM busybox
                RUN ip -4 addr show eth0 | grep -o 'inet [0-9.]*' > /addr && ping -c1 -W3 %s > /dev/null && echo reached > /gw
                RUN grep -c nameserver /etc/resolv.conf > /ns
                RUN --network=none sh -c 'ip link | grep -q eth0 && echo eth0 || echo loopback-only' > /none
                """.formatted(gateway)));
        dockerBuild(daemon, ctx, "--no-cache", "-t", "netsteps:1").assertOk();
        assertThat(output(daemon, "--entrypoint", "cat", "netsteps:1", "/addr").assertOk().out()).startsWith("inet " + subnet);
        assertThat(output(daemon, "--entrypoint", "cat", "netsteps:1", "/gw").assertOk().out()).isEqualTo("reached");
        assertThat(Integer.parseInt(output(daemon, "--entrypoint", "cat", "netsteps:1", "/ns").assertOk().out())).isPositive();
        assertThat(output(daemon, "--entrypoint", "cat", "netsteps:1", "/none").assertOk().out()).isEqualTo("loopback-only");
        // --network none for the whole build, and nothing of the steps' namespaces left behind
        Path none = context(daemon.dir(), Map.of("Dockerfile", """
                FROM busybox
                RUN sh -c 'ip link | grep -q eth0 && echo eth0 || echo loopback-only' > /none
                """));
        dockerBuild(daemon, none, "--no-cache", "--network", "none", "-t", "netsteps:2").assertOk();
        assertThat(output(daemon, "--entrypoint", "cat", "netsteps:2", "/none").assertOk().out()).isEqualTo("loopback-only");
        Path netns = daemon.dir().resolve("run/netns");
        if (java.nio.file.Files.isDirectory(netns)) {
            try (var left = java.nio.file.Files.list(netns)) {
                assertThat(left.toList()).as("step namespaces after the builds").isEmpty();
            }
        }
    }

    /** docker build --add-host, with host-gateway: the default bridge's gateway, as dockerd gives its step containers. */
    @Test
    void addHost_reachesTheStepsHostsFile_hostGatewayBeingTheBridgesGateway() {
        String gateway = daemon.bip().replaceFirst("/.*", "");
        Path ctx = context(daemon.dir(), Map.of("Dockerfile", "FROM busybox\nRUN grep -E 'gw|fixed|six' /etc/hosts\n"));
        String out = dockerBuild(daemon, ctx, "--no-cache", "--add-host", "gw:host-gateway", "--add-host",
                "fixed=192.0.2.7", "--add-host", "six:[2001:db8::1]").assertOk().stdout();
        assertThat(out).contains(gateway + "\tgw", "192.0.2.7\tfixed", "2001:db8::1\tsix");
        Cli.Result bad = dockerBuild(daemon, ctx, "--add-host", "bad:not-an-address");
        assertThat(bad.exitCode()).isNotZero();
    }

    /** docker build --network NAME (compose's build.network): the steps reach that network's containers by name. */
    @Test
    void runSteps_onAUserDefinedNetwork_reachItsContainersByName() throws Exception {
        docker(daemon, "network", "create", "buildnet").assertOk();
        try {
            docker(daemon, "run", "-d", "--name", "buildweb", "--network", "buildnet", "busybox", "sh", "-c",
                    "mkdir /www && echo served to a build > /www/index.html && httpd -f -p 80 -h /www").assertOk();
            Path ctx = context(daemon.dir(), Map.of("Dockerfile", """
                    FROM busybox
                    RUN for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O /got http://buildweb/index.html && break; sleep 0.3; done; cat /got
                    """));
            assertThat(dockerBuild(daemon, ctx, "--no-cache", "--network", "buildnet").assertOk().stdout())
                    .contains("served to a build");
            Cli.Result unknown = dockerBuild(daemon, ctx, "--no-cache", "--network", "nosuchnet");
            assertThat(unknown.exitCode()).isNotZero();
            assertThat(unknown.stderr()).contains("network nosuchnet not found");
            assertThat(docker(daemon, "network", "inspect", "-f", "{{len .Containers}}", "buildnet").assertOk().out())
                    .as("the step left the network").isEqualTo("1");
        } finally {
            docker(daemon, "rm", "-f", "buildweb");
            docker(daemon, "network", "rm", "buildnet");
        }
    }

    @Test
    void instructions_setTheImageConfig() {
        Path ctx = context(daemon.dir(), Map.of("Dockerfile", """
                FROM busybox
                LABEL a=1 "b c"="two words"
                ENV GREETING=hello PATH=/usr/bin:/bin
                EXPOSE 8080 53/udp 7000-7002/tcp
                WORKDIR /srv/app
                WORKDIR sub
                USER nobody
                VOLUME /data
                STOPSIGNAL SIGINT
                HEALTHCHECK --interval=5s --retries=2 CMD true
                SHELL ["/bin/sh", "-ec"]
                ONBUILD RUN echo triggered > /tmp/onbuild
                ENTRYPOINT ["/bin/echo"]
                CMD ["$GREETING"]
                """));
        dockerBuild(daemon, ctx, "-t", "cfg:1", "--label", "from-flag=yes").assertOk();
        String json = docker(daemon, "inspect", "--format", "{{json .Config}}", "cfg:1").assertOk().out();
        assertThat(json).contains("\"a\":\"1\"", "\"b c\":\"two words\"", "\"from-flag\":\"yes\"",
                "\"GREETING=hello\"", "\"8080/tcp\":{}", "\"53/udp\":{}", "\"7000/tcp\":{}", "\"7001/tcp\":{}",
                "\"7002/tcp\":{}", "\"WorkingDir\":\"/srv/app/sub\"",
                "\"User\":\"nobody\"", "\"/data\":{}", "\"StopSignal\":\"SIGINT\"", "\"Interval\":5000000000",
                "\"Retries\":2", "\"Shell\":[\"/bin/sh\",\"-ec\"]", "\"OnBuild\":[\"RUN echo triggered > /tmp/onbuild\"]",
                "\"Entrypoint\":[\"/bin/echo\"]", "\"Cmd\":[\"$GREETING\"]");
        // the ports as written, in name order, as the classic builder records them
        assertThat(docker(daemon, "history", "--no-trunc", "--format", "{{.CreatedBy}}", "cfg:1").assertOk().out())
                .contains("/bin/sh -c #(nop)  EXPOSE 53/udp 7000-7002/tcp 8080");
        assertThat(output(daemon, "cfg:1").assertOk().out()).isEqualTo("$GREETING");
        assertThat(output(daemon, "--entrypoint", "pwd", "cfg:1").assertOk().out()).isEqualTo("/srv/app/sub");

        // ONBUILD fires in the child build, and not again in a grandchild
        Path child = context(daemon.dir(), Map.of("Dockerfile", "FROM cfg:1\nHEALTHCHECK NONE\nHEALTHCHECK CMD false\n"));
        Cli.Result b = dockerBuild(daemon, child, "-t", "cfg:child").assertOk();
        assertThat(b.stdout()).contains("# Executing 1 build trigger");
        // as dockerd shows it: the trigger's steps without IDs of their own, then the FROM step's, made by them
        assertThat(b.stdout()).containsPattern("Step 1/3 : FROM cfg:1\n# Executing 1 build trigger\n"
                + " ---> Running in [0-9a-f]{12}\n ---> Removed intermediate container [0-9a-f]{12}\n"
                + " ---> [0-9a-f]{12}\nStep 2/3 : HEALTHCHECK NONE\n");
        // as dockerd notes it: the base image's health check replaced, and none after NONE
        assertThat(b.stdout()).containsOnlyOnce("Note: overriding previous HEALTHCHECK: [CMD-SHELL true]\n");
        assertThat(output(daemon, "--entrypoint", "cat", "cfg:child", "/tmp/onbuild").assertOk().out())
                .isEqualTo("triggered");
        assertThat(docker(daemon, "inspect", "--format", "{{json .Config.OnBuild}}", "cfg:child").assertOk().out())
                .isEqualTo("null");
    }

    @Test
    void stepsThatChangeNoFile_addNoLayer_andAChildsHealthcheckKeepsTheBasesTimings() {
        dockerBuild(daemon, context(daemon.dir(), Map.of("Dockerfile",
                "FROM busybox\nHEALTHCHECK --interval=7s --retries=9 CMD true\n")), "-t", "hcbase:1").assertOk();
        Path ctx = context(daemon.dir(), Map.of("Dockerfile",
                "FROM hcbase:1\nRUN true\nRUN echo hi\nHEALTHCHECK --timeout=2s CMD false\n"));
        dockerBuild(daemon, ctx, "-t", "nolayer:1").assertOk();
        // as dockerd: a RUN that changes nothing is an empty_layer step (its mount points' directory, /etc, is not
        // a change of its own), so 130 of them do not make an image Docker refuses to load
        String layers = "{{len .RootFS.Layers}}";
        assertThat(docker(daemon, "inspect", "-f", layers, "nolayer:1").assertOk().out())
                .isEqualTo(docker(daemon, "inspect", "-f", layers, "busybox").assertOk().out());
        // dockerd fills what the child's HEALTHCHECK leaves out from the base's
        assertThat(docker(daemon, "inspect", "-f", "{{json .Config.Healthcheck}}", "nolayer:1").assertOk().out())
                .isEqualTo("{\"Test\":[\"CMD-SHELL\",\"false\"],\"Interval\":7000000000,\"Timeout\":2000000000,"
                        + "\"Retries\":9}");
        Cli.Result bad = dockerBuild(daemon, context(daemon.dir(), Map.of("Dockerfile", "FROM busybox\nSTOPSIGNAL FOO\n")));
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.stderr()).contains("Invalid signal: FOO");
        // an image config past 256 KiB (every later step's image would carry it again) is refused, nothing tagged
        StringBuilder labels = new StringBuilder("FROM busybox\nLABEL");
        for (int i = 0; i < 3000; i++) {
            labels.append(" k").append(i).append('=').append("v".repeat(100));
        }
        Cli.Result big = dockerBuild(daemon, context(daemon.dir(), Map.of("Dockerfile", labels + "\n")), "-t", "toobig:1");
        assertThat(big.exitCode()).isNotZero();
        assertThat(big.stderr()).contains("more than the 256 KiB a build step's image may have");
        assertThat(docker(daemon, "image", "inspect", "toobig:1").exitCode()).isNotZero();
    }

    @Test
    void argsAndEnv_substituteAndReachRun() {
        Path ctx = context(daemon.dir(), Map.of("Dockerfile", """
                ARG BASE=busybox
                FROM ${BASE}
                ARG WHO=world
                ARG UNSET
                ENV DIR=/opt/${WHO:-nobody} ALT=${UNSET:-fallback} PLUS=${WHO:+set}
                RUN mkdir -p $DIR && echo "$WHO $ALT $PLUS" > $DIR/out
                WORKDIR $DIR
                CMD ["cat", "out"]
                """));
        Cli.Result b = dockerBuild(daemon, ctx, "-t", "args:1", "--build-arg", "WHO=skiff").assertOk();
        assertThat(output(daemon, "args:1").assertOk().out()).isEqualTo("skiff fallback set");
        assertThat(docker(daemon, "inspect", "--format", "{{.Config.WorkingDir}}", "args:1").assertOk().out())
                .isEqualTo("/opt/skiff");
        String history = docker(daemon, "history", "--no-trunc", "--format", "{{.CreatedBy}}", "args:1").assertOk().out();
        assertThat(history).contains("|1 WHO=skiff /bin/sh -c mkdir -p $DIR", "/bin/sh -c #(nop)  CMD [\"cat\" \"out\"]",
                "/bin/sh -c #(nop)  ENV DIR=/opt/skiff ALT=fallback PLUS=set");
        assertThat(b.stdout()).doesNotContain("were not consumed");
        // the ARG before FROM is a step of its own, as the classic builder counts them
        assertThat(b.stdout()).contains("Step 1/8 : ARG BASE=busybox\nStep 2/8 : FROM ${BASE}\n")
                .contains("Step 8/8 : CMD [\"cat\", \"out\"]\n");
    }

    @Test
    void cache_reusesUnchangedSteps_andRerunsFromAChangedCopy() throws Exception {
        Path ctx = context(daemon.dir(), Map.of("Dockerfile", """
                FROM busybox
                RUN echo first > /first
                COPY a.txt /a.txt
                RUN cat /a.txt > /b.txt
                COPY c.txt /c.txt
                """, "a.txt", "A1", "c.txt", "C1"));
        Cli.Result cold = dockerBuild(daemon, ctx, "-t", "cache:1").assertOk();
        assertThat(cold.stdout()).doesNotContain("Using cache");
        Cli.Result warm = dockerBuild(daemon, ctx, "-t", "cache:1").assertOk();
        assertThat(count(warm.stdout(), "Using cache")).isEqualTo(4);
        assertThat(warm.stdout()).doesNotContain("Running in");

        // same content, new mtime: still cached (the key is content, not mtimes)
        Files.setLastModifiedTime(ctx.resolve("a.txt"), java.nio.file.attribute.FileTime.fromMillis(1000));
        assertThat(count(dockerBuild(daemon, ctx, "-t", "cache:1").assertOk().stdout(), "Using cache")).isEqualTo(4);

        Files.writeString(ctx.resolve("a.txt"), "A2");
        Cli.Result changed = dockerBuild(daemon, ctx, "-t", "cache:1").assertOk();
        assertThat(count(changed.stdout(), "Using cache")).isEqualTo(1); // only the RUN before the changed COPY
        assertThat(changed.stdout()).contains("Running in");
        assertThat(output(daemon, "cache:1", "cat", "/b.txt").assertOk().out()).isEqualTo("A2");

        // one byte of the same size with the mtime put back, then only the mode: each reruns from the COPY
        var mtime = Files.getLastModifiedTime(ctx.resolve("a.txt"));
        Files.writeString(ctx.resolve("a.txt"), "A3");
        Files.setLastModifiedTime(ctx.resolve("a.txt"), mtime);
        assertThat(count(dockerBuild(daemon, ctx, "-t", "cache:1").assertOk().stdout(), "Using cache")).isEqualTo(1);
        assertThat(output(daemon, "cache:1", "cat", "/b.txt").assertOk().out()).isEqualTo("A3");
        Files.setPosixFilePermissions(ctx.resolve("a.txt"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(count(dockerBuild(daemon, ctx, "-t", "cache:1").assertOk().stdout(), "Using cache")).isEqualTo(1);
        assertThat(output(daemon, "cache:1", "stat", "-c", "%a", "/a.txt").assertOk().out()).isEqualTo("755");
        assertThat(count(dockerBuild(daemon, ctx, "-t", "cache:1").assertOk().stdout(), "Using cache")).isEqualTo(4);

        Cli.Result noCache = dockerBuild(daemon, ctx, "--no-cache", "-t", "cache:1").assertOk();
        assertThat(noCache.stdout()).doesNotContain("Using cache");
    }

    @Test
    void failingRun_reportsCommandCodeAndOutput_andLeavesNothing() throws Exception {
        String imagesBefore = docker(daemon, "images", "-q").assertOk().out();
        Path ctx = context(daemon.dir(), Map.of("Dockerfile", """
                FROM busybox
                RUN echo partial > /partial && echo visible-output && exit 3
                """));
        Cli.Result b = dockerBuild(daemon, ctx, "-t", "broken:1");
        assertThat(b.exitCode()).isEqualTo(3);
        assertThat(b.stdout()).contains("visible-output");
        assertThat(b.stderr()).contains("The command '/bin/sh -c echo partial > /partial && echo visible-output && exit 3'"
                + " returned a non-zero code: 3");
        assertThat(docker(daemon, "images", "-q").assertOk().out()).isEqualTo(imagesBefore);
        assertThat(docker(daemon, "ps", "-aq").assertOk().out()).isEmpty();
        assertThat(Mounts.under(daemon.dir().resolve("data/builder"))).isEmpty();
        assertThat(leftovers()).isEmpty();
    }

    /**
     * A step runs while the commit of the step before is still under way (over that step's directory): it sees
     * that step's files, the " ---> ID" line still ends the step it belongs to, and when it fails the step before
     * is stored all the same, as an image to look into.
     */
    @Test
    void aStepOverOneStillCommitting_seesItsFiles_andAFailureKeepsTheStepBefore() throws Exception {
        Path ctx = context(daemon.dir(), Map.of("Dockerfile", """
                FROM busybox
                COPY a.txt /a.txt
                RUN echo made > /made
                RUN cat /a.txt /made && exit 4
                """, "a.txt", "copied\n"));
        Cli.Result b = dockerBuild(daemon, ctx, "--no-cache", "-t", "overlap:1");
        assertThat(b.exitCode()).isEqualTo(4);
        String out = b.stdout();
        assertThat(out).contains("copied\nmade\n");
        String step3 = stepImage(out, "Step 3/4 : RUN echo made > /made\n(?: ---> .*\n)*? ---> ([0-9a-f]{12})\nStep 4/4 : ");
        stepImage(out, "Step 2/4 : COPY a.txt /a.txt\n ---> ([0-9a-f]{12})\nStep 3/4 : ");
        assertThat(output(daemon, step3, "cat", "/a.txt", "/made").assertOk().out()).isEqualTo("copied\nmade");
        assertThat(docker(daemon, "ps", "-aq").assertOk().out()).isEmpty();
        assertThat(Mounts.under(daemon.dir().resolve("data/builder"))).isEmpty();
        assertThat(leftovers()).isEmpty();
    }

    /**
     * COPY links the context's files into its layer instead of copying them: the layer shares their inodes (a
     * link count above 1), a file over a lower layer's replaces it, and a later RUN that changes or removes one,
     * or the next build of the same context, leaves the COPY's image as it was.
     */
    @Test
    void copiedContextFiles_areLinkedIntoTheLayer_andStayAsCopied() throws Exception {
        Path ctx = context(daemon.dir(), Map.of("Dockerfile", """
                FROM busybox
                RUN echo lower > /etc/motd-x
                COPY motd-x /etc/motd-x
                COPY data /data
                RUN echo changed >> /data/a && rm /data/b
                """, "motd-x", "upper\n", "data/a", "a\n", "data/b", "b\n"));
        for (String tag : new String[] {"linked:1", "linked:2"}) {
            String out = dockerBuild(daemon, ctx, "--no-cache", "-t", tag).assertOk().stdout();
            String copyStep = stepImage(out, "Step 4/5 : COPY data /data\n ---> ([0-9a-f]{12})\nStep 5/5 : ");
            assertThat(output(daemon, copyStep, "sh", "-c", "cat /data/a /data/b /etc/motd-x; stat -c %h /data/a")
                    .assertOk().out()).matches("a\nb\nupper\n[2-9][0-9]*");
            assertThat(output(daemon, tag, "sh", "-c", "cat /data/a; ls /data; cat /etc/motd-x").assertOk().out())
                    .isEqualTo("a\nchanged\na\nupper");
        }
    }

    /**
     * The steps before the first that reads the context start while it still arrives; a context found broken or
     * ambiguous after that still fails the build, and tags nothing.
     */
    @Test
    void aContextBrokenAfterItsDockerfile_failsTheBuild_andTagsNothing() throws Exception {
        byte[] escaping = dev.skiff.build.context.TestTars.tar("Dockerfile", "f", "FROM busybox\nRUN echo early\n",
                "../evil", "f", "x");
        Cli.Result bad = dev.skiff.it.Cli.dockerWithInput(daemon, escaping, "build", "-t", "late-bad:1", "-");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.stderr()).contains("points outside the context");
        assertThat(docker(daemon, "image", "inspect", "late-bad:1").exitCode()).isNotZero();

        byte[] twice = dev.skiff.build.context.TestTars.tar("Dockerfile", "f", "FROM busybox\nRUN echo one\n",
                "Dockerfile", "f", "FROM busybox\nRUN echo two\n");
        Cli.Result ambiguous = dev.skiff.it.Cli.dockerWithInput(daemon, twice, "build", "-t", "twice:1", "-");
        assertThat(ambiguous.exitCode()).isNotZero();
        assertThat(ambiguous.stderr()).contains("holds Dockerfile twice");
        assertThat(docker(daemon, "image", "inspect", "twice:1").exitCode()).isNotZero();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void history_showsEachStepLikeDocker() {
        Path ctx = context(daemon.dir(), Map.of("Dockerfile", """
                FROM busybox
                COPY f /f
                COPY *.txt /t/
                COPY d /d
                COPY d* /dd/
                RUN echo x \\

                    > /x
                CMD ["sh"]
                """, "f", "data", "a.txt", "a", "b.txt", "b", "d/e", "e"));
        Cli.Result build = dockerBuild(daemon, ctx, "-t", "hist:1").assertOk();
        String history = docker(daemon, "history", "--no-trunc", "--format", "{{.CreatedBy}}|{{.Size}}", "hist:1")
                .assertOk().out();
        String[] lines = history.split("\n");
        assertThat(lines[0]).isEqualTo("/bin/sh -c #(nop)  CMD [\"sh\"]|0B");
        assertThat(lines[1]).startsWith("/bin/sh -c echo x     > /x|");
        // a pattern that names one directory: "dir", as dockerd names what it expands to
        assertThat(lines[2]).matches("/bin/sh -c #\\(nop\\) COPY dir:[0-9a-f]{64} in /dd/ \\|\\d+B");
        assertThat(lines[3]).matches("/bin/sh -c #\\(nop\\) COPY dir:[0-9a-f]{64} in /d \\|\\d+B");
        // one pattern, two files: "multi", as dockerd names a copy of more than one source once expanded
        assertThat(lines[4]).matches("/bin/sh -c #\\(nop\\) COPY multi:[0-9a-f]{64} in /t/ \\|\\d+B");
        assertThat(lines[5]).matches("/bin/sh -c #\\(nop\\) COPY file:[0-9a-f]{64} in /f \\|\\d+B");
        // dockerd's parser warns of the empty line inside the RUN's continuation, on stderr, before the first step
        assertThat(build.stdout()).contains("\033[91m[WARNING]: Empty continuation line found in:\n    RUN echo x     > /x\n"
                + "[WARNING]: Empty continuation lines will become errors in a future release.\n\033[0mStep 1/7 : FROM busybox");

        // a rebuild over the same context takes the remembered digests: the same history, every step cached
        Cli.Result again = dockerBuild(daemon, ctx, "-t", "hist:2").assertOk();
        assertThat(again.stdout().split("Using cache", -1)).hasSize(7);
        assertThat(docker(daemon, "history", "--no-trunc", "--format", "{{.CreatedBy}}|{{.Size}}", "hist:2")
                .assertOk().out()).isEqualTo(history);
    }

    @Test
    void errors_nameTheFileLineAndWayOut() {
        Path bad = context(daemon.dir(), Map.of("Dockerfile", "FROM busybox\nFROB x\n"));
        Cli.Result b = dockerBuild(daemon, bad);
        assertThat(b.exitCode()).isNotZero();
        assertThat(b.stderr()).contains("Dockerfile parse error line 2: unknown instruction: FROB");

        Path missing = context(daemon.dir(), Map.of("Dockerfile", "FROM busybox\nCOPY nope.txt /\n"));
        Cli.Result m = dockerBuild(daemon, missing);
        assertThat(m.exitCode()).isNotZero();
        assertThat(m.stderr()).contains("nope.txt");
    }

    @Test
    void builderPrune_andSystemDf_accountForTheCache() {
        Path ctx = context(daemon.dir(), Map.of("Dockerfile", """
                FROM busybox
                RUN --mount=type=cache,target=/cache echo kept > /cache/file && head -c 4096 /dev/zero > /big
                """));
        String id = dockerBuild(daemon, ctx, "-q").assertOk().out();
        assertThat(id).startsWith("sha256:");
        String df = docker(daemon, "system", "df", "-v").assertOk().out();
        assertThat(df).contains("Build cache usage").contains("exec.cachemount").contains("regular");
        String pruned = docker(daemon, "builder", "prune", "-f").assertOk().out();
        assertThat(pruned).contains("Total reclaimed space");
        assertThat(docker(daemon, "images", "-q", "--no-trunc").assertOk().out()).doesNotContain(id);
    }

    /** The image ID (short) that {@code regex}'s first group finds in a build's output; fails when it is not there. */
    private static String stepImage(String out, String regex) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    private java.util.List<Path> leftovers() throws Exception {
        java.util.List<Path> found = new java.util.ArrayList<>();
        for (Path dir : java.util.List.of(daemon.dir().resolve("data/builder/containers-snap"),
                daemon.dir().resolve("run/builder/runc"), daemon.dir().resolve("run/builder/bundles"),
                daemon.dir().resolve("data/builder/contexts"))) {
            if (Files.isDirectory(dir)) {
                try (var list = Files.list(dir)) {
                    list.forEach(found::add);
                }
            }
        }
        return found;
    }
}
