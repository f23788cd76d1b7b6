package dev.skiff.build.dockerfile;

/**
 * One {@code key=value} of ENV, LABEL or ARG. Raw: quotes and escapes are still in place and variables are
 * not substituted; {@link InstructionExpander} turns it into the final strings. For ARG, a missing default
 * ({@code ARG name}) is a null {@code value}.
 */
public record KeyValue(String key, String value) {
}
