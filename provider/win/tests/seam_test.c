/* Conformance test of the real OS seam (provider/win) against a live child
 * process, and of the handle snapshot against scripted NtQuerySystemInformation
 * answers, run under Wine or Windows:
 *     seam_test.exe               run the checks; exit status 0 if all pass
 *     seam_test.exe --hold PATH   (the child) hold PATH open and an anonymous
 *                                 pipe with a synchronous read pending; print
 *                                 the handle values; answer "check" on stdin
 *                                 with "open" or "closed" for PATH's handle,
 *                                 "reopen" with the value of a new one,
 *                                 "cycle" the same after closing the old.
 * It writes two test keys under HKLM (removed at the end), so give it a
 * scratch prefix. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "win/nrwin.h"
#include "win/nrwin_reclaim.h"
#include "win/ntapi.h"
#include "win/nrwin_snapshot.h"

#define NAME_CCH 4096
#define TIMEOUT_MS 500

static int failures;

static void check(int ok, const char *what)
{
    printf("%s: %s\n", ok ? "pass" : "FAIL", what);
    fflush(stdout);
    if (!ok)
        failures++;
}

/* ---- the child ---- */

static DWORD WINAPI read_forever(void *pipe)
{
    char c;
    DWORD n;

    ReadFile(pipe, &c, 1, &n, NULL); /* nothing is ever written */
    return 0;
}

static int hold(const wchar_t *path)
{
    HANDLE file, read_end, write_end;
    char line[64];
    DWORD flags;

    file = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                       OPEN_EXISTING, 0, NULL);
    if (file == INVALID_HANDLE_VALUE || !CreatePipe(&read_end, &write_end, NULL, 0))
        return 1;
    CloseHandle(CreateThread(NULL, 0, read_forever, read_end, 0, NULL));
    Sleep(100); /* let the read start */
    printf("%llx %llx\n", (unsigned long long)(ULONG_PTR)file,
           (unsigned long long)(ULONG_PTR)read_end);
    fflush(stdout);
    while (fgets(line, sizeof(line), stdin)) {
        if (!strncmp(line, "check", 5)) {
            printf("%s\n", GetHandleInformation(file, &flags) ? "open" : "closed");
            fflush(stdout);
        } else if (!strncmp(line, "cycle", 5)) {
            CloseHandle(file); /* the value is free for the reopen below */
            file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                               OPEN_EXISTING, 0, NULL);
            printf("%llx\n", (unsigned long long)(ULONG_PTR)file);
            fflush(stdout);
        } else if (!strncmp(line, "reopen", 6)) {
            file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                               OPEN_EXISTING, 0, NULL);
            printf("%llx\n", (unsigned long long)(ULONG_PTR)file);
            fflush(stdout);
        }
    }
    return 0;
}

/* ---- the parent ---- */

struct child {
    PROCESS_INFORMATION pi;
    HANDLE to, from; /* its stdin, its stdout */
    uint64_t file, pipe;
};

static int ask(struct child *c, const char *cmd, char *answer, int size)
{
    DWORD n;
    int len = 0;

    if (cmd && !WriteFile(c->to, cmd, (DWORD)strlen(cmd), &n, NULL))
        return 0;
    while (len < size - 1 && ReadFile(c->from, answer + len, 1, &n, NULL) && n) {
        if (answer[len] == '\n')
            break;
        len += answer[len] != '\r'; /* the child's CRT writes text mode */
    }
    answer[len] = 0;
    return len > 0;
}

static int start_child(struct child *c, const wchar_t *path)
{
    SECURITY_ATTRIBUTES sa = { .nLength = sizeof(sa), .bInheritHandle = TRUE };
    STARTUPINFOW si = { .cb = sizeof(si) };
    HANDLE child_in, child_out;
    wchar_t self[MAX_PATH], cmd[2 * MAX_PATH + 32];
    char line[128];

    if (!CreatePipe(&child_in, &c->to, &sa, 0) || !CreatePipe(&c->from, &child_out, &sa, 0))
        return 0;
    SetHandleInformation(c->to, HANDLE_FLAG_INHERIT, 0);
    SetHandleInformation(c->from, HANDLE_FLAG_INHERIT, 0);
    GetModuleFileNameW(NULL, self, MAX_PATH);
    swprintf(cmd, ARRAYSIZE(cmd), L"\"%ls\" --hold \"%ls\"", self, path);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = child_in;
    si.hStdOutput = child_out;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    if (!CreateProcessW(self, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &c->pi))
        return 0;
    CloseHandle(child_in);
    CloseHandle(child_out);
    return ask(c, NULL, line, sizeof(line)) && sscanf(line, "%llx %llx", &c->file, &c->pipe) == 2;
}

static const struct nr_handle *find(const struct nr_snapshot *s, uint32_t pid, uint64_t value)
{
    for (size_t i = 0; i < s->count; i++)
        if (s->handles[i].pid == pid && s->handles[i].value == value)
            return &s->handles[i];
    return NULL;
}

static int ends_with(const nr_char *s, size_t len, const wchar_t *tail)
{
    const size_t n = wcslen(tail);

    return len >= n && !_wcsnicmp(s + len - n, tail, n);
}

/* One handle's name through the batch query, as the planner asks it. */
static int name_of(const struct nr_os *os, uint32_t pid, uint64_t value, uint32_t timeout_ms,
                   nr_char *buf, size_t cch, size_t *len, uint32_t *protocol)
{
    struct nr_name_query q = { .value = value };

    check(os->query_names(os->ctx, pid, &q, 1, timeout_ms, buf, cch) == 1,
          "query_names settles a batch of one");
    *len = q.len;
    *protocol = q.protocol;
    if (q.status == NR_OK && q.len && q.name != buf)
        memmove(buf, q.name, q.len * sizeof(nr_char));
    return q.status;
}

/* A call that blocks until its event is set, for the worker's limits. */
struct blocking_call {
    struct nrwin_call call;
    HANDLE event;
    volatile LONG *released;
};

static void blocking_run(struct nrwin_call *call)
{
    WaitForSingleObject(((struct blocking_call *)call)->event, INFINITE);
}

static void blocking_release(struct nrwin_call *call)
{
    InterlockedIncrement(((struct blocking_call *)call)->released);
    free(call);
}

static int post_blocking(HANDLE event, volatile LONG *released, DWORD timeout_ms)
{
    struct blocking_call *b = calloc(1, sizeof(*b));

    b->call.run = blocking_run;
    b->call.release = blocking_release;
    b->event = event;
    b->released = released;
    return nrwin_call_bounded(&b->call, timeout_ms, NULL);
}

/* A call in steps, as names.c's batches: each step sleeps step_ms (one
 * waits for `gate` instead), then marks itself done in the caller's array
 * between nrwin_call_enter and nrwin_call_leave. */
struct stepped_call {
    struct nrwin_call call;
    int count, gated;
    DWORD step_ms;
    HANDLE gate;
    volatile LONG *done; /* the caller's: one per step */
    volatile LONG *released;
};

static void stepped_run(struct nrwin_call *call)
{
    struct stepped_call *c = (struct stepped_call *)call;

    for (int i = 0; i < c->count; i++) {
        if (i == c->gated)
            WaitForSingleObject(c->gate, INFINITE);
        else
            Sleep(c->step_ms);
        if (!nrwin_call_enter(call))
            return;
        c->done[i] = 1;
        nrwin_call_leave(call, i + 1 == c->count);
    }
}

static void stepped_release(struct nrwin_call *call)
{
    InterlockedIncrement(((struct stepped_call *)call)->released);
    free(call);
}

static int post_stepped(int count, int gated, DWORD step_ms, HANDLE gate, volatile LONG *done,
                        volatile LONG *released, DWORD timeout_ms, size_t *steps)
{
    struct stepped_call *c = calloc(1, sizeof(*c));
    int status;

    c->call.run = stepped_run;
    c->call.release = stepped_release;
    c->count = count;
    c->gated = gated;
    c->step_ms = step_ms;
    c->gate = gate;
    c->done = done;
    c->released = released;
    status = nrwin_call_bounded(&c->call, timeout_ms, steps);
    if (status == NR_OK)
        stepped_release(&c->call);
    return status;
}

/* The timeout runs per step; a step that overruns leaves the call to its
 * worker, which writes nothing of the caller's once given up on. */
