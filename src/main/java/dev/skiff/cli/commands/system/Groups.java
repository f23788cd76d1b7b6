package dev.skiff.cli.commands.system;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The management commands (container, image, system): alone they print their usage, as docker does. */
public final class Groups {
    private Groups() {
    }

    public abstract static class Group implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "container", customSynopsis = "COMMAND", description = "Manage containers")
    public static final class ContainerGroup extends Group {
    }

    @Command(name = "image", customSynopsis = "COMMAND", description = "Manage images")
    public static final class ImageGroup extends Group {
    }

    @Command(name = "system", customSynopsis = "COMMAND", description = "Manage Skiff")
    public static final class SystemGroup extends Group {
    }
}
