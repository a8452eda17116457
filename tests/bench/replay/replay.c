/* replay_bench: the reclaim planner (provider/core/plan.c) replayed through a
 * fake OS seam on synthetic system handle tables shaped like a busy desktop
 * and a terminal server (docs/performance.md).
 *
 *   replay_bench [--quick]
 *
 * The fake seam counts every call, answers name queries from the handle's
 * synthetic kind, and makes a few queries "hang": they return NR_TIMEOUT
 * after charging the configured timeout to a virtual clock. Each shape runs
 * with and without the optional device prefilter (os->file_device), so the
 * table shows what the session scoping and the device check each save.
 * Wine puts every process in one logon session; this is where the session
 * and device prefilters are measured.
 *
 * Measured: name queries issued (% of all handles), seam calls, planner CPU
 * time (median over repetitions, absolute and as a ratio to a plain pass
 * over the same snapshot), peak bytes the planner allocates (malloc family
 * wrapped at link time: -Wl,--wrap) and that all is freed, virtual time
 * charged by hanging queries. Prints a table; asserts nothing about time.
 * Exit status 1 only if a plan goes wrong (wrong rows, leaks). */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "netreclaim/plan.h"

/* ---- counting allocator (the planner's malloc, calloc, realloc, free) ---- */

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);

static size_t mem_now, mem_peak, mem_allocs;

static void mem_add(void *p)
{
    if (!p)
        return;
    mem_now += malloc_usable_size(p);
    mem_allocs++;
    if (mem_now > mem_peak)
        mem_peak = mem_now;
}

static void mem_sub(void *p)
{
    if (p)
        mem_now -= malloc_usable_size(p);
}

void *__wrap_malloc(size_t n)
{
    void *p = __real_malloc(n);

    mem_add(p);
    return p;
}

void *__wrap_calloc(size_t n, size_t size)
{
    void *p = __real_calloc(n, size);

    mem_add(p);
    return p;
}

void *__wrap_realloc(void *p, size_t n)
{
    size_t old = p ? malloc_usable_size(p) : 0;
    void *q = __real_realloc(p, n);

    if (q) {
        mem_now -= old;
        mem_add(q);
    }
    return q;
}

void __wrap_free(void *p)
{
    mem_sub(p);
    __real_free(p);
}

/* ---- the synthetic system ---- */

enum kind { K_OTHER, K_LOCAL, K_PIPE, K_NET_TARGET, K_NET_OTHER, K_HANG };

#define FILE_TYPE 37 /* ObjectTypeIndex of File on Windows 10 */
#define CALLER_LUID 0x1000
#define TIMEOUT_MS 200

enum fn {
    F_SNAPSHOT,
    F_TYPE,
    F_CALLER,
    F_LUID,
    F_IMAGE,
    F_NAME,
    F_BATCH,
    F_DEVICE,
    F_CLOSE,
    F_REPORT,
    F_COUNT
};
static const char *const fn_names[F_COUNT] = { "snapshot",     "file_type",     "caller_luid",
                                               "process_luid", "process_image", "query_name",
                                               "batches",      "file_device",   "close",
                                               "report" };

struct shape {
    const char *name;
    size_t handles, processes, sessions;
    double other_session; /* share of processes (and so of handles) outside the caller's */
    double file_share;    /* File handles among all */
    size_t net_files;     /* network files over the whole system */
    size_t target_files;  /* of which under \\srv\share in the caller's session */
    size_t hanging;       /* network files in the caller's session whose query hangs */
};

struct proc {
    uint32_t pid;
    uint64_t luid;
};

struct fake {
    struct nr_snapshot snap;
    unsigned char *kind; /* per row */
    struct proc *procs;
    size_t proc_count;
    size_t calls[F_COUNT];
    uint64_t virtual_ms; /* charged by hanging queries */
    size_t hang_queries;
    void *kind_ctx; /* the rds model, when one runs */
    /* The blocking bench only: stuck workers as worker.c bounds them, the
     * seam's memory of blocked queries, timeouts per row. */
    int model_stuck;
    size_t stuck;
    struct nr_blocked *memory;
    unsigned *row_timeouts;
};

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

/* Rows grouped by process as Windows lists them; the row index is encoded
 * in the handle value so that the fake finds a row in O(1). */
