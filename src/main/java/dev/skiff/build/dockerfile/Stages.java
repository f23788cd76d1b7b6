package dev.skiff.build.dockerfile;

import dev.skiff.build.dockerfile.Instruction.Arg;
import dev.skiff.build.dockerfile.Instruction.From;
import dev.skiff.errors.InvalidArgumentException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Groups a flat instruction list into the global ARGs and the stages, checking what may come where. */
final class Stages {
    private Stages() {
    }

    static Dockerfile group(String name, Directives directives, List<Instruction> instructions,
                            List<String> warnings) {
        if (instructions.isEmpty()) {
            throw new InvalidArgumentException(name + ": the Dockerfile has no instructions (file with no instructions)");
        }
        List<Arg> globals = new ArrayList<>();
        List<Stage> stages = new ArrayList<>();
        Set<String> names = new HashSet<>();
        From from = null;
        List<Instruction> body = new ArrayList<>();
        for (Instruction in : instructions) {
            if (in instanceof From f) {
                if (from != null) {
                    stages.add(stage(stages.size(), from, body));
                }
                if (f.stageName() != null && !names.add(f.stageName())) {
                    throw new InvalidArgumentException(f.location() + ": duplicate stage name \"" + f.stageName()
                            + "\" (give each stage its own AS name)");
                }
                from = f;
                body = new ArrayList<>();
            } else if (from == null) {
                if (!(in instanceof Arg a)) {
                    throw new InvalidArgumentException(in.location() + ": " + in.keyword()
                            + ": no build stage in current context (a Dockerfile must begin with FROM; only ARG may come before it)");
                }
                globals.add(a);
            } else {
                body.add(in);
            }
        }
        if (from == null) {
            throw new InvalidArgumentException(name + ": the Dockerfile has no FROM instruction (no build stage in current context)");
        }
        stages.add(stage(stages.size(), from, body));
        return new Dockerfile(name, directives, globals, stages, warnings);
    }

    private static Stage stage(int index, From from, List<Instruction> body) {
        return new Stage(from.stageName(), index, from.image(), from.platform(), from, body);
    }
}