static void test_worker_steps(void)
{
    HANDLE gate = CreateEventW(NULL, TRUE, FALSE, NULL);
    volatile LONG done[8] = { 0 }, released = 0;
    size_t steps = 0;
    int status;

    /* Bounds generous enough for a loaded machine, yet 8 steps
     * take longer than one step's timeout. */
    status = post_stepped(8, -1, 150, NULL, done, &released, 1000, &steps);
    printf("      8 steps of 150 ms, 1000 ms each: status %d, %zu steps\n", status, steps);
    check(status == NR_OK && steps == 8 && done[7],
          "worker: 8 steps of 150 ms under a 1000 ms timeout per step all run");
    memset((void *)done, 0, sizeof(done));
    status = post_stepped(3, 1, 0, gate, done, &released, 1000, &steps);
    printf("      3 steps, the second hangs: status %d, %zu steps\n", status, steps);
    check(status == NR_TIMEOUT && steps == 1 && done[0] && !done[1],
          "worker: the second of 3 steps hangs: NR_TIMEOUT after 1 step");
    SetEvent(gate);
    /* The worker releases the call, then leaves the stuck count: wait for
     * both, since both are checked. */
    for (int i = 0; i < 250 && (released < 2 || nrwin_stuck_workers() != 0); i++)
        Sleep(20);
    check(released == 2 && !done[1] && !done[2] && nrwin_stuck_workers() == 0,
          "worker: once unblocked, the given-up call writes nothing more and is released");
    CloseHandle(gate);
}

static void test_worker(void)
{
    HANDLE gate = CreateEventW(NULL, TRUE, FALSE, NULL),
           open = CreateEventW(NULL, TRUE, TRUE, NULL);
    volatile LONG released = 0;
    int status = NR_OK;

    check(post_blocking(open, &released, TIMEOUT_MS) == NR_OK, "worker: a quick call runs");
    check(released == 0, "worker: a finished call is handed back, not released");
    for (int i = 0; i < NR_MAX_STUCK_QUERIES && status == NR_OK + 0; i++)
        status = post_blocking(gate, &released, 100) == NR_TIMEOUT ? NR_OK : NR_ERROR;
    check(status == NR_OK && nrwin_stuck_workers() == NR_MAX_STUCK_QUERIES,
          "worker: as many hung calls as the bound time out");
    /* NR_LIMIT, not NR_TIMEOUT, says it was refused without waiting: no clock needed */
    status = post_blocking(gate, &released, 5000);
    check(status == NR_LIMIT && released == 1,
          "worker: with the bound stuck, a call is refused at once (NR_LIMIT) and released");
    SetEvent(gate);
    for (int i = 0; i < 100 && nrwin_stuck_workers(); i++)
        Sleep(20);
    check(nrwin_stuck_workers() == 0 && released == NR_MAX_STUCK_QUERIES + 1,
          "worker: stuck workers release their calls and exit when unblocked");
    check(post_blocking(open, &released, TIMEOUT_MS) == NR_OK, "worker: calls run again");
    CloseHandle(gate);
    CloseHandle(open);
}

static DWORD WINAPI lock_elsewhere(void *param)
{
    HANDLE lock;
    int status = nrwin_reclaim_lock(*(DWORD *)param, &lock);

    if (status == NR_OK)
        nrwin_reclaim_unlock(lock);
    return (DWORD)status;
}

/* The session's reclaim lock: a second reclaim waits its bound, then is
 * told NR_TIMEOUT; once released, it gets the lock. */
static void test_reclaim_lock(void)
{
    DWORD wait_ms = 200, code[2] = { 1, 1 };
    HANDLE lock = NULL, thread;

    check(nrwin_reclaim_lock(1000, &lock) == NR_OK, "reclaim lock: taken");
    for (int i = 0; i < 2; i++) {
        if (i)
            nrwin_reclaim_unlock(lock);
        thread = CreateThread(NULL, 0, lock_elsewhere, &wait_ms, 0, NULL);
        if (thread && WaitForSingleObject(thread, 5000) == WAIT_OBJECT_0)
            GetExitCodeThread(thread, &code[i]);
        if (thread)
            CloseHandle(thread);
    }
    check(code[0] == (DWORD)NR_TIMEOUT,
          "reclaim lock: a second reclaim waits its bound, then gives up");
    check(code[1] == (DWORD)NR_OK, "reclaim lock: released, the next reclaim takes it");
}

static void count_note(void *ctx, const WCHAR *key, const WCHAR *name, enum nr_policy_issue issue)
{
    (void)key;
    (void)name;
    (void)issue;
    ++*(int *)ctx;
}

static void test_registry(void)
{
    static const wchar_t svc[] = L"SYSTEM\\CurrentControlSet\\Services\\NrSeamTest";
    static const wchar_t dev[] = L"\\Device\\NrSeamTest";
    HKEY key;
    WCHAR *multi;
    size_t count;
    const DWORD timeout = 750;
    struct nr_policy policy;
    static const wchar_t stock[] = L"\\Device\\NrSeamStock";
    int notes = 0;

    /* Only the stock provider's DeviceName is the SMB redirector's; another
     * provider's names another redirector (docs/design.md, registry contract). */
    RegCreateKeyExW(HKEY_LOCAL_MACHINE,
                    L"SYSTEM\\CurrentControlSet\\Services\\NrSeamTest\\NetworkProvider", 0, NULL, 0,
                    KEY_ALL_ACCESS, NULL, &key, NULL);
    RegSetValueExW(key, L"DeviceName", 0, REG_SZ, (const BYTE *)dev, sizeof(dev));
    RegCloseKey(key);
    check(nrwin_smb_prefixes(&multi, &count) == NR_OK && count == 0 && !multi[0],
          "registry: no stock DeviceName, no SMB prefix besides the built-in ones");
    nrwin_free(multi);
    RegCreateKeyExW(HKEY_LOCAL_MACHINE, NRWIN_STOCK_KEY, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key,
                    NULL);
    RegSetValueExW(key, L"DeviceName", 0, REG_SZ, (const BYTE *)stock, sizeof(stock));
    check(nrwin_smb_prefixes(&multi, &count) == NR_OK && count == 1 && !wcscmp(multi, stock) &&
              !multi[wcslen(stock) + 1],
          "registry: the stock provider's DeviceName, and not another provider's");
    printf("      prefix %ls\n", multi);
    nrwin_free(multi);
    RegDeleteValueW(key, L"DeviceName");
    RegCloseKey(key);
    RegDeleteTreeW(HKEY_LOCAL_MACHINE, svc);

    RegCreateKeyExW(HKEY_LOCAL_MACHINE, NRWIN_SETTINGS_KEY, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key,
                    NULL);
    RegSetValueExW(key, L"Mode", 0, REG_SZ, (const BYTE *)L"audit", sizeof(L"audit"));
    RegSetValueExW(key, L"NameQueryTimeoutMs", 0, REG_DWORD, (const BYTE *)&timeout,
                   sizeof(timeout));
    RegCloseKey(key);
    RegCreateKeyExW(HKEY_LOCAL_MACHINE, NRWIN_POLICY_KEY, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key,
                    NULL);
    RegSetValueExW(key, L"Mode", 0, REG_SZ, (const BYTE *)L"off", sizeof(L"off"));
    RegSetValueExW(key, L"NameQueryTimeoutMs", 0, REG_SZ, (const BYTE *)L"9", sizeof(L"9"));
    RegCloseKey(key);
    nrwin_load_policy(&policy, count_note, &notes);
    check(policy.mode == NR_MODE_OFF, "policy: the policy key wins");
    check(policy.timeout_ms == timeout && notes == 1,
          "policy: a wrong-typed policy value is noted and the settings key stands");
    RegDeleteTreeW(HKEY_LOCAL_MACHINE, NRWIN_POLICY_KEY);
    nrwin_load_policy(&policy, NULL, NULL);
    check(policy.mode == NR_MODE_AUDIT, "policy: the settings key otherwise");
    RegDeleteTreeW(HKEY_LOCAL_MACHINE, NRWIN_SETTINGS_KEY);
    nrwin_load_policy(&policy, NULL, NULL);
    check(policy.mode == NR_MODE_ENFORCE && policy.timeout_ms == NR_TIMEOUT_DEFAULT_MS,
          "policy: defaults when neither key exists");
}

/* ---- the handle snapshot against scripted NtQuerySystemInformation answers ---- */

#define SNAPSHOT_TRIES 8          /* at most this many queries per snapshot */
#define SNAPSHOT_CAP (256u << 20) /* no buffer larger than this */
#define ROW sizeof(SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX)
#define HEADER offsetof(SYSTEM_HANDLE_INFORMATION_EX, Handles)
#define FAKE_SUCCESS ((NTSTATUS)0)
#define FAKE_INVALID_INFO_CLASS ((NTSTATUS)0xC0000003)
#define FAKE_INVALID_PARAMETER ((NTSTATUS)0xC000000D)
#define FAKE_NO_MEMORY ((NTSTATUS)0xC0000017)
#define FAKE_ACCESS_DENIED ((NTSTATUS)0xC0000022)
#define FAKE_BUFFER_TOO_SMALL ((NTSTATUS)0xC0000023)
#define FAKE_BUFFER_OVERFLOW ((NTSTATUS)0x80000005) /* a warning: not a success */

/* A case's answer to its call-th query (from 0). */
typedef NTSTATUS (*fake_answer)(ULONG call, SYSTEM_HANDLE_INFORMATION_EX *table, ULONG size,
                                ULONG *len);

