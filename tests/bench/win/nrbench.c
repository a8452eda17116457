/* nrbench.exe: the end-to-end cancel benchmark, run under Wine.
 *
 *   nrbench --n N [--reps R] [--k K] [--holders H] [--share \\srv\share]
 *           [--dir C:\nrbench] [--timeout-s S]
 *           [--add-reps A] [--first-pairs F] [--resamples B] [--marks 1]
 *   nrbench --mem-child stock|netreclaim --tag T --share \\srv\share
 *   nrbench --first-child stock|netreclaim --tag T --share \\srv\share
 *
 * One process does all the timing, in-process, with QueryPerformanceCounter:
 * it starts H holder processes (benchhold.exe) that fill the system handle
 * table up to about N handles (85% events, mutexes, sections and keys, the
 * rest local files) and one of which holds K files under the share; it loads
 * the model redirector (nrmodel.dll) and netreclaim.dll with LoadLibrary and
 * then, R times, in an order that rotates each repetition, measures:
 *   stock       NPAddConnection3(Q: -> share) + forced NPCancelConnection(Q:)
 *               through nrmodel.dll alone (the K handles survive: Q245006);
 *   netreclaim  the same through netreclaim.dll (which forwards to the
 *               model and then closes the K handles);
 *   floor       one handle snapshot plus one inline name query for each File
 *               handle in the system (under Wine: the session's);
 *   naive       one handle snapshot plus one name query for every handle.
 * Between timed calls the share holder closes what is left of its K handles
 * and opens K fresh ones (handshake over named events), untimed.
 * It prints one "RESULT" line per N (medians, p95s, counts, in ms) and two
 * "MEM" lines from child processes (--mem-child) that each do one add and one
 * cancel and report GetProcessMemoryInfo around the cancel (--reps 0: none
 * of the cancel part, no RESULT/MEM/PROFILE lines).
 *
 * The add path, with the same N handles held:
 *   ADD    A timed NPAddConnection3(Q:) pairs, stock and netreclaim, the order
 *          alternating each repetition; the median of the per-pair
 *          differences netreclaim - stock with its 95% percentile-bootstrap
 *          interval (B resamples, fixed seed), also the difference of the
 *          two medians with its interval, and the model's calls per add
 *          counted from its call log (as wine-npdiff counts them);
 *   FIRST  F pairs of fresh child processes (--first-child), each doing its
 *          process's first NP call, one add, the order alternating per pair:
 *          "cold" before this driver's first netreclaim call (no process of
 *          the session holds the ledger), "warm" after it (this driver does).
 * Every wait is bounded; holders exit with the driver. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include "events.h"
#include <winnetwk.h>
#include <npapi.h>
#include <psapi.h>
#include "win/ntapi.h"
#include "win/nrwin.h"
#include "netreclaim/plan.h"
#include "entries.h"
#include "model/logread.h"
#include "model/share.h"

#define MAX_HOLDERS 16
#define MAX_REPS 1000
#define MAX_ADD_REPS 5000
#define MAX_FIRST 500
#define BOOT_SEED 14u /* the bootstrap is reproducible */

#define NAME_BYTES (sizeof(OBJECT_NAME_INFORMATION) + 0x10000)

typedef DWORD(WINAPI *add3_fn)(HWND, LPNETRESOURCEW, LPWSTR, LPWSTR, DWORD);
typedef DWORD(WINAPI *cancel_fn)(LPWSTR, BOOL);

struct provider {
    const WCHAR *dll;
    HMODULE module;
    add3_fn add;
    cancel_fn cancel;
};

enum cmd { CMD_NONE, CMD_CLEAN, CMD_OPEN };

/* Shared with the holders: [0..MAX_HOLDERS) survivors per holder, then the
 * command for the share holder. */
struct stat_area {
    volatile LONG survived[MAX_HOLDERS];
    /* A first-add child's answer (--first-child): its times in us and the
     * model calls it made. */
    volatile LONG first_rc;
    volatile double first_load_us, first_add_us;
    struct nrmodel_counts first_calls;
};

static WCHAR tag[64];
static DWORD wait_ms = 120000;
static struct stat_area *stat;
static HANDLE ev_reopen, ev_reopened, ev_quit;
static WCHAR share[MAX_PATH] = L"\\\\srv\\share";
static int k_handles = 10;
static BYTE *name_buf;
static int marks; /* --marks: OutputDebugString around each timed add (run.sh --server-calls) */

static void die(const char *what)
{
    printf("nrbench: FAIL: %s (error %lu)\n", what, GetLastError());
    fflush(stdout);
    if (ev_quit)
        SetEvent(ev_quit);
    ExitProcess(1);
}

static double now_ms(void)
{
    static LARGE_INTEGER freq;
    LARGE_INTEGER t;

    if (!freq.QuadPart)
        QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&t);
    return (double)t.QuadPart * 1000.0 / (double)freq.QuadPart;
}

/* ---- the system handle table ---- */

static SYSTEM_HANDLE_INFORMATION_EX *snapshot(void)
{
    static SYSTEM_HANDLE_INFORMATION_EX *info;
    static ULONG size = 1u << 20;
    ULONG needed;
    NTSTATUS nt;

    for (int i = 0; i < 8; i++) {
        if (!info && !(info = HeapAlloc(GetProcessHeap(), 0, size)))
            die("snapshot buffer");
        nt = NtQuerySystemInformation(SystemExtendedHandleInformation, info, size, &needed);
        if (nt != STATUS_INFO_LENGTH_MISMATCH)
            return NT_SUCCESS(nt) ? info : NULL;
        HeapFree(GetProcessHeap(), 0, info);
        info = NULL;
        size = (needed > size ? needed : size) * 2;
    }
    return NULL;
}

