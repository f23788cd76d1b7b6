package dev.skiff.api.http;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Json;
import org.junit.jupiter.api.Test;

/** Request bodies against the swagger's types, in the words of Go's decoder. */
class BodyTypesTest {
    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    private static void refused(String body, String name, String message) {
        assertThatThrownBy(() -> BodyTypes.check(name, json(body))).isInstanceOf(InvalidArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void aWellTypedCreate_passes_withNullsAndFieldsTheSwaggerDoesNotName() {
        assertThatCode(() -> BodyTypes.check("ContainerCreate", json("""
                {"Image":"busybox","Cmd":"sh -c true","Entrypoint":["/bin/sh"],"Env":["A=1",null],"Labels":{"a":"b"},
                 "ExposedPorts":{"80/tcp":{}},"Healthcheck":{"Test":["CMD","true"],"Interval":1000000000},
                 "HostConfig":{"Memory":536870912,"PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"8080"}]},
                   "Mounts":[{"Type":"volume","Target":"/d","VolumeOptions":{"Labels":{"x":"y"}}}],"Binds":null,
                   "Ulimits":[{"Name":"nofile","Soft":1024,"Hard":1024}],"SomethingNewer":{"x":[1]}},
                 "NetworkingConfig":{"EndpointsConfig":{"n":{"Aliases":["a"],"IPAMConfig":{"IPv4Address":"10.1.0.5"}}}},
                 "StopTimeout":null}"""))).doesNotThrowAnyException();
    }

    @Test
    void aFieldOfTheWrongType_isRefusedWithItsPath() {
        refused("{\"HostConfig\":{\"Memory\":\"512m\"}}", "ContainerCreate",
                "json: cannot unmarshal string into Go struct field HostConfig.Memory of type int64");
        refused("{\"Env\":[1]}", "ContainerCreate", "json: cannot unmarshal number into Go struct field Env of type string");
        refused("{\"Env\":\"A=1\"}", "ContainerCreate",
                "json: cannot unmarshal string into Go struct field Env of type []string");
        refused("{\"Labels\":[\"a\"]}", "ContainerCreate",
                "json: cannot unmarshal array into Go struct field Labels of type map[string]string");
        refused("{\"HostConfig\":\"x\"}", "ContainerCreate",
                "json: cannot unmarshal string into Go struct field HostConfig of type HostConfig");
        refused("{\"Cmd\":[\"sh\",1]}", "ContainerCreate",
                "json: cannot unmarshal array into Go struct field Cmd of type strslice.StrSlice");
        refused("{\"HostConfig\":{\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":\"a\"}]}}", "ContainerCreate",
                "json: cannot unmarshal string into Go struct field HostConfig.Ulimits.Soft of type int64");
        refused("{\"Tty\":\"yes\"}", "ContainerCreate", "json: cannot unmarshal string into Go struct field Tty of type bool");
        refused("{\"Driver\":7}", "VolumeCreate", "json: cannot unmarshal number into Go struct field Driver of type string");
        refused("{\"Cmd\":\"true\"}", "ExecCreate", "json: cannot unmarshal string into Go struct field Cmd of type []string");
        refused("{\"Memory\":true}", "ContainerUpdate", "json: cannot unmarshal bool into Go struct field Memory of type int64");
        refused("{\"Internal\":\"no\"}", "NetworkCreate",
                "json: cannot unmarshal string into Go struct field Internal of type bool");
    }

    @Test
    void anIntegerField_takesNoFractionAndNothingOutOfItsRange() {
        refused("{\"HostConfig\":{\"Memory\":1.5}}", "ContainerCreate",
                "json: cannot unmarshal number 1.5 into Go struct field HostConfig.Memory of type int64");
        refused("{\"HostConfig\":{\"Memory\":9223372036854775808}}", "ContainerCreate",
                "json: cannot unmarshal number 9223372036854775808 into Go struct field HostConfig.Memory of type int64");
    }
}
