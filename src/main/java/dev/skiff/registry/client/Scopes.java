package dev.skiff.registry.client;

/** Token scopes as the distribution auth spec writes them. */
final class Scopes {
    private Scopes() {
    }

    static String pull(String repo) {
        return "repository:" + repo + ":pull";
    }

    static String pullPush(String repo) {
        return "repository:" + repo + ":pull,push";
    }
}
