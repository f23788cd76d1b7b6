/*
 * skiff-exec: starts a process inside a running container, confined as `runc exec` confines it (the container's
 * namespaces and cgroups, its session keyring, rlimits, no_new_privs, seccomp filter, bounding set, user and
 * groups, capabilities, working directory), in about a millisecond. `runc exec` takes 25-35 ms here, most of it
 * starting two Go runtimes (runc, then runc init re-executed); an exec is on the path of every `docker exec`
 * and every health check. docs/EXEC.md says what it does and why; ExecHelperIT compares what a process sees
 * under both, field by field.
 *
 *   skiff-exec run SPEC LOG PIDFILE   run the process SPEC describes (written by the daemon, see ExecSpec.java)
 *   skiff-exec seccomp PROFILE        compile a profile into PROFILE.bpf (run also does it when that is missing)
 *
 * The process's stdio are ours. Its exit status is ours (128+signal when a signal ended it). When it cannot be
 * started, the reason goes to LOG as a runc JSON log line (the daemon reads both alike) and we exit 255.
 *
 * Shape: the parent checks the container's init is the process the runtime started (pidfd + start time), sets
 * its children's PID namespace to the container's, forks; the child joins the cgroups and every other namespace
 * at once (setns on the pidfd), drops to the process's identity and execs. A CLOEXEC pipe tells the parent whether
 * the exec happened; the parent writes PIDFILE only then, waits and passes the status on. The parent never enters
 * the container (it stays out of its cgroups: `docker top` lists only the process).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ITEMS 4096
/* How compile_seccomp reads a profile; SeccompProfileText.COMPILER names it in every profile, and both rise together
   whenever the filter this makes of a profile changes (compiled filters are kept under the profile text's digest). */
#define COMPILER 1
#define SPEC_MAX (8 << 20)

/* What the spec file says; lists end with NULL. */
static struct {
    const char *id, *seccomp, *cwd;
    long pid;
    unsigned long long start;
    int nsflags, nnp, has_oom, oom;
    uid_t uid;
    gid_t gid;
    gid_t gids[MAX_ITEMS];
    int ngids;
    uint64_t cap_b, cap_e, cap_p, cap_i, cap_a;
    const char *cgroups[64];
    int ncgroups;
    const char *rlimits[64];
    int nrlimits;
    char *env[MAX_ITEMS + 1];
    int nenv;
    char *args[MAX_ITEMS + 1];
    int nargs;
} spec;

static const char *log_path;
static int error_fd = -1; /* in the child: the pipe to the parent */

/* A JSON string body: the message as runc would log it. */
static void json_escape(FILE *f, const char *s) {
    for (; *s; s++) {
        unsigned char c = (unsigned char) *s;
        if (c == '"' || c == '\\') {
            fprintf(f, "\\%c", c);
        } else if (c < 0x20) {
            fprintf(f, "\\u%04x", c);
        } else {
            fputc(c, f);
        }
    }
}

static void log_error(const char *msg) {
    FILE *f = fopen(log_path, "ae");
    if (f == NULL) {
        return;
    }
    char stamp[64];
    time_t now = time(NULL);
    struct tm tm;
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    fputs("{\"level\":\"error\",\"msg\":\"", f);
    json_escape(f, msg);
    fprintf(f, "\",\"time\":\"%s\"}\n", stamp);
    fclose(f);
}

/* The reason an exec failed. In the child it goes to the parent; in the parent to the log, and we exit 255. */
static void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...) {
    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (error_fd >= 0) {
        ssize_t ignored = write(error_fd, msg, strlen(msg));
        (void) ignored;
        _exit(1);
    }
    log_error(msg);
    exit(255);
}

/* Go's words for an errno (runc's messages carry them): glibc's, first letter lowered. */
static const char *go_strerror(int e) {
    static char buf[256];
    snprintf(buf, sizeof buf, "%s", strerror(e));
    if (buf[0] >= 'A' && buf[0] <= 'Z') {
        buf[0] = (char) (buf[0] - 'A' + 'a');
    }
    return buf;
}

#define START_FAILED "exec failed: unable to start container process: "

/* ---- the spec ---- */

static unsigned long long number(const char *key, const char *v, int base) {
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, base);
    if (errno != 0 || end == v || *end != '\0') {
        fail(START_FAILED "bad %s in the exec spec: \"%s\"", key, v);
    }
    return n;
}

/* A name and its number: the tables below, read by lookup(). */
struct named {
    const char *name;
    long value;
};
#define COUNT(table) (sizeof table / sizeof table[0])

