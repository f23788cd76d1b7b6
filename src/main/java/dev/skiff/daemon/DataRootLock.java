package dev.skiff.daemon;

import dev.skiff.errors.ConflictException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One daemon per data root: an exclusive lock on DATA-ROOT/skiffd.lock, held for the daemon's life
 * (the kernel drops it when the process dies, even by SIGKILL), plus the PID file people expect.
 */
final class DataRootLock {
    private final FileChannel channel;
    private final FileLock lock;
    private final Path pidFile;

    private DataRootLock(FileChannel channel, FileLock lock, Path pidFile) {
        this.channel = channel;
        this.lock = lock;
        this.pidFile = pidFile;
    }

    static DataRootLock acquire(Path dataRoot, Path pidFile) throws IOException {
        FileChannel ch = FileChannel.open(dataRoot.resolve("skiffd.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.READ);
        FileLock lock = ch.tryLock();
        if (lock == null) {
            ch.close();
            String other = Files.exists(pidFile) ? " (pid " + Files.readString(pidFile).strip() + ")" : "";
            throw new ConflictException("another skiffd" + other + " is using the data root " + dataRoot
                    + ": stop it, or start this one with another --data-root");
        }
        Files.createDirectories(pidFile.toAbsolutePath().getParent());
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        return new DataRootLock(ch, lock, pidFile);
    }

    void release() {
        try {
            Files.deleteIfExists(pidFile);
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