/* The fake's script and what it saw. */
static struct {
    fake_answer answer;
    ULONG_PTR arg; /* the case's parameter */
    ULONG calls;
    ULONG size;    /* the last call's buffer size */
    ULONG needed;  /* the last call's answered length */
    ULONG largest; /* the largest buffer size seen */
    size_t rows;   /* rows written by the last call */
    int misused;   /* a wrong class, no buffer, a buffer smaller than its size,
                        or a retry that did not grow past the answered length */
} fake;

static NTSTATUS NTAPI fake_query(SYSTEM_INFORMATION_CLASS info_class, void *buf, ULONG size,
                                 ULONG *len)
{
    const SIZE_T held = buf ? HeapSize(GetProcessHeap(), 0, buf) : 0;
    NTSTATUS nt;

    if (info_class != SystemExtendedHandleInformation || !len || !buf || held == (SIZE_T)-1 ||
        held < size) {
        fake.misused = 1;
        return FAKE_INVALID_PARAMETER;
    }
    if (fake.calls && (size <= fake.size || size < fake.needed))
        fake.misused = 1;
    fake.size = size;
    fake.largest = size > fake.largest ? size : fake.largest;
    nt = fake.answer(fake.calls++, buf, size, len);
    fake.needed = *len;
    return nt;
}

/* Row i of every fake table: values that use each field's width. */
static void fake_entry(size_t i, SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX *e)
{
    e->Object = (void *)(ULONG_PTR)(0xdead0000u + i);
    e->UniqueProcessId = 0x80000000u + 4 * (i % 4096);
    e->HandleValue = ((ULONG_PTR)1 << (8 * sizeof(ULONG_PTR) - 1)) + 4 * (i + 1);
    e->GrantedAccess = 0x001f01ffu ^ (ULONG)(i << 8);
    e->CreatorBackTraceIndex = 0xbeef;
    e->ObjectTypeIndex = (USHORT)(0xff00u + i % 199);
    e->HandleAttributes = (ULONG)(i % 4); /* NR_HANDLE_INHERIT and PROTECT_FROM_CLOSE */
    e->Reserved = 0xfeedu;
}

/* Writes `rows` rows (no more than `size` holds); the count written. */
static size_t fake_rows(SYSTEM_HANDLE_INFORMATION_EX *table, ULONG size, size_t rows)
{
    const size_t fit = (size - HEADER) / ROW;

    if (rows > fit)
        rows = fit;
    for (size_t i = 0; i < rows; i++)
        fake_entry(i, &table->Handles[i]);
    fake.rows = rows;
    return rows;
}

/* Length mismatch forever, the needed length: arg; the size given; half as much again. */
static NTSTATUS mismatch_needs(ULONG call, SYSTEM_HANDLE_INFORMATION_EX *table, ULONG size,
                               ULONG *len)
{
    (void)call;
    (void)table;
    (void)size;
    *len = (ULONG)fake.arg;
    return STATUS_INFO_LENGTH_MISMATCH;
}

static NTSTATUS mismatch_same(ULONG call, SYSTEM_HANDLE_INFORMATION_EX *table, ULONG size,
                              ULONG *len)
{
    (void)call;
    (void)table;
    *len = size;
    return STATUS_INFO_LENGTH_MISMATCH;
}

static NTSTATUS mismatch_more(ULONG call, SYSTEM_HANDLE_INFORMATION_EX *table, ULONG size,
                              ULONG *len)
{
    (void)call;
    (void)table;
    *len = size + size / 2;
    return STATUS_INFO_LENGTH_MISMATCH;
}

/* The table has 1,000 rows more than each of the first two buffers holds;
 * the third call's buffer fits the second answer. */
static NTSTATUS growing_table(ULONG call, SYSTEM_HANDLE_INFORMATION_EX *table, ULONG size,
                              ULONG *len)
{
    size_t rows;

    if (call < 2) {
        *len = size + 1000 * ROW;
        return STATUS_INFO_LENGTH_MISMATCH;
    }
    rows = fake_rows(table, size, (fake.needed - HEADER) / ROW);
    table->NumberOfHandles = rows;
    *len = (ULONG)(HEADER + rows * ROW);
    return FAKE_SUCCESS;
}

/* As many rows as the buffer holds, said to be arg more, the whole buffer written. */
static NTSTATUS full_table(ULONG call, SYSTEM_HANDLE_INFORMATION_EX *table, ULONG size, ULONG *len)
{
    (void)call;
    table->NumberOfHandles = fake_rows(table, size, SIZE_MAX) + fake.arg;
    *len = size;
    return FAKE_SUCCESS;
}

/* As many rows as the buffer holds, said to be one more, and the written
 * length said to be arg bytes past the buffer. */
static NTSTATUS past_buffer(ULONG call, SYSTEM_HANDLE_INFORMATION_EX *table, ULONG size, ULONG *len)
{
    (void)call;
    table->NumberOfHandles = fake_rows(table, size, SIZE_MAX) + 1;
    *len = size + (ULONG)fake.arg;
    return FAKE_SUCCESS;
}

/* Three rows and a count of as many as the address space holds. */
static NTSTATUS huge_count(ULONG call, SYSTEM_HANDLE_INFORMATION_EX *table, ULONG size, ULONG *len)
{
    (void)call;
    fake_rows(table, size, 3);
    table->NumberOfHandles = (ULONG_PTR)-1;
    *len = size;
    return FAKE_SUCCESS;
}

/* Three rows, said to be written in arg bytes. */
static NTSTATUS three_rows(ULONG call, SYSTEM_HANDLE_INFORMATION_EX *table, ULONG size, ULONG *len)
{
    (void)call;
    table->NumberOfHandles = fake_rows(table, size, 3);
    *len = (ULONG)fake.arg;
    return FAKE_SUCCESS;
}

/* Three rows, whole, with the status arg. */
static NTSTATUS fails(ULONG call, SYSTEM_HANDLE_INFORMATION_EX *table, ULONG size, ULONG *len)
{
    (void)call;
    table->NumberOfHandles = fake_rows(table, size, 3);
    *len = (ULONG)(HEADER + 3 * ROW);
    return (NTSTATUS)fake.arg;
}

/* A length mismatch, then the status arg. */
static NTSTATUS mismatch_then_fails(ULONG call, SYSTEM_HANDLE_INFORMATION_EX *table, ULONG size,
                                    ULONG *len)
{
    if (call == 0) {
        *len = size + ROW;
        return STATUS_INFO_LENGTH_MISMATCH;
    }
    return fails(call, table, size, len);
}

static int snapshot_fake(fake_answer answer, ULONG_PTR arg, struct nr_snapshot *snap)
{
    int status;

    memset(&fake, 0, sizeof(fake));
    fake.answer = answer;
    fake.arg = arg;
    /* Junk, which the snapshot must overwrite whatever happens. */
    snap->handles = (struct nr_handle *)&fake;
    snap->count = 99;
    status = nrwin_snapshot_from(fake_query, snap);
    printf("      status %d after %lu call(s), largest buffer %lu bytes, %zu row(s)\n", status,
           fake.calls, fake.largest, snap->count);
    return status;
}

/* The snapshot fails with `expected` after min_calls..max_calls queries,
 * with no rows, no buffer past the cap, and every block freed. */
static void expect_failure(const char *what, fake_answer answer, ULONG_PTR arg, int expected,
                           ULONG min_calls, ULONG max_calls)
{
    const LONG live = nrwin_live_blocks();
    struct nr_snapshot snap;
    const int status = snapshot_fake(answer, arg, &snap);

    check(status == expected && fake.calls >= min_calls && fake.calls <= max_calls &&
              fake.largest <= SNAPSHOT_CAP && !fake.misused && !snap.handles && !snap.count &&
              nrwin_live_blocks() == live,
          what);
    if (status == NR_OK)
        nrwin_free_snapshot(NULL, &snap);
}

static int rows_match(const struct nr_snapshot *snap)
{
    for (size_t i = 0; i < snap->count; i++) {
        const struct nr_handle *h = &snap->handles[i];
        SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX e;

        fake_entry(i, &e);
        if (h->pid != e.UniqueProcessId || h->value != e.HandleValue ||
            h->access != e.GrantedAccess || h->type_index != e.ObjectTypeIndex ||
            h->attributes != e.HandleAttributes)
            return 0;
    }
    return 1;
}

/* The snapshot succeeds after `calls` queries with every row the fake wrote,
 * converted, in one block that nrwin_free_snapshot frees. */
static void expect_table(const char *what, fake_answer answer, ULONG_PTR arg, ULONG calls)
{
    const LONG live = nrwin_live_blocks();
    struct nr_snapshot snap;
    const int status = snapshot_fake(answer, arg, &snap);
    const int held = nrwin_live_blocks() - live;

    check(status == NR_OK && fake.calls == calls && !fake.misused && fake.rows > 0 &&
              snap.count == fake.rows && rows_match(&snap) && held == 1,
          what);
    if (status == NR_OK)
        nrwin_free_snapshot(NULL, &snap);
    check(nrwin_live_blocks() == live, "... and nrwin_free_snapshot frees it");
}

