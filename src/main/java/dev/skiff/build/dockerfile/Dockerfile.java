package dev.skiff.build.dockerfile;

import java.util.List;
import java.util.Optional;

/**
 * A parsed Dockerfile: directives, the global ARGs (declared before the first FROM; usable in FROM lines,
 * and inside a stage once redeclared with {@code ARG NAME}) and the stages in order. Produced by
 * {@link DockerfileParser}; immutable.
 *
 * @param warnings what the classic builder warns about the text before the first step, one message per element
 *                 (empty continuation lines)
 */
public record Dockerfile(String name, Directives directives, List<Instruction.Arg> globalArgs,
                         List<Stage> stages, List<String> warnings) {
    public Dockerfile {
        globalArgs = List.copyOf(globalArgs);
        stages = List.copyOf(stages);
        warnings = List.copyOf(warnings);
    }

    /** The stage named {@code nameOrIndex} (case-insensitive) or at that index. */
    public Optional<Stage> stage(String nameOrIndex) {
        String wanted = nameOrIndex.toLowerCase(java.util.Locale.ROOT);
        for (Stage s : stages) {
            if (wanted.equals(s.name())) {
                return Optional.of(s);
            }
        }
        if (!wanted.isEmpty() && wanted.chars().allMatch(Character::isDigit) && wanted.length() < 6) {
            int i = Integer.parseInt(wanted);
            if (i < stages.size()) {
                return Optional.of(stages.get(i));
            }
        }
        return Optional.empty();
    }
}
