package dev.skiff.api.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.http.ApiVersions;
import dev.skiff.errors.InvalidArgumentException;
import java.util.Optional;

/**
 * The container-wide Config.MacAddress of a create request, moved onto the endpoint of the container's network, as
 * dockerd's handleMACAddressBC does. docker-py and compose v1 send a MAC address only there (API 1.41), and before
 * this it was dropped without a word: the container got a random one. API 1.44 moved the field into
 * EndpointsConfig; a client of that version or later that still sends it gets dockerd's deprecation warning.
 */
final class MacAddressCompat {
    static final String DEPRECATED = "The container-wide MacAddress field is now deprecated. It should be specified"
            + " in EndpointsConfig instead.";

    private MacAddressCompat() {
    }

    /** Rewrites {@code body} in place; returns the warning for the create response, if any. */
    static Optional<String> apply(ObjectNode body, String apiVersion) {
        String mac = body.path("MacAddress").asText("");
        String mode = body.path("HostConfig").path("NetworkMode").asText("");
        boolean old = !ApiVersions.atLeast(apiVersion, "1.44");
        if (old) {
            if (mac.isEmpty()) {
                // the old API had no per-endpoint address: what a client sends there anyway was never applied
                endpoints(body, false).ifPresent(eps -> eps.forEach(ep -> {
                    if (ep instanceof ObjectNode o) {
                        o.remove("MacAddress");
                    }
                }));
                return Optional.empty();
            }
            if (!bridgeOrUserDefined(mode)) {
                throw new InvalidArgumentException("conflicting options: mac-address and the network mode"
                        + " (a MAC address belongs to an interface of the container's own network)");
            }
            endpointFor(body, mode).put("MacAddress", mac);
            return Optional.empty();
        }
        if (mac.isEmpty()) {
            return Optional.empty();
        }
        if (bridgeOrUserDefined(mode)) {
            ObjectNode ep = endpointFor(body, mode);
            String own = ep.path("MacAddress").asText("");
            if (own.isEmpty()) {
                ep.put("MacAddress", mac);
            } else if (!own.equals(mac)) {
                throw new InvalidArgumentException("the container-wide MAC address must match the endpoint-specific MAC"
                        + " address for the main network, or be left empty");
            }
        }
        body.remove("MacAddress");
        return Optional.of(DEPRECATED);
    }

    private static boolean bridgeOrUserDefined(String mode) {
        return !mode.equals("host") && !mode.equals("none") && !mode.startsWith("container:");
    }

    /** The EndpointsConfig entry of the network {@code mode} names; made when there is none at all. */
    private static ObjectNode endpointFor(ObjectNode body, String mode) {
        String network = mode.isEmpty() || mode.equals("default") ? "bridge" : mode;
        ObjectNode eps = endpoints(body, true).orElseThrow();
        if (eps.isEmpty()) {
            return eps.putObject(network);
        }
        if (eps.get(network) instanceof ObjectNode ep) {
            return ep;
        }
        if (eps.size() == 1 && eps.elements().next() instanceof ObjectNode only) {
            return only; // the one network asked for, named by its ID in one place and its name in the other
        }
        throw new InvalidArgumentException("HostConfig.NetworkMode must match the identity of a network in"
                + " NetworkSettings.Networks (the MAC address is for the network the container runs on)");
    }

    private static Optional<ObjectNode> endpoints(ObjectNode body, boolean make) {
        ObjectNode networking;
        if (body.get("NetworkingConfig") instanceof ObjectNode nc) {
            networking = nc;
        } else if (make) {
            networking = body.putObject("NetworkingConfig");
        } else {
            return Optional.empty();
        }
        JsonNode eps = networking.get("EndpointsConfig");
        if (eps instanceof ObjectNode o) {
            return Optional.of(o);
        }
        return make ? Optional.of(networking.putObject("EndpointsConfig")) : Optional.empty();
    }
}
