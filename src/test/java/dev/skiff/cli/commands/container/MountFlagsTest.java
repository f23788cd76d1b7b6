package dev.skiff.cli.commands.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.sys.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountFlagsTest {
    @Test
    void mount_everyKeyDockerAccepts() throws Exception {
        assertThat(json("type=volume,src=v,dst=/d,ro,volume-nocopy,volume-subpath=a,volume-label=k=v,volume-driver=local,"
                + "volume-opt=type=tmpfs,volume-opt=device=tmpfs,consistency=cached"))
                .isEqualTo("{\"Type\":\"volume\",\"Source\":\"v\",\"Target\":\"/d\",\"ReadOnly\":true,\"Consistency\":\"cached\","
                        + "\"VolumeOptions\":{\"Labels\":{\"k\":\"v\"},\"NoCopy\":true,\"Subpath\":\"a\","
                        + "\"DriverConfig\":{\"Name\":\"local\",\"Options\":{\"type\":\"tmpfs\",\"device\":\"tmpfs\"}}}}");
        assertThat(json("type=bind,source=/h,destination=/c,readonly=false,bind-propagation=rshared,bind-recursive=disabled"))
                .isEqualTo("{\"Type\":\"bind\",\"Source\":\"/h\",\"Target\":\"/c\",\"BindOptions\":{\"Propagation\":\"rshared\",\"NonRecursive\":true}}");
        assertThat(json("type=tmpfs,target=/t,tmpfs-size=64m,tmpfs-mode=1770"))
                .isEqualTo("{\"Type\":\"tmpfs\",\"Source\":\"\",\"Target\":\"/t\",\"TmpfsOptions\":{\"SizeBytes\":67108864,\"Mode\":1016}}");
        assertThat(json("dst=/anon")).isEqualTo("{\"Type\":\"volume\",\"Source\":\"\",\"Target\":\"/anon\"}");
        assertThat(json("type=bind,src=.,dst=/w")).contains(Path.of("").toAbsolutePath().toString());
        assertThat(json("type=bind,\"src=/a,b\",dst=/w")).contains("\"Source\":\"/a,b\"");
    }

    @Test
    void mount_dockersClientSideErrors() {
        assertError("type=bind,src=/a", "target is required");
        assertError("type=bind,dst=/a,volume-nocopy", "cannot mix 'volume-*' options with mount type 'bind'");
        assertError("type=volume,dst=/a,bind-propagation=shared", "cannot mix 'bind-*' options with mount type 'volume'");
        assertError("type=volume,dst=/a,tmpfs-size=1m", "cannot mix 'tmpfs-*' options with mount type 'volume'");
        assertError("dst=/a,color=red", "unexpected key 'color' in 'color=red'");
        assertError("dst=/a,whatever", "invalid field 'whatever' must be a key=value pair");
        assertError("dst=/a,ro=maybe", "invalid value for ro: maybe");
        assertError("type=tmpfs,dst=/a,tmpfs-mode=9", "invalid value for tmpfs-mode: 9");
        assertError("type=bind,src=/a,dst=/a,bind-recursive=sometimes", "invalid value for bind-recursive: sometimes");
        assertError("type=bind,src=/a,dst=/a,bind-recursive=writable", "option 'bind-recursive=writable' requires 'readonly' to be specified in conjunction");
        assertError("type=bind,src=/a,dst=/a,ro,bind-recursive=readonly",
                "option 'bind-recursive=readonly' requires 'bind-propagation=rprivate' to be specified in conjunction");
    }

    @Test
    void binds_relativeHostPathsBecomeAbsolute_bareTargetsAreNotBinds() {
        String cwd = Path.of("").toAbsolutePath().toString();
        assertThat(MountFlags.binds(List.of("./data:/d:ro", "/abs:/a", "named:/n", "/anon")))
                .containsExactly(cwd + "/data:/d:ro", "/abs:/a", "named:/n");
    }

    private static String json(String value) throws Exception {
        return Json.MAPPER.writeValueAsString(MountFlags.parseMount(value));
    }

    private static void assertError(String value, String message) {
        assertThatThrownBy(() -> MountFlags.parseMount(value))
                .hasMessageContaining("invalid argument \"" + value + "\" for \"--mount\" flag: " + message);
    }
}
