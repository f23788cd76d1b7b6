/**
 * Container commands (run, create, ps, logs, exec, cp, stats, ...): flags in docker's shape,
 * turned into Engine API calls, answers printed as docker prints them.
 */
package dev.skiff.cli.commands.container;