/* The File type index, from a file handle of our own. */
static USHORT file_type_index(void)
{
    WCHAR path[MAX_PATH];
    HANDLE f;
    SYSTEM_HANDLE_INFORMATION_EX *info;
    USHORT index = 0xffff;

    GetModuleFileNameW(NULL, path, MAX_PATH);
    f = CreateFileW(path, FILE_READ_ATTRIBUTES,
                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_EXISTING, 0,
                    NULL);
    if (f == INVALID_HANDLE_VALUE || !(info = snapshot()))
        die("file type index");
    for (ULONG_PTR i = 0; i < info->NumberOfHandles; i++)
        if (info->Handles[i].UniqueProcessId == GetCurrentProcessId() &&
            info->Handles[i].HandleValue == (ULONG_PTR)f)
            index = info->Handles[i].ObjectTypeIndex;
    CloseHandle(f);
    if (index == 0xffff)
        die("file type index not found");
    return index;
}

/* The reference loops: a snapshot, then for each handle considered (File
 * handles, or all of them) an inline name query on a copy, the source
 * process opened once per run of its handles. Returns the queries made. */
static size_t reference_pass(USHORT file_type, BOOL all)
{
    const HANDLE self = GetCurrentProcess();
    SYSTEM_HANDLE_INFORMATION_EX *info = snapshot();
    ULONG_PTR pid = (ULONG_PTR)-1;
    HANDLE process = NULL, h;
    size_t queries = 0;

    if (!info)
        die("snapshot");
    for (ULONG_PTR i = 0; i < info->NumberOfHandles; i++) {
        const SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX *e = &info->Handles[i];

        if (!all && e->ObjectTypeIndex != file_type)
            continue;
        if (e->UniqueProcessId != pid) {
            if (process)
                CloseHandle(process);
            pid = e->UniqueProcessId;
            process = OpenProcess(PROCESS_DUP_HANDLE, FALSE, (DWORD)pid);
        }
        if (!process || !DuplicateHandle(process, (HANDLE)e->HandleValue, self, &h, 0, FALSE,
                                         DUPLICATE_SAME_ACCESS))
            continue;
        NtQueryObject(h, ObjectNameInformation, name_buf, NAME_BYTES, NULL);
        CloseHandle(h);
        queries++;
    }
    if (process)
        CloseHandle(process);
    return queries;
}

/* ---- the planner alone, with the real seam, each seam function timed ---- */

enum seam_fn { S_SNAPSHOT, S_FREE, S_TYPE, S_CALLER, S_LUID, S_IMAGE, S_NAME, S_CLOSE, S_COUNT };
static const char *const seam_names[S_COUNT] = { "snapshot",    "free_snapshot", "file_type",
                                                 "caller_luid", "process_luid",  "process_image",
                                                 "query_names", "close" };
static double seam_ms[S_COUNT];
static size_t seam_calls[S_COUNT];
static struct nr_os real_os;

#define TIMED(fn, call)                                                                            \
    do {                                                                                           \
        double t0_ = now_ms();                                                                     \
        int r_ = call;                                                                             \
        seam_ms[fn] += now_ms() - t0_;                                                             \
        seam_calls[fn]++;                                                                          \
        return r_;                                                                                 \
    } while (0)

static int t_snapshot(void *c, struct nr_snapshot *s)
{
    TIMED(S_SNAPSHOT, real_os.snapshot(c, s));
}
static void t_free(void *c, struct nr_snapshot *s)
{
    double t0 = now_ms();

    real_os.free_snapshot(c, s);
    seam_ms[S_FREE] += now_ms() - t0;
    seam_calls[S_FREE]++;
}
static int t_type(void *c, uint16_t *i)
{
    TIMED(S_TYPE, real_os.file_type_index(c, i));
}
static int t_caller(void *c, uint64_t *l)
{
    TIMED(S_CALLER, real_os.caller_luid(c, l));
}
static int t_luid(void *c, uint32_t p, uint64_t *l)
{
    TIMED(S_LUID, real_os.process_luid(c, p, l));
}
static int t_image(void *c, uint32_t p, nr_char *b, size_t n)
{
    TIMED(S_IMAGE, real_os.process_image(c, p, b, n));
}
static size_t t_names(void *c, uint32_t p, struct nr_name_query *q, size_t count, uint32_t t,
                      nr_char *b, size_t n)
{
    double t0 = now_ms();
    size_t settled = real_os.query_names(c, p, q, count, t, b, n);

    seam_ms[S_NAME] += now_ms() - t0;
    seam_calls[S_NAME]++;
    return settled;
}

/* nr_plan_build as reclaim.c calls it (target, redirector prefixes, default
 * timeout), nothing closed: where the cancel's time goes. */
