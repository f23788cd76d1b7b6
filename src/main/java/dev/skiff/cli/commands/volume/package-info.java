/**
 * Volume commands (volume create, ls, inspect, rm, prune) in docker's shape over the Engine API's
 * /volumes endpoints.
 */
package dev.skiff.cli.commands.volume;
