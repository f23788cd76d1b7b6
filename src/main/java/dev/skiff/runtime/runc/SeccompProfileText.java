package dev.skiff.runtime.runc;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.runtime.oci.OciConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A container's seccomp profile in the line format skiff-exec compiles (src/main/c/skiff-exec.c,
 * compile_seccomp): {@code default ACTION ERRNO}, {@code arch NAME}, then {@code rule NAME ACTION ERRNO [INDEX OP
 * VALUE VALUE_TWO]...} per syscall name, in the profile's order (the order runc adds its rules in), "-" for an errno
 * the profile leaves out. Names and actions are checked here, so a word never holds a space or a line break.
 * The first line names the compiler's version ({@link #COMPILER}): a compiled filter is kept under the text's digest,
 * so a helper that compiles differently must not find the filters an older one made.
 */
record SeccompProfileText(String text) {
    /** skiff-exec's compile_seccomp version; raised with every change to how it compiles (its COMPILER). */
    static final int COMPILER = 1;
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_]+");

    static SeccompProfileText of(OciConfig.Seccomp s) {
        StringBuilder b = new StringBuilder();
        b.append("compiler ").append(COMPILER).append('\n');
        b.append("default ").append(word(s.defaultAction())).append(' ').append(errno(s.defaultErrnoRet())).append('\n');
        if (s.architectures() != null) {
            for (String arch : s.architectures()) {
                b.append("arch ").append(word(arch)).append('\n');
            }
        }
        if (s.syscalls() != null) {
            for (OciConfig.Syscall call : s.syscalls()) {
                for (String name : call.names()) {
                    b.append("rule ").append(word(name)).append(' ').append(word(call.action())).append(' ')
                            .append(errno(call.errnoRet()));
                    if (call.args() != null) {
                        for (OciConfig.SyscallArg a : call.args()) {
                            b.append(' ').append(a.index()).append(' ').append(word(a.op())).append(' ')
                                    .append(Long.toUnsignedString(a.value())).append(' ')
                                    .append(Long.toUnsignedString(a.valueTwo() == null ? 0 : a.valueTwo()));
                        }
                    }
                    b.append('\n');
                }
            }
        }
        return new SeccompProfileText(b.toString());
    }

    /** The file name the profile is kept under: equal profiles share one file and one compiled filter. */
    String digest() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String errno(Integer ret) {
        return ret == null ? "-" : Integer.toString(ret);
    }

    private static String word(String w) {
        if (w == null || !WORD.matcher(w).matches()) {
            throw new InvalidArgumentException("seccomp profile: invalid name \"" + w + "\"");
        }
        return w;
    }
}
