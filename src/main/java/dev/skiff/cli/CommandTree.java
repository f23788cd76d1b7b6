package dev.skiff.cli;

import dev.skiff.cli.commands.container.AttachCommand;
import dev.skiff.cli.commands.container.CommitCommand;
import dev.skiff.cli.commands.container.ContainerPruneCommand;
import dev.skiff.cli.commands.container.CpCommand;
import dev.skiff.cli.commands.container.CreateCommand;
import dev.skiff.cli.commands.container.DiffCommand;
import dev.skiff.cli.commands.container.ExecCommand;
import dev.skiff.cli.commands.container.ExportCommand;
import dev.skiff.cli.commands.container.InspectContainerCommand;
import dev.skiff.cli.commands.container.KillCommand;
import dev.skiff.cli.commands.container.LogsCommand;
import dev.skiff.cli.commands.container.PauseCommand;
import dev.skiff.cli.commands.container.PortCommand;
import dev.skiff.cli.commands.container.PsCommand;
import dev.skiff.cli.commands.container.RenameCommand;
import dev.skiff.cli.commands.container.RestartCommand;
import dev.skiff.cli.commands.container.RmCommand;
import dev.skiff.cli.commands.container.RunCommand;
import dev.skiff.cli.commands.container.StartCommand;
import dev.skiff.cli.commands.container.StatsCommand;
import dev.skiff.cli.commands.container.StopCommand;
import dev.skiff.cli.commands.container.TopCommand;
import dev.skiff.cli.commands.container.UnpauseCommand;
import dev.skiff.cli.commands.container.UpdateCommand;
import dev.skiff.cli.commands.container.WaitCommand;
import dev.skiff.cli.commands.image.HistoryCommand;
import dev.skiff.cli.commands.image.ImagePruneCommand;
import dev.skiff.cli.commands.image.BuildCommand;
import dev.skiff.cli.commands.image.BuilderPruneCommand;
import dev.skiff.cli.commands.image.ImagesCommand;
import dev.skiff.cli.commands.image.ImportCommand;
import dev.skiff.cli.commands.image.InspectImageCommand;
import dev.skiff.cli.commands.image.LoadCommand;
import dev.skiff.cli.commands.image.RmiCommand;
import dev.skiff.cli.commands.image.SaveCommand;
import dev.skiff.cli.commands.image.TagCommand;
import dev.skiff.cli.commands.registry.LoginCommand;
import dev.skiff.cli.commands.registry.LogoutCommand;
import dev.skiff.cli.commands.registry.PullCommand;
import dev.skiff.cli.commands.registry.SearchCommand;
import dev.skiff.cli.commands.registry.PushCommand;
import dev.skiff.cli.commands.system.DfCommand;
import dev.skiff.cli.commands.system.EventsCommand;
import dev.skiff.cli.commands.system.Groups;
import dev.skiff.cli.commands.system.InfoCommand;
import dev.skiff.cli.commands.system.InspectCommand;
import dev.skiff.cli.commands.system.SystemPruneCommand;
import dev.skiff.cli.commands.system.VersionCommand;
import dev.skiff.cli.commands.volume.VolumeCommands;
import dev.skiff.cli.commands.network.NetworkCommands;
import dev.skiff.cli.commands.registry.RegistryCommands;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * docker's command layout: management groups (container, image, system) and the classic
 * top-level shortcuts (ps, run, images, rmi, ...) backed by the same command classes.
 */
final class CommandTree {
    /** Commands whose flags end at the first argument, so "run busybox ls -l" passes -l to ls. */
    private static final Set<String> INTERSPERSED_OFF = Set.of("run", "create", "exec", "top");

    /** Global options that take a value, so the command name is found after them. */
    private static final Set<String> GLOBAL_WITH_VALUE = Set.of("-H", "--host", "-l", "--log-level", "--config", "-c", "--context");

    /** Every place each command class is mounted, for the Aliases line of its help. */
    private final Map<Class<?>, List<String>> paths = new LinkedHashMap<>();

