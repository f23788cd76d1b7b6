/**
 * The Dockerfile front end: the parsed model ({@link dev.skiff.build.dockerfile.Dockerfile}, its stages and
 * {@link dev.skiff.build.dockerfile.Instruction}s), the parser, variable substitution and the stage graph.
 * Pure: it reads text and returns values; it never touches the filesystem or the runtime.
 */
package dev.skiff.build.dockerfile;
