/**
 * The built-in OCI Distribution registry server ({@code skiff registry serve}): HTTP routes on Netty,
 * filesystem storage with deduplicated blobs, auth, TLS, garbage collection and a pull-through cache.
 */
package dev.skiff.registry.server;