static double plan_pass(size_t *rows)
{
    struct nr_reclaim_request req = { 0 };
    const nr_char *prefixes[16];
    struct nr_plan plan;
    struct nr_os os;
    WCHAR *multi = NULL;
    size_t count = 0, i = 0;
    double t0, t1;

    t0 = now_ms();
    if (nrwin_smb_prefixes(&multi, &count) != NR_OK)
        die("redirector prefixes");
    for (WCHAR *p = multi; i < count && i < 16 && *p; p += lstrlenW(p) + 1)
        prefixes[i++] = (const nr_char *)p;
    nrwin_os(&real_os);
    os = real_os;
    os.snapshot = t_snapshot;
    os.free_snapshot = t_free;
    os.file_type_index = t_type;
    os.caller_luid = t_caller;
    os.process_luid = t_luid;
    os.process_image = t_image;
    os.query_names = t_names;
    req.target = (const nr_char *)share;
    req.prefixes = prefixes;
    req.prefix_count = i;
    req.timeout_ms = 200;
    nr_plan_build(&os, &req, &plan);
    *rows = plan.row_count;
    nr_plan_free(&plan);
    nrwin_free(multi);
    t1 = now_ms();
    return t1 - t0;
}

/* ---- the cost of each step of a name query, averaged (--micro) ---- */

static void noop_run(struct nrwin_call *call)
{
    (void)call;
}
static void noop_release(struct nrwin_call *call)
{
    nrwin_free(call);
}

static void micro(void)
{
    const HANDLE self = GetCurrentProcess();
    const int loops = 2000;
    OBJECT_BASIC_INFORMATION basic;
    HANDLE f, h, p;
    WCHAR path[MAX_PATH];
    nr_char name[1024];
    size_t len;
    double t0;

    GetModuleFileNameW(NULL, path, MAX_PATH);
    f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0,
                    NULL);
#define MICRO(label, body)                                                                         \
    t0 = now_ms();                                                                                 \
    for (int i_ = 0; i_ < loops; i_++) {                                                           \
        body;                                                                                      \
    }                                                                                              \
    printf("MICRO %-40s %8.2f us\n", label, (now_ms() - t0) * 1000.0 / loops);
    MICRO("OpenProcess + CloseHandle",
          p = OpenProcess(PROCESS_DUP_HANDLE, FALSE, GetCurrentProcessId());
          CloseHandle(p));
    MICRO("DuplicateHandle + CloseHandle",
          DuplicateHandle(self, f, self, &h, 0, FALSE, DUPLICATE_SAME_ACCESS);
          CloseHandle(h));
    MICRO("NtQueryObject(basic)",
          NtQueryObject(f, ObjectBasicInformation, &basic, sizeof(basic), NULL));
    MICRO("NtQueryObject(name)",
          NtQueryObject(f, ObjectNameInformation, name_buf, NAME_BYTES, NULL));
    MICRO("HeapAlloc(64K, zeroed) + HeapFree",
          nrwin_free(nrwin_alloc(sizeof(OBJECT_NAME_INFORMATION) + 0x10000 + 64)));
    MICRO("worker hand-off (no-op call)", {
        struct nrwin_call *c = nrwin_alloc(sizeof(*c));
        c->run = noop_run;
        c->release = noop_release;
        if (nrwin_call_bounded(c, 1000, NULL) == NR_OK)
            c->release(c);
    });
    MICRO("nrwin_name_of (own handle)", nrwin_name_of(f, 1000, name, 1024, &len));
    MICRO("nrwin_query_names (own pid, batch of 1)", {
        struct nr_name_query q = { .value = (ULONG_PTR)f };
        nrwin_query_names(NULL, GetCurrentProcessId(), &q, 1, 1000, name, 1024);
    });
    CloseHandle(f);
    fflush(stdout);
}

/* ---- providers and the share holder ---- */

static void load_provider(struct provider *p)
{
    if (!(p->module = LoadLibraryW(p->dll)))
        die("LoadLibrary");
    p->add = (add3_fn)(void *)GetProcAddress(p->module, "NPAddConnection3");
    p->cancel = (cancel_fn)(void *)GetProcAddress(p->module, "NPCancelConnection");
    if (!p->add || !p->cancel)
        die("provider entry points");
}

/* Ask the share holder to close its leftovers (CMD_CLEAN, returns how many
 * had survived) or to open K fresh handles (CMD_OPEN). */
static LONG holder_cmd(enum cmd cmd, int share_holder)
{
    stat->survived[share_holder] = -1;
    /* The holder reads the command word at the end of the area. */
    stat->survived[MAX_HOLDERS - 1] = cmd;
    SetEvent(ev_reopen);
    if (WaitForSingleObject(ev_reopened, wait_ms) != WAIT_OBJECT_0)
        die("share holder did not answer");
    return stat->survived[share_holder];
}

static DWORD add_q(const struct provider *p)
{
    NETRESOURCEW res = { 0 };

    res.dwType = RESOURCETYPE_DISK;
    res.lpLocalName = L"Q:";
    res.lpRemoteName = share;
    return p->add(NULL, &res, NULL, NULL, 0);
}

/* ---- statistics ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static double pct(double *v, int n, double p)
{
    double pos;
    int lo;

    if (!n)
        return 0;
    qsort(v, n, sizeof(*v), cmp_double);
    pos = p * (n - 1);
    lo = (int)pos;
    if (lo + 1 >= n)
        return v[n - 1];
    return v[lo] + (pos - lo) * (v[lo + 1] - v[lo]);
}

/* The median of v[0..n) and its 95% percentile-bootstrap interval:
 * `resamples` resamples of n drawn with replacement (splitmix64, fixed seed),
 * the 2.5th and 97.5th percentiles of their medians. v is left unsorted. */
