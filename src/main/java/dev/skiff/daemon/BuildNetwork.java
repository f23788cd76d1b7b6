package dev.skiff.daemon;

import dev.skiff.build.StepNetwork;
import dev.skiff.engine.ContainerNetworking;
import dev.skiff.engine.EtcFiles;
import dev.skiff.engine.network.ContainerNetworks;
import dev.skiff.errors.UnavailableException;
import java.io.IOException;
import java.nio.file.Path;

/** The builder's RUN steps on the default bridge, through the daemon's network service (see {@link StepNetwork}). */
final class BuildNetwork implements StepNetwork {
    private final Path hostResolv;
    private final ContainerNetworks networks;

    BuildNetwork(ContainerNetworks networks, Path hostResolv) {
        this.hostResolv = hostResolv;
        this.networks = networks;
    }

    @Override
    public Joined join(String stepId, String network) {
        ContainerNetworking.Sandbox s = networks.attachStep(stepId, network);
        if (s == null) {
            return null;
        }
        try {
            return new Joined(s.netns(), s.address(), s.embeddedDns() ? EtcFiles.embeddedResolv(hostResolv)
                    : EtcFiles.bridgeResolv(hostResolv));
        } catch (IOException | RuntimeException e) {
            networks.remove(stepId);
            throw new UnavailableException("cannot read the host's name servers for build step "
                    + stepId.substring(0, 12) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String hostGateway() {
        return networks.hostGateway();
    }

    @Override
    public void leave(String stepId) {
        networks.remove(stepId);
    }
}
