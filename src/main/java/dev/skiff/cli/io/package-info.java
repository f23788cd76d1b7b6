/**
 * Byte streams of attach, exec and logs: stdcopy demultiplexing and the stdin/stdout pumps of a
 * hijacked connection (stdin half-closes at EOF while output keeps flowing).
 */
package dev.skiff.cli.io;
