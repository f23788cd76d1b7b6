/**
 * Writes a container's OCI runtime config (config.json) from a RuntimeSpec, with Docker's defaults:
 * capabilities, seccomp, masked paths, mounts, devices, user resolution against the rootfs.
 */
package dev.skiff.runtime.oci;
