package dev.skiff.build.dockerfile;

import dev.skiff.build.dockerfile.Instruction.Arg;
import dev.skiff.build.dockerfile.Instruction.Copy;
import dev.skiff.build.dockerfile.Instruction.Env;
import dev.skiff.build.dockerfile.Instruction.Run;
import dev.skiff.errors.InvalidArgumentException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Works out which stages a build needs and in which order: FROM &lt;stage&gt;, COPY --from=&lt;stage or
 * index&gt; and RUN --mount=...,from=&lt;stage&gt; are edges; --target (default: the last stage) is the
 * root; stages it does not reach are skipped. Names are matched case-insensitively. A --from naming no
 * stage is an image. Cycles and unknown targets are errors.
 */
public final class StageGraph {
    private StageGraph() {
    }

    /**
     * @param target  the --target stage name, or null/empty for the last stage
     * @param globals the global scope ({@link Variables#global}) FROM lines are substituted with
     */
    public static BuildPlan plan(Dockerfile dockerfile, String target, Variables globals) {
        List<Stage> stages = dockerfile.stages();
        Stage root = stages.getLast();
        if (target != null && !target.isEmpty()) {
            String wanted = target.toLowerCase(java.util.Locale.ROOT);
            root = stages.stream().filter(s -> wanted.equals(s.name())).findFirst()
                    .orElseThrow(() -> new InvalidArgumentException("target stage \"" + target
                            + "\" could not be found " + named(stages)));
        }
        Map<Integer, PlannedStage> planned = new HashMap<>();
        Deque<Integer> todo = new ArrayDeque<>(List.of(root.index()));
        while (!todo.isEmpty()) {
            int i = todo.pop();
            if (!planned.containsKey(i)) {
                PlannedStage p = resolve(dockerfile, stages.get(i), globals);
                planned.put(i, p);
                todo.addAll(p.dependsOn());
            }
        }
        List<PlannedStage> order = new ArrayList<>();
        Set<Integer> done = new LinkedHashSet<>();
        visit(root.index(), planned, done, new LinkedHashSet<>(), order, stages);
        return new BuildPlan(order, planned.get(root.index()));
    }

    private static void visit(int i, Map<Integer, PlannedStage> planned, Set<Integer> done, Set<Integer> path,
                              List<PlannedStage> order, List<Stage> stages) {
        if (done.contains(i)) {
            return;
        }
        if (!path.add(i)) {
            throw new InvalidArgumentException("circular dependency detected on stage: " + stages.get(i).displayName());
        }
        PlannedStage p = planned.get(i);
        p.dependsOn().stream().sorted().forEach(d -> visit(d, planned, done, path, order, stages));
        path.remove(i);
        done.add(i);
        order.add(p);
    }

    private static PlannedStage resolve(Dockerfile dockerfile, Stage stage, Variables globals) {
        ShellLex lex = new ShellLex(dockerfile.directives().escape());
        Map<String, String> env = globals.expansionEnv();
        String base = expand(lex, stage.base(), env, stage.from());
        String platform = stage.platform() == null ? null : expand(lex, stage.platform(), env, stage.from());
        Integer baseStage = null;
        Set<Integer> deps = new LinkedHashSet<>();
        Set<String> images = new LinkedHashSet<>();
        // FROM may only name an earlier stage: "FROM busybox AS busybox" names the image.
        String lower = base.toLowerCase(java.util.Locale.ROOT);
        for (Stage s : dockerfile.stages().subList(0, stage.index())) {
            if (lower.equals(s.name())) {
                baseStage = s.index();
                deps.add(s.index());
            }
        }
        Variables scope = globals.stage(List.of());
        for (Instruction in : stage.instructions()) {
            switch (in) {
                case Arg a -> scope.declare(a);
                case Env e -> ((Env) InstructionExpander.expand(e, scope)).vars()
                        .forEach(kv -> scope.setEnv(kv.key(), kv.value()));
                case Copy c when c.from() != null -> {
                    String from = expand(lex, c.from(), scope.expansionEnv(), c);
                    reference(dockerfile, stage, from, c).ifPresentOrElse(deps::add, () -> images.add(from));
                }
                case Run r -> {
                    for (RunMount m : r.mounts()) {
                        if (m.from() != null) {
                            String from = expand(lex, m.from(), scope.expansionEnv(), r);
                            reference(dockerfile, stage, from, r).ifPresentOrElse(deps::add, () -> images.add(from));
                        }
                    }
                }
                default -> {
                }
            }
        }
        return new PlannedStage(stage, base, baseStage, platform, deps, images);
    }

    /** The stage a --from names (by name or by index of an earlier stage), if it names one. */
    private static Optional<Integer> reference(Dockerfile dockerfile, Stage current, String from, Instruction in) {
        String lower = from.toLowerCase(java.util.Locale.ROOT);
        for (Stage s : dockerfile.stages()) {
            if (lower.equals(s.name())) {
                if (s.index() == current.index()) {
                    throw new InvalidArgumentException(in.location() + ": " + in.keyword() + " --from=" + from
                            + " refers to its own stage (circular dependency detected on stage: " + from + ")");
                }
                return Optional.of(s.index());
            }
        }
        if (!from.isEmpty() && from.length() < 6 && from.chars().allMatch(Character::isDigit)) {
            int i = Integer.parseInt(from);
            if (i >= current.index()) {
                throw new InvalidArgumentException(in.location() + ": invalid from flag value " + from
                        + ": refers to current or future build stage (use the index of an earlier stage)");
            }
            return Optional.of(i);
        }
        return Optional.empty();
    }

    private static String expand(ShellLex lex, String raw, Map<String, String> env, Instruction in) {
        try {
            String value = lex.processWord(raw, env);
            if (value.isEmpty()) {
                throw new InvalidArgumentException(in.location() + ": " + in.keyword() + ": \"" + raw
                        + "\" is empty after substituting variables (set it with --build-arg or an ARG default)");
            }
            return value;
        } catch (InvalidArgumentException e) {
            if (e.getMessage().startsWith(in.location().toString())) {
                throw e;
            }
            throw new InvalidArgumentException(in.location() + ": " + in.keyword() + ": " + e.getMessage(), e);
        }
    }

    private static String named(List<Stage> stages) {
        List<String> names = stages.stream().map(Stage::name).filter(n -> n != null && !n.isEmpty()).toList();
        return names.isEmpty() ? "(no stage has a name: FROM IMAGE AS NAME gives one)"
                : "(the stages are " + String.join(", ", names) + ")";
    }
}
