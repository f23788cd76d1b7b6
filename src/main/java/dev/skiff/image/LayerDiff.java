package dev.skiff.image;

import dev.skiff.sys.OverlayMarks;
import dev.skiff.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a directory as an uncompressed tar: an overlay upper directory as an OCI layer (a 0:0 character
 * device becomes ".wh.NAME", the opaque xattr becomes ".wh..wh..opq"), or a whole rootfs as-is (export).
 * Entries (and each entry's xattrs) are in name order and every header field comes from the tree (a whiteout takes
 * its device node's or opaque directory's mtime), never from the clock, so the same tree gives the same bytes: a
 * build step's layer keeps no tar and is regenerated from its directory ({@link LayerTars}).
 */
public final class LayerDiff {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final int S_IFMT = 0170000, S_IFDIR = 0040000, S_IFREG = 0100000, S_IFLNK = 0120000;
    /**
     * The attributes a header takes, named: "unix:*" would also look up the owner's and group's names
     * (getpwuid/getgrgid per file), which made stat three times the cost of the whole read of a small file.
     */
    private static final String ATTRS = "unix:mode,uid,gid,size,lastModifiedTime,ino,dev,nlink,rdev";
    /** A regular file's content is read this much at a time. */
    private static final int READ_BUFFER = 1 << 17;

    private final Path root;
    private final String prefix;
    private final boolean whiteouts;
    private final TarArchiveOutputStream tar;
    private final Map<Object, String> inodes = new HashMap<>();
    /** The host's user and group names, for a tree's headers; null for a layer, whose bytes are its digest. */
    private final HostAccounts accounts;
    private byte[] readBuffer;

    private LayerDiff(Path root, String rootName, boolean whiteouts, OutputStream out) {
        this.root = root;
        this.prefix = rootName.isEmpty() ? "" : rootName + "/";
        this.whiteouts = whiteouts;
        this.accounts = whiteouts ? null : HostAccounts.read();
        this.tar = new TarArchiveOutputStream(PaxXattrs.writing(out), StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    /** Writes the changes in an overlay upper directory as an OCI layer tar. */
    public static void writeLayer(Path upperDir, OutputStream out) throws IOException {
        LayerDiff d = new LayerDiff(upperDir, "", true, out);
        d.walk(upperDir);
        d.finish();
    }

    /**
     * Writes {@code source} as it is, a directory with everything under it or a single file, named under
     * {@code rootName} ("" puts a directory's contents at the top): docker export and docker cp out of a
     * container. Owners, modes, times, links, device nodes and xattrs are kept, symlinks never followed.
     */
    public static void writeTree(Path source, String rootName, OutputStream out) throws IOException {
        LayerDiff d = new LayerDiff(source, rootName, false, out);
        Map<String, Object> attrs = Files.readAttributes(source, ATTRS, NOFOLLOW);
        int mode = (int) attrs.get("mode");
        if ((mode & S_IFMT) != S_IFDIR) {
            d.putNonDirectory(source, rootName, mode, attrs);
        } else {
            if (!rootName.isEmpty()) {
                d.put(source, d.prefix, TarConstants.LF_DIR, attrs, null);
            }
            d.walk(source);
        }
        d.finish();
    }

    private void finish() throws IOException {
        tar.finish(); // the caller owns the stream and closes it
        tar.flush();
    }

    private void walk(Path dir) throws IOException {
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
        for (Path child : children) {
            Map<String, Object> attrs = Files.readAttributes(child, ATTRS, NOFOLLOW);
            int mode = (int) attrs.get("mode");
            String name = prefix + root.relativize(child);
            if ((mode & S_IFMT) == S_IFDIR) {
                put(child, name + "/", TarConstants.LF_DIR, attrs, null);
                if (whiteouts && OverlayMarks.isOpaque(child)) {
                    putWhiteout(name + "/" + LayerUnpacker.OPAQUE, attrs);
                }
                walk(child);
            } else if (whiteouts && OverlayMarks.isWhiteout(mode, (long) attrs.get("rdev"))) {
                Path parent = root.relativize(child).getParent();
                String hidden = LayerUnpacker.WHITEOUT_PREFIX + child.getFileName();
                putWhiteout(parent == null ? hidden : parent + "/" + hidden, attrs);
            } else {
                putNonDirectory(child, name, mode, attrs);
            }
        }
    }

    private void putNonDirectory(Path path, String name, int mode, Map<String, Object> attrs) throws IOException {
        switch (mode & S_IFMT) {
            case S_IFREG -> {
                Object inode = attrs.get("ino") + ":" + attrs.get("dev");
                String first = (int) attrs.get("nlink") > 1 ? inodes.putIfAbsent(inode, name) : null;
                if (first != null) {
                    put(path, name, TarConstants.LF_LINK, attrs, first);
                } else {
                    put(path, name, TarConstants.LF_NORMAL, attrs, null);
                }
            }
            case S_IFLNK -> put(path, name, TarConstants.LF_SYMLINK, attrs, Files.readSymbolicLink(path).toString());
            case Syscalls.S_IFCHR -> put(path, name, TarConstants.LF_CHR, attrs, null);
            case Syscalls.S_IFBLK -> put(path, name, TarConstants.LF_BLK, attrs, null);
            case Syscalls.S_IFIFO -> put(path, name, TarConstants.LF_FIFO, attrs, null);
            default -> { } // sockets cannot be archived; Docker skips them too
        }
    }

    private void put(Path path, String name, byte type, Map<String, Object> attrs, String link) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, type);
        int uid = (int) attrs.get("uid");
        int gid = (int) attrs.get("gid");
        if (accounts == null) {
            e.setMode((int) attrs.get("mode") & 07777);
        } else {
            // docker cp and export as dockerd writes them (archive.FileInfoHeader): the file-type bits in the mode
            // (0100644), and the owner's and group's names as the daemon's host knows them
            e.setMode((int) attrs.get("mode") & (07777 | S_IFMT));
            e.setUserName(accounts.user(uid));
            e.setGroupName(accounts.group(gid));
        }
        e.setUserId(uid);
        e.setGroupId(gid);
        e.setLastModifiedTime(seconds((FileTime) attrs.get("lastModifiedTime")));
        if (link != null) {
            e.setLinkName(link);
        }
        if (type == TarConstants.LF_CHR || type == TarConstants.LF_BLK) {
            long rdev = (long) attrs.get("rdev");
            e.setDevMajor(Syscalls.major(rdev));
            e.setDevMinor(Syscalls.minor(rdev));
        }
        if (type != TarConstants.LF_SYMLINK) {
            addXattrs(path, e);
        }
        boolean content = type == TarConstants.LF_NORMAL;
        if (content) {
            e.setSize((long) attrs.get("size"));
        }
        tar.putArchiveEntry(e);
        if (content) {
            if (copyContent(path) != e.getSize()) {
                throw new IOException("file " + path + " changed size while it was archived");
            }
        }
        tar.closeArchiveEntry();
    }