struct ci {
    double med, lo, hi;
};

static uint64_t rng;

static uint64_t splitmix64(void)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static struct ci boot_median(const double *v, int n, int resamples)
{
    double *draw = HeapAlloc(GetProcessHeap(), 0, sizeof(double) * (n ? n : 1));
    double *meds = HeapAlloc(GetProcessHeap(), 0, sizeof(double) * (resamples ? resamples : 1));
    struct ci ci = { 0, 0, 0 };

    if (!draw || !meds)
        die("bootstrap buffers");
    if (n) {
        memcpy(draw, v, sizeof(double) * n);
        ci.med = pct(draw, n, 0.5);
        rng = BOOT_SEED;
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < n; i++)
                draw[i] = v[splitmix64() % (uint64_t)n];
            meds[b] = pct(draw, n, 0.5);
        }
        ci.lo = pct(meds, resamples, 0.025);
        ci.hi = pct(meds, resamples, 0.975);
    }
    HeapFree(GetProcessHeap(), 0, draw);
    HeapFree(GetProcessHeap(), 0, meds);
    return ci;
}

/* The same for the difference of the two medians, med(b) - med(a), the
 * pairs (a[i], b[i]) resampled together. */
static struct ci boot_median_diff(const double *a, const double *b, int n, int resamples)
{
    double *da = HeapAlloc(GetProcessHeap(), 0, sizeof(double) * (n ? n : 1));
    double *db = HeapAlloc(GetProcessHeap(), 0, sizeof(double) * (n ? n : 1));
    double *meds = HeapAlloc(GetProcessHeap(), 0, sizeof(double) * (resamples ? resamples : 1));
    struct ci ci = { 0, 0, 0 };

    if (!da || !db || !meds)
        die("bootstrap buffers");
    if (n) {
        memcpy(da, a, sizeof(double) * n);
        memcpy(db, b, sizeof(double) * n);
        ci.med = pct(db, n, 0.5) - pct(da, n, 0.5);
        rng = BOOT_SEED + 1;
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) {
                const uint64_t j = splitmix64() % (uint64_t)n;

                da[i] = a[j];
                db[i] = b[j];
            }
            meds[r] = pct(db, n, 0.5) - pct(da, n, 0.5);
        }
        ci.lo = pct(meds, resamples, 0.025);
        ci.hi = pct(meds, resamples, 0.975);
    }
    HeapFree(GetProcessHeap(), 0, da);
    HeapFree(GetProcessHeap(), 0, db);
    HeapFree(GetProcessHeap(), 0, meds);
    return ci;
}

/* ---- the model's call log (tests/wine/model/logread.h) ---- */

/* The lines process `pid` added since `from`, per entry, into *c. */
static void log_count(ULONGLONG from, DWORD pid, struct nrmodel_counts *c)
{
    if (!nrmodel_log_count(from, pid, c))
        die("model call log");
}

static LONG count_total(const struct nrmodel_counts *c)
{
    LONG t = c->unknown;

    for (size_t e = 0; e < NRMODEL_ENTRIES; e++)
        t += c->n[e];
    return t;
}

/* "NPAddConnection3=1,NPOpenEnum=1" (per add, averaged over `adds`), or "none". */
static void print_counts(const char *key, const double *per_entry, double unknown)
{
    int any = 0;

    printf(" %s=", key);
    for (size_t e = 0; e < NRMODEL_ENTRIES; e++)
        if (per_entry[e] > 0.0005 || per_entry[e] < -0.0005)
            printf("%s%s%+.3g", any++ ? "," : "", nrmodel_entries[e], per_entry[e]);
    if (unknown > 0.0005 || unknown < -0.0005)
        printf("%sunknown%+.3g", any++ ? "," : "", unknown);
    if (!any)
        printf("none");
}

/* ---- the memory child ---- */

static void open_stat_area(void)
{
    WCHAR name[128];
    HANDLE map;

    swprintf(name, ARRAYSIZE(name), L"Local\\%ls-stat", tag);
    if (!(map = OpenFileMappingW(FILE_MAP_WRITE, FALSE, name)) ||
        !(stat = MapViewOfFile(map, FILE_MAP_WRITE, 0, 0, 0)))
        die("stat area");
}

static int mem_child(const WCHAR *variant)
{
    struct provider p = { !wcscmp(variant, L"stock") ? L"nrmodel.dll" : L"netreclaim.dll" };
    PROCESS_MEMORY_COUNTERS before, after;
    DWORD rc;

    ev_reopen = bench_event(tag, L"reopen", -1);
    ev_reopened = bench_event(tag, L"reopened", -1);
    open_stat_area();
    load_provider(&p);
    holder_cmd(CMD_CLEAN, 0);
    if ((rc = add_q(&p)))
        die("add in memory child");
    holder_cmd(CMD_OPEN, 0);
    GetProcessMemoryInfo(GetCurrentProcess(), &before, sizeof(before));
    rc = p.cancel(L"Q:", TRUE);
    GetProcessMemoryInfo(GetCurrentProcess(), &after, sizeof(after));
    /* Under Wine 8, PrivateUsage reads 0 and PeakPagefileUsage carries the
     * peak private (committed) bytes. */
    printf("MEM %ls rc=%lu peak_ws_before=%llu peak_ws_after=%llu ws_after=%llu "
           "peak_private_before=%llu peak_private_after=%llu survived=%ld\n",
           variant, rc, (unsigned long long)before.PeakWorkingSetSize,
           (unsigned long long)after.PeakWorkingSetSize, (unsigned long long)after.WorkingSetSize,
           (unsigned long long)before.PeakPagefileUsage,
           (unsigned long long)after.PeakPagefileUsage, holder_cmd(CMD_CLEAN, 0));
    fflush(stdout);
    return rc ? 1 : 0;
}

