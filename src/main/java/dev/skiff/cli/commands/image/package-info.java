/**
 * Image commands (images, rmi, tag, history, import, load, save, prune): flags in docker's shape,
 * turned into Engine API calls, answers printed as docker prints them.
 */
package dev.skiff.cli.commands.image;
