package dev.skiff.build.dockerfile;

import java.util.List;

/**
 * One build stage: its FROM and the instructions after it up to the next FROM.
 *
 * @param name         the {@code AS} name lower-cased, or null
 * @param index        0-based position (COPY --from=0 names it)
 * @param base         the FROM image raw (may hold ${ARG}s of the global scope, "scratch", or another
 *                     stage's name)
 * @param platform     the raw {@code --platform} value or null
 * @param from         the FROM instruction itself (location and original text)
 * @param instructions the instructions after FROM, in order
 */
public record Stage(String name, int index, String base, String platform, Instruction.From from,
                    List<Instruction> instructions) {
    public Stage {
        instructions = List.copyOf(instructions);
    }

    /** The name if it has one, else the index as text: what COPY --from and --target use. */
    public String displayName() {
        return name != null ? name : Integer.toString(index);
    }
}
