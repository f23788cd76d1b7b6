/** The embedded DNS server that answers container names at 127.0.0.11 inside each container network. */
package dev.skiff.engine.network.dns;