/* Answers that are not a success, each case's and the session list's. */
static const struct {
    NTSTATUS nt;
    const char *name;
} fail_answers[] = {
    { FAKE_ACCESS_DENIED, "STATUS_ACCESS_DENIED" },
    { FAKE_NO_MEMORY, "STATUS_NO_MEMORY" },
    { FAKE_INVALID_INFO_CLASS, "STATUS_INVALID_INFO_CLASS (Wine 8's for a class it lacks)" },
    { STATUS_NOT_IMPLEMENTED, "STATUS_NOT_IMPLEMENTED" },
    { FAKE_BUFFER_TOO_SMALL, "STATUS_BUFFER_TOO_SMALL" },
    { FAKE_BUFFER_OVERFLOW, "STATUS_BUFFER_OVERFLOW" },
};

static void test_snapshot_faults(void)
{
    static const ULONG past_cap[] = { SNAPSHOT_CAP + 1, 0x40000001u, 0x80000000u, 0xc0000000u,
                                      0xffffffffu };
    char what[160];

    expect_failure("snapshot fault: length mismatch forever, needed 0: NR_TOO_SMALL, growing, "
                   "at most 8 calls, freed",
                   mismatch_needs, 0, NR_TOO_SMALL, 2, SNAPSHOT_TRIES);
    expect_failure("snapshot fault: length mismatch forever, needed = the size given: "
                   "NR_TOO_SMALL, growing, at most 8 calls, freed",
                   mismatch_same, 0, NR_TOO_SMALL, 2, SNAPSHOT_TRIES);
    expect_failure("snapshot fault: length mismatch forever, needed growing: NR_TOO_SMALL, "
                   "at most 8 calls, freed",
                   mismatch_more, 0, NR_TOO_SMALL, 2, SNAPSHOT_TRIES);
    for (size_t i = 0; i < ARRAYSIZE(past_cap); i++) {
        snprintf(what, sizeof(what),
                 "snapshot fault: needed 0x%08lx, past the cap: NR_TOO_SMALL after 1 call, "
                 "freed",
                 past_cap[i]);
        expect_failure(what, mismatch_needs, past_cap[i], NR_TOO_SMALL, 1, 1);
    }
    expect_table("snapshot fault: the table grows between calls: the third call's rows, converted",
                 growing_table, 0, 3);
    expect_table("snapshot fault: a count that fills the buffer exactly: every row, converted",
                 full_table, 0, 1);
    expect_table("snapshot fault: a count that fills the written length exactly: every row",
                 three_rows, HEADER + 3 * ROW, 1);
    expect_failure("snapshot fault: a count one past what the buffer holds: NR_ERROR, freed",
                   full_table, 1, NR_ERROR, 1, 1);
    expect_failure("snapshot fault: a count of (ULONG_PTR)-1: NR_ERROR, freed", huge_count, 0,
                   NR_ERROR, 1, 1);
    expect_failure("snapshot fault: a count one past the buffer, the written length past it "
                   "too: NR_ERROR, freed",
                   past_buffer, 2 * ROW, NR_ERROR, 1, 1);
    expect_failure("snapshot fault: a count one past the written length: NR_ERROR, freed",
                   three_rows, HEADER + 2 * ROW, NR_ERROR, 1, 1);
    expect_failure("snapshot fault: a written length short of the header: NR_ERROR, freed",
                   three_rows, HEADER - 1, NR_ERROR, 1, 1);
    for (size_t i = 0; i < ARRAYSIZE(fail_answers); i++) {
        snprintf(what, sizeof(what), "snapshot fault: %s: NR_ERROR after 1 call, freed",
                 fail_answers[i].name);
        expect_failure(what, fails, (ULONG)fail_answers[i].nt, NR_ERROR, 1, 1);
        snprintf(what, sizeof(what),
                 "snapshot fault: a length mismatch, then %s: NR_ERROR after 2 calls, freed",
                 fail_answers[i].name);
        expect_failure(what, mismatch_then_fails, (ULONG)fail_answers[i].nt, NR_ERROR, 2, 2);
    }
}

/* ---- the per-session path against a scripted system ----
 * Processes with a Remote Desktop session, a logon session and a handle
 * table; the fakes answer SystemSessionProcessInformation (as the kernel
 * does, ntapi.h), SystemProcessInformation, ProcessHandleInformation and,
 * for the fallback, SystemExtendedHandleInformation (three rows). */

#define W_LUID 0x1234ull
#define W_SESSION 3u
#define W_SYSTEM_ROWS 3
#define W_MAX 8

struct wproc {
    uint32_t pid;
    ULONG session;
    uint64_t luid;
    size_t rows;
    int open_status; /* what opening it answers (NR_GONE: it vanished) */
    NTSTATUS table;  /* its table's answer after `mismatches` mismatches (0: rows) */
    int mismatches;  /* -1: forever */
    ULONG_PTR extra; /* added to NumberOfHandles */
    ULONG type_base; /* ObjectTypeIndex of its rows */
};

/* How a list answers (class 5 and class 53 alike). */
enum w_list_mode {
    W_LIST_OK,       /* well formed */
    W_LIST_MISMATCH, /* length mismatch forever, the length: the size given */
    W_LIST_PAST,     /* a chain that leaves the buffer */
    W_LIST_WOW64,    /* a mismatch below `min` bytes, the length: the header's (ntapi.h) */
    W_LIST_ALL,      /* class 53 listing every session's processes */
    W_LIST_EMPTY,    /* success, nothing written (a session without processes) */
};

struct wlist {
    enum w_list_mode mode;
    NTSTATUS status; /* answered instead, length 0, when not 0 (Wine: INVALID_INFO_CLASS) */
    ULONG min;       /* the smallest buffer that fits (0: the list's length) */
    int too_small;   /* STATUS_BUFFER_TOO_SMALL instead of the mismatch */
    int calls;
    ULONG largest;
};

static struct {
    struct wproc procs[W_MAX];
    size_t n;
    struct wlist list;    /* class 5 */
    struct wlist session; /* class 53 */
    int caller_status;
    NTSTATUS system_status;
    int system_calls, opens, closes, misused;
    int table_calls[W_MAX];
} world;

/* The buffer holds `size` bytes: its last one is written (nrwin_alloc's
 * private heap is not the process heap HeapSize could ask). */
static int w_held(void *buf, ULONG size)
{
    if (!buf || !size)
        return 0;
    ((volatile BYTE *)buf)[size - 1] = 0;
    return 1;
}

static ULONG w_entry(void)
{
    return (ULONG)((sizeof(SYSTEM_PROCESS_INFORMATION) + 7) & ~(size_t)7);
}

/* A list into buf: every process, or (one_session) those of W_SESSION. */
static NTSTATUS w_list(struct wlist *l, int one_session, void *buf, ULONG size, ULONG *len)
{
    size_t k = 0, count = 0;
    ULONG need;

    l->calls++;
    l->largest = size > l->largest ? size : l->largest;
    if (l->status) {
        *len = 0;
        return l->status;
    }
    for (size_t i = 0; i < world.n; i++)
        count += !one_session || l->mode == W_LIST_ALL || world.procs[i].session == W_SESSION;
    need = (ULONG)(count * w_entry());
    if (l->mode == W_LIST_MISMATCH || size < need || size < l->min) {
        *len = l->mode == W_LIST_MISMATCH ? size
               : l->mode == W_LIST_WOW64  ? (ULONG)sizeof(SYSTEM_SESSION_PROCESS_INFORMATION)
               : l->min > need            ? l->min
                                          : need;
        return l->too_small ? FAKE_BUFFER_TOO_SMALL : STATUS_INFO_LENGTH_MISMATCH;
    }
    *len = 0;
    if (l->mode == W_LIST_EMPTY)
        return 0;
    memset(buf, 0, need);
    for (size_t i = 0; i < world.n; i++) {
        SYSTEM_PROCESS_INFORMATION *e = (void *)((BYTE *)buf + k * w_entry());

        if (one_session && l->mode != W_LIST_ALL && world.procs[i].session != W_SESSION)
            continue;
        e->NextEntryOffset = ++k < count ? w_entry() : 0;
        e->UniqueProcessId = (HANDLE)(ULONG_PTR)world.procs[i].pid;
        e->SessionId = world.procs[i].session;
        e->HandleCount = (ULONG)world.procs[i].rows;
    }
    if (l->mode == W_LIST_PAST)
        ((SYSTEM_PROCESS_INFORMATION *)buf)->NextEntryOffset = need;
    *len = need;
    return 0;
}

/* Class 53: the header checked as the kernel reads it (ntapi.h), then the
 * caller's session's list into its buffer. */
