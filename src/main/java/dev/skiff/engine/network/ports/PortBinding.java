package dev.skiff.engine.network.ports;

/**
 * One published port of a container, resolved to a concrete host port.
 *
 * @param protocol      "tcp", "udp" or "sctp"
 * @param containerPort the port inside the container
 * @param hostIp        the host address it is published on; "" for every host address
 * @param hostPort      the host port, never 0 once resolved
 */
public record PortBinding(String protocol, int containerPort, String hostIp, int hostPort) {
}
