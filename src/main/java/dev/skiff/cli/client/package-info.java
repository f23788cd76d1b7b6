/**
 * A blocking HTTP/1.1 client over unix and TCP sockets, with hijack, for the CLI and tests.
 * No dependency on the daemon's code.
 */
package dev.skiff.cli.client;
