package dev.skiff.errors;

/**
 * A service this daemon does not offer, asked for by name (swarm mode's nodes, services, secrets...): HTTP 503, as
 * dockerd answers on a node outside a swarm, which tools read as "not in swarm mode" rather than as a missing route.
 */
public final class ServiceUnavailableException extends SkiffException {
    public ServiceUnavailableException(String message) {
        super(message);
    }
}