static void build(struct fake *f, const struct shape *s)
{
    size_t i, p, per, row = 0, caller_procs = 0, net_placed = 0, target = 0, hang = 0;
    size_t *caller_file_rows, caller_files = 0;

    memset(f, 0, sizeof(*f));
    rng = 0x9e3779b97f4a7c15ull; /* the same table with and without the prefilter */
    f->procs = __real_calloc(s->processes, sizeof(*f->procs));
    f->snap.handles = __real_calloc(s->handles, sizeof(*f->snap.handles));
    f->kind = __real_calloc(s->handles, 1);
    caller_file_rows = __real_calloc(s->handles, sizeof(*caller_file_rows));
    if (!f->procs || !f->snap.handles || !f->kind || !caller_file_rows)
        abort();
    f->proc_count = s->processes;
    for (p = 0; p < s->processes; p++) {
        f->procs[p].pid = (uint32_t)(4 * (p + 2));
        /* Every (1/(1-other))-th process is the caller's; the others spread
         * over the other sessions. */
        if ((double)caller_procs < (double)(p + 1) * (1.0 - s->other_session)) {
            f->procs[p].luid = CALLER_LUID;
            caller_procs++;
        } else
            f->procs[p].luid = CALLER_LUID + 1 + next_rand() % (s->sessions - 1);
    }
    per = s->handles / s->processes;
    for (p = 0; p < s->processes; p++) {
        size_t n = p + 1 == s->processes ? s->handles - row : per;

        for (i = 0; i < n; i++, row++) {
            struct nr_handle *h = &f->snap.handles[row];
            int file = (next_rand() % 10000) < (uint32_t)(s->file_share * 10000);

            h->pid = f->procs[p].pid;
            h->value = (uint64_t)(row + 1) * 4;
            h->access = 0x0012019f;
            h->type_index = file ? FILE_TYPE : (uint16_t)(1 + next_rand() % 30);
            if (h->type_index == FILE_TYPE && !file)
                h->type_index = 2;
            f->kind[row] = file ? (next_rand() % 20 == 0 ? K_PIPE : K_LOCAL) : K_OTHER;
            if (file && f->procs[p].luid == CALLER_LUID && f->kind[row] == K_LOCAL)
                caller_file_rows[caller_files++] = row;
        }
    }
    f->snap.count = row;
    /* Network files: the target ones and the hanging ones in the caller's
     * session, the rest anywhere. */
    for (i = 0; i < caller_files && (target < s->target_files || hang < s->hanging); i += 97) {
        if (target < s->target_files)
            f->kind[caller_file_rows[i]] = K_NET_TARGET, target++;
        else
            f->kind[caller_file_rows[i]] = K_HANG, hang++;
        net_placed++;
    }
    for (i = 0; net_placed < s->net_files && i < 10 * s->handles; i++) {
        size_t r = next_rand() % f->snap.count;

        if (f->snap.handles[r].type_index == FILE_TYPE && f->kind[r] == K_LOCAL)
            f->kind[r] = K_NET_OTHER, net_placed++;
    }
    __real_free(caller_file_rows);
}

static void release(struct fake *f)
{
    __real_free(f->procs);
    __real_free(f->snap.handles);
    __real_free(f->kind);
}

static struct proc *find_proc(struct fake *f, uint32_t pid)
{
    size_t i = pid / 4 - 2;

    return pid % 4 == 0 && pid >= 8 && i < f->proc_count ? &f->procs[i] : NULL;
}

static int find_row(struct fake *f, uint32_t pid, uint64_t value, size_t *row)
{
    size_t r = (size_t)(value / 4) - 1;

    if (!value || r >= f->snap.count || f->snap.handles[r].pid != pid)
        return NR_GONE;
    *row = r;
    return NR_OK;
}

/* The fake hands out its own table: no copy, so the seam costs nothing. */
static int fk_snapshot(void *ctx, struct nr_snapshot *snap)
{
    struct fake *f = ctx;

    f->calls[F_SNAPSHOT]++;
    *snap = f->snap;
    return NR_OK;
}

static void fk_free_snapshot(void *ctx, struct nr_snapshot *snap)
{
    (void)ctx;
    snap->handles = NULL;
    snap->count = 0;
}

static int fk_type(void *ctx, uint16_t *index)
{
    ((struct fake *)ctx)->calls[F_TYPE]++;
    *index = FILE_TYPE;
    return NR_OK;
}

static int fk_caller(void *ctx, uint64_t *luid)
{
    ((struct fake *)ctx)->calls[F_CALLER]++;
    *luid = CALLER_LUID;
    return NR_OK;
}

static int fk_luid(void *ctx, uint32_t pid, uint64_t *luid)
{
    struct fake *f = ctx;
    struct proc *p = find_proc(f, pid);

    f->calls[F_LUID]++;
    if (!p)
        return NR_GONE;
    *luid = p->luid;
    return NR_OK;
}

static int fk_image(void *ctx, uint32_t pid, nr_char *buf, size_t cch)
{
    static const char name[] = "app.exe";
    struct fake *f = ctx;

    f->calls[F_IMAGE]++;
    if (!find_proc(f, pid) || cch < sizeof(name))
        return NR_ERROR;
    for (size_t i = 0; i < sizeof(name); i++)
        buf[i] = (nr_char)name[i];
    return NR_OK;
}

static size_t put(nr_char *buf, size_t cch, const char *text, size_t row)
{
    char tmp[160];
    int n = snprintf(tmp, sizeof(tmp), text, (unsigned)row);
    size_t i;

    for (i = 0; i < (size_t)n && i < cch; i++)
        buf[i] = (nr_char)tmp[i];
    return i;
}

