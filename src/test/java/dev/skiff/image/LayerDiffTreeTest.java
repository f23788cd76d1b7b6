package dev.skiff.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.sys.Syscalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LayerDiff#writeTree}: what docker export and docker cp out of a container send. */
class LayerDiffTreeTest {
    @TempDir
    Path tmp;
    Path root;

    @BeforeEach
    void tree() throws IOException {
        root = tmp.resolve("rootfs");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/hostname"), "box\n");
        Files.createSymbolicLink(root.resolve("link"), Path.of("/etc/hostname"));
    }

    private static Map<String, TarArchiveEntry> entries(byte[] tar) throws IOException {
        Map<String, TarArchiveEntry> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(PaxXattrs.reading(new ByteArrayInputStream(tar)))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.put(e.getName(), e);
            }
        }
        return out;
    }

    private byte[] write(Path source, String rootName) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerDiff.writeTree(source, rootName, out);
        return out.toByteArray();
    }

    @Test
    void names_followTheRootName() throws IOException {
        assertThat(entries(write(root, "")).keySet()).containsExactly("etc/", "etc/hostname", "link");
        assertThat(entries(write(root, "rootfs")).keySet())
                .containsExactly("rootfs/", "rootfs/etc/", "rootfs/etc/hostname", "rootfs/link");
        assertThat(entries(write(root, ".")).keySet()).containsExactly("./", "./etc/", "./etc/hostname", "./link");
        Map<String, TarArchiveEntry> one = entries(write(root.resolve("etc/hostname"), "hostname"));
        assertThat(one.keySet()).containsExactly("hostname");
        assertThat(one.get("hostname").getSize()).isEqualTo(4);
        Map<String, TarArchiveEntry> link = entries(write(root.resolve("link"), "link"));
        assertThat(link.get("link").isSymbolicLink()).isTrue(); // archived as a link, never followed
        assertThat(link.get("link").getLinkName()).isEqualTo("/etc/hostname");
    }

    /** As dockerd's archive.FileInfoHeader: the file-type bits in the mode, and the host's names for the IDs. */
    @Test
    void headers_carryTheFileTypeBits_andTheHostsNames() throws IOException {
        Files.setPosixFilePermissions(root.resolve("etc/hostname"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        Map<String, TarArchiveEntry> all = entries(write(root, ""));
        assertThat(Integer.toOctalString(all.get("etc/hostname").getMode())).isEqualTo("100640");
        assertThat(Integer.toOctalString(all.get("etc/").getMode() & ~07777)).isEqualTo("40000");
        assertThat(Integer.toOctalString(all.get("link").getMode() & ~07777)).isEqualTo("120000");
        HostAccounts host = HostAccounts.read();
        TarArchiveEntry f = all.get("etc/hostname");
        assertThat(f.getUserName()).isEqualTo(host.user((int) f.getLongUserId()));
        assertThat(f.getGroupName()).isEqualTo(host.group((int) f.getLongGroupId()));
        if (f.getLongUserId() == 0) {
            assertThat(f.getUserName()).isEqualTo("root");
        }
    }

    @Test
    void hostAccounts_takeTheFirstNameOfAnId_andSkipWhatIsMalformed() throws IOException {
        Path passwd = Files.writeString(tmp.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n# comment:x:5\n"
                + "toor:x:0:0::/:/bin/sh\nbad:x:notanumber:0::/:\n:x:7:7::/:\napp:x:1000:1000::/app:/bin/sh\n");
        Path group = Files.writeString(tmp.resolve("group"), "root:x:0:\nstaff:x:50:app\n");
        HostAccounts a = HostAccounts.read(passwd, group);
        assertThat(a.user(0)).isEqualTo("root");
        assertThat(a.user(1000)).isEqualTo("app");
        assertThat(a.user(7)).isEmpty();
        assertThat(a.user(12345)).isEmpty(); // the host does not name it: no name, as dockerd's
        assertThat(a.group(50)).isEqualTo("staff");
        assertThat(HostAccounts.read(tmp.resolve("nosuch"), tmp.resolve("nosuch")).user(0)).isEmpty();
    }

    /** Device numbers wider than 8 bits of major and minor (a dynamic major, an nvme partition) survive. */
    @Test
    void deviceNodes_keepWideMajorAndMinor() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "mknod needs root");
        Files.createDirectories(root.resolve("dev"));
        Syscalls.mknodChar(root.resolve("dev/wide"), 0640, 259, 70_000);
        Syscalls.mknodChar(root.resolve("dev/null"), 0666, 1, 3);
        Map<String, TarArchiveEntry> e = entries(write(root, ""));
        assertThat(e.get("dev/wide").isCharacterDevice()).isTrue();
        assertThat(e.get("dev/wide").getDevMajor()).isEqualTo(259);
        assertThat(e.get("dev/wide").getDevMinor()).isEqualTo(70_000);
        assertThat(e.get("dev/null").getDevMajor()).isEqualTo(1);
        assertThat(e.get("dev/null").getDevMinor()).isEqualTo(3);
    }

    /** docker cp out and back in keeps xattrs, a binary security.capability included. */
    @Test
    void xattrs_roundTripThroughApply() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "security.* xattrs need root");
        Path file = root.resolve("etc/hostname");
        Syscalls.lsetxattr(file, "user.note", "hello".getBytes(StandardCharsets.UTF_8));
        byte[] cap = {0x01, 0x00, 0x00, 0x02, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                0x00, 0x00, 0x00, 0x00}; // VFS_CAP_REVISION_2, cap_net_bind_service permitted
        Syscalls.lsetxattr(file, "security.capability", cap);

        TarArchiveEntry e = entries(write(file, "hostname")).get("hostname");
        Path copy = tmp.resolve("copy");
        Files.writeString(copy, "box\n");
        PaxXattrs.apply(e, copy);
        assertThat(Syscalls.lgetxattr(copy, "user.note")).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
        assertThat(Syscalls.lgetxattr(copy, "security.capability")).isEqualTo(cap);
    }

    /** An attribute the target refuses (EPERM, EOPNOTSUPP) is left out, as Docker's archive code does. */
    @Test
    void apply_skipsAttributesTheKernelRefuses() throws IOException {
        TarArchiveEntry e = new TarArchiveEntry("f");
        e.addPaxHeader(PaxXattrs.SCHILY + "user.ok", "yes");
        e.addPaxHeader(PaxXattrs.SCHILY + "trusted.overlay.opaque", "y");
        Path f = tmp.resolve("f");
        Files.writeString(f, "");
        Files.createSymbolicLink(tmp.resolve("l"), f);
        PaxXattrs.apply(e, tmp.resolve("l")); // user.* on a symlink: EPERM, skipped
        PaxXattrs.apply(e, f);
        assertThat(Syscalls.lgetxattr(f, "user.ok")).isEqualTo("yes".getBytes(StandardCharsets.UTF_8));
        assertThat(Syscalls.lgetxattr(f, "trusted.overlay.opaque")).isNull();
        List<String> none = new ArrayList<>(Syscalls.llistxattr(tmp.resolve("l")));
        assertThat(none).isEmpty();
    }
}
