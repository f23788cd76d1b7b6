/**
 * The overlayfs Snapshotter: one upper/work/merged directory set per container over read-only layer directories.
 * Mounts with the FFM mount(2) from sys; mount state is read from /proc/self/mountinfo.
 */
package dev.skiff.runtime.overlay;