/* The value of the first len bytes of name in the table, or -1. */
static long lookup(const struct named *table, size_t n, const char *name, size_t len) {
    for (size_t i = 0; i < n; i++) {
        if (strlen(table[i].name) == len && strncmp(table[i].name, name, len) == 0) return table[i].value;
    }
    return -1;
}

static const struct named NAMESPACES[] = {
    {"pid", CLONE_NEWPID}, {"ipc", CLONE_NEWIPC}, {"uts", CLONE_NEWUTS}, {"mount", CLONE_NEWNS},
    {"network", CLONE_NEWNET}, {"cgroup", CLONE_NEWCGROUP}, {"user", CLONE_NEWUSER}, {"time", CLONE_NEWTIME},
};

static int ns_flag(const char *name, size_t len) {
    long flag = lookup(NAMESPACES, COUNT(NAMESPACES), name, len);
    if (flag < 0) fail(START_FAILED "unknown namespace \"%.*s\" in the exec spec", (int) len, name);
    return (int) flag;
}

/* The spec: NUL-terminated keys and values, alternating; repeated keys add to lists. */
static void read_spec(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fail(START_FAILED "open exec spec %s: %s", path, go_strerror(errno));
    }
    char *buf = malloc(SPEC_MAX + 1);
    size_t len = 0;
    ssize_t n;
    while (buf != NULL && len < SPEC_MAX && (n = read(fd, buf + len, SPEC_MAX - len)) > 0) {
        len += (size_t) n;
    }
    close(fd);
    if (buf == NULL || len >= SPEC_MAX) {
        fail(START_FAILED "exec spec %s: too large", path);
    }
    buf[len] = '\0';
    for (size_t at = 0; at < len;) {
        char *key = buf + at;
        at += strlen(key) + 1;
        if (at >= len) {
            fail(START_FAILED "exec spec %s: key \"%s\" without a value", path, key);
        }
        char *v = buf + at;
        at += strlen(v) + 1;
        if (!strcmp(key, "id")) spec.id = v;
        else if (!strcmp(key, "pid")) spec.pid = (long) number(key, v, 10);
        else if (!strcmp(key, "start")) spec.start = number(key, v, 10);
        else if (!strcmp(key, "seccomp")) spec.seccomp = v;
        else if (!strcmp(key, "cwd")) spec.cwd = v;
        else if (!strcmp(key, "nnp")) spec.nnp = 1;
        else if (!strcmp(key, "oom")) { spec.has_oom = 1; spec.oom = atoi(v); }
        else if (!strcmp(key, "uid")) spec.uid = (uid_t) number(key, v, 10);
        else if (!strcmp(key, "gid")) spec.gid = (gid_t) number(key, v, 10);
        else if (!strcmp(key, "cap.bounding")) spec.cap_b = number(key, v, 16);
        else if (!strcmp(key, "cap.effective")) spec.cap_e = number(key, v, 16);
        else if (!strcmp(key, "cap.permitted")) spec.cap_p = number(key, v, 16);
        else if (!strcmp(key, "cap.inheritable")) spec.cap_i = number(key, v, 16);
        else if (!strcmp(key, "cap.ambient")) spec.cap_a = number(key, v, 16);
        else if (!strcmp(key, "ns")) {
            for (char *p = v; *p;) {
                size_t l = strcspn(p, ",");
                spec.nsflags |= ns_flag(p, l);
                p += l + (p[l] == ',');
            }
        } else if (!strcmp(key, "group") && spec.ngids < MAX_ITEMS) spec.gids[spec.ngids++] = (gid_t) number(key, v, 10);
        else if (!strcmp(key, "cgroup") && spec.ncgroups < 64) spec.cgroups[spec.ncgroups++] = v;
        else if (!strcmp(key, "rlimit") && spec.nrlimits < 64) spec.rlimits[spec.nrlimits++] = v;
        else if (!strcmp(key, "env") && spec.nenv < MAX_ITEMS) spec.env[spec.nenv++] = v;
        else if (!strcmp(key, "arg") && spec.nargs < MAX_ITEMS) spec.args[spec.nargs++] = v;
        else fail(START_FAILED "exec spec %s: unknown or repeated too often: \"%s\"", path, key);
    }
    if (spec.id == NULL || spec.pid <= 0 || spec.nargs == 0 || spec.cwd == NULL) {
        fail(START_FAILED "exec spec %s: id, pid, cwd and args are required", path);
    }
}

/* ---- seccomp ---- */

/*
 * A compiled profile: this header, then the filter's instructions. The compiled file sits beside the profile
 * (PROFILE.bpf), made once for every container with that profile.
 */
struct bpf_header {
    char magic[8];
    uint32_t flags; /* for seccomp(2) */
    uint32_t count;
};
static const char BPF_MAGIC[8] = "SKBPF1\n";

