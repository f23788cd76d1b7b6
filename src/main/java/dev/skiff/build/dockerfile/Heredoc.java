package dev.skiff.build.dockerfile;

/**
 * One here-document attached to RUN, COPY or ADD ({@code <<EOF} ... {@code EOF}).
 *
 * <p>{@code name} is the delimiter word without quotes or dash: for COPY/ADD it is the name of the file
 * created in the destination. {@code content} is the body with the line ends kept (every line ends with
 * "\n"); for {@code <<-EOF} leading tabs are already stripped. {@code expand} is false when the delimiter
 * was quoted ({@code <<"EOF"} or {@code <<'EOF'}): then the builder must not substitute variables in the
 * body (COPY/ADD); for RUN the body goes to the shell, which does its own expansion.
 */
public record Heredoc(String name, String content, boolean expand, boolean chomp) {
}