    /** The top-level command this invocation runs, or null when the whole tree is needed (help, errors). */
    private final String only;

    private CommandTree(String only) {
        this.only = only;
    }

    /** Mounts every command: for help output and tests. */
    static void addAll(CommandLine root, CommandLine.IFactory f) {
        new CommandTree(null).build(root, f);
    }

    /**
     * Mounts only what {@code args} runs. Building picocli's model of all ~110 mounted commands costs
     * hundreds of milliseconds per invocation, which a CLI started for every command must not pay; help
     * and unknown commands still get the whole tree, so their listings and suggestions stay complete.
     */
    static void addFor(CommandLine root, CommandLine.IFactory f, String[] args) {
        new CommandTree(commandName(args)).build(root, f);
    }

    /** Where the command's name is in {@code args} (after the global options), or -1 when there is none. */
    static int commandIndex(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (GLOBAL_WITH_VALUE.contains(args[i])) {
                i++;
            } else if (!args[i].startsWith("-")) {
                return i;
            }
        }
        return -1;
    }

    static String commandName(String[] args) {
        // help anywhere wants the whole tree: its Aliases line lists every mount of the command
        if (java.util.Arrays.asList(args).contains("--help")) {
            return null;
        }
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("help")) {
                return null;
            }
            if (GLOBAL_WITH_VALUE.contains(a)) {
                i++;
            } else if (!a.startsWith("-")) {
                return KNOWN.contains(a) ? a : null;
            }
        }
        return null;
    }

    private static final Set<String> KNOWN = Set.of("container", "image", "volume", "network", "system", "attach", "build", "builder",
            "commit", "cp", "create", "diff", "events", "exec", "export", "history", "images", "import", "info",
            "inspect", "kill", "load", "login", "logout", "logs", "pause", "pull", "push", "port", "ps", "registry", "rename", "restart", "rm", "rmi", "run", "save",
            "start", "stats", "stop", "tag", "top", "unpause", "update", "version", "wait");

    private boolean wanted(String topLevelName) {
        return only == null || only.equals(topLevelName);
    }

    private void build(CommandLine root, CommandLine.IFactory f) {
        if (wanted("container")) {
            CommandLine container = group(root, f, "container", Groups.ContainerGroup.class);
            add(container, f, AttachCommand.class, "attach");
            add(container, f, CommitCommand.class, "commit");
            add(container, f, CpCommand.class, "cp");
            add(container, f, CreateCommand.class, "create");
            add(container, f, DiffCommand.class, "diff");
            add(container, f, ExecCommand.class, "exec");
            add(container, f, ExportCommand.class, "export");
            add(container, f, InspectContainerCommand.class, "inspect");
            add(container, f, KillCommand.class, "kill");
            add(container, f, LogsCommand.class, "logs");
            add(container, f, PsCommand.class, "ls", "list", "ps");
            add(container, f, PauseCommand.class, "pause");
            add(container, f, PortCommand.class, "port");
            add(container, f, ContainerPruneCommand.class, "prune");
            add(container, f, RenameCommand.class, "rename");
            add(container, f, RestartCommand.class, "restart");
            add(container, f, RmCommand.class, "rm", "remove");
            add(container, f, RunCommand.class, "run");
            add(container, f, StartCommand.class, "start");
            add(container, f, StatsCommand.class, "stats");
            add(container, f, StopCommand.class, "stop");
            add(container, f, TopCommand.class, "top");
            add(container, f, UnpauseCommand.class, "unpause");
            add(container, f, UpdateCommand.class, "update");
            add(container, f, WaitCommand.class, "wait");
        }

        if (wanted("image")) {
            CommandLine image = group(root, f, "image", Groups.ImageGroup.class);
            add(image, f, BuildCommand.class, "build");
            add(image, f, HistoryCommand.class, "history");
            add(image, f, ImportCommand.class, "import");
            add(image, f, InspectImageCommand.class, "inspect");
            add(image, f, LoadCommand.class, "load");
            add(image, f, ImagesCommand.class, "ls", "list");
            add(image, f, ImagePruneCommand.class, "prune");
            add(image, f, PullCommand.class, "pull");
            add(image, f, PushCommand.class, "push");
            add(image, f, RmiCommand.class, "rm", "remove");
            add(image, f, SaveCommand.class, "save");
            add(image, f, TagCommand.class, "tag");
        }

        if (wanted("volume")) {
            CommandLine volume = group(root, f, "volume", VolumeCommands.Group.class);
            add(volume, f, VolumeCommands.Create.class, "create");
            add(volume, f, VolumeCommands.Inspect.class, "inspect");
            add(volume, f, VolumeCommands.Ls.class, "ls", "list");
            add(volume, f, VolumeCommands.Prune.class, "prune");
            add(volume, f, VolumeCommands.Rm.class, "rm", "remove");
        }

        if (wanted("network")) {
            CommandLine network = group(root, f, "network", NetworkCommands.Group.class);
            add(network, f, NetworkCommands.Connect.class, "connect");
            add(network, f, NetworkCommands.Create.class, "create");
            add(network, f, NetworkCommands.Disconnect.class, "disconnect");
            add(network, f, NetworkCommands.Inspect.class, "inspect");
            add(network, f, NetworkCommands.Ls.class, "ls", "list");
            add(network, f, NetworkCommands.Prune.class, "prune");
            add(network, f, NetworkCommands.Rm.class, "rm", "remove");
        }

        if (wanted("registry")) {
            CommandLine registry = group(root, f, "registry", RegistryCommands.Group.class);
            add(registry, f, RegistryCommands.Gc.class, "gc");
            add(registry, f, RegistryCommands.Serve.class, "serve");
        }

        if (wanted("system")) {
            CommandLine system = group(root, f, "system", Groups.SystemGroup.class);
            add(system, f, DfCommand.class, "df");
            add(system, f, EventsCommand.class, "events");
            add(system, f, InfoCommand.class, "info");
            add(system, f, SystemPruneCommand.class, "prune");
        }

        if (wanted("builder")) {
            CommandLine builder = group(root, f, "builder", BuilderPruneCommand.Group.class);
            add(builder, f, BuildCommand.class, "build");
            add(builder, f, BuilderPruneCommand.class, "prune");
        }
        if (wanted("build")) {
            add(root, f, BuildCommand.class, "build");
        }
        if (wanted("attach")) {
            add(root, f, AttachCommand.class, "attach");
        }
        if (wanted("commit")) {
            add(root, f, CommitCommand.class, "commit");
        }
        if (wanted("cp")) {
            add(root, f, CpCommand.class, "cp");
        }
        if (wanted("create")) {
            add(root, f, CreateCommand.class, "create");
        }
        if (wanted("diff")) {
            add(root, f, DiffCommand.class, "diff");
        }
        if (wanted("events")) {
            add(root, f, EventsCommand.class, "events");
        }
        if (wanted("exec")) {
            add(root, f, ExecCommand.class, "exec");
        }
        if (wanted("export")) {
            add(root, f, ExportCommand.class, "export");
        }
        if (wanted("history")) {
            add(root, f, HistoryCommand.class, "history");
        }
        if (wanted("images")) {
            add(root, f, ImagesCommand.class, "images");
        }
        if (wanted("import")) {
            add(root, f, ImportCommand.class, "import");
        }
        if (wanted("info")) {
            add(root, f, InfoCommand.class, "info");
        }
        if (wanted("inspect")) {
            add(root, f, InspectCommand.class, "inspect");
        }
        if (wanted("kill")) {
            add(root, f, KillCommand.class, "kill");
        }
        if (wanted("load")) {
            add(root, f, LoadCommand.class, "load");
        }
        if (wanted("login")) {
            add(root, f, LoginCommand.class, "login");
        }
        if (wanted("logout")) {
            add(root, f, LogoutCommand.class, "logout");
        }
        if (wanted("pull")) {
            add(root, f, PullCommand.class, "pull");
        }
        if (wanted("push")) {
            add(root, f, PushCommand.class, "push");
        }
        if (wanted("search")) {
            add(root, f, SearchCommand.class, "search");
        }
        if (wanted("logs")) {
            add(root, f, LogsCommand.class, "logs");
        }
        if (wanted("pause")) {
            add(root, f, PauseCommand.class, "pause");
        }
        if (wanted("port")) {
            add(root, f, PortCommand.class, "port");
        }
        if (wanted("ps")) {
            add(root, f, PsCommand.class, "ps");
        }
        if (wanted("rename")) {
            add(root, f, RenameCommand.class, "rename");
        }
        if (wanted("restart")) {
            add(root, f, RestartCommand.class, "restart");
        }
        if (wanted("rm")) {
            add(root, f, RmCommand.class, "rm");
        }
        if (wanted("rmi")) {
            add(root, f, RmiCommand.class, "rmi");
        }
        if (wanted("run")) {
            add(root, f, RunCommand.class, "run");
        }
        if (wanted("save")) {
            add(root, f, SaveCommand.class, "save");
        }
        if (wanted("start")) {
            add(root, f, StartCommand.class, "start");
        }
        if (wanted("stats")) {
            add(root, f, StatsCommand.class, "stats");
        }
        if (wanted("stop")) {
            add(root, f, StopCommand.class, "stop");
        }
        if (wanted("tag")) {
            add(root, f, TagCommand.class, "tag");
        }
        if (wanted("top")) {
            add(root, f, TopCommand.class, "top");
        }
        if (wanted("unpause")) {
            add(root, f, UnpauseCommand.class, "unpause");
        }
        if (wanted("update")) {
            add(root, f, UpdateCommand.class, "update");
        }
        if (wanted("version")) {
            add(root, f, VersionCommand.class, "version");
        }
        if (wanted("wait")) {
            add(root, f, WaitCommand.class, "wait");
        }
        polish(root);
        installHelp(root, new Help(Map.copyOf(paths)));
    }

    private CommandLine group(CommandLine parent, CommandLine.IFactory f, String name, Class<?> cls) {
        CommandLine cl = new CommandLine(cls, f);
        parent.addSubcommand(name, cl);
        return cl;
    }

    private void add(CommandLine parent, CommandLine.IFactory f, Class<?> cls, String name, String... aliases) {
        CommandLine sub = new CommandLine(cls, f);
        parent.addSubcommand(name, sub, aliases);
        // picocli keeps the class's own name (ps, images); docker's usage names the mount: "container ls"
        sub.getCommandSpec().name(name);
        String prefix = parent.getCommandSpec().qualifiedName();
        List<String> where = paths.computeIfAbsent(cls, k -> new ArrayList<>());
        where.add(prefix + " " + name);
        for (String a : aliases) {
            where.add(prefix + " " + a);
        }
    }

    private static void installHelp(CommandLine cl, Help help) {
        Help.install(cl, help);
        java.util.Set<CommandLine> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (seen.add(sub)) {
                installHelp(sub, help);
            }
        }
    }

    /** Docker-style "Usage:  skiff container ls [OPTIONS]" synopses, --help everywhere, flags-first parsing. */
    private static void polish(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        String[] custom = spec.usageMessage().customSynopsis();
        String args = custom.length > 0 ? custom[0] : "";
        spec.usageMessage().customSynopsis((spec.qualifiedName() + " " + args).strip());
        spec.usageMessage().synopsisHeading("Usage:  ");
        if (spec.findOption("--help") == null) {
            spec.addOption(OptionSpec.builder("--help").usageHelp(true).description("Print usage").build());
        }
        if (INTERSPERSED_OFF.contains(spec.name())) {
            spec.parser().stopAtPositional(true);
        }
        java.util.Set<CommandLine> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (seen.add(sub)) {
                polish(sub);
            }
        }
    }
}
