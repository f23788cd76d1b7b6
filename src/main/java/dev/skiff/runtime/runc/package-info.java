/**
 * The ContainerRuntime that drives runc under conmon: bundle, sync FIFO, attach socket (FFM SEQPACKET),
 * exec through "runc exec", cgroup statistics.
 */
package dev.skiff.runtime.runc;
