/**
 * Turns a container's settings into an OCI bundle and drives conmon and runc; overlay snapshots, cgroups, attach sockets.
 * Depends on image only for layer paths; knows nothing of the Docker API.
 */
package dev.skiff.runtime;
