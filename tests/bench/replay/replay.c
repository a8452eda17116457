/* replay_bench: the reclaim planner (provider/core/plan.c) replayed through a
 * fake OS seam on synthetic system handle tables shaped like a busy desktop
 * and a terminal server (issue #6, docs/performance.md).
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
    F_DEVICE,
    F_CLOSE,
    F_REPORT,
    F_COUNT
};
static const char *const fn_names[F_COUNT] = { "snapshot",     "file_type",     "caller_luid",
                                               "process_luid", "process_image", "query_name",
                                               "file_device",  "close",         "report" };

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

static int fk_name(void *ctx, uint32_t pid, uint64_t value, uint32_t timeout_ms, nr_char *buf,
                   size_t cch, size_t *len, uint32_t *protocol)
{
    struct fake *f = ctx;
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

static void fk_report(void *ctx, enum nr_severity severity, const nr_char *text)
{
    (void)severity;
    (void)text;
    ((struct fake *)ctx)->calls[F_REPORT]++;
}

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
    os->query_name = fk_name;
    os->close_handle = fk_close;
    os->report = fk_report;
    os->file_device = device ? fk_device : NULL;
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

static int run(const struct shape *s, int device, int reps, int print_header)
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
        if (plan.status != NR_OK || to_close != s->target_files)
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

    printf(
        "replay: planner through a counting fake seam; %d repetitions, name query timeout %u ms\n",
        reps, TIMEOUT_MS);
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
        for (int device = 0; device < 2; device++)
            failures += run(&shapes[i], device, reps, i == 0 && device == 0);
    printf("replay: done%s\n", failures ? " (with FAILURES)" : "");
    return failures ? 1 : 0;
}
