/**
 * The build cache: keys made of the parent image, the expanded instruction, the build args it uses and the
 * content of the files it copies, mapped to the image each step produced; kept in SQLite across restarts.
 */
package dev.skiff.build.cache;
