package dev.skiff.daemon;

/** skiffd's entry point. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.err.println("skiffd: not wired yet");
        System.exit(1);
    }
}