/* A process's first NP call (--first-child): load the provider (timed
 * apart), then one NPAddConnection3(Q:), timed; the model calls this process
 * made from before the load to after the add are counted. The answer goes
 * to the parent through the stat area; the parent undoes the add. */
static int first_child(const WCHAR *variant)
{
    struct provider p = { !wcscmp(variant, L"stock") ? L"nrmodel.dll" : L"netreclaim.dll" };
    struct nrmodel_counts c;
    ULONGLONG from;
    double t0, t1, t2;
    DWORD rc;

    open_stat_area();
    from = nrmodel_log_size();
    t0 = now_ms();
    load_provider(&p);
    t1 = now_ms();
    rc = add_q(&p);
    t2 = now_ms();
    log_count(from, GetCurrentProcessId(), &c);
    memcpy((void *)&stat->first_calls, &c, sizeof(c));
    stat->first_load_us = (t1 - t0) * 1000.0;
    stat->first_add_us = (t2 - t1) * 1000.0;
    stat->first_rc = (LONG)rc;
    return rc ? 1 : 0;
}

static void run_child(const WCHAR *mode, const WCHAR *variant)
{
    WCHAR exe[MAX_PATH], cmd[1024];
    STARTUPINFOW si = { sizeof(si) };
    PROCESS_INFORMATION pi;
    DWORD code = 1;

    GetModuleFileNameW(NULL, exe, MAX_PATH);
    swprintf(cmd, ARRAYSIZE(cmd), L"\"%ls\" %ls %ls --tag %ls --share %ls --k %d", exe, mode,
             variant, tag, share, k_handles);
    fflush(stdout);
    if (!CreateProcessW(exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
        die("start child");
    if (WaitForSingleObject(pi.hProcess, wait_ms) != WAIT_OBJECT_0) {
        TerminateProcess(pi.hProcess, 1); /* our own child, never the host of anything */
        die("child timed out");
    }
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    if (code)
        die("child failed");
}

/* ---- the add path ---- */

/* Sums a process's per-entry counts into acc (per add: divided later). */
static void add_counts(double *acc, double *unknown, const struct nrmodel_counts *c)
{
    for (size_t e = 0; e < NRMODEL_ENTRIES; e++)
        acc[e] += c->n[e];
    *unknown += c->unknown;
}

/* The model calls per add, and netreclaim's extra ones, averaged. */
static void print_call_counts(double calls[2][NRMODEL_ENTRIES], const double unknown[2], int adds)
{
    double per[2][NRMODEL_ENTRIES], extra[NRMODEL_ENTRIES], tot[2] = { 0, 0 };

    for (size_t e = 0; e < NRMODEL_ENTRIES; e++) {
        for (int v = 0; v < 2; v++) {
            per[v][e] = adds ? calls[v][e] / adds : 0;
            tot[v] += per[v][e];
        }
        extra[e] = per[1][e] - per[0][e];
    }
    tot[0] += adds ? unknown[0] / adds : 0;
    tot[1] += adds ? unknown[1] / adds : 0;
    printf(" stock_calls_per_add=%.3f netreclaim_calls_per_add=%.3f extra_calls_per_add=%.3f",
           tot[0], tot[1], tot[1] - tot[0]);
    print_counts("stock_calls", per[0], adds ? unknown[0] / adds : 0);
    print_counts("netreclaim_calls", per[1], adds ? unknown[1] / adds : 0);
    print_counts("extra_calls", extra, adds ? (unknown[1] - unknown[0]) / adds : 0);
}

static void print_ci_fields(const char *key, struct ci ci, double base)
{
    printf(" %s=%.1f %s_lo=%.1f %s_hi=%.1f %s_pct=%.2f %s_pct_lo=%.2f %s_pct_hi=%.2f", key, ci.med,
           key, ci.lo, key, ci.hi, key, base > 0 ? ci.med * 100 / base : 0, key,
           base > 0 ? ci.lo * 100 / base : 0, key, base > 0 ? ci.hi * 100 / base : 0);
}

/* NPAddConnection3(Q:) through the model and through netreclaim, `reps`
 * pairs after one untimed pair, the order alternating each repetition
 * (stock first on even ones). Each add is undone, untimed, by the model's own
 * forced cancel for both variants: netreclaim's cancel would run the reclaim
 * planner (seconds at 100k), and the next record replaces netreclaim's
 * ledger entry for Q: (nr_ledger_add cancels an entry with the same device
 * first), so its ledger holds one live entry throughout. The model calls of
 * each add are counted from its call log. Prints one ADD line (us). */
static void add_phase(long n, const struct provider prov[2], int reps, int resamples)
{
    static double t[2][MAX_ADD_REPS], diff[MAX_ADD_REPS];
    static double calls[2][NRMODEL_ENTRIES];
    double unknown[2] = { 0, 0 }, med[2], p95[2], scratch[MAX_ADD_REPS];
    LONG tmin[2] = { LONG_MAX, LONG_MAX }, tmax[2] = { 0, 0 };
    const DWORD pid = GetCurrentProcessId();
    struct ci d, dm;

    memset(calls, 0, sizeof(calls));
    holder_cmd(CMD_CLEAN, 0);
    for (int r = -1; r < reps; r++) {
        for (int j = 0; j < 2; j++) {
            const int v = (r & 1) ^ j;
            struct nrmodel_counts c;
            ULONGLONG from = nrmodel_log_size();
            double t0, t1;
            DWORD rc;

            if (marks && r >= 0)
                OutputDebugStringA(v ? "nrbench-mark begin netreclaim"
                                     : "nrbench-mark begin stock");
            t0 = now_ms();
            rc = add_q(&prov[v]);
            t1 = now_ms();
            if (marks && r >= 0)
                OutputDebugStringA("nrbench-mark end");
            if (rc)
                die(v ? "netreclaim add failed" : "stock add failed");
            log_count(from, pid, &c);
            if (prov[0].cancel(L"Q:", TRUE))
                die("undoing the add (model cancel) failed");
            if (r < 0)
                continue;
            t[v][r] = (t1 - t0) * 1000.0;
            add_counts(calls[v], &unknown[v], &c);
            if (count_total(&c) < tmin[v])
                tmin[v] = count_total(&c);
            if (count_total(&c) > tmax[v])
                tmax[v] = count_total(&c);
        }
        if (r >= 0)
            diff[r] = t[1][r] - t[0][r];
    }
    for (int v = 0; v < 2; v++) {
        memcpy(scratch, t[v], sizeof(double) * reps);
        med[v] = pct(scratch, reps, 0.5);
        p95[v] = pct(scratch, reps, 0.95);
    }
    d = boot_median(diff, reps, resamples);
    dm = boot_median_diff(t[0], t[1], reps, resamples);
    printf("ADD n=%ld reps=%d resamples=%d stock_med=%.1f stock_p95=%.1f netreclaim_med=%.1f "
           "netreclaim_p95=%.1f",
           n, reps, resamples, med[0], p95[0], med[1], p95[1]);
    print_ci_fields("diff", d, med[0]);
    print_ci_fields("dmed", dm, med[0]);
    printf(" stock_calls_min=%ld stock_calls_max=%ld netreclaim_calls_min=%ld "
           "netreclaim_calls_max=%ld",
           tmin[0], tmax[0], tmin[1], tmax[1]);
    print_call_counts(calls, unknown, reps);
    printf("\n");
    fflush(stdout);
}

/* A process's first NP call: `pairs` pairs of fresh children, one loading
 * the model and one netreclaim.dll, each doing one first add (the order
 * alternating per pair). `session` names the ledger's state: "cold" when no
 * process of the session holds the ledger (each netreclaim child creates
 * it), "warm" when this driver holds it. Prints one FIRST line (us). */
static void first_phase(long n, const char *session, const struct provider *stock, int pairs,
                        int resamples)
{
    static double t[2][MAX_FIRST], load[2][MAX_FIRST], diff[MAX_FIRST];
    static double calls[2][NRMODEL_ENTRIES];
    double unknown[2] = { 0, 0 }, med[2], p95[2], lmed[2], scratch[MAX_FIRST];
    struct ci d, dm;

    memset(calls, 0, sizeof(calls));
    for (int i = 0; i < pairs; i++) {
        for (int j = 0; j < 2; j++) {
            const int v = (i & 1) ^ j;
            struct nrmodel_counts c;

            stat->first_rc = -1;
            run_child(L"--first-child", v ? L"netreclaim" : L"stock");
            if (stat->first_rc != 0)
                die("first-add child's add failed");
            t[v][i] = stat->first_add_us;
            load[v][i] = stat->first_load_us;
            memcpy(&c, (const void *)&stat->first_calls, sizeof(c));
            add_counts(calls[v], &unknown[v], &c);
            if (stock->cancel(L"Q:", TRUE))
                die("undoing a child's add (model cancel) failed");
        }
        diff[i] = t[1][i] - t[0][i];
    }
    for (int v = 0; v < 2; v++) {
        memcpy(scratch, t[v], sizeof(double) * pairs);
        med[v] = pct(scratch, pairs, 0.5);
        p95[v] = pct(scratch, pairs, 0.95);
        memcpy(scratch, load[v], sizeof(double) * pairs);
        lmed[v] = pct(scratch, pairs, 0.5);
    }
    d = boot_median(diff, pairs, resamples);
    dm = boot_median_diff(t[0], t[1], pairs, resamples);
    printf("FIRST n=%ld session=%s reps=%d resamples=%d stock_med=%.1f stock_p95=%.1f "
           "netreclaim_med=%.1f netreclaim_p95=%.1f load_stock_med=%.1f load_netreclaim_med=%.1f",
           n, session, pairs, resamples, med[0], p95[0], med[1], p95[1], lmed[0], lmed[1]);
    print_ci_fields("diff", d, med[0]);
    print_ci_fields("dmed", dm, med[0]);
    print_call_counts(calls, unknown, pairs);
    printf("\n");
    fflush(stdout);
}

/* ---- holders ---- */

static void spawn_holders(int holders, long need, const WCHAR *dir, HANDLE *procs)
{
    WCHAR exe[MAX_PATH], cmd[2048], *slash;
    long per = need / holders;

    GetModuleFileNameW(NULL, exe, MAX_PATH);
    if ((slash = wcsrchr(exe, L'\\')))
        lstrcpyW(slash + 1, L"benchhold.exe");
    for (int i = 0; i < holders; i++) {
        STARTUPINFOW si = { sizeof(si) };
        PROCESS_INFORMATION pi;
        long files = per * 15 / 100, events = per * 40 / 100, mutexes = per * 10 / 100,
             sections = per * 10 / 100, keys = per - files - events - mutexes - sections;
        WCHAR hdir[MAX_PATH], extra[MAX_PATH + 32] = L"";
        HANDLE ready = bench_event(tag, L"ready", i);

        if (i == 0) {
            files = files > k_handles ? files - k_handles : 0;
            swprintf(extra, ARRAYSIZE(extra), L"--share %ls --k %d", share, k_handles);
        }
        swprintf(hdir, ARRAYSIZE(hdir), L"%ls\\h%d", dir, i);
        swprintf(cmd, ARRAYSIZE(cmd),
                 L"\"%ls\" --tag %ls --id %d --events %ld --mutexes %ld --sections %ld --keys %ld "
                 L"--files %ld --dir %ls --parent %lu %ls",
                 exe, tag, i, events, mutexes, sections, keys, files, hdir, GetCurrentProcessId(),
                 extra);
        if (!CreateProcessW(exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
            die("start benchhold.exe");
        CloseHandle(pi.hThread);
        procs[i] = pi.hProcess;
        {
            HANDLE waits[2] = { ready, pi.hProcess };

            if (WaitForMultipleObjects(2, waits, FALSE, wait_ms * 3) != WAIT_OBJECT_0)
                die("holder did not get ready");
        }
        CloseHandle(ready);
    }
}

/* ---- the driver ---- */

enum variant { V_STOCK, V_NETRECLAIM, V_FLOOR, V_NAIVE, V_PLAN, V_COUNT };
static const char *const variant_names[V_COUNT] = { "stock", "netreclaim", "floor", "naive",
                                                    "plan" };

int wmain(int argc, WCHAR **argv)
{
    const WCHAR *dir = L"C:\\nrbench", *child = NULL;
    BOOL first = FALSE;
    long n = 1000;
    int reps = 10, holders = 4, r, v, nv = 0, add_reps = 0, first_pairs = 0, resamples = 2000;
    HANDLE procs[MAX_HOLDERS], map;
    struct provider prov[2] = { { L"nrmodel.dll" }, { L"netreclaim.dll" } };
    static double cancel_ms[V_COUNT][MAX_REPS];
    size_t files_seen = 0, handles_seen = 0, floor_q = 0, naive_q = 0;
    long survived_bad = 0;
    USHORT file_type;
    WCHAR name[128];
    SYSTEM_HANDLE_INFORMATION_EX *info;

    for (int i = 1; i + 1 < argc; i += 2) {
        const WCHAR *o = argv[i], *val = argv[i + 1];

        if (!wcscmp(o, L"--n"))
            n = wcstol(val, NULL, 10);
        else if (!wcscmp(o, L"--reps"))
            reps = _wtoi(val);
        else if (!wcscmp(o, L"--k"))
            k_handles = _wtoi(val);
        else if (!wcscmp(o, L"--holders"))
            holders = _wtoi(val);
        else if (!wcscmp(o, L"--share"))
            lstrcpynW(share, val, MAX_PATH);
        else if (!wcscmp(o, L"--dir"))
            dir = val;
        else if (!wcscmp(o, L"--timeout-s"))
            wait_ms = wcstoul(val, NULL, 10) * 1000;
        else if (!wcscmp(o, L"--add-reps"))
            add_reps = _wtoi(val);
        else if (!wcscmp(o, L"--first-pairs"))
            first_pairs = _wtoi(val);
        else if (!wcscmp(o, L"--marks"))
            marks = _wtoi(val);
        else if (!wcscmp(o, L"--resamples"))
            resamples = _wtoi(val);
        else if (!wcscmp(o, L"--mem-child"))
            child = val;
        else if (!wcscmp(o, L"--first-child"))
            child = val, first = TRUE;
        else if (!wcscmp(o, L"--tag"))
            lstrcpynW(tag, val, ARRAYSIZE(tag));
        else
            return 2;
    }
    if (reps < 0 || reps > MAX_REPS || holders < 1 || holders > MAX_HOLDERS - 1 || k_handles < 0 ||
        k_handles > 64 || add_reps < 0 || add_reps > MAX_ADD_REPS || first_pairs < 0 ||
        first_pairs > MAX_FIRST || resamples < 1 || resamples > 100000)
        return 2;
    if (!(name_buf = HeapAlloc(GetProcessHeap(), 0, NAME_BYTES)))
        die("name buffer");
    if (child)
        return first ? first_child(child) : mem_child(child);
    if (n == 0) {
        micro();
        return 0;
    }

    swprintf(tag, ARRAYSIZE(tag), L"nrbench-%lu", GetCurrentProcessId());
    swprintf(name, ARRAYSIZE(name), L"Local\\%ls-stat", tag);
    map = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, sizeof(*stat), name);
    if (!map || !(stat = MapViewOfFile(map, FILE_MAP_WRITE, 0, 0, 0)))
        die("stat area");
    ev_reopen = bench_event(tag, L"reopen", -1);
    ev_reopened = bench_event(tag, L"reopened", -1);
    swprintf(name, ARRAYSIZE(name), L"Local\\%ls-quit", tag);
    ev_quit = CreateEventW(NULL, TRUE, FALSE, name); /* manual reset: every holder sees it */
    CreateDirectoryW(dir, NULL);
    file_type = file_type_index();

    /* Fill the table up to about n handles. The holders' own start-up
     * handles (a few dozen each) are counted by the snapshot below. */
    info = snapshot();
    if (!info)
        die("snapshot");
    {
        long base = (long)info->NumberOfHandles + 12L * holders;
        spawn_holders(holders, n > base ? n - base : holders * 20, dir, procs);
    }
    info = snapshot();
    handles_seen = info->NumberOfHandles;
    for (ULONG_PTR i = 0; i < info->NumberOfHandles; i++)
        files_seen += info->Handles[i].ObjectTypeIndex == file_type;
    printf("nrbench: N=%ld: %zu handles in the system, %zu of them File handles, %d holders, "
           "k=%d, %d repetitions\n",
           n, handles_seen, files_seen, holders, k_handles, reps);
    fflush(stdout);

    load_provider(&prov[0]);
    load_provider(&prov[1]);

    /* Before this driver's first netreclaim call: no process of the session
     * holds the ledger, so each netreclaim child creates it. */
    if (first_pairs)
        first_phase(n, "cold", &prov[0], first_pairs, resamples);

    /* One untimed warm-up round of each variant (first-use costs: the
     * stock DLL load, the File type index, the worker thread). */
    for (r = -1; r < reps && reps > 0; r++) {
        for (int j = 0; j < V_COUNT; j++) {
            double t0, t1;
            LONG survived;
            DWORD rc;

            v = (r < 0 ? j : (j + r) % V_COUNT);
            if (v == V_STOCK || v == V_NETRECLAIM) {
                const struct provider *p = &prov[v];

                holder_cmd(CMD_CLEAN, 0);
                if ((rc = add_q(p)))
                    die(v == V_STOCK ? "stock add failed" : "netreclaim add failed");
                holder_cmd(CMD_OPEN, 0);
                t0 = now_ms();
                rc = p->cancel(L"Q:", TRUE);
                t1 = now_ms();
                if (rc)
                    die("cancel failed");
                if (r >= 0)
                    cancel_ms[v][r] = t1 - t0;
                survived = holder_cmd(CMD_CLEAN, 0);
                /* Q245006 under the model: stock leaves all k, netreclaim none. */
                if (survived != (v == V_STOCK ? k_handles : 0))
                    survived_bad++;
            } else if (v == V_PLAN) {
                size_t rows;

                holder_cmd(CMD_OPEN, 0);
                if (r == 0)
                    memset(seam_ms, 0, sizeof(seam_ms)), memset(seam_calls, 0, sizeof(seam_calls));
                t0 = plan_pass(&rows);
                holder_cmd(CMD_CLEAN, 0);
                if (r >= 0)
                    cancel_ms[v][r] = t0;
                if (rows != (size_t)k_handles)
                    survived_bad++;
            } else {
                size_t q;

                holder_cmd(CMD_OPEN, 0);
                t0 = now_ms();
                q = reference_pass(file_type, v == V_NAIVE);
                t1 = now_ms();
                holder_cmd(CMD_CLEAN, 0);
                if (r >= 0)
                    cancel_ms[v][r] = t1 - t0;
                if (v == V_FLOOR)
                    floor_q = q;
                else
                    naive_q = q;
            }
        }
        nv = r + 1;
    }

    /* The add path: steady state, then a first add in fresh
     * children while this driver holds the session ledger. */
    if (add_reps)
        add_phase(n, prov, add_reps, resamples);
    if (first_pairs)
        first_phase(n, "warm", &prov[0], first_pairs, resamples);

    if (reps > 0) {
        double med[V_COUNT], p95[V_COUNT];

        for (v = 0; v < V_COUNT; v++) {
            med[v] = pct(cancel_ms[v], nv, 0.5);
            p95[v] = pct(cancel_ms[v], nv, 0.95);
        }
        printf("RESULT n=%ld handles=%zu files=%zu reps=%d floor_queries=%zu naive_queries=%zu "
               "wrong_outcomes=%ld",
               n, handles_seen, files_seen, nv, floor_q, naive_q, survived_bad);
        for (v = 0; v < V_COUNT; v++)
            printf(" %s_med=%.3f %s_p95=%.3f", variant_names[v], med[v], variant_names[v], p95[v]);
        printf("\n");
        printf("PROFILE n=%ld", n);
        for (int f = 0; f < S_COUNT; f++)
            if (seam_calls[f])
                printf(" %s=%.3fms/%zu", seam_names[f], seam_ms[f] / nv, seam_calls[f] / nv);
        printf("\n");
        fflush(stdout);
    }

    if (reps > 0) {
        run_child(L"--mem-child", L"stock");
        run_child(L"--mem-child", L"netreclaim");
    }

    SetEvent(ev_quit);
    for (int i = 0; i < holders; i++) {
        if (WaitForSingleObject(procs[i], wait_ms) != WAIT_OBJECT_0)
            die("holder did not exit");
    }
    return survived_bad ? 3 : 0;
}
