package dev.skiff.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds small tars in memory for tests, including the hostile ones. */
final class TarBuilder {
    static final Instant MTIME = Instant.parse("2024-01-01T00:00:00Z");
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);

    TarBuilder() {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    TarBuilder dir(String name, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
        e.setMode(040000 | mode);
        return put(e, new byte[0]);
    }

    TarBuilder file(String name, String content) {
        return file(name, content, 0644, 0, 0, Map.of());
    }

    TarBuilder file(String name, String content, int mode, int uid, int gid, Map<String, String> pax) {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setMode(0100000 | mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        pax.forEach(e::addPaxHeader);
        return put(e, content.getBytes(StandardCharsets.UTF_8));
    }

    TarBuilder fileBytes(String name, byte[] content) {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setMode(0100644);
        return put(e, content);
    }

    TarBuilder symlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        e.setLinkName(target);
        e.setMode(0120777);
        return put(e, new byte[0]);
    }

    TarBuilder hardlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
        e.setLinkName(target);
        return put(e, new byte[0]);
    }

    TarBuilder charDevice(String name, int major, int minor) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_CHR);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        e.setMode(020666);
        return put(e, new byte[0]);
    }

    private TarBuilder put(TarArchiveEntry e, byte[] content) {
        try {
            e.setModTime(Date.from(MTIME));
            e.setSize(content.length);
            tar.putArchiveEntry(e);
            tar.write(content);
            tar.closeArchiveEntry();
            return this;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    byte[] build() {
        try {
            tar.finish();
            tar.close();
            return bytes.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
