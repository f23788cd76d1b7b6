package dev.skiff.build.dockerfile;

/**
 * A problem in one instruction, before the parser knows where it is: {@link DockerfileParser} catches it
 * and throws an {@code InvalidArgumentException} naming the file, line and instruction.
 */
final class ParseFailure extends RuntimeException {
    ParseFailure(String message) {
        super(message, null, false, false);
    }
}
