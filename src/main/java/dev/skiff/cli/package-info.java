/**
 * The skiff command line: picocli commands that are thin clients of the Docker Engine API.
 * Never reaches into the engine: everything goes over the socket.
 */
package dev.skiff.cli;
