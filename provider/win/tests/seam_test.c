/* Conformance test of the real OS seam (provider/win) against a live child
 * process, run under Wine or Windows:
 *     seam_test.exe               run the checks; exit status 0 if all pass
 *     seam_test.exe --hold PATH   (the child) hold PATH open and an anonymous
 *                                 pipe with a synchronous read pending; print
 *                                 the handle values; answer "check" on stdin
 *                                 with "open" or "closed" for PATH's handle.
 * It writes two test keys under HKLM (removed at the end), so give it a
 * scratch prefix. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "win/nrwin.h"

#define NAME_CCH 4096
#define TIMEOUT_MS 500
#define MARGIN_MS 1000

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

    return len >= n && !_wcsnicmp((const wchar_t *)s + len - n, tail, n);
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
    return nrwin_call_bounded(&b->call, timeout_ms);
}

static void test_worker(void)
{
    HANDLE gate = CreateEventW(NULL, TRUE, FALSE, NULL), open = CreateEventW(NULL, TRUE, TRUE, NULL);
    volatile LONG released = 0;
    ULONGLONG t;
    int status = NR_OK;

    check(post_blocking(open, &released, TIMEOUT_MS) == NR_OK, "worker: a quick call runs");
    check(released == 0, "worker: a finished call is handed back, not released");
    for (int i = 0; i < 4 && status == NR_OK + 0; i++)
        status = post_blocking(gate, &released, 100) == NR_TIMEOUT ? NR_OK : NR_ERROR;
    check(status == NR_OK && nrwin_stuck_workers() == 4, "worker: 4 hung calls time out");
    t = GetTickCount64();
    status = post_blocking(gate, &released, 5000);
    check(status == NR_TIMEOUT && GetTickCount64() - t < 100 && released == 1,
          "worker: with 4 stuck, a call is refused at once and released");
    SetEvent(gate);
    for (int i = 0; i < 100 && nrwin_stuck_workers(); i++)
        Sleep(20);
    check(nrwin_stuck_workers() == 0 && released == 5,
          "worker: stuck workers release their calls and exit when unblocked");
    check(post_blocking(open, &released, TIMEOUT_MS) == NR_OK, "worker: calls run again");
    CloseHandle(gate);
    CloseHandle(open);
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
    int mup = 0, lanman = 0, test = 0, notes = 0;

    RegCreateKeyExW(HKEY_LOCAL_MACHINE, L"SYSTEM\\CurrentControlSet\\Services\\NrSeamTest\\NetworkProvider",
                    0, NULL, 0, KEY_ALL_ACCESS, NULL, &key, NULL);
    RegSetValueExW(key, L"DeviceName", 0, REG_SZ, (const BYTE *)dev, sizeof(dev));
    RegCloseKey(key);
    check(nrwin_redirector_prefixes(&multi, &count) == NR_OK, "registry: prefixes read");
    for (const WCHAR *p = multi; p && *p; p += wcslen(p) + 1) {
        printf("      prefix %ls\n", p);
        mup += !wcscmp(p, L"\\Device\\Mup");
        lanman += !wcscmp(p, L"\\Device\\LanmanRedirector");
        test += !wcscmp(p, dev);
    }
    check(mup == 1 && lanman == 1 && test == 1 && count >= 3,
          "registry: Mup, LanmanRedirector and a provider's DeviceName, once each");
    nrwin_free(multi);
    RegDeleteTreeW(HKEY_LOCAL_MACHINE, svc);

    RegCreateKeyExW(HKEY_LOCAL_MACHINE, NRWIN_SETTINGS_KEY, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key, NULL);
    RegSetValueExW(key, L"Mode", 0, REG_SZ, (const BYTE *)L"audit", sizeof(L"audit"));
    RegSetValueExW(key, L"NameQueryTimeoutMs", 0, REG_DWORD, (const BYTE *)&timeout, sizeof(timeout));
    RegCloseKey(key);
    RegCreateKeyExW(HKEY_LOCAL_MACHINE, NRWIN_POLICY_KEY, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key, NULL);
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

static void test_child(struct nr_os *os, const wchar_t *path)
{
    struct child c = { 0 };
    struct nr_snapshot snap;
    const struct nr_handle *row;
    uint16_t file_index = 0;
    uint64_t mine = 1, theirs = 2, caller = 3;
    nr_char name[NAME_CCH], own[NAME_CCH], image[MAX_PATH];
    size_t len = 0, own_len = 0;
    HANDLE file;
    ULONGLONG t;
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
    check(row && row->type_index == file_index, "snapshot holds the child's file handle, type File");
    if (row)
        printf("      its access 0x%08x, attributes 0x%x\n", row->access, row->attributes);
    row = status == NR_OK ? find(&snap, pid, c.pipe) : NULL;
    check(row != NULL, "snapshot holds the child's pipe handle");
    if (row)
        printf("      pipe access 0x%08x\n", row->access);
    if (status == NR_OK)
        os->free_snapshot(os->ctx, &snap);

    check(os->caller_luid(os->ctx, &caller) == NR_OK && os->process_luid(os->ctx, GetCurrentProcessId(), &mine) == NR_OK &&
              os->process_luid(os->ctx, pid, &theirs) == NR_OK && caller == mine && mine == theirs,
          "caller, own and child LUIDs equal");
    printf("      LUID %08x:%08x\n", (unsigned)(caller >> 32), (unsigned)caller);
    check(os->process_image(os->ctx, pid, image, ARRAYSIZE(image)) == NR_OK &&
              !_wcsicmp((const wchar_t *)image, L"seam_test.exe"),
          "process_image is seam_test.exe");
    check(os->process_image(os->ctx, pid, image, 4) == NR_TOO_SMALL, "process_image: small buffer");

    file = CreateFileW(path, FILE_READ_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    status = os->query_name(os->ctx, pid, c.file, TIMEOUT_MS, name, NAME_CCH, &len);
    check(status == NR_OK && os->query_name(os->ctx, GetCurrentProcessId(), (ULONG_PTR)file, TIMEOUT_MS, own, NAME_CCH,
                                            &own_len) == NR_OK &&
              len == own_len && !memcmp(name, own, len * sizeof(nr_char)) && ends_with(name, len, wcsrchr(path, L'\\')),
          "query_name of the child's file is its NT name");
    printf("      name %.*ls\n", (int)len, (const wchar_t *)name);
    CloseHandle(file);
    check(os->query_name(os->ctx, pid, c.file, TIMEOUT_MS, own, 4, &own_len) == NR_TOO_SMALL && own_len == len,
          "query_name: small buffer is NR_TOO_SMALL with the length");

    t = GetTickCount64();
    status = os->query_name(os->ctx, pid, c.pipe, TIMEOUT_MS, own, NAME_CCH, &own_len);
    t = GetTickCount64() - t;
    printf("      pipe query: status %d after %llu ms\n", status, t);
    check(t < TIMEOUT_MS + MARGIN_MS, "query_name of a pipe with a pending read returns in time");

    name[len - 1] ^= 1;
    check(os->close_handle(os->ctx, pid, c.file, name, len, TIMEOUT_MS) == NR_CHANGED,
          "close_handle with a wrong name is NR_CHANGED");
    check(ask(&c, "check\n", answer, sizeof(answer)) && !strcmp(answer, "open"), "... and the handle stays open");
    name[len - 1] ^= 1;
    check(os->close_handle(os->ctx, pid, c.file, name, len, TIMEOUT_MS) == NR_OK, "close_handle closes");
    check(ask(&c, "check\n", answer, sizeof(answer)) && !strcmp(answer, "closed"), "... the child's handle");
    check(os->close_handle(os->ctx, pid, c.file, name, len, TIMEOUT_MS) != NR_OK, "closing it again fails");

    CloseHandle(c.to); /* the child sees EOF and exits */
    check(WaitForSingleObject(c.pi.hProcess, 5000) == WAIT_OBJECT_0, "the child exits");
    CloseHandle(c.from);
    CloseHandle(c.pi.hProcess);
    CloseHandle(c.pi.hThread);
    /* (An exited process's object may live on while anyone holds a handle,
     * so the unknown pid is one that never exists.) */
    check(os->process_luid(os->ctx, 0x7ffffffc, &theirs) == NR_GONE, "process_luid of no process is NR_GONE");
}

int wmain(int argc, wchar_t **argv)
{
    struct nr_os os;
    wchar_t dir[MAX_PATH], path[MAX_PATH];
    HANDLE file;

    if (argc == 3 && !wcscmp(argv[1], L"--hold"))
        return hold(argv[2]);

    nrwin_os(&os);
    GetTempPathW(MAX_PATH, dir);
    swprintf(path, MAX_PATH, L"%lsseam_test_%lu.txt", dir, GetCurrentProcessId());
    file = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    check(file != INVALID_HANDLE_VALUE, "scratch file created");
    CloseHandle(file);

    test_child(&os, path);
    test_worker();
    test_registry();
    os.report(os.ctx, NR_INFO, u"seam_test: a report");
    DeleteFileW(path);
    printf("%s: %d failure(s)\n", failures ? "FAILED" : "ok", failures);
    return failures ? 1 : 0;
}
