package dev.skiff.sys;

/** The version Skiff reports, and the Docker Engine API range it speaks. */
public final class Versions {
    public static final String SKIFF = "0.1.0";
    /** The newest Docker Engine API version served; unversioned paths mean this one. */
    public static final String API = "1.50";
    /** The oldest API version accepted (dockerd's minimum). */
    public static final String MIN_API = "1.24";
    /** The Docker release whose API and CLI behaviour Skiff matches. */
    public static final String DOCKER_COMPAT = "28.2.2";

    private Versions() {
    }
}
