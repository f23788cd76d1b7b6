/**
 * A small blocking HTTP/1.1 server abstraction (virtual threads) over Netty, with hijack for attach and exec.
 * Routes are registered on a Router; the transport knows nothing of Docker.
 */
package dev.skiff.api.http;
