package dev.skiff.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.sys.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {
    private static Object data() throws Exception {
        return Json.MAPPER.readValue("""
                {"Id":"abc","Name":"/web","Config":{"Image":"busybox","Env":["A=1","B=2"],
                 "Labels":{"com.example":"yes"}},"State":{"Running":true,"ExitCode":0,"Pid":42},
                 "Mounts":[],"Size":1.5}""", Object.class);
    }

    private static String run(String t) throws Exception {
        return Template.parse(t).execute(data(), true);
    }

    @Test
    void fields_nestedAndJson() throws Exception {
        assertThat(run("{{.Id}} {{.Config.Image}}")).isEqualTo("abc busybox");
        assertThat(run("{{json .Config.Env}}")).isEqualTo("[\"A=1\",\"B=2\"]");
        assertThat(run("{{.Config.Env | json}}")).isEqualTo("[\"A=1\",\"B=2\"]");
        assertThat(run("{{json .State}}")).isEqualTo("{\"Running\":true,\"ExitCode\":0,\"Pid\":42}");
        assertThat(run("{{.Config.Env}}")).isEqualTo("[A=1 B=2]");
        assertThat(run("{{.Size}} {{.State.Pid}}")).isEqualTo("1.5 42");
    }

    @Test
    void controlStructures() throws Exception {
        assertThat(run("{{range .Config.Env}}[{{.}}]{{end}}")).isEqualTo("[A=1][B=2]");
        assertThat(run("{{range $i, $e := .Config.Env}}{{$i}}={{$e}};{{end}}")).isEqualTo("0=A=1;1=B=2;");
        assertThat(run("{{range .Mounts}}x{{else}}none{{end}}")).isEqualTo("none");
        assertThat(run("{{if .State.Running}}up{{else}}down{{end}}")).isEqualTo("up");
        assertThat(run("{{if eq .State.ExitCode 1}}one{{else if eq .State.ExitCode 0}}zero{{else}}?{{end}}")).isEqualTo("zero");
        assertThat(run("{{with .Config}}{{.Image}}{{end}}")).isEqualTo("busybox");
        assertThat(run("{{$x := .Name}}{{$x}}")).isEqualTo("/web");
        assertThat(run("a {{- \" b \" -}} c")).isEqualTo("a b c");
        assertThat(run("{{/* comment */}}ok")).isEqualTo("ok");
    }

    @Test
    void functions() throws Exception {
        assertThat(run("{{join .Config.Env \",\"}}")).isEqualTo("A=1,B=2");
        assertThat(run("{{index .Config.Labels \"com.example\"}}")).isEqualTo("yes");
        assertThat(run("{{upper .Config.Image}} {{lower \"AB\"}} {{title \"hello world\"}}")).isEqualTo("BUSYBOX ab Hello World");
        assertThat(run("{{printf \"%s-%d|%5s|%-4s|\" .Id .State.Pid \"x\" \"y\"}}")).isEqualTo("abc-42|    x|y   |");
        assertThat(run("{{len .Config.Env}}")).isEqualTo("2");
        assertThat(run("{{println .Id}}")).isEqualTo("abc\n");
        assertThat(run("{{split \"a:b\" \":\"}}")).isEqualTo("[a b]");
        assertThat(run("{{.Name | printf \"%q\"}}")).isEqualTo("\"/web\"");
        assertThat(run("{{if and .State.Running (not .State.ExitCode)}}ok{{end}}")).isEqualTo("ok");
        assertThat(run("{{(index .Config.Env 1)}}")).isEqualTo("B=2");
        assertThat(run("{{truncate .Id 2}}{{pad .Id 1 1}}")).isEqualTo("ab abc ");
        // Go's own template functions, which docker's templates have too
        assertThat(run("{{slice .Id 1}} {{slice .Id 0 2}} {{slice .Config.Env 1}}")).isEqualTo("bc ab [B=2]");
        assertThat(run("{{html \"<a href='x'>&\\\"\"}}")).isEqualTo("&lt;a href=&#39;x&#39;&gt;&amp;&#34;");
        assertThat(run("{{urlquery \"a b&c=d/é\"}}")).isEqualTo("a+b%26c%3Dd%2F%C3%A9");
        assertThat(run("{{js \"it's <b>=\"}}")).isEqualTo("it\\'s \\u003Cb\\u003E\\u003D");
        assertThatThrownBy(() -> run("{{slice .Id 2 9}}")).hasMessageContaining("index out of range");
    }

    @Test
    void inspectIdioms() throws Exception {
        Object net = Json.MAPPER.readValue("""
                {"NetworkSettings":{"Networks":{"bridge":{"IPAddress":"172.17.0.2"},"app":{"IPAddress":"10.0.0.5"}}},
                 "Config":{"Labels":{"b":"2","a":"1"}},"State":{"Health":null}}""", Object.class);
        assertThat(Template.parse("{{(index .NetworkSettings.Networks \"bridge\").IPAddress}}").execute(net, true))
                .isEqualTo("172.17.0.2");
        assertThat(Template.parse("{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}").execute(net, true))
                .isEqualTo("10.0.0.5 172.17.0.2 ");
        assertThat(Template.parse("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}").execute(net, true))
                .isEqualTo("a=1;b=2;");
        assertThat(Template.parse("{{.Config.Labels}}").execute(net, true)).isEqualTo("map[a:1 b:2]");
        assertThat(Template.parse("{{if .State.Health}}h{{else}}none{{end}}").execute(net, true)).isEqualTo("none");
        assertThatThrownBy(() -> Template.parse("{{.State.Health.Status}}").execute(net, true))
                .hasMessageContaining("nil pointer evaluating interface {}.Status");
    }

    @Test
    void missingKey_strictFailsLikeDocker_laxPrintsNoValue() throws Exception {
        assertThatThrownBy(() -> run("{{.Nope}}"))
                .hasMessage("template: :1:2: executing \"\" at <.Nope>: map has no entry for key \"Nope\"");
        assertThat(run("{{.Config.Labels.missing}}")).isEqualTo("<no value>");
        assertThat(Template.parse("{{.Nope}}").execute(Map.of("A", 1))).isEqualTo("<no value>");
    }

    /** docker evaluates on its typed structs first: {{.ID}}, {{.HostConfig.NanoCPUs}} are Go names of "Id", "NanoCpus". */
    @Test
    void goFieldNames_findTheirJsonNames_butAGoMapsKeysMatchExactly() throws Exception {
        Object data = Json.MAPPER.readValue("""
                {"Id":"abc","HostConfig":{"NanoCpus":5,"CpuShares":2},"Server":{"ApiVersion":"1.50"},
                 "Config":{"Labels":{"Maintainer":"me"}}}""", Object.class);
        assertThat(Template.parse("{{.ID}} {{.Id}} {{.HostConfig.NanoCPUs}} {{.HostConfig.CPUShares}} {{.Server.APIVersion}}")
                .execute(data, true)).isEqualTo("abc abc 5 2 1.50");
        assertThat(Template.parse("{{.Config.Labels.MAINTAINER}}|{{.Config.Labels.Maintainer}}").execute(data, true))
                .isEqualTo("<no value>|me");
        assertThatThrownBy(() -> Template.parse("{{.Nope}}").execute(data, true)).hasMessageContaining("map has no entry");
    }

    @Test
    void rowFieldsAndMethods() throws Exception {
        Row row = new Row("formatter.ContainerContext").field("ID", () -> "abc")
                .method("Label", a -> "v-" + a.getFirst());
        assertThat(Template.parse("{{.ID}} {{.Label \"k\"}} {{json .}}").execute(row))
                .isEqualTo("abc v-k {\"ID\":\"abc\"}");
        assertThatThrownBy(() -> Template.parse("{{.Nope}}").execute(row))
                .hasMessageContaining("can't evaluate field Nope in type *formatter.ContainerContext");
    }

    @Test
    void parseErrors() {
        assertThatThrownBy(() -> Template.parse("{{.Id")).hasMessageContaining("unclosed action");
        assertThatThrownBy(() -> Template.parse("{{if .A}}x")).hasMessageContaining("unexpected EOF");
        assertThatThrownBy(() -> Template.parse("{{nope .A}}").execute(Map.of()))
                .hasMessageContaining("function \"nope\" not defined");
    }

    @Test
    void formatter_tableAlignsLikeDockerTabwriter() throws Exception {
        Map<String, String> headers = Map.of("ID", "CONTAINER ID", "Name", "NAMES");
        List<Row> rows = List.of(
                new Row("C").field("ID", () -> "0123456789ab").field("Name", () -> "web"),
                new Row("C").field("ID", () -> "x").field("Name", () -> "db"));
        assertThat(Formatter.render("table {{.ID}}\\t{{.Name}}", "", headers, rows)).isEqualTo("""
                CONTAINER ID   NAMES
                0123456789ab   web
                x              db
                """);
        assertThat(Formatter.render("table {{.Name}}\t{{.ID}}", "", headers, List.of())).isEqualTo("NAMES     CONTAINER ID\n");
        assertThat(Formatter.render("{{.Name}}", "", headers, rows)).isEqualTo("web\ndb\n");
        assertThat(Formatter.render("json", "", headers, rows)).startsWith("{\"ID\":\"0123456789ab\",\"Name\":\"web\"}\n");
    }

    @Test
    void filters_encodeLikeDocker() {
        assertThat(Filters.toJson(List.of("label=a=b", "status=exited", "status=created")))
                .isEqualTo("{\"label\":{\"a=b\":true},\"status\":{\"created\":true,\"exited\":true}}");
        assertThat(Filters.toJson(List.of())).isNull();
        assertThatThrownBy(() -> Filters.parse(List.of("dangling"))).hasMessageContaining("expected name=value");
    }
}