static int fk_name(struct fake *f, uint32_t pid, uint64_t value, uint32_t timeout_ms, nr_char *buf,
                   size_t cch, size_t *len, uint32_t *protocol)
{
    size_t row;

    f->calls[F_NAME]++;
    *len = 0;
    /* Files on the shares are the SMB redirector's, as it would say. */
    *protocol = NR_PROTOCOL_SMB;
    if (find_row(f, pid, value, &row) != NR_OK)
        return NR_GONE;
    switch (f->kind[row]) {
    case K_HANG:
        f->virtual_ms += timeout_ms;
        f->hang_queries++;
        if (f->model_stuck) {
            f->stuck++;
            f->row_timeouts[row]++;
        }
        return NR_TIMEOUT;
    case K_NET_TARGET:
        *len = put(buf, cch, "\\Device\\Mup\\srv\\share\\projects\\report-%u.docx", row);
        return NR_OK;
    case K_NET_OTHER:
        *len = put(buf, cch, "\\Device\\Mup\\fileserver\\home$\\user\\doc-%u.xlsx", row);
        return NR_OK;
    case K_PIPE:
        *len = put(buf, cch, "\\Device\\NamedPipe\\pipe-%u", row);
        return NR_OK;
    default:
        *len = put(buf, cch,
                   "\\Device\\HarddiskVolume3\\Users\\user\\AppData\\Local\\cache\\f%u.dat", row);
        return NR_OK;
    }
}

/* A batch as names.c runs it: in order, names one after another, stopping
 * after a timeout or where the longest name would no longer fit; with every
 * allowed worker stuck, all refused. */
static size_t fk_names(void *ctx, uint32_t pid, struct nr_name_query *q, size_t count,
                       uint32_t timeout_ms, nr_char *names, size_t cch)
{
    struct fake *f = ctx;
    size_t i, used = 0;

    f->calls[F_BATCH]++;
    for (i = 0; i < count; i++) {
        q[i].name = NULL;
        q[i].len = 0;
        q[i].status = NR_LIMIT;
    }
    if (f->model_stuck && f->stuck >= NR_MAX_STUCK_QUERIES)
        return count;
    for (i = 0; i < count; i++) {
        q[i].status = fk_name(f, pid, q[i].value, timeout_ms, names + used, cch - used, &q[i].len,
                              &q[i].protocol);
        q[i].name = names + used;
        used += q[i].len;
        if (q[i].status == NR_TIMEOUT || cch - used <= NR_UNC_MAX)
            return i + 1;
    }
    return count;
}

/* The device check: disk and pipe devices are local; network files (the
 * hanging ones are on a dead server) may be remote. */
static int fk_device(void *ctx, uint32_t pid, uint64_t value, int *remote)
{
    struct fake *f = ctx;
    size_t row;

    f->calls[F_DEVICE]++;
    if (find_row(f, pid, value, &row) != NR_OK)
        return NR_GONE;
    *remote = f->kind[row] == K_NET_TARGET || f->kind[row] == K_NET_OTHER || f->kind[row] == K_HANG;
    return NR_OK;
}

static int fk_close(void *ctx, uint32_t pid, uint64_t luid, uint64_t value, uint64_t kept,
                    const nr_char *name, size_t len, uint32_t timeout_ms)
{
    (void)pid;
    (void)luid;
    (void)value;
    (void)kept;
    (void)name;
    (void)len;
    (void)timeout_ms;
    ((struct fake *)ctx)->calls[F_CLOSE]++;
    return NR_OK;
}

static void fk_report(void *ctx, enum nr_event event, const nr_char *text)
{
    (void)event;
    (void)text;
    ((struct fake *)ctx)->calls[F_REPORT]++;
}

/* The self-checks as the real seam answers them: all passed, volume-name
 * too where the device prefilter is proven (Windows 10 and later), not
 * available where class 58 is not answered (Wine 8). */
static void fk_checks_on(void *ctx, struct nr_selfcheck *checks)
{
    (void)ctx;
    for (int c = 0; c < NR_CHECK_COUNT; c++)
        checks->result[c] = NR_CHECK_PASSED;
}

static void fk_checks_off(void *ctx, struct nr_selfcheck *checks)
{
    fk_checks_on(ctx, checks);
    checks->result[NR_CHECK_VOLUME_NAME] = NR_CHECK_ABSENT;
}

/* The device check is always offered; the self-check decides whether the
 * planner uses it. */
static void seam(struct fake *f, struct nr_os *os, int device)
{
    memset(os, 0, sizeof(*os));
    os->ctx = f;
    os->snapshot = fk_snapshot;
    os->free_snapshot = fk_free_snapshot;
    os->file_type_index = fk_type;
    os->caller_luid = fk_caller;
    os->process_luid = fk_luid;
    os->process_image = fk_image;
    os->query_names = fk_names;
    os->close_handle = fk_close;
    os->report = fk_report;
    os->file_device = fk_device;
    os->self_check = device ? fk_checks_on : fk_checks_off;
}

static int fk_started(void *ctx, uint32_t pid, uint64_t *started)
{
    (void)ctx;
    *started = 1000u * (uint64_t)pid + 1;
    return NR_OK;
}

static bool fk_was_blocked(void *ctx, const struct nr_blocked_key *key)
{
    return nr_blocked_has(((struct fake *)ctx)->memory, key);
}

static void fk_remember_blocked(void *ctx, const struct nr_blocked_key *key)
{
    nr_blocked_add(((struct fake *)ctx)->memory, key);
}

/* ---- timing ---- */

static double now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The baseline: one plain pass over the snapshot, touching every row as the
 * planner's first pass does (type test and pid). */
static volatile uint64_t sink;

