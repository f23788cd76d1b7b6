/**
 * The libc calls the runtime needs beyond the JDK and sys.Syscalls (SEQPACKET sockets, O_PATH, mkfifo),
 * through the FFM API; shared by the runc driver and the overlay snapshotter.
 */
package dev.skiff.runtime.unix;
