package dev.skiff.cli.format;

/** A --format template failed to parse or execute; the message reads like Go's text/template. */
public final class TemplateException extends Exception {
    public TemplateException(String message) {
        super(message);
    }
}
