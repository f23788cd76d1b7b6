package dev.skiff.image;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * libdeflate (the system's libdeflate.so.0, Debian's libdeflate0) through the FFM API, when it is installed: at
 * level 1 it deflated the registry benchmark's text 2.2-2.9x as fast as zlib's level 1 (273 against 93-124 MB/s a
 * core) into 12 % fewer bytes, and deflate is most of what a push costs. It compresses whole buffers only (no
 * dictionary, no sync flush), which {@link ParallelGzipOutputStream}'s independent blocks need no more.
 */
final class NativeDeflate {
    private static final int LEVEL = 1;
    private static final MethodHandle ALLOC;
    private static final MethodHandle COMPRESS;
    /** Whether libdeflate was found (and not turned off with -Dskiff.gzip.libdeflate=false). */
    static final boolean AVAILABLE;

    static {
        MethodHandle alloc = null;
        MethodHandle compress = null;
        if (!"false".equals(System.getProperty("skiff.gzip.libdeflate"))) {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup lib = SymbolLookup.libraryLookup("libdeflate.so.0", Arena.global());
                alloc = linker.downcallHandle(lib.find("libdeflate_alloc_compressor").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
                // critical: the arrays are passed in place, without a copy to native memory (the call is short)
                compress = linker.downcallHandle(lib.find("libdeflate_deflate_compress").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                                ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
                        Linker.Option.critical(true));
            } catch (RuntimeException | LinkageError e) {
                alloc = null; // not installed, or native access refused: zlib it is
                compress = null;
            }
        }
        ALLOC = alloc;
        COMPRESS = compress;
        AVAILABLE = compress != null;
    }

    /** One compressor per thread (about 1 MB of native memory), kept for the thread's life: the gzip pool's are few. */
    private static final ThreadLocal<MemorySegment> COMPRESSOR = ThreadLocal.withInitial(() -> {
        try {
            MemorySegment c = (MemorySegment) ALLOC.invokeExact(LEVEL);
            if (c.equals(MemorySegment.NULL)) {
                throw new OutOfMemoryError("libdeflate could not allocate a compressor");
            }
            return c;
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    });

    private NativeDeflate() {
    }

    /**
     * Deflates {@code input[0, n)} as one complete raw deflate stream (its last block final) into {@code out} from
     * {@code off}; returns its length, or -1 when it does not fit before the end of {@code out}.
     */
    static int compress(byte[] input, int n, byte[] out, int off) {
        try {
            long k = (long) COMPRESS.invokeExact(COMPRESSOR.get(), MemorySegment.ofArray(input), (long) n,
                    MemorySegment.ofArray(out).asSlice(off), (long) (out.length - off));
            return k == 0 ? -1 : (int) k;
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