static NTSTATUS w_session_list(void *info, ULONG size, ULONG *len)
{
    SYSTEM_SESSION_PROCESS_INFORMATION in;

    if (size != sizeof(in)) {
        world.misused = 1;
        return STATUS_INFO_LENGTH_MISMATCH;
    }
    memcpy(&in, info, sizeof(in));
    if (in.SessionId != W_SESSION || (ULONG_PTR)in.Buffer % sizeof(ULONG) ||
        !w_held(in.Buffer, in.SizeOfBuf)) {
        world.misused = 1;
        return FAKE_INVALID_PARAMETER;
    }
    return w_list(&world.session, 1, in.Buffer, in.SizeOfBuf, len);
}

static NTSTATUS w_system(void *buf, ULONG size, ULONG *len)
{
    SYSTEM_HANDLE_INFORMATION_EX *t = buf;
    const ULONG need = (ULONG)(HEADER + W_SYSTEM_ROWS * ROW);

    world.system_calls++;
    if (world.system_status)
        return world.system_status;
    if (size < need) {
        *len = need;
        return STATUS_INFO_LENGTH_MISMATCH;
    }
    t->NumberOfHandles = W_SYSTEM_ROWS;
    for (size_t i = 0; i < W_SYSTEM_ROWS; i++)
        fake_entry(i, &t->Handles[i]);
    *len = need;
    return 0;
}

static NTSTATUS NTAPI w_query_system(SYSTEM_INFORMATION_CLASS info_class, void *buf, ULONG size,
                                     ULONG *len)
{
    if (!len || !w_held(buf, size)) {
        world.misused = 1;
        return FAKE_INVALID_PARAMETER;
    }
    if (info_class == SystemProcessInformation)
        return w_list(&world.list, 0, buf, size, len);
    if (info_class == NRWIN_SESSION_PROCESS_CLASS)
        return w_session_list(buf, size, len);
    if (info_class == SystemExtendedHandleInformation)
        return w_system(buf, size, len);
    world.misused = 1;
    return FAKE_INVALID_INFO_CLASS;
}

/* Process handles are 0x1000 + 4 * the process's index. */
static struct wproc *w_proc(HANDLE process, size_t *index)
{
    const ULONG_PTR v = (ULONG_PTR)process;

    if (v < 0x1000 || (v - 0x1000) % 4 || (v - 0x1000) / 4 >= world.n)
        return NULL;
    *index = (v - 0x1000) / 4;
    return &world.procs[*index];
}

static void w_row(const struct wproc *p, size_t j, PROCESS_HANDLE_TABLE_ENTRY_INFO *e)
{
    memset(e, 0, sizeof(*e));
    e->HandleValue = (HANDLE)(ULONG_PTR)(0x40 + 4 * j);
    e->HandleCount = 2;
    e->PointerCount = 3;
    e->GrantedAccess = 0x00120089u ^ (ULONG)(p->pid << 4);
    e->ObjectTypeIndex = p->type_base + (ULONG)(j % 3);
    e->HandleAttributes = (ULONG)(j % 4);
    e->Reserved = 0xfeed;
}

static NTSTATUS NTAPI w_query_process(HANDLE process, PROCESSINFOCLASS info_class, void *buf,
                                      ULONG size, ULONG *len)
{
    const ULONG row = sizeof(PROCESS_HANDLE_TABLE_ENTRY_INFO);
    const ULONG header = offsetof(PROCESS_HANDLE_SNAPSHOT_INFORMATION, Handles);
    PROCESS_HANDLE_SNAPSHOT_INFORMATION *t = buf;
    size_t i;
    struct wproc *p = w_proc(process, &i);
    ULONG need;

    if (!p || info_class != NRWIN_PROCESS_HANDLE_CLASS || !len || !w_held(buf, size)) {
        world.misused = 1;
        return FAKE_INVALID_PARAMETER;
    }
    need = header + (ULONG)p->rows * row;
    if (world.table_calls[i]++ < p->mismatches || p->mismatches < 0 || size < need) {
        *len = p->mismatches < 0 ? size : need;
        return STATUS_INFO_LENGTH_MISMATCH;
    }
    if (p->table)
        return p->table;
    t->NumberOfHandles = p->rows + p->extra;
    for (size_t j = 0; j < p->rows; j++)
        w_row(p, j, &t->Handles[j]);
    *len = need;
    return 0;
}

static int w_caller(void *ctx, uint64_t *luid, uint32_t *session)
{
    (void)ctx;
    *luid = W_LUID;
    *session = W_SESSION;
    return world.caller_status;
}

static int w_open(void *ctx, uint32_t pid, DWORD access, HANDLE *process)
{
    (void)ctx;
    for (size_t i = 0; i < world.n; i++) {
        if (world.procs[i].pid != pid)
            continue;
        if (!(access & PROCESS_QUERY_INFORMATION))
            world.misused = 1;
        if (world.procs[i].open_status != NR_OK)
            return world.procs[i].open_status;
        world.opens++;
        *process = (HANDLE)(ULONG_PTR)(0x1000 + 4 * i);
        return NR_OK;
    }
    return NR_GONE;
}

static int w_luid(void *ctx, HANDLE process, uint64_t *luid)
{
    size_t i;
    struct wproc *p = w_proc(process, &i);

    (void)ctx;
    if (!p)
        return NR_ERROR;
    *luid = p->luid;
    return NR_OK;
}

static void w_close(void *ctx, HANDLE process)
{
    size_t i;

    (void)ctx;
    if (!w_proc(process, &i))
        world.misused = 1;
    world.closes++;
}

static const struct nrwin_session_api w_api = { NULL,   w_query_system, w_query_process, w_caller,
                                                w_open, w_luid,         w_close };

/* The world of most cases: in the caller's session, A (3 rows) and D (2
 * rows, one length mismatch first) are the caller's; B is the caller's in
 * another session, C another logon's; E vanished after the list; F is
 * terminating; G cannot be opened (protected). */
static void w_reset(void)
{
    const struct wproc procs[] = {
        { 100, W_SESSION, W_LUID, 3, NR_OK, 0, 0, 0, 30 },
        { 200, W_SESSION + 1, W_LUID, 2, NR_OK, 0, 0, 0, 30 },
        { 300, W_SESSION, W_LUID + 1, 2, NR_OK, 0, 0, 0, 30 },
        { 400, W_SESSION, W_LUID, 2, NR_OK, 0, 1, 0, 30 },
        { 500, W_SESSION, W_LUID, 2, NR_GONE, 0, 0, 0, 30 },
        { 600, W_SESSION, W_LUID, 2, NR_OK, STATUS_PROCESS_IS_TERMINATING, 0, 0, 30 },
        { 700, W_SESSION, W_LUID, 2, NR_ERROR, 0, 0, 0, 30 },
    };

    memset(&world, 0, sizeof(world));
    memcpy(world.procs, procs, sizeof(procs));
    world.n = ARRAYSIZE(procs);
}

/* Exactly A's and D's rows, in list order. */
static int w_rows_match(const struct nr_snapshot *snap)
{
    size_t k = 0;

    for (size_t i = 0; i < world.n; i++) {
        const struct wproc *p = &world.procs[i];

        if (p->pid != 100 && p->pid != 400)
            continue;
        for (size_t j = 0; j < p->rows; j++, k++) {
            const struct nr_handle *h = &snap->handles[k];
            PROCESS_HANDLE_TABLE_ENTRY_INFO e;

            w_row(p, j, &e);
            if (k >= snap->count || h->pid != p->pid || h->value != (ULONG_PTR)e.HandleValue ||
                h->access != e.GrantedAccess || h->type_index != e.ObjectTypeIndex ||
                h->attributes != e.HandleAttributes)
                return 0;
        }
    }
    return k == snap->count;
}

/* One snapshot through the scripted world: its status and path, every
 * opened process closed, every block freed once the snapshot is. */
static int w_snapshot(volatile LONG *missing, enum nrwin_path *path, size_t *count, int *rows_ok,
                      int *clean)
{
    const LONG live = nrwin_live_blocks();
    struct nr_snapshot snap = { (struct nr_handle *)&world, 99 };
    const int status = nrwin_snapshot_with(&w_api, &snap, missing, path);

    *count = snap.count;
    *rows_ok = status == NR_OK &&
               (*path == NRWIN_PATH_SESSION ? w_rows_match(&snap)
                                            : snap.count == W_SYSTEM_ROWS && rows_match(&snap));
    if (status == NR_OK)
        nrwin_free_snapshot(NULL, &snap);
    *clean = nrwin_live_blocks() == live && world.opens == world.closes && !world.misused &&
             (status == NR_OK || (!snap.handles && !snap.count));
    printf("      status %d path %d, %zu row(s); %d session list (largest %lu B), %d machine "
           "list, %d system table call(s), %d open(s)\n",
           status, *path, *count, world.session.calls, world.session.largest, world.list.calls,
           world.system_calls, world.opens);
    return status;
}

/* One snapshot through the world, whole and clean, from `want`: the system
 * table (read once, class_missing as given), or the session's rows (no
 * system table, class 53 asked at most 8 times, the machine's list
 * `list_calls` times). */
