/**
 * The overlayfs Snapshotter: one set of upper, work and merged directories per container over read-only layer directories.
 * Mounts with the FFM mount(2) from sys; mount state is read from /proc/self/mountinfo.
 */
package dev.skiff.runtime.overlay;