static double baseline_pass(const struct nr_snapshot *snap)
{
    double t0 = now_ms();
    uint64_t acc = 0;

    for (size_t i = 0; i < snap->count; i++)
        if (snap->handles[i].type_index == FILE_TYPE)
            acc += snap->handles[i].pid;
    sink = acc;
    return now_ms() - t0;
}

static const nr_char target[] = { '\\', '\\', 's', 'r', 'v', '\\', 's', 'h', 'a', 'r', 'e', 0 };

static int run(const struct shape *s, int device, int reps, int print_header,
               size_t *name_queries)
{
    struct fake f;
    struct nr_os os;
    struct nr_reclaim_request req;
    struct nr_plan plan;
    double plan_ms[64], base_ms[64];
    size_t files = 0, session_files = 0, calls[F_COUNT];
    size_t peak = 0, left = 0, rows = 0, to_close = 0;
    uint64_t virtual_ms = 0;
    size_t hangs = 0;
    int failures = 0;

    build(&f, s);
    for (size_t i = 0; i < f.snap.count; i++)
        if (f.snap.handles[i].type_index == FILE_TYPE) {
            files++;
            session_files += find_proc(&f, f.snap.handles[i].pid)->luid == CALLER_LUID;
        }
    seam(&f, &os, device);
    memset(&req, 0, sizeof(req));
    req.target = target;
    req.timeout_ms = TIMEOUT_MS;
    if (reps > 64)
        reps = 64;
    for (int r = 0; r < reps; r++) {
        memset(f.calls, 0, sizeof(f.calls));
        f.virtual_ms = 0;
        f.hang_queries = 0;
        base_ms[r] = baseline_pass(&f.snap);
        mem_now = mem_peak = 0;
        {
            double t0 = now_ms();

            nr_plan_build(&os, &req, &plan);
            nr_plan_execute(&os, &plan);
            plan_ms[r] = now_ms() - t0;
        }
        rows = plan.row_count;
        to_close = plan.reasons[NR_REASON_CLOSE];
        *name_queries = plan.name_queries;
        if (plan.status != NR_OK || to_close != s->target_files || plan.prefilter != !!device ||
            plan.name_queries != f.calls[F_NAME])
            failures++;
        nr_plan_free(&plan);
        peak = mem_peak;
        left = mem_now;
        if (left)
            failures++;
        memcpy(calls, f.calls, sizeof(calls));
        virtual_ms = f.virtual_ms;
        hangs = f.hang_queries;
    }
    {
        double pm = median(plan_ms, reps), bm = median(base_ms, reps);
        const double limit = 48.0 * (double)s->handles + 1048576.0;

        if (print_header)
            printf("%-9s %-6s %7s %6s %7s | %8s %7s %6s | %8s %7s %6s | %9s %9s %5s | %9s %6s\n",
                   "shape", "device", "handles", "files", "in-sess", "queries", "% all", "device",
                   "plan ms", "base ms", "ratio", "peak B", "B/handle", "freed", "hang vms",
                   "hangs");
        printf(
            "%-9s %-6s %7zu %6zu %7zu | %8zu %6.3f%% %6zu | %8.3f %7.3f %6.1f | %9zu %9.2f %5s | "
            "%9llu %6zu\n",
            s->name, device ? "on" : "off", f.snap.count, files, session_files, calls[F_NAME],
            100.0 * (double)calls[F_NAME] / (double)f.snap.count, calls[F_DEVICE], pm, bm,
            bm > 0 ? pm / bm : 0.0, peak, (double)peak / (double)f.snap.count, left ? "NO" : "yes",
            (unsigned long long)virtual_ms, hangs);
        printf("  seam calls:");
        for (int i = 0; i < F_COUNT; i++)
            printf(" %s=%zu", fn_names[i], calls[i]);
        printf("; rows=%zu to close=%zu; memory %s 48 B/handle + 1 MiB (%zu B); "
               "hanging queries: %zu x %u ms = %llu virtual ms%s\n",
               rows, to_close, (double)peak <= limit ? "within" : "OVER", (size_t)limit, hangs,
               TIMEOUT_MS, (unsigned long long)virtual_ms,
               virtual_ms <= (uint64_t)s->hanging * TIMEOUT_MS ? " (at most once each)"
                                                               : " (MORE)");
        printf("RESULT shape=%s device=%s handles=%zu queries=%zu query_pct=%.4f plan_ms=%.3f "
               "base_ms=%.3f ratio=%.2f peak_bytes=%zu bytes_per_handle=%.2f freed=%d "
               "virtual_ms=%llu hangs=%zu\n",
               s->name, device ? "on" : "off", f.snap.count, calls[F_NAME],
               100.0 * (double)calls[F_NAME] / (double)f.snap.count, pm, bm, bm > 0 ? pm / bm : 0.0,
               peak, (double)peak / (double)f.snap.count, !left, (unsigned long long)virtual_ms,
               hangs);
    }
    release(&f);
    return failures;
}

