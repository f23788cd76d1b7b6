/**
 * What all skiff commands share: the base command, API call helpers, query strings and failures.
 * Subpackages hold the container, image and system commands.
 */
package dev.skiff.cli.commands;
