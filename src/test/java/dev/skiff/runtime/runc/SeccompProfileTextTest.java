package dev.skiff.runtime.runc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.runtime.oci.OciConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeccompProfileTextTest {
    @Test
    void aProfile_becomesOneLinePerSyscallName_inTheProfilesOrder() {
        OciConfig.Seccomp s = new OciConfig.Seccomp("SCMP_ACT_ERRNO", 1, List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"),
                List.of(new OciConfig.Syscall(List.of("read", "write"), "SCMP_ACT_ALLOW", null, null),
                        new OciConfig.Syscall(List.of("clone3"), "SCMP_ACT_ERRNO", 38, null),
                        new OciConfig.Syscall(List.of("personality"), "SCMP_ACT_ALLOW", null, List.of(
                                new OciConfig.SyscallArg(0, 8, null, "SCMP_CMP_EQ"),
                                new OciConfig.SyscallArg(1, -1L, 0x0fL, "SCMP_CMP_MASKED_EQ")))));
        assertThat(SeccompProfileText.of(s).text()).isEqualTo("""
                compiler 1
                default SCMP_ACT_ERRNO 1
                arch SCMP_ARCH_X86_64
                arch SCMP_ARCH_X86
                rule read SCMP_ACT_ALLOW -
                rule write SCMP_ACT_ALLOW -
                rule clone3 SCMP_ACT_ERRNO 38
                rule personality SCMP_ACT_ALLOW - 0 SCMP_CMP_EQ 8 0 1 SCMP_CMP_MASKED_EQ 18446744073709551615 15
                """);
    }

    @Test
    void equalProfiles_shareADigest_andADifferentOneDiffers() {
        OciConfig.Seccomp a = new OciConfig.Seccomp("SCMP_ACT_ALLOW", null, null,
                List.of(new OciConfig.Syscall(List.of("mkdir"), "SCMP_ACT_ERRNO", null, null)));
        OciConfig.Seccomp b = new OciConfig.Seccomp("SCMP_ACT_ALLOW", null, null,
                List.of(new OciConfig.Syscall(List.of("rmdir"), "SCMP_ACT_ERRNO", null, null)));
        assertThat(SeccompProfileText.of(a).digest()).isEqualTo(SeccompProfileText.of(a).digest()).hasSize(64)
                .isNotEqualTo(SeccompProfileText.of(b).digest());
    }

    @Test
    void aNameThatCouldBreakTheLineFormat_isRefused() {
        for (String bad : List.of("read write", "read\nrule mkdir SCMP_ACT_ALLOW -", "", "../x")) {
            OciConfig.Seccomp s = new OciConfig.Seccomp("SCMP_ACT_ERRNO", null, null,
                    List.of(new OciConfig.Syscall(List.of(bad), "SCMP_ACT_ALLOW", null, null)));
            assertThatThrownBy(() -> SeccompProfileText.of(s)).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("seccomp profile: invalid name");
        }
    }
}