/* ---- rds: the system-snapshot path against the per-session path ----
 * Both paths are modelled in the fake seam as provider/win does them, with
 * the buffers the real seam would allocate (x64 layouts) really allocated
 * and filled, so their bytes and CPU are measured, not assumed. Sizes are
 * snapshot.c's and session.c's, growth base.c's (nrwin_query_sized: a buffer
 * that is too small is freed, then one of needed * 1.25 + slack is asked):
 *  - system: SystemExtendedHandleInformation, 40 bytes a row, a first 1 MiB
 *    try and one regrown buffer (slack 64 KiB), converted in place;
 *  - session: the caller's session's processes from
 *    SystemSessionProcessInformation (class 53: a 64 KiB first try, slack
 *    16 KiB; the 16-byte header is on the stack), each entry 0x100 bytes
 *    plus 0x50 a thread, RDS_THREADS threads each; walked once to count,
 *    then its pids and HandleCount hints copied out (4 + 4 bytes a process)
 *    and the list freed before any table is read; then, for each process,
 *    one open, one token check and its ProcessHandleInformation table (40
 *    bytes a row, HandleCount + 256 rows, one buffer reused, replaced when
 *    a larger one is wanted), its rows appended as nr_handle rows into an
 *    array that doubles from 1024 rows (the old one freed after the copy);
 *  - session, class 5: the same with the fallback list, every process of
 *    the machine (SystemProcessInformation: a 256 KiB first try), as where
 *    class 53 fails.
 * Processes of the caller's logon session are the caller's session's (a
 * logon session lives in one terminal session: nrwin_ledger.h). */
#define RDS_THREADS 16
#define RDS_ENTRY_BYTES 40
#define RDS_PROC_BYTES (0x100 + RDS_THREADS * 0x50)
#define RDS_SESSION_SLACK (16u << 10)

enum rds_path { RDS_SYSTEM, RDS_SESSION, RDS_SESSION_CLASS5, RDS_PATHS };
static const char *const rds_path_names[RDS_PATHS] = { "system", "session", "session-class5" };

struct rds {
    struct fake *f;
    enum rds_path path;
    size_t per; /* rows per process (the last has the rest) */
    size_t now, peak, queries, opens, token_checks;
    void *held; /* the snapshot's block */
    size_t held_bytes;
};

static void *rds_alloc(struct rds *r, size_t n)
{
    void *p = __real_malloc(n);

    if (!p)
        abort();
    r->now += n;
    if (r->now > r->peak)
        r->peak = r->now;
    return p;
}

static void rds_free(struct rds *r, void *p, size_t n)
{
    if (p) {
        r->now -= n;
        __real_free(p);
    }
}

/* nrwin_query_sized's next size. */
static size_t rds_grow(size_t size, size_t needed, size_t slack)
{
    size_t base = needed > size ? needed : size;

    return base + base / 4 + slack;
}

/* A buffer of `first` bytes asked for `need`: regrown until it fits, as
 * nrwin_query_sized does; *size: what it holds. */
static unsigned char *rds_query(struct rds *r, size_t first, size_t need, size_t slack,
                                size_t *size)
{
    unsigned char *buf = rds_alloc(r, *size = first);

    r->queries++;
    while (need > *size) {
        rds_free(r, buf, *size);
        buf = rds_alloc(r, *size = rds_grow(*size, need, slack));
        r->queries++;
    }
    return buf;
}

/* A kernel row, written as the kernel would and read back. */
static void rds_write(unsigned char *e, const struct nr_handle *h)
{
    uint64_t v[5] = { 0, h->pid, h->value, h->access, (uint64_t)h->type_index << 16 | 0 };

    v[4] |= (uint64_t)h->attributes << 32;
    memcpy(e, v, RDS_ENTRY_BYTES);
}

static void rds_read(const unsigned char *e, struct nr_handle *h, uint32_t pid)
{
    uint64_t v[5];

    memcpy(v, e, RDS_ENTRY_BYTES);
    h->pid = pid ? pid : (uint32_t)v[1];
    h->value = v[2];
    h->access = (uint32_t)v[3];
    h->type_index = (uint16_t)(v[4] >> 16);
    h->attributes = (uint16_t)(v[4] >> 32);
}

static void rds_system(struct rds *r, struct nr_snapshot *snap)
{
    const struct nr_snapshot *all = &r->f->snap;
    size_t size;
    unsigned char *buf =
        rds_query(r, 1u << 20, 16 + all->count * RDS_ENTRY_BYTES, 64u << 10, &size);

    for (size_t i = 0; i < all->count; i++)
        rds_write(buf + 16 + i * RDS_ENTRY_BYTES, &all->handles[i]);
    for (size_t i = 0; i < all->count; i++) { /* in place, front to back */
        struct nr_handle h;

        rds_read(buf + 16 + i * RDS_ENTRY_BYTES, &h, 0);
        memcpy((struct nr_handle *)buf + i, &h, sizeof(h));
    }
    snap->handles = (struct nr_handle *)buf;
    snap->count = all->count;
    r->held = buf;
    r->held_bytes = size;
}

/* Is process p in the list this path asks for? */
static int rds_listed(const struct rds *r, size_t p)
{
    return r->path == RDS_SESSION_CLASS5 || r->f->procs[p].luid == CALLER_LUID;
}