static uint32_t action_of(const char *name, const char *errno_ret) {
    int ret = errno_ret != NULL && *errno_ret ? atoi(errno_ret) : EPERM;
    if (!strcmp(name, "SCMP_ACT_ALLOW")) return SCMP_ACT_ALLOW;
    if (!strcmp(name, "SCMP_ACT_ERRNO")) return SCMP_ACT_ERRNO((uint16_t) ret);
    if (!strcmp(name, "SCMP_ACT_KILL") || !strcmp(name, "SCMP_ACT_KILL_THREAD")) return SCMP_ACT_KILL_THREAD;
    if (!strcmp(name, "SCMP_ACT_KILL_PROCESS")) return SCMP_ACT_KILL_PROCESS;
    if (!strcmp(name, "SCMP_ACT_TRAP")) return SCMP_ACT_TRAP;
    if (!strcmp(name, "SCMP_ACT_TRACE")) return SCMP_ACT_TRACE((uint16_t) ret);
    if (!strcmp(name, "SCMP_ACT_LOG")) return SCMP_ACT_LOG;
    fail(START_FAILED "seccomp: action %s is not supported", name);
}

static const struct named OPERATORS[] = {
    {"SCMP_CMP_NE", SCMP_CMP_NE}, {"SCMP_CMP_LT", SCMP_CMP_LT}, {"SCMP_CMP_LE", SCMP_CMP_LE},
    {"SCMP_CMP_EQ", SCMP_CMP_EQ}, {"SCMP_CMP_GE", SCMP_CMP_GE}, {"SCMP_CMP_GT", SCMP_CMP_GT},
    {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
};

static enum scmp_compare op_of(const char *name) {
    long op = lookup(OPERATORS, COUNT(OPERATORS), name, strlen(name));
    if (op < 0) fail(START_FAILED "seccomp: unknown operator %s", name);
    return (enum scmp_compare) op;
}

/* An OCI architecture (SCMP_ARCH_X86_64) as libseccomp names it (x86_64); an unknown one fails, as in runc. */
static uint32_t arch_of(const char *oci) {
    const char *prefix = "SCMP_ARCH_";
    char name[64];
    size_t i = 0;
    if (strncmp(oci, prefix, strlen(prefix)) == 0) {
        for (const char *c = oci + strlen(prefix); *c && i < sizeof name - 1; c++) {
            name[i++] = (char) (*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
        }
    }
    name[i] = '\0';
    uint32_t arch = i == 0 ? 0 : !strcmp(name, "native") ? seccomp_arch_native() : seccomp_arch_resolve_name(name);
    if (arch == 0) fail(START_FAILED "seccomp: unknown architecture %s", oci);
    return arch;
}

/* One classic BPF instruction of the stub below, jumps given as absolute targets. */
struct insn { uint16_t code; int jt, jf; uint32_t k; };

/*
 * runc's -ENOSYS stub (libcontainer/seccomp/patchbpf): a syscall numbered above every syscall the profile names
 * for its architecture is newer than the profile, and gets ENOSYS rather than the default EPERM, so that libc
 * falls back to an older call (clone3, faccessat2, ...). Not when the default action allows or is ENOSYS itself.
 * For x86's three ABIs (x86_64, x32, i386), the ones a process on an x86_64 host can call with; runc covers every
 * architecture, so on another host the helper's filter answers EPERM where runc's answers ENOSYS.
 */
static int enosys_stub(struct sock_filter *out, uint32_t amd64_max, uint32_t x32_max, uint32_t i386_max) {
    enum { FILTER = 1000, ENOSYS_RET = 1001 };
    const uint16_t ld = BPF_LD | BPF_W | BPF_ABS, jeq = BPF_JMP | BPF_JEQ | BPF_K, jgt = BPF_JMP | BPF_JGT | BPF_K;
    struct insn s[16];
    int n = 0;
    if (amd64_max || x32_max) {
        /* x32 shares x86_64's audit arch; its numbers have bit 30 set */
        int a = amd64_max ? 1 : 0, x = x32_max ? 1 : 0;
        int base = n, next = base + 4 + a + x, amd64_at = base + 4, x32_at = base + 4 + a;
        s[n++] = (struct insn){ld, 0, 0, 4};
        s[n++] = (struct insn){jeq, base + 2, next, AUDIT_ARCH_X86_64};
        s[n++] = (struct insn){ld, 0, 0, 0};
        s[n++] = (struct insn){BPF_JMP | BPF_JSET | BPF_K, x ? x32_at : FILTER, a ? amd64_at : FILTER, 0x40000000};
        if (a) s[n++] = (struct insn){jgt, ENOSYS_RET, FILTER, amd64_max};
        if (x) s[n++] = (struct insn){jgt, ENOSYS_RET, FILTER, x32_max | 0x40000000};
    }
    if (i386_max) {
        int base = n, next = base + 4;
        s[n++] = (struct insn){ld, 0, 0, 4};
        s[n++] = (struct insn){jeq, base + 2, next, AUDIT_ARCH_I386};
        s[n++] = (struct insn){ld, 0, 0, 0};
        s[n++] = (struct insn){jgt, ENOSYS_RET, FILTER, i386_max};
    }
    if (n == 0) {
        return 0;
    }
    s[n++] = (struct insn){BPF_JMP | BPF_JA, FILTER, 0, 0}; /* another architecture: libseccomp's filter decides */
    s[n++] = (struct insn){BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ERRNO | ENOSYS};
    int enosys_at = n - 1, filter_at = n;
    for (int i = 0; i < n; i++) {
        int jt = s[i].jt == FILTER ? filter_at : s[i].jt == ENOSYS_RET ? enosys_at : s[i].jt;
        int jf = s[i].jf == FILTER ? filter_at : s[i].jf == ENOSYS_RET ? enosys_at : s[i].jf;
        out[i] = (struct sock_filter){s[i].code, 0, 0, s[i].k};
        if (s[i].code == (BPF_JMP | BPF_JA)) {
            out[i].k = (uint32_t) (jt - i - 1);
        } else if (BPF_CLASS(s[i].code) == BPF_JMP) {
            out[i].jt = (uint8_t) (jt - i - 1);
            out[i].jf = (uint8_t) (jf - i - 1);
        }
    }
    return n;
}

/*
 * The profile, one directive a line, words separated by single spaces (SeccompProfileText.java writes it):
 *   compiler 1 (first: the version of this compiler the text was written for, see COMPILER)
 *   default ACTION ERRNO|-          arch SCMP_ARCH_...          flag SECCOMP_FILTER_FLAG_...
 *   rule NAME ACTION ERRNO|- [INDEX OP VALUE VALUE_TWO]...
 * Rules are added as runc adds them: an unknown syscall name is skipped, a rule whose action is the default's is
 * skipped, and two conditions on one argument become one rule each.
 */
static void compile_seccomp(const char *profile) {
    FILE *in = fopen(profile, "re");
    if (in == NULL) {
        fail(START_FAILED "seccomp profile %s: %s", profile, go_strerror(errno));
    }
    char *line = NULL;
    size_t cap = 0;
    scmp_filter_ctx ctx = NULL;
    uint32_t def = 0, flags = 0;
    int no_stub = 0;
    uint32_t arches[32];
    int narches = 0;
    uint32_t amd64_max = 0, x32_max = 0, i386_max = 0;
    while (getline(&line, &cap, in) > 0) {
        line[strcspn(line, "\n")] = '\0';
        char *words[64];
        int nw = 0;
        for (char *w = strtok(line, " "); w != NULL; w = strtok(NULL, " ")) {
            if (nw == (int) (sizeof words / sizeof words[0])) fail(START_FAILED "seccomp: a rule with too many conditions");
            words[nw++] = w;
        }
        if (nw == 0) continue;
        const char *dash = "-";
        if (!strcmp(words[0], "compiler") && nw == 2) {
            if (atoi(words[1]) != COMPILER) {
                fail(START_FAILED "seccomp profile %s is for compiler %s, this is %d", profile, words[1], COMPILER);
            }
        } else if (!strcmp(words[0], "default") && nw == 3) {
            const char *ret = strcmp(words[2], dash) ? words[2] : NULL;
            def = action_of(words[1], ret);
            /* runc's isAllowAction: allow, log and trace let newer syscalls through anyway */
            no_stub = def == SCMP_ACT_ALLOW || def == SCMP_ACT_LOG || (def & 0xffff0000U) == SCMP_ACT_TRACE(0)
                      || (ret != NULL && atoi(ret) == ENOSYS);
            ctx = seccomp_init(def);
            if (ctx == NULL) fail(START_FAILED "seccomp: cannot make a filter");
        } else if (ctx == NULL) {
            fail(START_FAILED "seccomp profile %s: no default action first", profile);
        } else if (!strcmp(words[0], "arch") && nw == 2) {
            uint32_t a = arch_of(words[1]);
            if (narches == (int) COUNT(arches)) fail(START_FAILED "seccomp: more than %d architectures", narches);
            arches[narches++] = a;
            int rc = seccomp_arch_add(ctx, a);
            if (rc != 0 && rc != -EEXIST) fail(START_FAILED "seccomp: add architecture %s: %s", words[1], go_strerror(-rc));
        } else if (!strcmp(words[0], "flag") && nw == 2) {
            if (!strcmp(words[1], "SECCOMP_FILTER_FLAG_LOG")) flags |= SECCOMP_FILTER_FLAG_LOG;
            else if (!strcmp(words[1], "SECCOMP_FILTER_FLAG_SPEC_ALLOW")) flags |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
            else if (strcmp(words[1], "SECCOMP_FILTER_FLAG_TSYNC")) fail(START_FAILED "seccomp: flag %s is not supported", words[1]);
        } else if (!strcmp(words[0], "rule") && nw >= 4 && (nw - 4) % 4 == 0) {
            for (int i = 0; i < narches; i++) {
                int no = seccomp_syscall_resolve_name_arch(arches[i], words[1]);
                if (no < 0) continue;
                uint32_t u = (uint32_t) no;
                if (arches[i] == SCMP_ARCH_X86_64 && u > amd64_max) amd64_max = u;
                if (arches[i] == SCMP_ARCH_X32 && u > x32_max) x32_max = u;
                if (arches[i] == SCMP_ARCH_X86 && u > i386_max) i386_max = u;
            }
            int sys = seccomp_syscall_resolve_name(words[1]);
            if (sys == __NR_SCMP_ERROR) continue; /* unknown here: runc skips it too */
            uint32_t act = action_of(words[2], strcmp(words[3], dash) ? words[3] : NULL);
            if (act == def) continue;
            int nconds = (nw - 4) / 4;
            struct scmp_arg_cmp conds[16];
            int per_arg[6] = {0}, repeated = 0;
            for (int c = 0; c < nconds; c++) {
                char **w = words + 4 + 4 * c;
                unsigned idx = (unsigned) number("argument index", w[0], 10);
                if (idx > 5) fail(START_FAILED "seccomp: argument index %u of %s", idx, words[1]);
                conds[c] = (struct scmp_arg_cmp){idx, op_of(w[1]), number("value", w[2], 10), number("value", w[3], 10)};
                repeated |= ++per_arg[idx] > 1;
            }
            int rc = 0;
            if (nconds == 0) {
                rc = seccomp_rule_add(ctx, act, sys, 0);
            } else if (repeated) {
                for (int c = 0; c < nconds && rc == 0; c++) rc = seccomp_rule_add_array(ctx, act, sys, 1, conds + c);
            } else {
                rc = seccomp_rule_add_array(ctx, act, sys, (unsigned) nconds, conds);
            }
            if (rc != 0) fail(START_FAILED "seccomp: add rule for %s: %s", words[1], go_strerror(-rc));
        } else {
            fail(START_FAILED "seccomp profile %s: cannot read \"%s\"", profile, words[0]);
        }
    }
    free(line);
    fclose(in);
    if (ctx == NULL) fail(START_FAILED "seccomp profile %s is empty", profile);

    /* libseccomp's program, then ours in front of it */
    int mem = memfd_create("bpf", MFD_CLOEXEC);
    if (mem < 0 || seccomp_export_bpf(ctx, mem) != 0) fail(START_FAILED "seccomp: cannot export the filter");
    seccomp_release(ctx);
    off_t size = lseek(mem, 0, SEEK_END);
    size_t count = (size_t) size / sizeof(struct sock_filter);
    struct sock_filter *prog = calloc(count + 16, sizeof *prog);
    int stub = no_stub ? 0 : enosys_stub(prog, amd64_max, x32_max, i386_max);
    if (pread(mem, prog + stub, (size_t) size, 0) != size) fail(START_FAILED "seccomp: cannot read the filter back");
    close(mem);
    struct bpf_header h = {.flags = flags, .count = (uint32_t) (count + (size_t) stub)};
    memcpy(h.magic, BPF_MAGIC, sizeof h.magic);

    char out[4096], tmp[4200];
    snprintf(out, sizeof out, "%s.bpf", profile);
    snprintf(tmp, sizeof tmp, "%s.%d.tmp", out, getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    size_t bytes = h.count * sizeof *prog;
    if (fd < 0 || write(fd, &h, sizeof h) != (ssize_t) sizeof h || write(fd, prog, bytes) != (ssize_t) bytes
        || fsync(fd) != 0 || close(fd) != 0 || rename(tmp, out) != 0) {
        int e = errno;
        unlink(tmp);
        fail(START_FAILED "seccomp: write %s: %s", out, go_strerror(e));
    }
    free(prog);
}

/* The seccomp filter, read by the parent; the child loads it into the kernel. */
static struct sock_fprog filter;
static uint32_t filter_flags;

/* The compiled filter of the spec's profile, compiling it first when this is its first exec. */
static void load_filter(struct sock_fprog *prog, uint32_t *flags) {
    char path[4096];
    snprintf(path, sizeof path, "%s.bpf", spec.seccomp);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        compile_seccomp(spec.seccomp);
        fd = open(path, O_RDONLY | O_CLOEXEC);
    }
    struct bpf_header h;
    if (fd < 0 || read(fd, &h, sizeof h) != (ssize_t) sizeof h || memcmp(h.magic, BPF_MAGIC, sizeof h.magic) != 0
        || h.count == 0 || h.count > BPF_MAXINSNS) {
        fail(START_FAILED "seccomp: cannot read the compiled filter %s", path);
    }
    struct sock_filter *insns = calloc(h.count, sizeof *insns);
    size_t bytes = h.count * sizeof *insns;
    if (insns == NULL || read(fd, insns, bytes) != (ssize_t) bytes) {
        fail(START_FAILED "seccomp: cannot read the compiled filter %s", path);
    }
    close(fd);
    prog->len = (unsigned short) h.count;
    prog->filter = insns;
    *flags = h.flags;
}

static void apply_filter(struct sock_fprog *prog, uint32_t flags) {
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, prog) != 0) {
        fail(START_FAILED "error loading seccomp filter into kernel: %s", go_strerror(errno));
    }
}

