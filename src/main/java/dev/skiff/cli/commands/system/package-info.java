/**
 * Daemon-wide commands (version, info, events, inspect, system df/prune) and the management
 * command groups (container, image, system).
 */
package dev.skiff.cli.commands.system;
