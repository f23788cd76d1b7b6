/**
 * Volumes: named and anonymous volumes behind a {@link dev.skiff.engine.volume.VolumeDriver} (the "local" driver
 * here), their SQLite records, and the mount points of containers (binds, volumes, tmpfs, volumes-from).
 */
package dev.skiff.engine.volume;
