package dev.skiff.cli.commands;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * docker's --disable-content-trust (run, create, build, pull, push), which scripts and CI pass by habit: true is
 * docker's default and what Skiff does (it verifies images by their digests, with no Notary signatures), so it is
 * taken and changes nothing; false asks for signature checks Skiff does not make, and is refused rather than
 * ignored.
 */
public final class ContentTrust {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--disable-content-trust", arity = "0..1", fallbackValue = "true", paramLabel = "",
            description = "Skip image verification (default true)")
    void disable(boolean disabled) {
        if (!disabled) {
            throw new CommandLine.ParameterException(command.commandLine(), "invalid argument \"false\" for "
                    + "\"--disable-content-trust\" flag: content trust (Notary signatures) is not supported by Skiff;"
                    + " images are verified by their digests");
        }
    }
}
