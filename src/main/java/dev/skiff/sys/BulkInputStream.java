package dev.skiff.sys;

import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream that reads into arrays only: a subclass implements {@link #read(byte[], int, int)}, and a
 * one-byte read goes through it (InputStream's default goes the other way, a byte at a time).
 */
public abstract class BulkInputStream extends InputStream {
    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;
}
