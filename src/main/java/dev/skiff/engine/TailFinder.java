package dev.skiff.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Finds where the last N lines of a k8s-file log start, reading backwards from the end in blocks. A line may
 * span several 'P' records, so the search counts newlines, checks how many 'F' records (whole lines) that
 * range holds, and widens the range until it holds N or reaches the file's start.
 */
final class TailFinder {
    private static final int BLOCK = 64 * 1024;

    private TailFinder() {
    }

    /**
     * @return {offset to read from, whole lines to skip after it, whole lines found (at most n)}
     */
    static long[] find(Path file, long n) throws IOException {
        if (!Files.exists(file)) {
            return new long[] {0, 0, 0};
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long need = n;
            while (true) {
                long off = includePartials(ch, afterNthNewlineFromEnd(ch, size, need + 1));
                long full = countFull(ch, off, size);
                if (full >= n || off == 0) {
                    return new long[] {off, Math.max(0, full - n), Math.min(full, n)};
                }
                need *= 2;
            }
        }
    }

    /** The offset just after the k-th newline counted from the end (the file's last byte is a newline: k=1). */
    static long afterNthNewlineFromEnd(FileChannel ch, long size, long k) throws IOException {
        byte[] block = new byte[BLOCK];
        long end = size;
        long seen = 0;
        while (end > 0) {
            int len = (int) Math.min(BLOCK, end);
            long start = end - len;
            ByteBuffer bb = ByteBuffer.wrap(block, 0, len);
            while (bb.hasRemaining()) {
                if (ch.read(bb, start + bb.position()) < 0) {
                    break;
                }
            }
            for (int i = len - 1; i >= 0; i--) {
                if (block[i] == '\n' && ++seen == k) {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return 0;
    }

    /** Moves {@code off} back over 'P' records just before it: they belong to the first whole line after it. */
    static long includePartials(FileChannel ch, long off) throws IOException {
        while (off > 0) {
            long start = off > 1 ? afterNthNewlineFromEnd(ch, off - 1, 1) : 0;
            byte[] head = new byte[(int) Math.min(128, off - start)];
            ch.read(ByteBuffer.wrap(head), start);
            int spaces = 0;
            int i = 0;
            while (i < head.length && spaces < 2) {
                if (head[i++] == ' ') {
                    spaces++;
                }
            }
            if (i >= head.length || head[i] != 'P') {
                return off;
            }
            off = start;
        }
        return off;
    }

    /** Whole-line ('F') records in [from, to). */
    static long countFull(FileChannel ch, long from, long to) throws IOException {
        byte[] block = new byte[BLOCK];
        long count = 0;
        long pos = from;
        int spaces = 0;
        while (pos < to) {
            int len = (int) Math.min(BLOCK, to - pos);
            ByteBuffer bb = ByteBuffer.wrap(block, 0, len);
            int n = ch.read(bb, pos);
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                byte c = block[i];
                if (c == '\n') {
                    spaces = 0;
                } else if (spaces < 2) {
                    if (c == ' ') {
                        spaces++;
                    }
                } else if (spaces == 2) {
                    if (c == 'F') {
                        count++;
                    }
                    spaces = 3;
                }
            }
            pos += n;
        }
        return count;
    }
}
