package dev.skiff.build.dockerfile;

/**
 * The parser directives at the top of a Dockerfile: {@code syntax} and {@code check} raw or null when
 * absent; {@code escape} is '\\' unless {@code # escape=`} was given.
 */
public record Directives(String syntax, char escape, String check) {
    public static final Directives DEFAULT = new Directives(null, '\\', null);

    /** The build checks {@code # check=skip=A,B} names ("all" for every check); empty when none. */
    public java.util.List<String> checkSkip() {
        String skip = checkOption("skip");
        return skip == null || skip.isEmpty() ? java.util.List.of() : java.util.List.of(skip.split(","));
    }

    /** Whether {@code # check=error=true} asks failing checks to fail the build. */
    public boolean checkError() {
        return "true".equalsIgnoreCase(checkOption("error"));
    }

    private String checkOption(String key) {
        if (check == null) {
            return null;
        }
        for (String part : check.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).strip().equals(key)) {
                return part.substring(eq + 1).strip();
            }
        }
        return null;
    }
}