static void w_expect(const char *what, enum nrwin_path want, LONG expect_missing, int list_calls)
{
    volatile LONG missing = 0;
    enum nrwin_path path;
    size_t count;
    int rows_ok, clean;
    const int status = w_snapshot(&missing, &path, &count, &rows_ok, &clean);
    const int calls_ok = want == NRWIN_PATH_SYSTEM
                             ? world.system_calls == 1
                             : world.system_calls == 0 && world.list.calls == list_calls &&
                                   world.session.calls >= 1 &&
                                   world.session.calls <= SNAPSHOT_TRIES;

    check(status == NR_OK && path == want && rows_ok && clean && missing == expect_missing &&
              calls_ok,
          what);
}

/* The path falls back to the system table, with class_missing as given. */
static void w_expect_fallback(const char *what, LONG expect_missing)
{
    w_expect(what, NRWIN_PATH_SYSTEM, expect_missing, 0);
}

/* The session's rows, after `list_calls` queries of the machine's list. */
static void w_expect_session(const char *what, int list_calls)
{
    w_expect(what, NRWIN_PATH_SESSION, 0, list_calls);
}

/* The session's list (class 53) and its fallback, the machine's (class 5). */
static void test_session_list(void)
{
    static const struct {
        enum w_list_mode mode;
        ULONG min;
        int too_small;
        int list_calls;           /* 1: it fell back to the machine's list */
        int calls_min, calls_max; /* of class 53 */
        const char *what;
    } lists[] = {
        { W_LIST_OK, 100u << 10, 0, 0, 2, 2,
          "a length mismatch with the length needed: regrown past it, the session's rows" },
        { W_LIST_OK, 100u << 10, 1, 0, 2, 2,
          "STATUS_BUFFER_TOO_SMALL with the length needed: regrown as after a mismatch" },
        { W_LIST_WOW64, 200u << 10, 0, 0, 3, SNAPSHOT_TRIES,
          "the header's length on every mismatch (WOW64): grown anyway until it fits" },
        { W_LIST_WOW64, 60u << 20, 0, 1, SNAPSHOT_TRIES, SNAPSHOT_TRIES,
          "the header's length, and no buffer of 8 tries fits: the machine's list" },
        { W_LIST_OK, 0xf0000000u, 0, 1, 1, 1,
          "a needed length past the 64 MiB cap: the machine's list after one query" },
        { W_LIST_MISMATCH, 0, 0, 1, 2, SNAPSHOT_TRIES,
          "a length mismatch forever: the machine's list after at most 8 queries" },
        { W_LIST_PAST, 0, 0, 1, 1, 1, "a chain that leaves the buffer: the machine's list" },
        { W_LIST_EMPTY, 0, 0, 1, 1, 1, "success with no process listed: the machine's list" },
        { W_LIST_ALL, 0, 0, 0, 1, 1,
          "class 53 listing other sessions' processes too: only the caller's session's read" },
    };
    char what[200];

    w_reset();
    w_expect_session("session list: class 53 lists the caller's session: its rows, the machine's "
                     "list never asked",
                     0);
    check(world.session.calls == 1 && world.session.largest == (64u << 10),
          "... in one query of a 64 KiB buffer");
    for (size_t i = 0; i < ARRAYSIZE(fail_answers); i++) {
        if (fail_answers[i].nt == FAKE_BUFFER_TOO_SMALL)
            continue; /* class 53 regrows on it: below */
        w_reset();
        world.session.status = fail_answers[i].nt;
        snprintf(what, sizeof(what),
                 "session list: class 53 answers %s: the machine's list, filtered, gives the same "
                 "rows; class 51 not called missing",
                 fail_answers[i].name);
        w_expect_session(what, 1);
        check(world.session.calls == 1, "... after one query of class 53");
    }
    for (size_t i = 0; i < ARRAYSIZE(lists); i++) {
        w_reset();
        world.session.mode = lists[i].mode;
        world.session.min = lists[i].min;
        world.session.too_small = lists[i].too_small;
        snprintf(what, sizeof(what), "session list: %s", lists[i].what);
        w_expect_session(what, lists[i].list_calls);
        check(world.session.calls >= lists[i].calls_min &&
                  world.session.calls <= lists[i].calls_max && world.table_calls[1] == 0 &&
                  world.session.largest <= (64u << 20) &&
                  (lists[i].list_calls || world.session.largest >= lists[i].min),
              "... in as many class 53 queries as said, no buffer past 64 MiB, no other "
              "session's table read");
    }
}

/* What this system's class 53 answers for our own session, measured and
 * printed (Wine 8: STATUS_INVALID_INFO_CLASS, so session.c takes the
 * machine's list): a list it answers holds our process in our session. */
static void test_session_list_measured(void)
{
    SYSTEM_SESSION_PROCESS_INFORMATION in;
    DWORD session = 0;
    ULONG len = 0, off = 0;
    NTSTATUS nt;
    int found = 0;
    BYTE *buf = nrwin_alloc(1u << 20);

    if (!buf || !ProcessIdToSessionId(GetCurrentProcessId(), &session)) {
        check(0, "session list: class 53 measured (no buffer, or no session id)");
        nrwin_free(buf);
        return;
    }
    in.SessionId = session;
    in.SizeOfBuf = 1u << 20;
    in.Buffer = buf;
    nt = NtQuerySystemInformation(NRWIN_SESSION_PROCESS_CLASS, &in, sizeof(in), &len);
    printf("      class 53 for session %lu: status 0x%08lx, length %lu\n", session,
           (unsigned long)nt, len);
    while (NT_SUCCESS(nt) && len <= (1u << 20) && len - off >= sizeof(SYSTEM_PROCESS_INFORMATION)) {
        const SYSTEM_PROCESS_INFORMATION *e = (const void *)(buf + off);

        found |= (ULONG_PTR)e->UniqueProcessId == GetCurrentProcessId() && e->SessionId == session;
        if (!e->NextEntryOffset)
            break;
        off += e->NextEntryOffset;
    }
    check(!NT_SUCCESS(nt) || found,
          "session list: class 53 measured: a failure (session.c takes the machine's list), or a "
          "list holding this process");
    nrwin_free(buf);
}

static void test_session_path(void)
{
    volatile LONG missing = 0;
    enum nrwin_path path;
    size_t count;
    int rows_ok, clean, status, calls;
    const LONG live = nrwin_live_blocks();
    struct nr_snapshot snap;
    int gone;

    w_reset();
    w_reset();
    status = w_snapshot(&missing, &path, &count, &rows_ok, &clean);
    check(status == NR_OK && path == NRWIN_PATH_SESSION && world.system_calls == 0,
          "session path: class 51 answers: the per-session rows, no system table");
    check(rows_ok,
          "session path: only the caller's session's processes of the caller's logon session, "
          "every field converted (another session's, another LUID's, vanished, terminating and "
          "unopenable processes left out)");
    check(clean, "session path: every process closed, every buffer freed");
    check(world.table_calls[1] == 0 && world.table_calls[2] == 0 && world.table_calls[3] == 2,
          "session path: no table read outside the caller's session or logon session; a length "
          "mismatch is retried with a larger buffer");

    w_reset();
    world.procs[0].table = FAKE_INVALID_INFO_CLASS;
    w_expect_fallback("session path: STATUS_INVALID_INFO_CLASS (Wine): the system table, "
                      "class 51 remembered as missing, all freed",
                      1);
    w_reset();
    world.procs[0].table = STATUS_NOT_IMPLEMENTED;
    w_expect_fallback("session path: STATUS_NOT_IMPLEMENTED: the system table, remembered", 1);
    w_reset();
    missing = 1;
    status = w_snapshot(&missing, &path, &count, &rows_ok, &clean);
    check(status == NR_OK && path == NRWIN_PATH_SYSTEM && rows_ok && clean &&
              world.session.calls == 0 && world.list.calls == 0 && world.opens == 0,
          "session path: once remembered missing, not tried again");
    w_reset();
    world.procs[3].table = FAKE_ACCESS_DENIED;
    w_expect_fallback("session path: a table's STATUS_ACCESS_DENIED: the system table, not "
                      "remembered, all freed",
                      0);
    w_reset();
    world.procs[3].mismatches = -1;
    w_expect_fallback("session path: a table's length mismatch forever: the system table", 0);
    check(world.table_calls[3] >= 2 && world.table_calls[3] <= SNAPSHOT_TRIES,
          "... after at most 8 queries of that table");
    w_reset();
    world.procs[3].extra = 1;
    w_expect_fallback("session path: a table's count one past its written length: the system "
                      "table",
                      0);
    w_reset();
    world.procs[0].type_base = 0x10000;
    w_expect_fallback("session path: a type index wider than 16 bits (a layout we do not "
                      "know): the system table",
                      0);
    w_reset();
    world.session.mode = W_LIST_MISMATCH;
    world.list.mode = W_LIST_MISMATCH;
    w_expect_fallback("session path: both process lists' length mismatch forever: the system "
                      "table",
                      0);
    check(world.session.calls >= 2 && world.session.calls <= SNAPSHOT_TRIES &&
              world.list.calls >= 2 && world.list.calls <= SNAPSHOT_TRIES,
          "... after at most 8 queries of each list");
    w_reset();
    world.session.status = FAKE_INVALID_INFO_CLASS;
    world.list.mode = W_LIST_PAST;
    w_expect_fallback("session path: class 53 missing, a machine's list whose chain leaves the "
                      "buffer: the system table",
                      0);
    w_reset();
    world.caller_status = NR_ERROR;
    w_expect_fallback("session path: the caller's sessions unknown: the system table", 0);

    w_reset();
    world.procs[0].table = FAKE_INVALID_INFO_CLASS;
    world.system_status = FAKE_ACCESS_DENIED;
    missing = 0;
    status = w_snapshot(&missing, &path, &count, &rows_ok, &clean);
    check(status == NR_ERROR && path == NRWIN_PATH_NONE && count == 0 && clean,
          "session path: class 51 missing and the system table failing: NR_ERROR, no rows, "
          "all freed");

    /* The vanished process, alone: the path still succeeds. */
    w_reset();
    world.procs[0].open_status = NR_GONE;
    world.procs[3].table = STATUS_PROCESS_IS_TERMINATING;
    missing = 0;
    status = w_snapshot(&missing, &path, &count, &rows_ok, &clean);
    check(status == NR_OK && path == NRWIN_PATH_SESSION && count == 0 && clean,
          "session path: every process vanished between the list and its query: no rows, no "
          "fallback");

    /* One process's table, as typeindex.c reads our own. */
    w_reset();
    calls = 0;
    status = nrwin_process_snapshot_from(&w_api, (HANDLE)(ULONG_PTR)0x1000, 100, &snap, &gone);
    calls = world.table_calls[0];
    check(status == NR_OK && snap.count == 3 && snap.handles[2].pid == 100 &&
              snap.handles[2].value == 0x48 && calls == 1 && !gone,
          "process table: one process's rows");
    if (status == NR_OK)
        nrwin_free(snap.handles);
    world.procs[0].table = FAKE_INVALID_INFO_CLASS;
    world.table_calls[0] = 0;
    status = nrwin_process_snapshot_from(&w_api, (HANDLE)(ULONG_PTR)0x1000, 100, &snap, &gone);
    check(status == NR_ERROR && gone && !snap.handles && nrwin_live_blocks() == live,
          "process table: class 51 missing: NR_ERROR, said missing, freed");
}

