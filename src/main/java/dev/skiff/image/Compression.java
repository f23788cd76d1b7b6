package dev.skiff.image;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/** The compressions a layer or rootfs tar may arrive in, told apart by their magic bytes. */
enum Compression {
    NONE("application/vnd.oci.image.layer.v1.tar"),
    GZIP("application/vnd.oci.image.layer.v1.tar+gzip"),
    ZSTD("application/vnd.oci.image.layer.v1.tar+zstd"),
    BZIP2("application/x-bzip2"),
    XZ("application/x-xz");

    private static final int BUFFER = 1 << 16;

    private final String mediaType;

    Compression(String mediaType) {
        this.mediaType = mediaType;
    }

    String mediaType() {
        return mediaType;
    }

    /** Peeks at the first bytes of {@code in} (which must support mark/reset). */
    static Compression detect(InputStream in) throws IOException {
        in.mark(8);
        byte[] head = in.readNBytes(6);
        in.reset();
        if (starts(head, 0x1f, 0x8b)) {
            return GZIP;
        }
        if (starts(head, 0x28, 0xb5, 0x2f, 0xfd)) {
            return ZSTD;
        }
        if (starts(head, 'B', 'Z', 'h')) {
            return BZIP2;
        }
        if (starts(head, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
            return XZ;
        }
        return NONE;
    }

    /** The uncompressed stream of {@code raw}, whatever compression it has. */
    static InputStream decompress(InputStream raw) throws IOException {
        InputStream in = raw.markSupported() ? raw : new BufferedInputStream(raw, BUFFER);
        return switch (detect(in)) {
            case GZIP -> new GZIPInputStream(in, BUFFER);
            case ZSTD -> new BufferedInputStream(new ZstdInputStream(in), BUFFER);
            case BZIP2 -> new BZip2CompressorInputStream(in, true);
            case XZ -> new XZCompressorInputStream(in, true);
            case NONE -> in;
        };
    }

    private static boolean starts(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
