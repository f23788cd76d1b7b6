package dev.skiff.build;

/**
 * Gives RUN steps whose network is "default" or "bridge" what Docker's classic builder gives them: a network
 * namespace on the daemon's default bridge, with the host's name servers; or, for `docker build --network NAME`,
 * on that user-defined network, with its embedded DNS (the network's containers by name). The daemon implements it
 * with its network service (which also releases what a crash left mid-build); the builder only joins and leaves.
 */
public interface StepNetwork {
    /** A daemon without bridge networking: such steps run with loopback only, as with --network none. */
    StepNetwork NONE = new StepNetwork() {
        @Override
        public Joined join(String stepId, String network) {
            if (network != null) {
                throw new dev.skiff.errors.NotFoundException("network " + network + " not found");
            }
            return null;
        }

        @Override
        public void leave(String stepId) {
        }
    };

    /**
     * Wires a namespace for the step {@code stepId} (64 hex characters) on the default bridge.
     *
     * @return the namespace, or null when there is no bridge to join
     */
    default Joined join(String stepId) {
        return join(stepId, null);
    }

    /**
     * Wires a namespace for the step on {@code network} (a user-defined bridge network's name or ID; null for the
     * default bridge).
     *
     * @return the namespace, or null when there is no default bridge to join
     * @throws dev.skiff.errors.NotFoundException "network NAME not found"
     */
    Joined join(String stepId, String network);

    /** What "host-gateway" in --add-host stands for: the default bridge's gateway, or "" without one. */
    default String hostGateway() {
        return "";
    }

    /** Releases the step's namespace and address; idempotent. */
    void leave(String stepId);

    /**
     * @param netns      the network namespace file the step's runtime joins
     * @param address    the step's address on the bridge (for its /etc/hosts)
     * @param resolvConf the step's /etc/resolv.conf
     */
    record Joined(String netns, String address, String resolvConf) {
    }
}
