/**
 * The registry commands of the CLI: pull, push, login, logout (credentials in the docker config, sent to the
 * daemon as X-Registry-Auth), and {@code registry serve}/{@code registry gc}, which host the standalone
 * registry server in this process, loaded only when one of those runs.
 */
package dev.skiff.cli.commands.registry;