/* The caller's session's pids and hints, through the path's list. */
static size_t rds_list(struct rds *r, uint32_t **pids, uint32_t **hints, size_t *bytes)
{
    struct fake *f = r->f;
    size_t listed = 0, n = 0, k = 0, size;
    unsigned char *list;

    for (size_t p = 0; p < f->proc_count; p++)
        listed += rds_listed(r, p);
    list = r->path == RDS_SESSION
               ? rds_query(r, 64u << 10, listed * RDS_PROC_BYTES, RDS_SESSION_SLACK, &size)
               : rds_query(r, 256u << 10, listed * RDS_PROC_BYTES, RDS_SESSION_SLACK, &size);
    /* Each listed process's id, session and HandleCount, then the walks. */
    for (size_t p = 0; p < f->proc_count; p++)
        if (rds_listed(r, p)) {
            uint64_t e[3] = { f->procs[p].pid, f->procs[p].luid, r->per };

            memcpy(list + k++ * RDS_PROC_BYTES + 0x50, e, sizeof(e));
        }
    for (size_t i = 0; i < listed; i++) {
        uint64_t e[3];

        memcpy(e, list + i * RDS_PROC_BYTES + 0x50, sizeof(e));
        n += e[1] == CALLER_LUID;
    }
    *bytes = n * sizeof(**pids);
    *pids = rds_alloc(r, *bytes);
    *hints = rds_alloc(r, *bytes);
    for (size_t i = 0, j = 0; i < listed; i++) {
        uint64_t e[3];

        memcpy(e, list + i * RDS_PROC_BYTES + 0x50, sizeof(e));
        if (e[1] == CALLER_LUID) {
            (*pids)[j] = (uint32_t)e[0];
            (*hints)[j++] = (uint32_t)e[2];
        }
    }
    rds_free(r, list, size);
    return n;
}

static void rds_session(struct rds *r, struct nr_snapshot *snap)
{
    struct fake *f = r->f;
    size_t table = 0, count = 0, cap = 1024, bytes;
    unsigned char *tbuf = NULL;
    uint32_t *pids, *hints;
    const size_t npids = rds_list(r, &pids, &hints, &bytes);
    struct nr_handle *rows = rds_alloc(r, cap * sizeof(*rows));

    for (size_t k = 0; k < npids; k++) {
        size_t p = pids[k] / 4 - 2, first = p * r->per;
        size_t n = p + 1 == f->proc_count ? f->snap.count - first : r->per;
        size_t want = 16 + (hints[k] + 256) * RDS_ENTRY_BYTES;

        r->opens++;
        r->token_checks++;
        if (want > table) {
            rds_free(r, tbuf, table);
            tbuf = rds_alloc(r, table = want);
        }
        r->queries++;
        for (size_t i = 0; i < n; i++)
            rds_write(tbuf + 16 + i * RDS_ENTRY_BYTES, &f->snap.handles[first + i]);
        if (count + n > cap) {
            size_t ncap = cap;
            struct nr_handle *grown;

            while (ncap < count + n)
                ncap *= 2;
            grown = rds_alloc(r, ncap * sizeof(*grown));
            memcpy(grown, rows, count * sizeof(*rows));
            rds_free(r, rows, cap * sizeof(*rows));
            rows = grown;
            cap = ncap;
        }
        for (size_t i = 0; i < n; i++)
            rds_read(tbuf + 16 + i * RDS_ENTRY_BYTES, &rows[count + i], pids[k]);
        count += n;
    }
    rds_free(r, tbuf, table);
    rds_free(r, pids, bytes);
    rds_free(r, hints, bytes);
    snap->handles = rows;
    snap->count = count;
    r->held = rows;
    r->held_bytes = cap * sizeof(*rows);
}

static int rds_snapshot(void *ctx, struct nr_snapshot *snap)
{
    struct rds *r = (struct rds *)((struct fake *)ctx)->kind_ctx;

    ((struct fake *)ctx)->calls[F_SNAPSHOT]++;
    if (r->path == RDS_SYSTEM)
        rds_system(r, snap);
    else
        rds_session(r, snap);
    return NR_OK;
}

static void rds_free_snapshot(void *ctx, struct nr_snapshot *snap)
{
    struct rds *r = (struct rds *)((struct fake *)ctx)->kind_ctx;

    rds_free(r, r->held, r->held_bytes);
    r->held = NULL;
    snap->handles = NULL;
    snap->count = 0;
}

struct rds_result {
    double cpu_ms;
    size_t peak, rows, seam_calls, queries, opens, to_close, hangs;
};