/* What DuplicateHandle answers when it closes a handle of the child with no
 * target process (what close_handle tries first), measured and printed:
 * Windows closes the source whatever it answers; Wine 8 answers FALSE and
 * leaves it open. A call that leaves it open must not claim success, and
 * close_handle must close it either way. */
/* The child's pid now names a process of another logon session (Wine shows
 * one, so the process reader says so): the close asks the process it closes
 * in, through the handle it opened, and closes nothing. */
static uint32_t elsewhere_pid;

static int luid_elsewhere(void *ctx, HANDLE process, uint64_t *luid)
{
    struct nrwin_session_api real;
    int status;

    nrwin_session_api_real(&real);
    status = real.luid(ctx, process, luid);
    if (status == NR_OK && GetProcessId(process) == elsewhere_pid)
        *luid ^= 1;
    return status;
}

static void close_elsewhere(struct child *c, uint32_t pid, uint64_t caller, const nr_char *name,
                            size_t len)
{
    struct nrwin_session_api api;
    char answer[16];

    nrwin_session_api_real(&api);
    api.luid = luid_elsewhere;
    elsewhere_pid = pid;
    check(nrwin_close_in(&api, pid, caller, c->file, 0, name, len, TIMEOUT_MS) == NR_GONE,
          "close_handle re-checks the logon session of the process it closes in: now another "
          "session's, NR_GONE");
    check(ask(c, "check\n", answer, sizeof(answer)) && !strcmp(answer, "open"),
          "... and the handle stays open");
    elsewhere_pid = 0;
}

static void close_measure(const struct nr_os *os, struct child *c, uint64_t caller)
{
    unsigned long long value = 0;
    nr_char name[NAME_CCH];
    char answer[64];
    uint32_t protocol;
    size_t len = 0;
    DWORD error;
    HANDLE h;
    BOOL ok;

    check(ask(c, "reopen\n", answer, sizeof(answer)) && sscanf(answer, "%llx", &value) == 1,
          "the child opens its file again");
    h = (HANDLE)(ULONG_PTR)value;
    check(name_of(os, GetProcessId(c->pi.hProcess), value, TIMEOUT_MS, name, NAME_CCH, &len,
                  &protocol) == NR_OK,
          "the reopened handle's name");
    SetLastError(0);
    ok = DuplicateHandle(c->pi.hProcess, h, NULL, NULL, 0, FALSE, DUPLICATE_CLOSE_SOURCE);
    error = GetLastError();
    printf("      DuplicateHandle(child, h, NULL, NULL, CLOSE_SOURCE) = %d, error %lu\n", ok,
           error);
    check(ask(c, "check\n", answer, sizeof(answer)) &&
              (!strcmp(answer, "closed") || (!strcmp(answer, "open") && !ok)),
          "a NULL target closes the source, or fails and says so");
    printf("      ... the child's handle is %s\n", answer);
    if (!strcmp(answer, "open"))
        check(os->close_handle(os->ctx, GetProcessId(c->pi.hProcess), caller, value, 0, name, len,
                               TIMEOUT_MS) == NR_OK &&
                  ask(c, "check\n", answer, sizeof(answer)) && !strcmp(answer, "closed"),
              "close_handle closes where a NULL target did not");
}

/* The value reused by another object under the same name (the child closes
 * its file and opens it again): where a kept object can prove identity
 * (CompareObjectHandles), the close refuses; the name alone cannot tell. */
static void close_reused(const struct nr_os *os, struct child *c, uint64_t caller)
{
    const uint32_t pid = GetProcessId(c->pi.hProcess);
    unsigned long long first = 0, second = 0;
    nr_char name[NAME_CCH];
    uint64_t kept = 0;
    char answer[64];
    uint32_t protocol;
    size_t len = 0;
    int kept_status;

    check(ask(c, "reopen\n", answer, sizeof(answer)) && sscanf(answer, "%llx", &first) == 1 &&
              name_of(os, pid, first, TIMEOUT_MS, name, NAME_CCH, &len, &protocol) == NR_OK,
          "the child opens its file, named");
    kept_status = os->keep_object(os->ctx, pid, first, &kept);
    printf("      keep_object: status %d (CompareObjectHandles %s)\n", kept_status,
           GetProcAddress(GetModuleHandleW(L"kernelbase.dll"), "CompareObjectHandles") ? "present"
                                                                                       : "absent");
    check(ask(c, "cycle\n", answer, sizeof(answer)) && sscanf(answer, "%llx", &second) == 1,
          "the child reopens its file");
    printf("      value before %llx, after %llx\n", first, second);
    if (kept_status == NR_OK && first == second) {
        check(os->close_handle(os->ctx, pid, caller, second, kept, name, len, TIMEOUT_MS) ==
                      NR_CHANGED &&
                  ask(c, "check\n", answer, sizeof(answer)) && !strcmp(answer, "open"),
              "close_handle: same value, same name, another object: refused, left open");
    }
    if (kept)
        os->drop_object(os->ctx, kept);
    check(os->close_handle(os->ctx, pid, caller, second, 0, name, len, TIMEOUT_MS) == NR_OK &&
              ask(c, "check\n", answer, sizeof(answer)) && !strcmp(answer, "closed"),
          "close_handle by name closes the reopened file");
}

/* The memory of blocked queries: keyed by process instance, so the child's
 * creation time must be readable and tell it from us. */
static void test_blocked_memory(struct nr_os *os, uint32_t pid)
{
    struct nr_blocked_key key = { pid, 0, 0x1234 };
    uint64_t ours = 0;

    check(os->process_started(os->ctx, pid, &key.started) == NR_OK &&
              os->process_started(os->ctx, GetCurrentProcessId(), &ours) == NR_OK && key.started &&
              ours && key.started >= ours,
          "process_started: the child started after us");
    check(os->process_started(os->ctx, 0x7ffffffc, &ours) != NR_OK,
          "process_started of no process fails");
    check(!os->was_blocked(os->ctx, &key), "was_blocked: nothing remembered yet");
    os->remember_blocked(os->ctx, &key);
    check(os->was_blocked(os->ctx, &key), "was_blocked: a remembered handle");
    key.started++;
    check(!os->was_blocked(os->ctx, &key), "was_blocked: not for another process instance");
}

/* Batches: names one after another in the caller's buffer, a bad value
 * settled on its own, and a batch ended where the longest name would no
 * longer fit (the rest asked again). */