/* ---- the child: into the container ---- */

static void write_file(const char *path, const char *what) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        fail(START_FAILED "open %s: %s", path, go_strerror(errno));
    }
    if (write(fd, what, strlen(what)) < 0) {
        int e = errno;
        close(fd);
        fail(START_FAILED "write %s to %s: %s", what, path, go_strerror(e));
    }
    close(fd);
}

static const struct named RLIMITS[] = {
    {"RLIMIT_CPU", RLIMIT_CPU}, {"RLIMIT_FSIZE", RLIMIT_FSIZE}, {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_STACK", RLIMIT_STACK}, {"RLIMIT_CORE", RLIMIT_CORE}, {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_NPROC", RLIMIT_NPROC}, {"RLIMIT_NOFILE", RLIMIT_NOFILE}, {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
    {"RLIMIT_AS", RLIMIT_AS}, {"RLIMIT_LOCKS", RLIMIT_LOCKS}, {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE}, {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
    {"RLIMIT_RTTIME", RLIMIT_RTTIME},
};

static int rlimit_resource(const char *name) {
    long res = lookup(RLIMITS, COUNT(RLIMITS), name, strlen(name));
    if (res < 0) fail(START_FAILED "unknown rlimit type %s", name);
    return (int) res;
}

static void set_rlimits(void) {
    for (int i = 0; i < spec.nrlimits; i++) {
        char name[64];
        unsigned long long soft, hard;
        if (sscanf(spec.rlimits[i], "%63s %llu %llu", name, &soft, &hard) != 3) {
            fail(START_FAILED "bad rlimit \"%s\" in the exec spec", spec.rlimits[i]);
        }
        struct rlimit rl = {soft, hard};
        if (setrlimit(rlimit_resource(name), &rl) != 0) {
            fail(START_FAILED "error setting rlimit type %s: %s", name, go_strerror(errno));
        }
    }
}

/* As runc's fixStdioPermissions: a process running as another user can still reopen its stdio (/dev/stdout). */
static void own_stdio(void) {
    for (int fd = 0; fd <= 2; fd++) {
        struct stat st;
        if (fstat(fd, &st) != 0 || st.st_uid == spec.uid) continue;
        if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3)) continue; /* /dev/null: not ours to give away */
        /* the owner only: the mount may prefer its group (runc's words) */
        if (fchown(fd, spec.uid, st.st_gid) != 0 && errno != EINVAL && errno != EPERM && errno != EROFS) {
            fail(START_FAILED "fchown stdio fd %d: %s", fd, go_strerror(errno));
        }
    }
}