static int rds_run(const struct shape *s, enum rds_path path, int reps, struct rds_result *out)
{
    struct fake f;
    struct rds r;
    struct nr_os os;
    struct nr_reclaim_request req;
    struct nr_plan plan;
    double cpu[64];
    int failures = 0;

    build(&f, s);
    memset(&r, 0, sizeof(r));
    r.f = &f;
    r.path = path;
    r.per = s->handles / s->processes;
    f.kind_ctx = &r;
    seam(&f, &os, 1);
    os.snapshot = rds_snapshot;
    os.free_snapshot = rds_free_snapshot;
    memset(&req, 0, sizeof(req));
    req.target = target;
    req.timeout_ms = TIMEOUT_MS;
    if (reps > 64)
        reps = 64;
    for (int k = 0; k < reps; k++) {
        clock_t t0;

        memset(f.calls, 0, sizeof(f.calls));
        f.hang_queries = 0;
        r.peak = r.now = r.queries = r.opens = r.token_checks = 0;
        t0 = clock();
        nr_plan_build(&os, &req, &plan);
        nr_plan_execute(&os, &plan);
        cpu[k] = 1e3 * (double)(clock() - t0) / CLOCKS_PER_SEC;
        out->rows = plan.row_count;
        out->to_close = plan.reasons[NR_REASON_CLOSE];
        if (plan.status != NR_OK || out->to_close != s->target_files || r.now)
            failures++;
        nr_plan_free(&plan);
    }
    out->cpu_ms = median(cpu, reps);
    out->peak = r.peak;
    out->queries = r.queries;
    out->opens = r.opens + r.token_checks;
    out->hangs = f.hang_queries;
    out->seam_calls = 0;
    for (int i = 0; i < F_COUNT; i++)
        out->seam_calls += f.calls[i];
    release(&f);
    return failures;
}

/* One machine of `sessions` sessions, each of per_session handles over
 * procs_per_session processes, the caller's one of them: the three paths in
 * the same process, the session paths' CPU and peak as ratios to the
 * system path's (which is the baseline). */
static int rds_compare(const char *name, size_t sessions, size_t per_session,
                       size_t procs_per_session, int reps)
{
    const struct shape s = { name,
                             sessions * per_session,
                             sessions * procs_per_session,
                             sessions < 2 ? 2 : sessions,
                             1.0 - 1.0 / (double)sessions,
                             0.15,
                             sessions * 3 + 10,
                             10,
                             5 };
    struct rds_result res[RDS_PATHS];
    int failures = 0;

    for (int p = 0; p < RDS_PATHS; p++)
        failures += rds_run(&s, (enum rds_path)p, reps, &res[p]);
    printf("%-9s %8zu %4zu %5zu | system %7.1f ms %10zu B %2zu q", name, s.handles, sessions,
           s.processes, res[RDS_SYSTEM].cpu_ms, res[RDS_SYSTEM].peak, res[RDS_SYSTEM].queries);
    for (int p = RDS_SESSION; p < RDS_PATHS; p++)
        printf(" | %s %5.1f ms %9zu B %3zu q %3zu opens: CPU 1/%.0f, mem 1/%.0f",
               p == RDS_SESSION ? "class 53" : "class 5", res[p].cpu_ms, res[p].peak,
               res[p].queries, res[p].opens,
               res[p].cpu_ms > 0 ? res[RDS_SYSTEM].cpu_ms / res[p].cpu_ms : 0.0,
               (double)res[RDS_SYSTEM].peak / (double)res[p].peak);
    printf(" | rows %zu->%zu, close %zu, hangs %zu/%zu\n", res[RDS_SYSTEM].rows,
           res[RDS_SESSION].rows, res[RDS_SESSION].to_close, res[RDS_SYSTEM].hangs,
           res[RDS_SESSION].hangs);
    for (int p = 0; p < RDS_PATHS; p++)
        printf("RDS shape=%s path=%s handles=%zu sessions=%zu processes=%zu cpu_ms=%.2f "
               "peak=%zu queries=%zu opens=%zu seam_calls=%zu cpu_ratio=%.1f mem_ratio=%.1f "
               "rows=%zu close=%zu hangs=%zu\n",
               name, rds_path_names[p], s.handles, sessions, s.processes, res[p].cpu_ms,
               res[p].peak, res[p].queries, res[p].opens, res[p].seam_calls,
               res[p].cpu_ms > 0 ? res[RDS_SYSTEM].cpu_ms / res[p].cpu_ms : 0.0,
               (double)res[RDS_SYSTEM].peak / (double)res[p].peak, res[p].rows, res[p].to_close,
               res[p].hangs);
    return failures;
}

/* The load average now (the first figure of /proc/loadavg), -1 if unknown. */
static double load_average(void)
{
    FILE *f = fopen("/proc/loadavg", "r");
    double load = -1;

    if (f) {
        if (fscanf(f, "%lf", &load) != 1)
            load = -1;
        fclose(f);
    }
    return load;
}

static int rds_all(int quick)
{
    const int reps = quick ? 1 : 5;
    int failures = 0;

    printf("rds: system snapshot vs per-session path, its list from class 53 (the session's) and "
           "from class 5 (the machine's, the fallback) (CPU: clock(), median of %d; memory: peak "
           "bytes the seam holds; %d threads a process; q: queries; load average %.2f)\n",
           reps, RDS_THREADS, load_average());
    if (quick)
        failures += rds_compare("rds-quick", 20, 20000, 80, reps) +
                    rds_compare("grow-1", 1, 20000, 80, reps) +
                    rds_compare("grow-5", 5, 20000, 80, reps);
    else {
        /* The shape: 2,000,000 handles, 200 sessions, 8,000
         * processes, the caller's session 1% of them. */
        failures += rds_compare("rds", 200, 10000, 40, reps);
        /* The caller's session fixed (20,000 handles, 80 processes), the
         * machine 1, 10, 100 such sessions. */
        failures += rds_compare("grow-1", 1, 20000, 80, reps);
        failures += rds_compare("grow-10", 10, 20000, 80, reps);
        failures += rds_compare("grow-100", 100, 20000, 80, reps);
    }
    printf("rds: load average after %.2f\n", load_average());
    return failures;
}

