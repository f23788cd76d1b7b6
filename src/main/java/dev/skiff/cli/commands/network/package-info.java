/**
 * Network commands (network create, ls, inspect, rm, prune, connect, disconnect) in docker's shape
 * over the Engine API's /networks endpoints.
 */
package dev.skiff.cli.commands.network;
