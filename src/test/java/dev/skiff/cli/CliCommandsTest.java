package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.cli.io.StdStreams;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.TimeZone;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CliCommandsTest {
    private static final String ID = "4a7f7eebae0f63178aff7eb0aa39cd3f0627a203ab2df258c1a00b456cf20063";

    @BeforeAll
    static void utc() {
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    }

    @Test
    void ps_printsDockerTable() {
        long created = CliHarness.NOW.getEpochSecond() - 5;
        FakeApiClient api = new FakeApiClient().on("GET /containers/json", """
                [{"Id":"%s","Names":["/web"],"Image":"busybox","ImageID":"sha256:beef","Command":"sh -c 'while true; do sleep 1; done'",
                  "Created":%d,"Ports":[{"IP":"0.0.0.0","PrivatePort":80,"PublicPort":8080,"Type":"tcp"}],
                  "State":"running","Status":"Up 3 seconds","Labels":{}}]""".formatted(ID, created));
        CliHarness.Result r = CliHarness.run(api, "ps");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("""
                CONTAINER ID   IMAGE     COMMAND                  CREATED         STATUS         PORTS                  NAMES
                4a7f7eebae0f   busybox   "sh -c 'while true; …"   5 seconds ago   Up 3 seconds   0.0.0.0:8080->80/tcp   web
                """);
    }

    @Test
    void ps_allQuietAndFiltersBecomeQuery() {
        FakeApiClient api = new FakeApiClient().on("GET /containers/json*", "[{\"Id\":\"" + ID + "\"}]");
        CliHarness.Result r = CliHarness.run(api, "container", "ls", "-aq", "--filter", "status=exited");
        assertThat(r.out()).isEqualTo("4a7f7eebae0f\n");
        assertThat(api.paths()).containsExactly(
                "GET /containers/json?all=1&filters=%7B%22status%22%3A%7B%22exited%22%3Atrue%7D%7D");
    }

    @Test
    void images_quietListsEveryTaggedRow() {
        FakeApiClient api = new FakeApiClient().on("GET /images/json", """
                [{"Id":"sha256:aaaaaaaaaaaaaaaaaaaa","RepoTags":["busybox:latest","busybox:1.36"],"Created":1,"Size":4300000},
                 {"Id":"sha256:bbbbbbbbbbbbbbbbbbbb","RepoTags":[],"RepoDigests":[],"Created":1,"Size":10}]""");
        CliHarness.Result r = CliHarness.run(api, "images", "-q");
        assertThat(r.out()).isEqualTo("aaaaaaaaaaaa\naaaaaaaaaaaa\nbbbbbbbbbbbb\n");
        CliHarness.Result table = CliHarness.run(api, "image", "ls");
        assertThat(table.out()).startsWith("REPOSITORY   TAG       IMAGE ID       CREATED        SIZE\n"
                + "busybox      latest    aaaaaaaaaaaa   56 years ago   4.3MB\n");
        assertThat(table.out()).contains("<none>       <none>    bbbbbbbbbbbb");
    }

    @Test
    void rmi_printsUntaggedAndDeleted_andReportsFailures() {
        FakeApiClient api = new FakeApiClient()
                .on("DELETE /images/busybox", "[{\"Untagged\":\"busybox:latest\"},{\"Deleted\":\"sha256:abc\"}]")
                .on("DELETE /images/nope", 404, "{\"message\":\"No such image: nope:latest\"}");
        CliHarness.Result r = CliHarness.run(api, "rmi", "busybox", "nope");
        assertThat(r.out()).isEqualTo("Untagged: busybox:latest\nDeleted: sha256:abc\n");
        assertThat(r.err()).isEqualTo("Error response from daemon: No such image: nope:latest\n");
        assertThat(r.exit()).isEqualTo(1);
    }

    @Test
    void runDetached_createsStartsAndPrintsFullId() throws Exception {
        FakeApiClient api = new FakeApiClient()
                .on("POST /containers/create?name=web", "{\"Id\":\"" + ID + "\",\"Warnings\":[]}")
                .on("POST /containers/" + ID + "/start", 204, "");
        CliHarness.Result r = CliHarness.run(api, "run", "-d", "--name", "web", "-e", "A=1", "busybox", "sleep", "10");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(ID + "\n");
        FakeApiClient.Recorded create = api.request("POST", "/containers/create");
        assertThat(create.json().path("Cmd").toString()).isEqualTo("[\"sleep\",\"10\"]");
        assertThat(create.json().path("Env").toString()).isEqualTo("[\"A=1\"]");
        assertThat(create.json().path("AttachStdout").asBoolean()).isFalse();
    }

    @Test
    void create_withCidfileAnnotationsRuntimeAndRm() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("skiff-cid");
        java.nio.file.Path cid = dir.resolve("cid");
        try {
            FakeApiClient api = new FakeApiClient().on("POST /containers/create", "{\"Id\":\"" + ID + "\",\"Warnings\":[]}");
            CliHarness.Result r = CliHarness.run(api, "create", "--rm", "--cidfile", cid.toString(), "--annotation",
                    "org.example/a=b", "--runtime", "runc", "busybox");
            assertThat(r.exit()).isZero();
            assertThat(cid).hasContent(ID);
            FakeApiClient.Recorded create = api.request("POST", "/containers/create");
            assertThat(create.json().path("HostConfig").path("AutoRemove").asBoolean()).isTrue();
            assertThat(create.json().path("HostConfig").path("Annotations").toString()).isEqualTo("{\"org.example/a\":\"b\"}");
            assertThat(create.json().path("HostConfig").path("Runtime").asText()).isEqualTo("runc");
            // the file is there: docker's guard against two containers writing one ID file
            CliHarness.Result again = CliHarness.run(api, "create", "--cidfile", cid.toString(), "busybox");
            assertThat(again.exit()).as("docker create's plain error, where docker run says 125").isEqualTo(1);
            assertThat(again.err()).contains("container ID file found");
            // a create that fails leaves no file behind
            java.nio.file.Path failed = dir.resolve("failed");
            FakeApiClient refusing = new FakeApiClient().on("POST /containers/create", 400, "{\"message\":\"bad\"}");
            CliHarness.Result refused = CliHarness.run(refusing, "create", "--cidfile", failed.toString(), "busybox");
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err()).isEqualTo("Error response from daemon: bad\n");
            assertThat(failed).doesNotExist();
        } finally {
            dev.skiff.sys.FileTrees.delete(dir);
        }
    }

    @Test
    void runAttached_streamsOutputAndExitsWithContainerCode() {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        frames.writeBytes(StdStreams.frame(1, "hello\n".getBytes(StandardCharsets.UTF_8)));
        frames.writeBytes(StdStreams.frame(2, "oops\n".getBytes(StandardCharsets.UTF_8)));
        FakeApiClient api = new FakeApiClient()
                .on("POST /containers/create", "{\"Id\":\"" + ID + "\"}")
                .onHijack("POST /containers/" + ID + "/attach?stderr=1&stdout=1&stream=1", frames.toByteArray())
                .on("POST /containers/" + ID + "/wait?condition=removed", "{\"StatusCode\":3}")
                .on("POST /containers/" + ID + "/start", 204, "");
        CliHarness.Result r = CliHarness.run(api, "run", "--rm", "busybox", "sh", "-c", "echo hello; echo oops >&2; exit 3");
        assertThat(r.out()).isEqualTo("hello\n");
        assertThat(r.err()).isEqualTo("oops\n");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(api.paths()).containsSubsequence("POST /containers/" + ID + "/attach?stderr=1&stdout=1&stream=1",
                "POST /containers/" + ID + "/wait?condition=removed", "POST /containers/" + ID + "/start");
    }

    @Test
    void run_missingImage_printsUnableToFind_exit125() {
        FakeApiClient api = new FakeApiClient()
                .on("POST /containers/create", 404, "{\"message\":\"No such image: alpine:latest\"}")
                .on("POST /images/create?fromImage=alpine&tag=latest", 404,
                        "{\"message\":\"pull access denied for alpine, repository does not exist or may require 'docker login'\"}");
        CliHarness.Result r = CliHarness.run(api, "run", "alpine");
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).startsWith("Unable to find image 'alpine:latest' locally\n"
                + "skiff: Error response from daemon: pull access denied for alpine, repository does not exist or may require 'docker login'"
                + "\n\nRun 'skiff run --help' for more information");
        assertThat(api.paths()).containsSubsequence("POST /containers/create", "POST /images/create?fromImage=alpine&tag=latest");
    }

    @Test
    void run_startFailureForMissingExecutable_exits127() {
        FakeApiClient api = new FakeApiClient()
                .on("POST /containers/create", "{\"Id\":\"" + ID + "\"}")
                .on("POST /containers/" + ID + "/start", 400,
                        "{\"message\":\"exec: \\\"nope\\\": executable file not found in $PATH\"}");
        CliHarness.Result r = CliHarness.run(api, "run", "-d", "busybox", "nope");
        assertThat(r.exit()).isEqualTo(127);
    }

    @Test
    void unknownFlag_printsDockerUsageError_exit125() {
        CliHarness.Result r = CliHarness.run(new FakeApiClient(), "run", "--foo", "busybox");
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).isEqualTo("unknown flag: --foo\n\nUsage:  skiff run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\n"
                + "Run 'skiff run --help' for more information\n");
    }

    @Test
    void missingArgument_printsRequires_exit1() {
        CliHarness.Result r = CliHarness.run(new FakeApiClient(), "rm");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("skiff: 'skiff rm' requires at least 1 argument\n\n"
                + "Usage:  skiff rm [OPTIONS] CONTAINER [CONTAINER...]\n\nSee 'skiff rm --help' for more information\n");
    }

    /** docker rm -f: a container that is not there is reported, and the command still succeeds; without -f it fails. */
    @Test
    void rmForce_ofAMissingContainer_isReportedButSucceeds() {
        FakeApiClient api = new FakeApiClient()
                .on("DELETE /containers/gone*", 404, "{\"message\":\"No such container: gone\"}")
                .on("DELETE /containers/here*", 204, "");
        CliHarness.Result forced = CliHarness.run(api, "rm", "-f", "gone", "here");
        assertThat(forced.exit()).isZero();
        assertThat(forced.out()).isEqualTo("here\n");
        assertThat(forced.err()).isEqualTo("Error response from daemon: No such container: gone\n");
        CliHarness.Result plain = CliHarness.run(api, "rm", "gone", "here");
        assertThat(plain.exit()).isEqualTo(1);
        assertThat(plain.err()).isEqualTo("Error response from daemon: No such container: gone\n");
    }

    /** docker start a b: each failure in the daemon's words, then docker's summary line; exit 1. */
    @Test
    void start_ofSeveral_reportsEachFailure_thenTheSummary() {
        FakeApiClient api = new FakeApiClient()
                .on("POST /containers/gone/start*", 404, "{\"message\":\"No such container: gone\"}")
                .on("POST /containers/here/start*", 204, "");
        CliHarness.Result r = CliHarness.run(api, "start", "here", "gone");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("here\n");
        assertThat(r.err()).isEqualTo("Error response from daemon: No such container: gone\n"
                + "Error: failed to start containers: gone\n");
    }

    /** A lookup of one kind passes the daemon's words on, as the docker CLI does; `inspect` across kinds says its own. */
    @Test
    void inspectOfOneKind_saysTheDaemonsWords() {
        FakeApiClient api = new FakeApiClient()
                .on("GET /images/nope/json*", 404, "{\"message\":\"No such image: nope:latest\"}")
                .on("GET /volumes/nope*", 404, "{\"message\":\"get nope: no such volume\"}");
        CliHarness.Result image = CliHarness.run(api, "image", "inspect", "nope");
        assertThat(image.exit()).isEqualTo(1);
        assertThat(image.out()).isEqualTo("[]\n");
        assertThat(image.err()).isEqualTo("Error response from daemon: No such image: nope:latest\n");
        assertThat(CliHarness.run(api, "inspect", "--type", "volume", "nope").err())
                .isEqualTo("Error response from daemon: get nope: no such volume\n");
    }

    @Test
    void argumentAndCommandErrors_readLikeDocker() {
        FakeApiClient api = new FakeApiClient();
        CliHarness.Result rename = CliHarness.run(api, "rename", "a");
        assertThat(rename.err()).startsWith("skiff: 'skiff rename' requires 2 arguments\n\nUsage:  skiff rename CONTAINER NEW_NAME\n\n"
                + "Run 'skiff rename --help'");
        assertThat(CliHarness.run(api, "port").err()).startsWith("skiff: 'skiff port' requires at least 1 and at most 2 arguments");
        assertThat(CliHarness.run(api, "images", "a", "b").err()).startsWith("skiff: 'skiff images' requires at most 1 argument");
        assertThat(CliHarness.run(api, "ps", "x").err()).startsWith("skiff: 'skiff ps' accepts no arguments");
        CliHarness.Result unknown = CliHarness.run(api, "nope");
        assertThat(unknown.err()).isEqualTo("skiff: unknown command: skiff nope\n\nRun 'skiff --help' for more information\n");
        assertThat(unknown.exit()).isEqualTo(1);
        CliHarness.Result shortFlag = CliHarness.run(api, "ps", "-x");
        assertThat(shortFlag.err()).startsWith("unknown shorthand flag: 'x' in -x\n\nUsage:  skiff ps [OPTIONS]");
        assertThat(shortFlag.exit()).isEqualTo(125);
        assertThat(CliHarness.run(api, "run", "--name").err()).startsWith("flag needs an argument: --name");
        CliHarness.Result badInt = CliHarness.run(api, "ps", "-n", "abc");
        assertThat(badInt.err()).startsWith("invalid argument \"abc\" for \"-n, --last\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax");
        assertThat(badInt.exit()).isEqualTo(125);
        CliHarness.Result group = CliHarness.run(api, "container");
        assertThat(group.exit()).isZero();
        assertThat(group.out()).startsWith("Usage:  skiff container COMMAND\n\nManage containers\n\nCommands:\n  attach ");
    }

    @Test
    void help_isCommandDashDashHelp_andUsageNamesTheMountNotTheClass() {
        FakeApiClient api = new FakeApiClient();
        CliHarness.Result ps = CliHarness.run(api, "help", "ps");
        assertThat(ps.out()).startsWith("Usage:  skiff ps [OPTIONS]\n\nList containers\n");
        assertThat(ps.exit()).isZero();
        // docker 28: an alias's help and errors name the command's own name in its group
        assertThat(CliHarness.run(api, "help", "container", "list").out()).startsWith("Usage:  skiff container ls [OPTIONS]\n");
        assertThat(CliHarness.run(api, "image", "ls", "--help").out()).startsWith("Usage:  skiff image ls [OPTIONS] [REPOSITORY[:TAG]]\n");
        // docker 28's Common Commands in its order; a command's listing line is its first, without a closing period
        assertThat(CliHarness.run(api, "help").out()).startsWith("Usage:  skiff [OPTIONS] COMMAND\n").contains("""
                Common Commands:
                  run         Create and run a new container from an image
                  exec        Execute a command in a running container
                  ps          List containers
                  build       Build an image from a Dockerfile
                  pull        Download an image from a registry
                  push        Upload an image to a registry
                  images      List images
                  login       Authenticate to a registry
                  logout      Log out from a registry
                """);
        assertThat(CliHarness.run(api, "login", "--help").out()).contains(
                "Authenticate to a registry.\nDefaults to Docker Hub if no server is specified.\n");
        // the docker 28 CLI's help of ps, but for the name: every mount in Aliases, flags wrapped at 79 columns, no --help
        assertThat(CliHarness.run(api, "ps", "--help").out()).contains("""
                Aliases:
                  skiff container ls, skiff container list, skiff container ps, skiff ps

                Options:
                  -a, --all             Show all containers (default shows just running)
                  -f, --filter filter   Filter output based on conditions provided
                      --format string   Format output using a custom template:
                                        'table':            Print output in table format
                                        with column headers (default)
                """).doesNotContain("--help").endsWith("  -s, --size            Display total file sizes\n");
        CliHarness.Result bogus = CliHarness.run(api, "help", "container", "bogus");
        assertThat(bogus.err()).isEqualTo("unknown help topic: bogus\n");
        assertThat(bogus.exit()).isEqualTo(1);
    }

    @Test
    void inspectTemplates_runOnTheTypedObjectFirst_thenOnItsJson() {
        FakeApiClient api = new FakeApiClient()
                .on("GET /images/busybox/json", "{\"Id\":\"sha256:56\",\"RepoTags\":[\"busybox:latest\"],\"Config\":{\"Cmd\":[\"sh\"]},"
                        + "\"RootFS\":{\"Type\":\"layers\"}}");
        // docker 28.2.2 against dockerd: a label the image lacks is "", as are its missing Entrypoint and Healthcheck
        CliHarness.Result label = CliHarness.run(api, "image", "inspect", "-f",
                "{{index .Config.Labels \"x\"}}|{{.Config.Entrypoint}}|{{.Config.Healthcheck}}", "busybox");
        assertThat(label.out()).isEqualTo("|[]|<nil>\n");
        assertThat(label.exit()).isZero();
        // a field no type has fails on both: the raw run's words are the ones shown, at the chain's second field
        CliHarness.Result missing = CliHarness.run(api, "image", "inspect", "-f", "{{.Config.Foo}}", "busybox");
        assertThat(missing.err()).isEqualTo("template parsing error: template: :1:9: executing \"\" at <.Config.Foo>: "
                + "map has no entry for key \"Foo\"\n");
        assertThat(missing.exit()).isEqualTo(1);
    }

    @Test
    void inspect_formatsWithTemplate_andReportsMissing() {
        FakeApiClient api = new FakeApiClient()
                .on("GET /containers/web/json", "{\"Id\":\"" + ID + "\",\"State\":{\"Status\":\"running\"}}")
                .on("GET /containers/nope/json", 404, "{\"message\":\"No such container: nope\"}")
                .on("GET /images/nope/json", 404, "{\"message\":\"No such image: nope\"}")
                .on("GET /networks/nope", 404, "{\"message\":\"not found\"}")
                .on("GET /volumes/nope", 404, "{\"message\":\"not found\"}");
        CliHarness.Result r = CliHarness.run(api, "inspect", "-f", "{{.State.Status}}", "web", "nope");
        assertThat(r.out()).isEqualTo("running\n");
        assertThat(r.err()).isEqualTo("Error: No such object: nope\n");
        assertThat(r.exit()).isEqualTo(1);
        CliHarness.Result json = CliHarness.run(api, "container", "inspect", "web");
        assertThat(json.out()).startsWith("[\n    {\n        \"Id\": \"" + ID + "\",");
        // --format json: docker's JSON inspector, one compact array (jq '.[0]' works on both)
        assertThat(CliHarness.run(api, "container", "inspect", "--format", "json", "web").out())
                .isEqualTo("[{\"Id\":\"" + ID + "\",\"State\":{\"Status\":\"running\"}}]\n");
    }

    @Test
    void disableContentTrust_isTakenAsDockersDefault_andFalseIsRefused() {
        FakeApiClient api = new FakeApiClient().on("POST /containers/create*", 201, "{\"Id\":\"" + ID + "\",\"Warnings\":[]}");
        assertThat(CliHarness.run(api, "create", "--disable-content-trust", "busybox").exit()).isZero();
        assertThat(CliHarness.run(api, "create", "--disable-content-trust=true", "busybox").exit()).isZero();
        CliHarness.Result no = CliHarness.run(api, "create", "--disable-content-trust=false", "busybox");
        assertThat(no.exit()).isEqualTo(125);
        assertThat(no.err()).contains("content trust (Notary signatures) is not supported by Skiff");
    }

    @Test
    void logs_demultiplexesUnlessTty() {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        frames.writeBytes(StdStreams.frame(1, "out\n".getBytes(StandardCharsets.UTF_8)));
        frames.writeBytes(StdStreams.frame(2, "err\n".getBytes(StandardCharsets.UTF_8)));
        FakeApiClient api = new FakeApiClient()
                .on("GET /containers/web/json", "{\"Config\":{\"Tty\":false}}")
                .onBytes("GET /containers/web/logs*", frames.toByteArray(), java.util.Map.of());
        CliHarness.Result r = CliHarness.run(api, "logs", "--tail", "5", "web");
        assertThat(r.out()).isEqualTo("out\n");
        assertThat(r.err()).isEqualTo("err\n");
        assertThat(api.paths()).contains("GET /containers/web/logs?stderr=1&stdout=1&tail=5");
    }

    @Test
    void exec_hijacksStartAndExitsWithExecCode() throws Exception {
        FakeApiClient api = new FakeApiClient()
                .on("GET /containers/web/json", "{\"Id\":\"web\"}")
                .on("POST /containers/web/exec", "{\"Id\":\"e1\"}")
                .onHijack("POST /exec/e1/start", StdStreams.frame(1, "hi\n".getBytes(StandardCharsets.UTF_8)))
                .on("GET /exec/e1/json", "{\"ExitCode\":7}");
        CliHarness.Result r = CliHarness.run(api, "exec", "-e", "X=1", "web", "sh", "-c", "echo hi; exit 7");
        assertThat(r.out()).isEqualTo("hi\n");
        assertThat(r.exit()).isEqualTo(7);
        assertThat(api.request("POST", "/containers/web/exec").json().path("Cmd").toString())
                .isEqualTo("[\"sh\",\"-c\",\"echo hi; exit 7\"]");
    }

    @Test
    void stop_printsNamesAndFailsForMissing() {
        FakeApiClient api = new FakeApiClient()
                .on("POST /containers/a/stop?t=3", 204, "")
                .on("POST /containers/b/stop?t=3", 404, "{\"message\":\"No such container: b\"}");
        CliHarness.Result r = CliHarness.run(api, "stop", "-t", "3", "a", "b");
        assertThat(r.out()).isEqualTo("a\n");
        assertThat(r.err()).isEqualTo("Error response from daemon: No such container: b\n");
        assertThat(r.exit()).isEqualTo(1);
    }

    @Test
    void version_printsClientAndServerSections() {
        FakeApiClient api = new FakeApiClient().on("GET /version", """
                {"Version":"0.1.0","ApiVersion":"1.50","MinAPIVersion":"1.24","GoVersion":"java25","GitCommit":"abc",
                 "Os":"linux","Arch":"amd64","BuildTime":"today","Platform":{"Name":"Skiff Engine"}}""");
        CliHarness.Result r = CliHarness.run(api, "version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Client: Skiff\n Version:           ")
                .contains("\nServer: Skiff Engine\n Engine:\n  Version:          0.1.0\n  API version:      1.50 (minimum version 1.24)\n");
        CliHarness.Result f = CliHarness.run(api, "version", "-f", "{{.Server.Version}}");
        assertThat(f.out()).isEqualTo("0.1.0\n");
    }

    @Test
    void systemDf_summarizes() {
        FakeApiClient api = new FakeApiClient().on("GET /system/df", """
                {"LayersSize":1000,"Images":[{"Containers":1,"Size":600,"SharedSize":0}],
                 "Containers":[{"State":"exited","SizeRw":212}],"Volumes":[],"BuildCache":[]}""");
        CliHarness.Result r = CliHarness.run(api, "system", "df");
        assertThat(r.out()).isEqualTo("""
                TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE
                Images          1         1         1kB       400B (40%)
                Containers      1         0         212B      212B (100%)
                Local Volumes   0         0         0B        0B
                Build Cache     0         0         0B        0B
                """);
    }

    /**
     * system df -v as the docker CLI: one row per image (its first tag), build cache least recently used first with
     * its usage counting unshared records only, and a --format template run once over the four lists.
     */
    @Test
    void systemDfVerbose_listsAsDocker_andATemplateSeesTheLists() {
        FakeApiClient api = new FakeApiClient().on("GET /system/df", """
                {"LayersSize":1000,"Images":[{"Id":"sha256:%s","RepoTags":["a:1","b:2"],"Containers":0,"Size":600,
                  "SharedSize":0,"Created":0}],
                 "Containers":[],"Volumes":[{"Name":"v1","Driver":"local","Scope":"local","Mountpoint":"/m",
                  "UsageData":{"RefCount":1,"Size":2048}}],
                 "BuildCache":[{"ID":"newer","Type":"regular","Size":5,"Shared":false,"UsageCount":1,
                   "CreatedAt":"2026-01-01T00:00:00Z","LastUsedAt":"2026-01-03T00:00:00Z"},
                  {"ID":"never","Type":"regular","Size":7,"Shared":false,"UsageCount":0,"CreatedAt":"2026-01-01T00:00:00Z"},
                  {"ID":"older","Type":"regular","Size":3000000,"Shared":true,"UsageCount":2,
                   "CreatedAt":"2026-01-01T00:00:00Z","LastUsedAt":"2026-01-02T00:00:00Z"}]}""".formatted(ID));
        CliHarness.Result r = CliHarness.run(api, "system", "df", "-v");
        assertThat(r.out()).contains("\na            1   ").doesNotContain("\nb     ")
                .contains("Build cache usage: 12B\n")
                .containsSubsequence("older ", "3MB", "newer ", "never ");
        CliHarness.Result t = CliHarness.run(api, "system", "df", "-v", "--format",
                "{{len .Images}} {{range .Volumes}}{{.Name}}:{{.Links}}:{{.Driver}}{{end}}");
        assertThat(t.out()).isEqualTo("1 v1:1:local");
        // docker 28: its lists in field order, each row a sorted map; no truncation and no digest outside a table
        CliHarness.Result json = CliHarness.run(api, "system", "df", "-v", "--format", "{{json .}}");
        assertThat(json.out()).startsWith("{\"Images\":[{\"Containers\":\"0\",").contains("\"Digest\":\"\",\"ID\":\"sha256:" + ID + "\"")
                .contains("\"Containers\":[],\"Volumes\":[{").contains("\"BuildCache\":[{\"CacheType\":\"regular\","
                        + "\"CreatedAt\":\"2026-01-01 00:00:00 +0000 UTC\",");
    }

    /** skiff info prints the server's sections as the docker 28 CLI does against the same daemon. */
    @Test
    void info_printsDockersSections() {
        FakeApiClient api = new FakeApiClient().on("GET /info", """
                {"Containers":0,"Images":1,"ServerVersion":"0.1.0","Driver":"overlay2","LoggingDriver":"json-file",
                 "CgroupDriver":"cgroupfs","CgroupVersion":"1","Plugins":{"Volume":["local"],"Network":["bridge","host","null"],
                 "Authorization":null,"Log":["json-file","local"]},"Swarm":{"LocalNodeState":"inactive"},
                 "Runtimes":{"runc":{"path":"runc"}},"DefaultRuntime":"runc","InitBinary":"docker-init",
                 "ContainerdCommit":{"ID":"2.1.6"},"RuncCommit":{"ID":"1.1.5"},"InitCommit":{"ID":"0.19.0"},
                 "SecurityOptions":["name=seccomp,profile=builtin","name=cgroupns"],"KernelVersion":"6.1","OSType":"linux",
                 "NCPU":2,"MemTotal":1073741824,"Name":"vm","LiveRestoreEnabled":true}""");
        CliHarness.Result r = CliHarness.run(api, "info");
        assertThat(r.out()).contains("""
                 Cgroup Version: 1
                 Plugins:
                  Volume: local
                  Network: bridge host null
                  Log: json-file local
                 Swarm: inactive
                 Runtimes: runc
                 Default Runtime: runc
                 Init Binary: docker-init
                 containerd version: 2.1.6
                 runc version: 1.1.5
                 init version: 0.19.0
                 Security Options:
                  seccomp
                   Profile: builtin
                  cgroupns
                 Kernel Version: 6.1
                """).endsWith(" Live Restore Enabled: true\n\n");
    }

    /** docker 28's words when a listing's template names a field its row lacks, and info's on its typed struct. */
    @Test
    void listingTemplateErrors_nameTheGoTypeWithDockersPrefix() {
        FakeApiClient api = new FakeApiClient()
                .on("GET /containers/json*", "[{\"Id\":\"" + ID + "\",\"Names\":[\"/web\"],\"Created\":0}]")
                .on("GET /networks*", "[{\"Name\":\"bridge\",\"Id\":\"" + ID + "\",\"Driver\":\"bridge\"}]")
                .on("GET /info", "{\"Name\":\"vm\",\"Containers\":1}");
        CliHarness.Result ps = CliHarness.run(api, "ps", "--format", "{{.Foo}}");
        assertThat(ps.err()).isEqualTo("failed to execute template: template: :1:2: executing \"\" at <.Foo>: "
                + "can't evaluate field Foo in type *formatter.ContainerContext\n");
        assertThat(ps.exit()).isEqualTo(1);
        assertThat(CliHarness.run(api, "network", "ls", "--format", "{{.Foo}}").err()).isEqualTo("template parsing error: "
                + "template: :1:2: executing \"\" at <.Foo>: can't evaluate field Foo in type *network.networkContext\n");
        api.on("GET /version", "{\"Version\":\"0.1.0\",\"ApiVersion\":\"1.50\",\"Os\":\"linux\"}");
        CliHarness.Result version = CliHarness.run(api, "version", "--format", "{{.Server.Version}} {{.Client.Foo}}");
        assertThat(version.out()).isEqualTo("0.1.0 \n");
        assertThat(version.err()).isEqualTo("template: version:1:29: executing \"version\" at <.Client.Foo>: "
                + "can't evaluate field Foo in type system.clientVersion\n");
        assertThat(version.exit()).isEqualTo(1);
        CliHarness.Result info = CliHarness.run(api, "info", "--format", "{{.Name}} {{.Images}} {{.Foo}}");
        assertThat(info.out()).isEqualTo("vm 0 \n");
        assertThat(info.err()).isEqualTo("template: :1:24: executing \"\" at <.Foo>: can't evaluate field Foo in type system.dockerInfo\n");
        assertThat(info.exit()).isEqualTo(1);
    }

    @Test
    void containerPrune_withForce() {
        FakeApiClient api = new FakeApiClient().on("POST /containers/prune",
                "{\"ContainersDeleted\":[\"" + ID + "\"],\"SpaceReclaimed\":212}");
        CliHarness.Result r = CliHarness.run(api, "container", "prune", "-f");
        assertThat(r.out()).isEqualTo("Deleted Containers:\n" + ID + "\n\nTotal reclaimed space: 212B\n");
    }

    @Test
    void imagePrune_asksFirst() {
        FakeApiClient api = new FakeApiClient();
        CliHarness.Result r = CliHarness.runWithStdin(api, "n\n", "image", "prune");
        assertThat(r.out()).isEqualTo("WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] ");
        assertThat(api.requests).isEmpty();
    }
}
