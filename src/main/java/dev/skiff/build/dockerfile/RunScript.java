package dev.skiff.build.dockerfile;

import dev.skiff.build.dockerfile.Instruction.Run;
import java.util.List;
import java.util.Optional;

/**
 * What a RUN executes, heredocs included, as BuildKit does it:
 * <ul>
 * <li>no heredocs: the command (shell form gets the stage's SHELL prepended);</li>
 * <li>the command is one heredoc alone ({@code RUN <<EOF}) whose body starts with "#!": the body becomes
 *     an executable file {@code /dev/pipes/NAME} that the executor must mount read-only (mode 0755) and
 *     run directly;</li>
 * <li>the command is one heredoc alone, no "#!": the body is the shell's script ({@code sh -c BODY});</li>
 * <li>otherwise ({@code RUN python3 <<EOF} or several heredocs): the line and the bodies are joined back
 *     into shell heredoc syntax and handed to the shell, which feeds them to the command.</li>
 * </ul>
 */
public final class RunScript {
    /** Where BuildKit mounts a shebang heredoc. */
    public static final String PIPES = "/dev/pipes/";

    /** A file the executor must provide in the container before running {@code argv}. */
    public record InlineFile(String path, String content, int mode) {
    }

    /** The process argv and, for a shebang heredoc, the file to mount. */
    public record Plan(List<String> argv, Optional<InlineFile> file) {
    }

    private RunScript() {
    }

    public static Plan plan(Run run, List<String> shell) {
        Command command = run.command();
        if (run.heredocs().isEmpty() || !command.shellForm()) {
            return new Plan(command.argv(shell), Optional.empty());
        }
        String text = command.args().getFirst();
        Optional<Heredoc> alone = HeredocMarkers.parse(text.strip());
        if (alone.isPresent() && run.heredocs().size() == 1) {
            Heredoc doc = run.heredocs().getFirst();
            if (doc.content().startsWith("#!")) {
                String path = PIPES + doc.name();
                return new Plan(List.of(path), Optional.of(new InlineFile(path, doc.content(), 0755)));
            }
            return new Plan(Command.shell(doc.content()).argv(shell), Optional.empty());
        }
        StringBuilder full = new StringBuilder(text);
        for (Heredoc doc : run.heredocs()) {
            full.append('\n').append(doc.content()).append(doc.name());
        }
        return new Plan(Command.shell(full.toString()).argv(shell), Optional.empty());
    }
}