static void set_capabilities(void) {
    int last = 40;
    FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
    if (f != NULL) {
        if (fscanf(f, "%d", &last) != 1) last = 40;
        fclose(f);
    }
    for (int c = 0; c <= last; c++) {
        if (!(spec.cap_b & (1ULL << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0 && errno != EINVAL) {
            fail(START_FAILED "drop capability %d from the bounding set: %s", c, go_strerror(errno));
        }
    }
}

static void set_user_and_caps(void) {
    /* As runc: the directory first as root (a directory only root may enter), again as the user on EACCES (a
       directory only the user may enter: a volume chowned to it on a root-squashing mount) */
    int cwd_done = chdir(spec.cwd) == 0;
    if (!cwd_done && errno != EACCES && errno != EPERM) {
        fail(START_FAILED "chdir to cwd (\"%s\") set in config.json failed: %s", spec.cwd, go_strerror(errno));
    }
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) fail(START_FAILED "keep capabilities: %s", go_strerror(errno));
    if (setgroups((size_t) spec.ngids, spec.gids) != 0) fail(START_FAILED "setgroups: %s", go_strerror(errno));
    if (setresgid(spec.gid, spec.gid, spec.gid) != 0) fail(START_FAILED "setgid %u: %s", spec.gid, go_strerror(errno));
    if (setresuid(spec.uid, spec.uid, spec.uid) != 0) fail(START_FAILED "setuid %u: %s", spec.uid, go_strerror(errno));
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0) fail(START_FAILED "keep capabilities: %s", go_strerror(errno));
    if (!cwd_done && chdir(spec.cwd) != 0) {
        fail(START_FAILED "chdir to cwd (\"%s\") set in config.json failed: %s", spec.cwd, go_strerror(errno));
    }
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2] = {
        {(uint32_t) spec.cap_e, (uint32_t) spec.cap_p, (uint32_t) spec.cap_i},
        {(uint32_t) (spec.cap_e >> 32), (uint32_t) (spec.cap_p >> 32), (uint32_t) (spec.cap_i >> 32)},
    };
    if (syscall(SYS_capset, &hdr, data) != 0) fail(START_FAILED "apply capabilities: %s", go_strerror(errno));
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) {
        fail(START_FAILED "clear ambient capabilities: %s", go_strerror(errno));
    }
    for (int c = 0; c < 64; c++) {
        if ((spec.cap_a & (1ULL << c)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) != 0) {
            fail(START_FAILED "raise ambient capability %d: %s", c, go_strerror(errno));
        }
    }
}

