package dev.skiff.engine.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountSpecsTest {
    @TempDir
    Path tmp;

    @Test
    void parseBind_hostPathIsABind_withModeAndPropagation() {
        MountPoint mp = MountSpecs.parseBind("/srv/data/:/data:ro,z,rslave", "").mount();
        assertThat(mp.type()).isEqualTo("bind");
        assertThat(mp.source()).isEqualTo("/srv/data");
        assertThat(mp.destination()).isEqualTo("/data");
        assertThat(mp.rw()).isFalse();
        assertThat(mp.mode()).isEqualTo("ro,z,rslave");
        assertThat(mp.propagation()).isEqualTo("rslave");
        assertThat(mp.createSource()).isTrue();
        // not given: the resolver chooses (MountResolverTest)
        assertThat(MountSpecs.parseBind("/a:/b", "").mount().propagation()).isEmpty();
    }

    @Test
    void parseBind_nameIsAVolume_nocopyTurnsCopyOff() {
        MountSpecs.Request r = MountSpecs.parseBind("cache:/var/cache:nocopy", "");
        assertThat(r.mount().type()).isEqualTo("volume");
        assertThat(r.mount().name()).isEqualTo("cache");
        assertThat(r.mount().copyData()).isFalse();
        assertThat(r.mount().propagation()).isEmpty();
        assertThat(MountSpecs.parseBind("cache:/c", "").mount().copyData()).isTrue();
        assertThat(MountSpecs.parseBind("/anon", "").mount().name()).isEmpty();
    }

    @Test
    void parseBind_rejectsWhatDockerRejects() {
        assertThatThrownBy(() -> MountSpecs.parseBind("/foo:rw", "")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid volume specification: '/foo:rw'");
        assertThatThrownBy(() -> MountSpecs.parseBind("a:/b:c:d", "")).hasMessage("invalid volume specification: 'a:/b:c:d'");
        assertThatThrownBy(() -> MountSpecs.parseBind(":/b", "")).hasMessage("invalid volume specification: ':/b'");
        assertThatThrownBy(() -> MountSpecs.parseBind("/a:/b:ro,rw", "")).hasMessage("invalid mode: ro,rw");
        assertThatThrownBy(() -> MountSpecs.parseBind("/a:/b:bogus", "")).hasMessage("invalid mode: bogus");
        assertThatThrownBy(() -> MountSpecs.parseBind("/a:rel", "")).hasMessage(
                "invalid volume specification: '/a:rel': invalid mount config for type \"bind\": invalid mount path: 'rel' mount path must be absolute");
        assertThatThrownBy(() -> MountSpecs.parseBind("/a:/", "")).hasMessageEndingWith("invalid specification: destination can't be '/'");
        assertThatThrownBy(() -> MountSpecs.parseBind("vol:/d:rshared", "")).hasMessage(
                "invalid volume specification: 'vol:/d:rshared': invalid mount config for type \"volume\": field BindOptions must not be specified");
        assertThatThrownBy(() -> MountSpecs.parseBind("/a:/d:nocopy", "")).hasMessage(
                "invalid volume specification: '/a:/d:nocopy': invalid mount config for type \"bind\": field VolumeOptions must not be specified");
    }

    @Test
    void parseMount_bindSourceMustExist_unlikeV() throws Exception {
        assertThatThrownBy(() -> MountSpecs.parseMount(json("{\"Type\":\"bind\",\"Source\":\"/x/none\",\"Target\":\"/m\"}")))
                .hasMessage("invalid mount config for type \"bind\": bind source path does not exist: /x/none");
        MountPoint mp = MountSpecs.parseMount(json("{\"Type\":\"bind\",\"Source\":\"" + tmp + "\",\"Target\":\"/m\",\"ReadOnly\":true,"
                + "\"BindOptions\":{\"Propagation\":\"rshared\"}}")).mount();
        assertThat(mp.rw()).isFalse();
        assertThat(mp.propagation()).isEqualTo("rshared");
        assertThat(mp.createSource()).isFalse();
        assertThat(mp.mode()).isEmpty();
        assertThatThrownBy(() -> MountSpecs.parseMount(json("{\"Type\":\"bind\",\"Source\":\"" + tmp + "\",\"Target\":\"/m\","
                + "\"BindOptions\":{\"Propagation\":\"sideways\"}}"))).hasMessageEndingWith("invalid propagation mode: sideways");
        assertThatThrownBy(() -> MountSpecs.parseMount(json("{\"Type\":\"bind\",\"Target\":\"/m\"}")))
                .hasMessage("invalid mount config for type \"bind\": field Source must not be empty");
    }

    @Test
    void parseMount_volumeOptionsAndTheirLimits() throws Exception {
        MountSpecs.Request r = MountSpecs.parseMount(json("{\"Type\":\"volume\",\"Source\":\"v1\",\"Target\":\"/d\",\"VolumeOptions\":"
                + "{\"NoCopy\":true,\"Subpath\":\"a/b\",\"Labels\":{\"k\":\"v\"},\"DriverConfig\":{\"Name\":\"local\",\"Options\":{\"type\":\"tmpfs\"}}}}"));
        assertThat(r.mount().copyData()).isFalse();
        assertThat(r.mount().subpath()).isEqualTo("a/b");
        assertThat(r.labels()).containsEntry("k", "v");
        assertThat(r.driverOpts()).containsEntry("type", "tmpfs");
        assertThat(r.driver()).isEqualTo("local");
        assertThatThrownBy(() -> MountSpecs.parseMount(json("{\"Type\":\"volume\",\"Target\":\"/d\",\"ReadOnly\":true}")))
                .hasMessage("invalid mount config for type \"volume\": must not set ReadOnly mode when using anonymous volumes");
        assertThatThrownBy(() -> MountSpecs.parseMount(json("{\"Type\":\"volume\",\"Source\":\"v\",\"Target\":\"/d\",\"VolumeOptions\":{\"Subpath\":\"../up\"}}")))
                .hasMessageEndingWith("subpath must be a relative path within the volume");
        assertThatThrownBy(() -> MountSpecs.parseMount(json("{\"Type\":\"volume\",\"Target\":\"/d\",\"VolumeOptions\":{\"Subpath\":\"x\"}}")))
                .hasMessageEndingWith("must not set Subpath when using anonymous volumes");
        assertThatThrownBy(() -> MountSpecs.parseMount(json("{\"Type\":\"volume\",\"Target\":\"/d\",\"BindOptions\":{}}")))
                .hasMessageEndingWith("field BindOptions must not be specified");
        assertThatThrownBy(() -> MountSpecs.parseMount(json("{\"Type\":\"npipe\",\"Target\":\"/d\"}")))
                .hasMessage("invalid mount config for type \"npipe\": mount type unknown");
        assertThatThrownBy(() -> MountSpecs.parseMount(json("{\"Type\":\"volume\",\"Source\":\"v\"}")))
                .hasMessage("invalid mount config for type \"volume\": field Target must not be empty");
    }

    @Test
    void parseMount_tmpfsOptionsAsDockerConvertsThem() throws Exception {
        MountPoint mp = MountSpecs.parseMount(json("{\"Type\":\"tmpfs\",\"Target\":\"/t\",\"TmpfsOptions\":{\"SizeBytes\":67108864,\"Mode\":1023}}")).mount();
        assertThat(mp.tmpfsData()).isEqualTo("mode=1777,size=64m");
        assertThat(MountSpecs.parseMount(json("{\"Type\":\"tmpfs\",\"Target\":\"/t\",\"ReadOnly\":true,\"TmpfsOptions\":{\"SizeBytes\":1000}}"))
                .mount().tmpfsData()).isEqualTo("ro,size=1000");
        assertThatThrownBy(() -> MountSpecs.parseMount(json("{\"Type\":\"tmpfs\",\"Source\":\"x\",\"Target\":\"/t\"}")))
                .hasMessage("invalid mount config for type \"tmpfs\": field Source must not be specified");
    }

    @Test
    void volumesFrom_modes() {
        assertThat(MountSpecs.parseVolumesFrom("web")).containsExactly("web", "rw");
        assertThat(MountSpecs.parseVolumesFrom("web:ro")).containsExactly("web", "ro");
        assertThatThrownBy(() -> MountSpecs.parseVolumesFrom("web:xx")).hasMessage("invalid mode: xx");
    }

    @Test
    void volumeNames_asTheLocalDriverAllows() {
        VolumeNames.validate("ab");
        VolumeNames.validate("my_vol.1-2");
        assertThatThrownBy(() -> VolumeNames.validate("a"))
                .hasMessage("create a: volume name is too short, names should be at least two alphanumeric characters");
        assertThatThrownBy(() -> VolumeNames.validate("x/y")).hasMessage("create x/y: \"x/y\" includes invalid characters for a "
                + "local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
        assertThatThrownBy(() -> VolumeNames.validate("_x")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> VolumeNames.validate("..")).isInstanceOf(InvalidArgumentException.class);
        assertThat(VolumeNames.random()).matches("[0-9a-f]{64}");
    }

    private static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }
}