/* ---- blocking: many handles whose name query blocks, in one long-lived
 * process ----
 * The terminal shape with 100 of the caller's network files blocking, and
 * ten reclaims in a row in one process, whose seam remembers what timed out
 * and bounds the stuck workers as worker.c does. Two cases: the blocked
 * reads end between reclaims (their workers come back), or never. Shows
 * per reclaim what timed out, what was skipped as blocked earlier, what was
 * refused or over the budget, and what was closed; checks that no handle
 * ever costs more than one timeout. */
static int blocking_run(int forever)
{
    const struct shape s = { "blocking", 300000, 2000, 40, 0.70, 0.15, 600, 10, 100 };
    struct fake f;
    struct nr_os os;
    struct nr_reclaim_request req;
    struct nr_plan plan;
    unsigned worst = 0;
    uint64_t total_ms = 0;
    size_t i, stuck_max = 0;
    int failures = 0;

    build(&f, &s);
    seam(&f, &os, 0);
    os.process_started = fk_started;
    os.was_blocked = fk_was_blocked;
    os.remember_blocked = fk_remember_blocked;
    f.model_stuck = 1;
    f.memory = __real_calloc(1, sizeof(*f.memory));
    f.row_timeouts = __real_calloc(f.snap.count, sizeof(*f.row_timeouts));
    if (!f.memory || !f.row_timeouts)
        abort();
    memset(&req, 0, sizeof(req));
    req.target = target;
    req.timeout_ms = TIMEOUT_MS;
    printf("blocking (%s): %zu handles, %zu blocking and %zu under the target in the caller's "
           "session; 10 reclaims in one process; at most %d stuck workers\n",
           forever ? "reads never end" : "reads end between reclaims", f.snap.count, s.hanging,
           s.target_files, NR_MAX_STUCK_QUERIES);
    printf("  %7s | %8s %8s %8s %7s | %8s\n", "reclaim", "timeouts", "earlier", "limit", "closed",
           "hang vms");
    for (int r = 1; r <= 10; r++) {
        if (!forever)
            f.stuck = 0;
        f.virtual_ms = 0;
        nr_plan_build(&os, &req, &plan);
        nr_plan_execute(&os, &plan);
        printf("  %7d | %8zu %8zu %8zu %7zu | %8llu\n", r, plan.reasons[NR_REASON_NAME_TIMEOUT],
               plan.reasons[NR_REASON_BLOCKED_EARLIER], plan.reasons[NR_REASON_LIMIT], plan.closed,
               (unsigned long long)f.virtual_ms);
        if (plan.status != NR_OK)
            failures++;
        total_ms += f.virtual_ms;
        if (f.stuck > stuck_max)
            stuck_max = f.stuck;
        nr_plan_free(&plan);
    }
    for (i = 0; i < f.snap.count; i++)
        if (f.row_timeouts[i] > worst)
            worst = f.row_timeouts[i];
    if (worst > 1 || stuck_max > NR_MAX_STUCK_QUERIES)
        failures++;
    printf("  most timeouts of one handle: %u (%s); stuck workers at most %zu; %llu virtual ms in "
           "all\n",
           worst, worst <= 1 ? "at most one per process lifetime" : "MORE", stuck_max,
           (unsigned long long)total_ms);
    printf("RESULT blocking=%s worst_timeouts_per_handle=%u stuck_max=%zu virtual_ms=%llu\n",
           forever ? "forever" : "returning", worst, stuck_max, (unsigned long long)total_ms);
    __real_free(f.memory);
    __real_free(f.row_timeouts);
    release(&f);
    return failures;
}

int main(int argc, char **argv)
{
    const int quick = argc > 1 && !strcmp(argv[1], "--quick");
    /* A busy desktop: a few service sessions and the user's; a terminal
     * server: 40 logon sessions, 70% of the handles in other sessions. */
    const struct shape shapes[] = {
        { "desktop", 120000, 300, 4, 0.50, 0.15, 200, 10, 3 },
        { "terminal", 300000, 2000, 40, 0.70, 0.15, 600, 10, 5 },
    };
    int failures = 0, reps = quick ? 3 : 31;
    size_t queries[2];

    printf(
        "replay: planner through a counting fake seam; %d repetitions, name query timeout %u ms\n",
        reps, TIMEOUT_MS);
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        for (int device = 0; device < 2; device++)
            failures += run(&shapes[i], device, reps, i == 0 && device == 0, &queries[device]);
        /* The plan's own counter, from the two runs above in this process. */
        printf("prefilter %s: name queries per reclaim %zu without (volume-name not available), "
               "%zu with (volume-name passed): %.1f times fewer\n",
               shapes[i].name, queries[0], queries[1],
               queries[1] ? (double)queries[0] / (double)queries[1] : 0.0);
        printf("RESULT prefilter shape=%s queries_without=%zu queries_with=%zu\n",
               shapes[i].name, queries[0], queries[1]);
    }
    failures += rds_all(quick);
    failures += blocking_run(0) + blocking_run(1);
    printf("replay: done%s\n", failures ? " (with FAILURES)" : "");
    return failures ? 1 : 0;
}
