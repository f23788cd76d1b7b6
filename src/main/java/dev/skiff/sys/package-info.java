/**
 * The bottom layer: syscalls through the FFM API (mount, xattrs, mknod), atomic file writes, safe path joins.
 * Nothing here knows about images or containers.
 */
package dev.skiff.sys;
