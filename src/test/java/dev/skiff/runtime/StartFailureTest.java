package dev.skiff.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartFailureTest {
    @Test
    void runcErrors_getDockersExitCodes_andAnExecGets126ForAnythingButAMissingCommand() {
        StartFailure missing = StartFailure.of("exec: \"nosuch\": executable file not found in $PATH");
        StartFailure denied = StartFailure.of("exec: \"/etc/passwd\": permission denied");
        StartFailure other = StartFailure.of("Cwd must be an absolute path");
        assertThat(missing.exitCode()).isEqualTo(127);
        assertThat(missing.execExitCode()).isEqualTo(127);
        assertThat(denied.exitCode()).isEqualTo(126);
        assertThat(other.exitCode()).isEqualTo(128);
        assertThat(other.execExitCode()).isEqualTo(126); // dockerd records 126 for an exec that could not start
        StartFailure noCwd = StartFailure.of("exec failed: unable to start container process: chdir to cwd "
                + "(\"/nonexist\") set in config.json failed: no such file or directory");
        assertThat(noCwd.execExitCode()).isEqualTo(126); // docker exec -w /nonexist: the directory is missing
    }
}