static const char *env_value(const char *name) {
    size_t n = strlen(name);
    for (int i = 0; i < spec.nenv; i++) {
        if (!strncmp(spec.env[i], name, n) && spec.env[i][n] == '=') return spec.env[i] + n + 1;
    }
    return NULL;
}

/* Go's exec.LookPath, as runc init calls it with the process's PATH, with its messages. */
static const char *look_path(const char *file, char *buf, size_t size) {
    struct stat st;
    if (strchr(file, '/') != NULL) {
        if (stat(file, &st) != 0) {
            fail(START_FAILED "exec: \"%s\": stat %s: %s", file, file, go_strerror(errno));
        }
        if (S_ISDIR(st.st_mode) || !(st.st_mode & 0111)) {
            fail(START_FAILED "exec: \"%s\": permission denied", file);
        }
        return file;
    }
    const char *path = env_value("PATH");
    for (const char *p = path == NULL ? "" : path;;) {
        size_t len = strcspn(p, ":");
        snprintf(buf, size, "%.*s/%s", len == 0 ? 1 : (int) len, len == 0 ? "." : p, file);
        if (stat(buf, &st) == 0 && !S_ISDIR(st.st_mode) && (st.st_mode & 0111)) {
            return buf;
        }
        if (p[len] == '\0') break;
        p += len + 1;
    }
    fail(START_FAILED "exec: \"%s\": executable file not found in $PATH", file);
}

