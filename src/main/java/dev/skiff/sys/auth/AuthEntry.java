package dev.skiff.sys.auth;

/**
 * One registry's stored credentials. A username of {@code <token>} marks the secret as an identity token, as the
 * credential helpers do.
 */
public record AuthEntry(String username, String secret) {
    public static final String TOKEN_USER = "<token>";

    public boolean isIdentityToken() {
        return TOKEN_USER.equals(username);
    }

    @Override
    public String toString() {
        return "AuthEntry[" + username + "]"; // never the secret
    }
}
