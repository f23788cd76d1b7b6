package dev.skiff.api.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Json;
import org.junit.jupiter.api.Test;

/** Config.MacAddress moved onto the main network's endpoint, as dockerd's handleMACAddressBC. */
class MacAddressCompatTest {
    private static ObjectNode body(String json) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(json);
    }

    @Test
    void anOldClientsContainerWideAddress_goesToTheDefaultBridgesEndpoint() throws Exception {
        ObjectNode b = body("{\"Image\":\"x\",\"MacAddress\":\"02:42:ac:11:00:96\",\"HostConfig\":{\"NetworkMode\":\"default\"}}");
        assertThat(MacAddressCompat.apply(b, "1.41")).isEmpty();
        assertThat(b.at("/NetworkingConfig/EndpointsConfig/bridge/MacAddress").asText()).isEqualTo("02:42:ac:11:00:96");
        ObjectNode user = body("{\"Image\":\"x\",\"MacAddress\":\"02:00:00:00:00:01\",\"HostConfig\":{\"NetworkMode\":\"app_default\"},"
                + "\"NetworkingConfig\":{\"EndpointsConfig\":{\"app_default\":{\"Aliases\":[\"web\"]}}}}");
        MacAddressCompat.apply(user, "1.41");
        assertThat(user.at("/NetworkingConfig/EndpointsConfig/app_default/MacAddress").asText()).isEqualTo("02:00:00:00:00:01");
        assertThat(user.at("/NetworkingConfig/EndpointsConfig/app_default/Aliases/0").asText()).isEqualTo("web");
    }

    @Test
    void anOldClient_hasNoEndpointAddress_andNoAddressOnAnotherContainersNetwork() throws Exception {
        ObjectNode b = body("{\"Image\":\"x\",\"NetworkingConfig\":{\"EndpointsConfig\":{\"n\":{\"MacAddress\":\"02:00:00:00:00:02\"}}}}");
        MacAddressCompat.apply(b, "1.43");
        assertThat(b.at("/NetworkingConfig/EndpointsConfig/n").has("MacAddress")).isFalse();
        ObjectNode joined = body("{\"Image\":\"x\",\"MacAddress\":\"02:00:00:00:00:03\",\"HostConfig\":{\"NetworkMode\":\"container:db\"}}");
        assertThatThrownBy(() -> MacAddressCompat.apply(joined, "1.41")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("conflicting options: mac-address and the network mode");
    }

    @Test
    void aNewClient_isWarned_andItsTwoAddressesMustAgree() throws Exception {
        ObjectNode b = body("{\"Image\":\"x\",\"MacAddress\":\"02:00:00:00:00:04\",\"HostConfig\":{\"NetworkMode\":\"bridge\"}}");
        assertThat(MacAddressCompat.apply(b, "1.50")).contains(MacAddressCompat.DEPRECATED);
        assertThat(b.has("MacAddress")).isFalse();
        assertThat(b.at("/NetworkingConfig/EndpointsConfig/bridge/MacAddress").asText()).isEqualTo("02:00:00:00:00:04");
        ObjectNode clash = body("{\"Image\":\"x\",\"MacAddress\":\"02:00:00:00:00:05\",\"HostConfig\":{\"NetworkMode\":\"n\"},"
                + "\"NetworkingConfig\":{\"EndpointsConfig\":{\"n\":{\"MacAddress\":\"02:00:00:00:00:06\"}}}}");
        assertThatThrownBy(() -> MacAddressCompat.apply(clash, "1.44")).hasMessageContaining("must match");
        ObjectNode none = body("{\"Image\":\"x\"}");
        assertThat(MacAddressCompat.apply(none, "1.50")).isEmpty();
        assertThat(none.has("NetworkingConfig")).isFalse();
    }
}