static void __attribute__((noreturn)) child(int pidfd, int errors) {
    error_fd = errors;
    /* Nothing in the container may read this process (CVE-2019-5736: /proc/PID/exe is the host's binary) */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) fail(START_FAILED "set not dumpable: %s", go_strerror(errno));
    if (spec.has_oom) {
        char v[16];
        snprintf(v, sizeof v, "%d", spec.oom);
        write_file("/proc/self/oom_score_adj", v);
    }
    for (int i = 0; i < spec.ncgroups; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/cgroup.procs", spec.cgroups[i]);
        write_file(path, "0");
    }
    int others = spec.nsflags & ~CLONE_NEWPID;
    if (others != 0 && setns(pidfd, others) != 0) {
        fail(START_FAILED "join the container's namespaces: %s", go_strerror(errno));
    }
    close(pidfd);
    /* runc's own: the container's session keyring, not the daemon's */
    char ring[256];
    snprintf(ring, sizeof ring, "_ses.%s", spec.id);
    if (syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, ring) < 0 && errno != ENOSYS) {
        fail(START_FAILED "unable to join session keyring: %s", go_strerror(errno));
    }
    set_rlimits();
    if (spec.nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        fail(START_FAILED "set no_new_privs: %s", go_strerror(errno));
    }
    /* Without no_new_privs, loading a filter needs CAP_SYS_ADMIN: before the capabilities go (as runc) */
    if (spec.seccomp != NULL && !spec.nnp) apply_filter(&filter, filter_flags);
    own_stdio();
    set_capabilities();
    set_user_and_caps();
    spec.env[spec.nenv] = NULL;
    spec.args[spec.nargs] = NULL;
    char found[4096];
    const char *file = look_path(spec.args[0], found, sizeof found);
    /* the process starts with every signal at its default and none blocked, whatever the daemon's JVM left
       ignored (runc leaves 32 ignored when its parent did; under systemd and containerd nothing is) */
    sigset_t unblocked;
    sigemptyset(&unblocked);
    struct { void (*handler)(int); unsigned long flags; void (*restorer)(void); uint64_t mask; } dfl = {SIG_DFL, 0, NULL, 0};
    for (int sig = 1; sig <= 64; sig++) {
        /* the raw call: glibc's own wrapper will not touch 32 and 33, which it reserves for its threads */
        syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof dfl.mask);
    }
    sigprocmask(SIG_SETMASK, &unblocked, NULL);
    /* every descriptor but stdio closes at exec: the error pipe then tells the parent the exec happened */
    if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
        for (int fd = 3; fd < 1024; fd++) {
            fcntl(fd, F_SETFD, FD_CLOEXEC);
        }
    }
    /* As late as possible with no_new_privs, so that the filter need not allow what the steps above call */
    if (spec.seccomp != NULL && spec.nnp) apply_filter(&filter, filter_flags);
    execve(file, spec.args, spec.env);
    int e = errno;
    /* runc reports this one after the process counted as started: on its stderr, exit 1 */
    dprintf(2, "exec %s: %s\n", file, go_strerror(e));
    char none = 0;
    ssize_t ignored = write(errors, &none, 1); /* started, as far as the parent is concerned */
    (void) ignored;
    _exit(1);
}

