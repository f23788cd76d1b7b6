package dev.skiff.engine;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * The X-Docker-Container-Path-Stat header's JSON (base64 encoded on the wire). Mode uses Go's os.FileMode
 * bits, which is what the docker CLI decodes: permission bits plus type flags in the high bits.
 */
public record PathStat(@JsonProperty("name") String name, @JsonProperty("size") long size,
                       @JsonProperty("mode") long mode, @JsonProperty("mtime") String mtime,
                       @JsonProperty("linkTarget") String linkTarget) {
    static final long MODE_DIR = 1L << 31, MODE_SYMLINK = 1L << 27, MODE_DEVICE = 1L << 26, MODE_PIPE = 1L << 25,
            MODE_SOCKET = 1L << 24, MODE_SETUID = 1L << 23, MODE_SETGID = 1L << 22, MODE_CHARDEV = 1L << 21,
            MODE_STICKY = 1L << 20;

    /** Stats {@code p} without following a final symlink; {@code linkTarget} is the container-side path. */
    static PathStat of(Path p, String name, String linkTarget) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        int unix = (Integer) a.get("mode");
        long mode = unix & 0777;
        switch (unix & 0170000) {
            case 0040000 -> mode |= MODE_DIR;
            case 0120000 -> mode |= MODE_SYMLINK;
            case 0020000 -> mode |= MODE_DEVICE | MODE_CHARDEV;
            case 0060000 -> mode |= MODE_DEVICE;
            case 0010000 -> mode |= MODE_PIPE;
            case 0140000 -> mode |= MODE_SOCKET;
            default -> { }
        }
        if ((unix & 04000) != 0) {
            mode |= MODE_SETUID;
        }
        if ((unix & 02000) != 0) {
            mode |= MODE_SETGID;
        }
        if ((unix & 01000) != 0) {
            mode |= MODE_STICKY;
        }
        String mtime = Times.format(((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).toInstant());
        return new PathStat(name, (Long) a.get("size"), mode, mtime, linkTarget);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isDir() {
        return (mode & MODE_DIR) != 0;
    }
}
