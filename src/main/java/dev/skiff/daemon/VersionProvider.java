package dev.skiff.daemon;

import dev.skiff.sys.Versions;
import picocli.CommandLine;

/** skiffd --version. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"Skiff version " + Versions.SKIFF + ", API " + Versions.API + " (minimum " + Versions.MIN_API + ")"};
    }
}
