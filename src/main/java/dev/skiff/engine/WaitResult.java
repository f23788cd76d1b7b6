package dev.skiff.engine;

/** What POST /containers/{id}/wait answers: the exit code and, when the wait itself failed, why. */
public record WaitResult(int statusCode, String error) {
}
