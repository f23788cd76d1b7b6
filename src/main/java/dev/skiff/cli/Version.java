package dev.skiff.cli;

import picocli.CommandLine.IVersionProvider;

/** The client's version, from the jar manifest when packaged. */
public final class Version implements IVersionProvider {
    public static final String API_VERSION = "1.50";

    public static String number() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"Skiff version " + number()};
    }
}
