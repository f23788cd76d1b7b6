package dev.skiff.cli;

/** The skiff CLI's entry point. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.err.println("skiff: not wired yet");
        System.exit(1);
    }
}
