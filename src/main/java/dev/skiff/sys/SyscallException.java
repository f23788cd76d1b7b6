package dev.skiff.sys;

import java.io.IOException;

/** A failed syscall, with the errno so callers can tell "not there" from "busy". */
public final class SyscallException extends IOException {
    private final int errno;

    public SyscallException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
