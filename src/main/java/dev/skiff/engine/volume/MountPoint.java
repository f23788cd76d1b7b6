package dev.skiff.engine.volume;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One resolved mount of a container, as Docker's daemon keeps it (container.MountPoints): made at create, read
 * at every start and by inspect.
 *
 * @param type         "volume", "bind" or "tmpfs"
 * @param name         the volume's name (volumes only)
 * @param source       the host path: a bind's source, a volume's mountpoint; "" for tmpfs
 * @param mode         the raw mode of a -v spec ("ro,z"), "z" for local volumes without one, as Docker shows it
 * @param propagation  binds: as given, else rprivate, or rslave over the daemon's root (see MountResolver); "" for
 *                     volumes and tmpfs
 * @param copyData     copy the image's content at the destination into the volume while it is empty
 * @param subpath      --mount volume-subpath: mount only this directory of the volume
 * @param tmpfsData    tmpfs: "size=...,mode=..." from --mount's tmpfs-size, tmpfs-mode
 * @param createSource a -v bind whose missing host directory is made at start (a --mount bind errors instead)
 * @param recursive    --mount bind-recursive: "enabled" (default), "disabled", "writable" or "readonly"
 */
public record MountPoint(String type, String name, String source, String destination, String driver, String mode,
                         boolean rw, String propagation, boolean copyData, String subpath, String tmpfsData,
                         boolean createSource, String recursive) {
    public static MountPoint bind(String source, String destination, String mode, boolean rw, String propagation,
                                  boolean createSource, String recursive) {
        return new MountPoint("bind", "", source, destination, "", mode, rw, propagation, false, "", "", createSource, recursive);
    }

    public static MountPoint volume(String name, String destination, String driver, String mode, boolean rw,
                                    boolean copyData, String subpath) {
        return new MountPoint("volume", name, "", destination, driver, mode, rw, "", copyData, subpath, "", false, "");
    }

    public static MountPoint tmpfs(String destination, boolean rw, String data) {
        return new MountPoint("tmpfs", "", "", destination, "", "", rw, "", false, "", data, false, "");
    }

    public boolean isVolume() {
        return type.equals("volume");
    }

    MountPoint withVolume(String volumeName, String driverName, String mountpoint) {
        return new MountPoint(type, volumeName, mountpoint, destination, driverName, mode, rw, propagation, copyData,
                subpath, tmpfsData, createSource, recursive);
    }

    MountPoint withPropagation(String value) {
        return new MountPoint(type, name, source, destination, driver, mode, rw, value, copyData, subpath, tmpfsData,
                createSource, recursive);
    }

    /** --volumes-from: the same mount, read-only when asked, never copying up again. */
    MountPoint inherited(boolean readWrite) {
        return new MountPoint(type, name, source, destination, driver, mode, rw && readWrite, propagation, false,
                subpath, tmpfsData, false, recursive);
    }

    /** Docker's MountPoint JSON in container inspect and list. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("Type", type);
        if (!name.isEmpty()) {
            o.put("Name", name);
        }
        o.put("Source", source);
        o.put("Destination", destination);
        if (!driver.isEmpty()) {
            o.put("Driver", driver);
        }
        o.put("Mode", mode);
        o.put("RW", rw);
        o.put("Propagation", propagation);
        return o;
    }
}
