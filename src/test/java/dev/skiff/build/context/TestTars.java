package dev.skiff.build.context;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Small tars for tests: (name, type, content-or-link) triples; type f, d, l (symlink) or h (hardlink). */
public final class TestTars {
    private TestTars() {
    }

    /** A tar of (name, type, content-or-link) triples; type f, d, l (symlink) or h (hardlink). */
    public static byte[] tar(String... spec) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (int i = 0; i < spec.length; i += 3) {
                String name = spec[i], type = spec[i + 1], value = spec[i + 2];
                TarArchiveEntry e = switch (type) {
                    case "d" -> new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
                    case "l" -> {
                        TarArchiveEntry l = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                        l.setLinkName(value);
                        yield l;
                    }
                    case "h" -> {
                        TarArchiveEntry h = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
                        h.setLinkName(value);
                        yield h;
                    }
                    default -> new TarArchiveEntry(name);
                };
                byte[] data = type.equals("f") ? value.getBytes(StandardCharsets.UTF_8) : new byte[0];
                if (type.equals("f")) {
                    e.setSize(data.length);
                    e.setMode(0100755);
                }
                out.putArchiveEntry(e);
                out.write(data);
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