/* ---- the parent ---- */

static unsigned long long start_time(long pid) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return 0;
    buf[n] = '\0';
    char *p = strrchr(buf, ')'); /* the command may hold spaces and parentheses */
    if (p == NULL) return 0;
    unsigned long long v = 0;
    /* fields 3.. after the command; the start time is field 22 */
    for (int field = 3; field <= 22 && p != NULL; field++) {
        p = strchr(p + 1, ' ');
        if (p != NULL && field == 22) v = strtoull(p + 1, NULL, 10);
    }
    return v;
}

static int run(const char *spec_path, const char *pid_file) {
    read_spec(spec_path);
    int pidfd = (int) syscall(SYS_pidfd_open, (pid_t) spec.pid, 0);
    /* the pidfd pins the process; its start time says it is still the container's init, not a reused PID */
    if (pidfd < 0 || start_time(spec.pid) != spec.start) {
        fail("exec failed: cannot exec in a stopped container");
    }
    if (spec.seccomp != NULL) {
        load_filter(&filter, &filter_flags); /* here: its file is not in the container */
    }
    if ((spec.nsflags & CLONE_NEWPID) && setns(pidfd, CLONE_NEWPID) != 0) {
        fail(START_FAILED "join the container's PID namespace: %s", go_strerror(errno));
    }
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) != 0) fail(START_FAILED "pipe: %s", go_strerror(errno));
    /* Signals that would end us before the process is known go to it once it runs; until then, default. */
    pid_t pid = fork();
    if (pid < 0) fail(START_FAILED "fork: %s", go_strerror(errno));
    if (pid == 0) {
        close(pipefd[0]);
        child(pidfd, pipefd[1]);
    }
    close(pipefd[1]);
    close(pidfd);
    char msg[4097];
    ssize_t n, got = 0;
    while ((n = read(pipefd[0], msg + got, sizeof msg - 1 - (size_t) got)) > 0 || (n < 0 && errno == EINTR)) {
        if (n > 0) got += n;
    }
    close(pipefd[0]);
    int status;
    if (got > 0 && msg[0] != '\0') {
        msg[got] = '\0';
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        log_error(msg);
        return 255;
    }
    char v[32];
    int fd = open(pid_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    snprintf(v, sizeof v, "%d", pid);
    if (fd < 0 || write(fd, v, strlen(v)) < 0 || close(fd) != 0) {
        /* the process runs: the daemon will see no pid, not lose its output */
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return 255;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv) {
    if (argc == 5 && !strcmp(argv[1], "run")) {
        log_path = argv[3];
        return run(argv[2], argv[4]);
    }
    if (argc == 3 && !strcmp(argv[1], "seccomp")) {
        log_path = "/dev/stderr";
        compile_seccomp(argv[2]);
        return 0;
    }
    fprintf(stderr, "usage: skiff-exec run SPEC LOG PIDFILE | skiff-exec seccomp PROFILE\n");
    return 2;
}
