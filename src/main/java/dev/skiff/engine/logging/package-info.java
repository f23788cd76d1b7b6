/**
 * Log drivers that ship a container's output elsewhere (syslog, journald, gelf, fluentd): one {@link
 * dev.skiff.engine.logging.LogSink} per container, speaking the destination's protocol. The engine's shipper feeds
 * them from the container's local log, which conmon keeps as for json-file, so {@code docker logs} reads it as
 * dockerd's dual logging does and nothing is lost while a destination is down or the daemon restarts.
 */
package dev.skiff.engine.logging;
