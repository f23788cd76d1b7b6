/**
 * The build context: a directory or an untrusted tar stream, filtered by .dockerignore, walked without
 * ever following a symlink out of it.
 */
package dev.skiff.build.context;
