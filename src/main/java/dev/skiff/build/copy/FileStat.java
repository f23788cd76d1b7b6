package dev.skiff.build.copy;

import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

/**
 * What a COPY keeps of a source entry's stat, in 72 bytes with its inode key instead of the JDK's 144-byte
 * attributes object (a COPY of 100,000 files holds one per file until it is written). The times other than the
 * modification time are not kept: a copy sets only that one; they answer with it.
 */
final class FileStat implements BasicFileAttributes {
    private static final byte FILE = 0, DIRECTORY = 1, SYMLINK = 2, OTHER = 3;

    private final long size;
    private final long mtimeNanos;
    /** The inode's key (device and inode number, compared by value), for hard links and the hash cache. */
    private final Object fileKey;
    private final byte type;

    private FileStat(long size, long mtimeNanos, Object fileKey, byte type) {
        this.size = size;
        this.mtimeNanos = mtimeNanos;
        this.fileKey = fileKey;
        this.type = type;
    }

    static FileStat of(BasicFileAttributes a) {
        byte type = a.isRegularFile() ? FILE : a.isDirectory() ? DIRECTORY : a.isSymbolicLink() ? SYMLINK : OTHER;
        return new FileStat(a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.fileKey(), type);
    }

    @Override
    public FileTime lastModifiedTime() {
        return FileTime.from(mtimeNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public FileTime lastAccessTime() {
        return lastModifiedTime();
    }

    @Override
    public FileTime creationTime() {
        return lastModifiedTime();
    }

    @Override
    public boolean isRegularFile() {
        return type == FILE;
    }

    @Override
    public boolean isDirectory() {
        return type == DIRECTORY;
    }

    @Override
    public boolean isSymbolicLink() {
        return type == SYMLINK;
    }

    @Override
    public boolean isOther() {
        return type == OTHER;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public Object fileKey() {
        return fileKey;
    }
}
