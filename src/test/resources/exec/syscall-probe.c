/*
 * What a seccomp filter answers: the errno of syscalls the default profile allows, denies (EPERM), denies with
 * ENOSYS (clone3) or does not know (numbers past its last syscall: runc's ENOSYS stub), and of socket() per
 * address family (the profile's argument rules). ExecHelperIT runs it under skiff-exec and under runc exec.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
    long nrs[] = {39 /* getpid */, 435 /* clone3 */, 246 /* kexec_load */, 272 /* unshare */, 425, 450, 460, 999};
    for (unsigned i = 0; i < sizeof nrs / sizeof nrs[0]; i++) {
        errno = 0;
        long r = nrs[i] == 272 ? syscall(nrs[i], 0x10000000L) : syscall(nrs[i], 0, 0, 0, 0, 0, 0);
        printf("syscall %ld: %s\n", nrs[i], r < 0 ? strerrorname_np(errno) : "ok");
    }
    int domains[] = {1, 16, 38, 39, 40, 41};
    for (unsigned i = 0; i < sizeof domains / sizeof domains[0]; i++) {
        errno = 0;
        int s = socket(domains[i], SOCK_DGRAM, 0);
        printf("socket %d: %s\n", domains[i], s < 0 ? strerrorname_np(errno) : "ok");
        if (s >= 0) close(s);
    }
    return 0;
}
