package dev.skiff.engine.network.ports;

/**
 * One port a container asks to publish, before a host port is chosen.
 *
 * @param hostIp       "" for every host address
 * @param hostPortLow  first acceptable host port; 0 (with hostPortHigh 0) = any port of the ephemeral range
 * @param hostPortHigh last acceptable host port; equal to hostPortLow for a fixed port
 */
public record PortRequest(String protocol, int containerPort, String hostIp, int hostPortLow, int hostPortHigh) {
    public boolean ephemeral() {
        return hostPortLow == 0;
    }

    public boolean fixed() {
        return hostPortLow != 0 && hostPortLow == hostPortHigh;
    }

    /** How docker names the host side in its errors: "0.0.0.0:8080", "127.0.0.1:8000-8010". */
    public String hostSide() {
        String ip = hostIp.isEmpty() ? "0.0.0.0" : hostIp;
        return ip + ":" + (fixed() ? Integer.toString(hostPortLow) : hostPortLow + "-" + hostPortHigh);
    }
}
