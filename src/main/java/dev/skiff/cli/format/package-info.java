/**
 * Docker-compatible output: the Go text/template subset behind --format, tabwriter-aligned tables,
 * human sizes and durations, and --filter encoding.
 */
package dev.skiff.cli.format;
