/**
 * The Dockerfile builder and its cache (see the build issue).
 * Runs RUN steps through the engine's runtime; depends on image and runtime.
 */
package dev.skiff.build;
