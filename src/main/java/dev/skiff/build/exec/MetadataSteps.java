package dev.skiff.build.exec;

import dev.skiff.build.dockerfile.Instruction;
import dev.skiff.build.dockerfile.KeyValue;
import dev.skiff.build.dockerfile.Variables;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.image.ImageConfig;
import dev.skiff.sys.GoDuration;
import dev.skiff.sys.Signals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the instructions that only change the image config (ENV, LABEL, CMD, ...) to the config in flight,
 * and names each change as the legacy builder's history does (the text after "#(nop)  ").
 */
final class MetadataSteps {
    private MetadataSteps() {
    }

    /** Per-stage facts the config alone does not carry. */
    static final class StageFlags {
        boolean cmdSet;
        String author;
    }

    /**
     * Applies an expanded metadata instruction; returns the history comment ("ENV A=1"), or null when the
     * instruction is not a metadata one (RUN, COPY, ADD, WORKDIR).
     */
    static String apply(Instruction in, ConfigState state, Variables vars, StageFlags flags) {
        return switch (in) {
            case Instruction.Env e -> {
                StringBuilder s = new StringBuilder("ENV");
                Map<String, String> set = new LinkedHashMap<>();
                for (KeyValue kv : e.vars()) {
                    String v = kv.value() == null ? "" : kv.value();
                    vars.setEnv(kv.key(), v);
                    set.put(kv.key(), v);
                    s.append(' ').append(kv.key()).append('=').append(v);
                }
                state.setEnv(set);
                yield s.toString();
            }
            case Instruction.Label l -> {
                StringBuilder s = new StringBuilder("LABEL");
                for (KeyValue kv : l.labels()) {
                    String v = kv.value() == null ? "" : kv.value();
                    state.setLabel(kv.key(), v);
                    s.append(' ').append(kv.key()).append('=').append(v);
                }
                yield s.toString();
            }
            case Instruction.Expose x -> {
                List<String> ports = new ArrayList<>();
                for (String p : x.ports()) {
                    // [IP:]HOST:CONTAINER exposes the container's port, as dockerd's nat.ParsePortSpecs reads it
                    String container = p.substring(p.lastIndexOf(':') + 1);
                    String port = container.contains("/") ? container.toLowerCase(java.util.Locale.ROOT)
                            : container + "/tcp";
                    if (!port.matches("\\d{1,5}(-\\d{1,5})?/(tcp|udp|sctp)")) {
                        throw new InvalidArgumentException(x.location() + ": EXPOSE: invalid port \"" + p
                                + "\" (want PORT[/PROTOCOL], e.g. 80 or 53/udp)");
                    }
                    // a range is its ports, one by one, as Docker's builder records it (nat.ParsePortSpecs)
                    String[] numProto = port.split("/");
                    String[] range = numProto[0].split("-");
                    int first = Integer.parseInt(range[0]);
                    int last = range.length == 2 ? Integer.parseInt(range[1]) : first;
                    if (first < 1 || last > 65535 || last < first) {
                        throw new InvalidArgumentException(x.location() + ": EXPOSE: invalid port range \"" + p
                                + "\" (ports go from 1 to 65535, the lower one first)");
                    }
                    for (int n = first; n <= last; n++) {
                        state.expose(n + "/" + numProto[1]);
                    }
                    ports.add(p);
                }
                // in name order, as the Dockerfile parser Docker's builders share records them (sort.Strings)
                java.util.Collections.sort(ports);
                yield "EXPOSE " + String.join(" ", ports);
            }
            case Instruction.User u -> {
                state.user(u.user());
                yield "USER " + u.user();
            }
            case Instruction.Volume v -> {
                for (String p : v.paths()) {
                    if (p.isBlank()) {
                        throw new InvalidArgumentException(v.location() + ": VOLUME specified can not be an empty string");
                    }
                    state.volume(p);
                }
                yield "VOLUME " + CreatedBy.goList(v.paths());
            }
            case Instruction.StopSignal s -> {
                // checked here, as dockerd's builder does, not at the first `docker stop` of a container
                if (s.signal().isBlank()) {
                    throw new InvalidArgumentException(s.location() + ": STOPSIGNAL: Invalid signal: (give a name "
                            + "like SIGTERM or KILL, or a number 1-64)");
                }
                try {
                    Signals.parse(s.signal(), 0);
                } catch (InvalidArgumentException e) {
                    throw new InvalidArgumentException(s.location() + ": STOPSIGNAL: " + e.getMessage());
                }
                state.stopSignal(s.signal());
                yield "STOPSIGNAL " + s.signal();
            }
            case Instruction.Cmd c -> {
                List<String> argv = c.command().argv(state.shell());
                state.cmd(argv);
                flags.cmdSet = true;
                yield "CMD " + CreatedBy.goQuoted(argv);
            }
            case Instruction.Entrypoint e -> {
                List<String> argv = e.command().argv(state.shell());
                state.entrypoint(argv);
                if (!flags.cmdSet) {
                    state.cmd(null); // the base image's CMD was meant for its own ENTRYPOINT (Docker resets it too)
                }
                yield "ENTRYPOINT " + CreatedBy.goQuoted(argv);
            }
            case Instruction.Healthcheck h -> {
                Map<String, Object> hc = new LinkedHashMap<>();
                hc.put("Test", h.test());
                putDuration(hc, "Interval", h.interval());
                putDuration(hc, "Timeout", h.timeout());
                putDuration(hc, "StartPeriod", h.startPeriod());
                putDuration(hc, "StartInterval", h.startInterval());
                if (h.retries() != null) {
                    hc.put("Retries", h.retries());
                }
                // the timings the instruction leaves out are the base's, NONE too: dockerd's classic builder
                // creates each step's container with daemon.merge over the parent image, which fills them into
                // the very health check it then commits
                if (state.healthcheck != null) {
                    hc = ImageConfig.healthcheckOver(hc, state.healthcheck);
                }
                state.healthcheck(hc);
                yield "HEALTHCHECK &{" + CreatedBy.goQuoted(h.test()) + " \"" + go(h.interval()) + "\" \""
                        + go(h.timeout()) + "\" \"" + go(h.startPeriod()) + "\" \"" + go(h.startInterval()) + "\" '\\x"
                        + String.format("%02x", h.retries() == null ? 0 : h.retries()) + "'}";
            }
            case Instruction.Shell s -> {
                state.shell(s.shell());
                yield "SHELL " + CreatedBy.goList(s.shell());
            }
            case Instruction.OnBuild o -> {
                state.addOnBuild(o.expression());
                yield "ONBUILD " + o.expression();
            }
            case Instruction.Maintainer m -> {
                flags.author = m.name();
                yield "MAINTAINER " + m.name();
            }
            case Instruction.Arg a -> {
                vars.declare(a);
                StringBuilder s = new StringBuilder("ARG");
                for (KeyValue kv : a.args()) {
                    // the default as written, as Docker records it: a --build-arg value stays out of history
                    s.append(' ').append(kv.key());
                    if (kv.value() != null) {
                        s.append('=').append(kv.value());
                    }
                }
                yield s.toString();
            }
            default -> null;
        };
    }

    private static void putDuration(Map<String, Object> hc, String key, Duration d) {
        if (d != null) {
            hc.put(key, d.toNanos());
        }
    }

    /** Go's time.Duration String(); a flag not given (null) prints as Go's zero, "0s". */
    static String go(Duration d) {
        return GoDuration.format(d == null ? Duration.ZERO : d);
    }
}
