package dev.skiff.engine;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.SkiffException;
import dev.skiff.errors.UnavailableException;

/**
 * Docker's reading of a failed start: a missing command exits 127, one that may not run 126, anything else
 * 128; the first two are the user's mistake (400), the rest the engine's (500).
 */
final class StartErrors {
    private StartErrors() {
    }

    static int exitCode(String message) {
        return dev.skiff.runtime.StartFailure.of(message).exitCode();
    }

    static String message(String runtimeMessage) {
        // dockerd 23+ wraps containerd's shim error in its own, and the gRPC code ends it: every layer, as people
        // search for the whole line
        return "failed to create task for container: failed to create shim task: " + runtimeMessage + ": unknown";
    }

    static SkiffException toApiError(String message, int exitCode) {
        return exitCode == 128 ? new UnavailableException(message) : new InvalidArgumentException(message);
    }
}
