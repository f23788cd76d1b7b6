/**
 * Runs a parsed Dockerfile: stages, the image config in flight, RUN steps as short-lived runc containers
 * over overlay snapshots, and one committed layer per filesystem-changing instruction.
 */
package dev.skiff.build.exec;
