/**
 * The embedded DNS server (Docker's 127.0.0.11): container names and aliases of a container's networks, PTR for
 * their addresses, everything else forwarded upstream; one selector thread for every container. See docs/DNS.md.
 */
package dev.skiff.engine.network.dns;