    /** A file's bytes into the entry, in reads of {@link #READ_BUFFER} (transferTo's 16 KiB took 7 reads each). */
    private long copyContent(Path path) throws IOException {
        if (readBuffer == null) {
            readBuffer = new byte[READ_BUFFER];
        }
        long copied = 0;
        try (InputStream in = Files.newInputStream(path, NOFOLLOW)) {
            for (int n; (n = in.read(readBuffer)) >= 0; ) {
                tar.write(readBuffer, 0, n);
                copied += n;
            }
        }
        return copied;
    }

    private void putWhiteout(String name, Map<String, Object> attrs) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
        e.setMode(0);
        e.setLastModifiedTime(seconds((FileTime) attrs.get("lastModifiedTime")));
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    /**
     * PAX SCHILY.xattr.* records; a binary value (security.capability) goes out as LIBARCHIVE.xattr.* base64,
     * which {@link PaxXattrs#writing} turns into the raw SCHILY.xattr record Docker writes. Overlay's own
     * attributes are internal and stay out.
     */
    private static void addXattrs(Path path, TarArchiveEntry e) throws IOException {
        // in name order: listxattr's order is the filesystem's, and the tar must come out the same every time
        for (String name : Syscalls.llistxattr(path).stream().sorted().toList()) {
            if (name.startsWith("trusted.overlay.") || name.equals("security.selinux")) {
                continue;
            }
            byte[] value = Syscalls.lgetxattr(path, name);
            if (value == null) {
                continue;
            }
            String text = utf8(value);
            if (text != null) {
                e.addPaxHeader(PaxXattrs.SCHILY + name, text);
            } else {
                e.addPaxHeader(PaxXattrs.LIBARCHIVE + name, java.util.Base64.getEncoder().encodeToString(value));
            }
        }
    }

    /** The value as UTF-8 text, or null when it is binary (commons-compress can only write text PAX values). */
    private static String utf8(byte[] value) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException ex) {
            return null;
        }
    }

    /** Whole seconds, as Docker's tars carry: sub-second times would only add PAX noise. */
    private static FileTime seconds(FileTime t) {
        return FileTime.from(t.toInstant().getEpochSecond(), java.util.concurrent.TimeUnit.SECONDS);
    }
}