static void test_batch(const struct nr_os *os, uint32_t pid, uint64_t file, const nr_char *name,
                       size_t len)
{
    struct nr_name_query q[3] = { { .value = file }, { .value = 0xfffc }, { .value = file } };
    const size_t cch = NR_UNC_MAX + 1 + len;
    nr_char *names = malloc(cch * sizeof(nr_char));
    size_t settled;

    settled = os->query_names(os->ctx, pid, q, 3, TIMEOUT_MS, names, cch);
    check(settled == 3 && q[0].status == NR_OK && q[1].status != NR_OK && q[2].status == NR_OK &&
              q[0].len == len && q[2].len == len && q[0].name == names &&
              q[2].name == names + len && !memcmp(q[2].name, name, len * sizeof(nr_char)),
          "query_names: three in one batch, a bad value in the middle, names in a row");
    q[1].value = file;
    settled = os->query_names(os->ctx, pid, q, 3, TIMEOUT_MS, names, cch);
    check(settled == 2 && q[1].status == NR_OK && q[1].name == names + len,
          "query_names: the batch ends where the longest name would not fit");
    free(names);
}

static void test_child(struct nr_os *os, const wchar_t *path)
{
    struct child c = { 0 };
    struct nr_snapshot snap;
    const struct nr_handle *row;
    uint16_t file_index = 0;
    uint64_t mine = 1, theirs = 2, caller = 3;
    nr_char name[NAME_CCH], own[NAME_CCH], image[MAX_PATH];
    size_t len = 0, own_len = 0;
    uint32_t protocol;
    int strict;
    HANDLE file;
    char answer[32];
    int status;

    if (!start_child(&c, path)) {
        check(0, "child started and reported its handles");
        return;
    }
    const uint32_t pid = c.pi.dwProcessId;
    printf("      child %u: file 0x%llx, pipe 0x%llx\n", pid, c.file, c.pipe);

    check(os->file_type_index(os->ctx, &file_index) == NR_OK, "file_type_index resolved");
    printf("      File type index %u\n", file_index);
    status = os->snapshot(os->ctx, &snap);
    check(status == NR_OK && snap.count > 0, "snapshot taken");
    printf("      %zu handles\n", snap.count);
    row = status == NR_OK ? find(&snap, pid, c.file) : NULL;
    if (row)
        printf("      its type index %u\n", row->type_index);
    check(row && row->type_index == file_index,
          "snapshot holds the child's file handle, type File");
    if (row)
        printf("      its access 0x%08x, attributes 0x%x\n", row->access, row->attributes);
    row = status == NR_OK ? find(&snap, pid, c.pipe) : NULL;
    check(row != NULL, "snapshot holds the child's pipe handle");
    if (row)
        printf("      pipe access 0x%08x\n", row->access);
    if (status == NR_OK)
        os->free_snapshot(os->ctx, &snap);

    check(os->caller_luid(os->ctx, &caller) == NR_OK &&
              os->process_luid(os->ctx, GetCurrentProcessId(), &mine) == NR_OK &&
              os->process_luid(os->ctx, pid, &theirs) == NR_OK && caller == mine && mine == theirs,
          "caller, own and child LUIDs equal");
    printf("      LUID %08x:%08x\n", (unsigned)(caller >> 32), (unsigned)caller);
    check(os->process_image(os->ctx, pid, image, ARRAYSIZE(image)) == NR_OK &&
              !_wcsicmp(image, L"seam_test.exe"),
          "process_image is seam_test.exe");
    check(os->process_image(os->ctx, pid, image, 4) == NR_TOO_SMALL, "process_image: small buffer");
    strict = -1;
    check(os->process_strict(os->ctx, pid, &strict) == NR_OK && strict == 0,
          "process_strict: the child runs without strict handle checks");
    check(os->process_strict(os->ctx, 0xfffffff0u, &strict) != NR_OK,
          "process_strict: a process that does not exist cannot be told");
    test_blocked_memory(os, pid);

    file = CreateFileW(path, FILE_READ_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                       OPEN_EXISTING, 0, NULL);
    status = name_of(os, pid, c.file, TIMEOUT_MS, name, NAME_CCH, &len, &protocol);
    check(status == NR_OK &&
              name_of(os, GetCurrentProcessId(), (ULONG_PTR)file, TIMEOUT_MS, own, NAME_CCH,
                      &own_len, &protocol) == NR_OK &&
              len == own_len && !memcmp(name, own, len * sizeof(nr_char)) &&
              ends_with(name, len, wcsrchr(path, L'\\')),
          "query_names of the child's file is its NT name");
    printf("      name %.*ls\n", (int)len, name);
    CloseHandle(file);
    test_batch(os, pid, c.file, name, len);
    check(name_of(os, pid, c.file, TIMEOUT_MS, own, 4, &own_len, &protocol) == NR_TOO_SMALL &&
              own_len == len,
          "query_names: small buffer is NR_TOO_SMALL with the length");

    /* a hang here is caught by the scenario's own time-out, not by a clock in the check */
    status = name_of(os, pid, c.pipe, TIMEOUT_MS, own, NAME_CCH, &own_len, &protocol);
    printf("      pipe query: status %d\n", status);
    check(status == NR_OK || status == NR_TIMEOUT,
          "query_names of a pipe with a pending read answers or gives up (NR_TIMEOUT)");

    check(os->close_handle(os->ctx, pid, caller ^ 1, c.file, 0, name, len, TIMEOUT_MS) == NR_GONE,
          "close_handle for another logon session is NR_GONE (a reused pid)");
    check(ask(&c, "check\n", answer, sizeof(answer)) && !strcmp(answer, "open"),
          "... and the handle stays open");
    close_elsewhere(&c, pid, caller, name, len);
    name[len - 1] ^= 1;
    check(os->close_handle(os->ctx, pid, caller, c.file, 0, name, len, TIMEOUT_MS) == NR_CHANGED,
          "close_handle with a wrong name is NR_CHANGED");
    check(ask(&c, "check\n", answer, sizeof(answer)) && !strcmp(answer, "open"),
          "... and the handle stays open");
    name[len - 1] ^= 1;
    check(os->close_handle(os->ctx, pid, caller, c.file, 0, name, len, TIMEOUT_MS) == NR_OK,
          "close_handle closes");
    check(ask(&c, "check\n", answer, sizeof(answer)) && !strcmp(answer, "closed"),
          "... the child's handle");
    check(os->close_handle(os->ctx, pid, caller, c.file, 0, name, len, TIMEOUT_MS) != NR_OK,
          "closing it again fails");
    close_measure(os, &c, caller);
    close_reused(os, &c, caller);

    CloseHandle(c.to); /* the child sees EOF and exits */
    check(WaitForSingleObject(c.pi.hProcess, 5000) == WAIT_OBJECT_0, "the child exits");
    CloseHandle(c.from);
    CloseHandle(c.pi.hProcess);
    CloseHandle(c.pi.hThread);
    /* (An exited process's object may live on while anyone holds a handle,
     * so the unknown pid is one that never exists.) */
    check(os->process_luid(os->ctx, 0x7ffffffc, &theirs) == NR_GONE,
          "process_luid of no process is NR_GONE");
}

/* The device prefilter's query on a local file of ours: Wine 8 does not
 * answer FileVolumeNameInformation, so the device is unknown and the name
 * is queried (the planner uses it only where the self-check passed). */
static void test_device(const wchar_t *path)
{
    const HANDLE file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                                    OPEN_EXISTING, 0, NULL);
    struct nr_selfcheck checks;
    int remote = -1, status;

    status = nrwin_file_device(NULL, GetCurrentProcessId(), (ULONG_PTR)file, &remote);
    nrwin_self_checks(&checks);
    if (checks.result[NR_CHECK_VOLUME_NAME] == NR_CHECK_PASSED)
        check(status == NR_OK && remote == 0, "device: a local file is not remote (class 58)");
    else
        check(status == NR_ERROR && remote == -1,
              "device: class 58 not answered: unknown, the name is queried");
    CloseHandle(file);
}

int wmain(int argc, wchar_t **argv)
{
    struct nr_os os;
    wchar_t dir[MAX_PATH], path[MAX_PATH];
    HANDLE file;

    if (argc == 3 && !wcscmp(argv[1], L"--hold"))
        return hold(argv[2]);

    /* First, while this process runs no other thread that allocates. */
    test_snapshot_faults();
    test_session_path();
    test_session_list();
    test_session_list_measured();
    nrwin_os(&os);
    GetTempPathW(MAX_PATH, dir);
    swprintf(path, MAX_PATH, L"%lsseam_test_%lu.txt", dir, GetCurrentProcessId());
    file = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    check(file != INVALID_HANDLE_VALUE, "scratch file created");
    CloseHandle(file);

    test_device(path);
    test_child(&os, path);
    test_worker();
    test_worker_steps();
    test_reclaim_lock();
    test_registry();
    os.report(os.ctx, NR_EVENT_RECLAIM_CLOSED, u"seam_test: a report");
    DeleteFileW(path);
    printf("%s: %d failure(s)\n", failures ? "FAILED" : "ok", failures);
    return failures ? 1 : 0;
}
