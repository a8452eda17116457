/* The second process of the checks: this program again, run as
 *     nrconform --child PATH|pipe ...
 * It holds what it is told to, as Explorer or an indexer would, and answers
 * on stdin/stdout. The parent bounds every wait for it: a reader thread
 * takes each line, and a child that does not answer in time is ended. */
#include <stdio.h>
#include "nrconform.h"

/* ---- the child ---- */

static DWORD WINAPI read_pending(void *pipe)
{
    char c;
    DWORD n;

    ReadFile(pipe, &c, 1, &n, NULL); /* nothing is ever written: the read stays pending */
    return 0;
}

static HANDLE hold(const WCHAR *path, DWORD *error)
{
    HANDLE h, write_end;

    *error = 0;
    if (!wcscmp(path, L"pipe")) {
        if (!CreatePipe(&h, &write_end, NULL, 0)) {
            *error = GetLastError();
            return NULL;
        }
        CloseHandle(CreateThread(NULL, 0, read_pending, h, 0, NULL));
        return h;
    }
    /* Share modes as an indexer's, so nothing else is kept out. */
    h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                    NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        *error = GetLastError();
        return NULL;
    }
    return h;
}

int nrc_child_main(int argc, WCHAR **argv)
{
    HANDLE held[NRC_CHILD_MAX] = { 0 };
    char line[64];
    DWORD flags, error;
    int n = argc < NRC_CHILD_MAX ? argc : NRC_CHILD_MAX, i;

    for (i = 0; i < n; i++) {
        held[i] = hold(argv[i], &error);
        printf("%llx %lu\n", (unsigned long long)(ULONG_PTR)held[i], error);
    }
    printf("READY\n");
    fflush(stdout);
    while (fgets(line, sizeof(line), stdin)) {
        if (sscanf(line, "check %d", &i) == 1 && i >= 0 && i < n)
            printf("%s\n", held[i] && GetHandleInformation(held[i], &flags) ? "open" : "closed");
        else if (!strncmp(line, "exit", 4))
            break;
        else
            printf("?\n");
        fflush(stdout);
    }
    return 0;
}

/* ---- the parent ---- */

struct line_read {
    HANDLE from;
    char buf[128];
};

static DWORD WINAPI read_line(void *arg)
{
    struct line_read *r = arg;
    size_t len = 0;
    DWORD n;

    while (len < sizeof(r->buf) - 1 && ReadFile(r->from, r->buf + len, 1, &n, NULL) && n) {
        if (r->buf[len] == '\n')
            break;
        len += r->buf[len] != '\r'; /* the child's CRT writes text mode */
    }
    r->buf[len] = 0;
    return len > 0;
}

/* One line from the child within NRC_CHILD_WAIT_MS; a child that does not
 * answer is ended (its end of the pipe closes, so the reader returns). */
static BOOL child_line(struct nrc_child *c, char *out, size_t size)
{
    struct line_read *r = nrwin_alloc(sizeof(*r));
    HANDLE thread;
    DWORD got = 0;

    *out = 0;
    if (!r)
        return FALSE;
    r->from = c->from;
    if (!(thread = CreateThread(NULL, 0, read_line, r, 0, NULL))) {
        nrwin_free(r);
        return FALSE;
    }
    if (WaitForSingleObject(thread, NRC_CHILD_WAIT_MS) != WAIT_OBJECT_0) {
        TerminateProcess(c->pi.hProcess, 3);
        /* Its end of the pipe is closed now, so the read returns; if even
         * that does not come, the reader keeps its buffer (never freed). */
        if (WaitForSingleObject(thread, NRC_CHILD_WAIT_MS) != WAIT_OBJECT_0) {
            CloseHandle(thread);
            return FALSE;
        }
    }
    GetExitCodeThread(thread, &got);
    CloseHandle(thread);
    if (got)
        snprintf(out, size, "%s", r->buf);
    nrwin_free(r);
    return got != 0;
}

BOOL nrc_child_start(struct nrc_child *c, int count, const WCHAR *const *paths)
{
    SECURITY_ATTRIBUTES sa = { .nLength = sizeof(sa), .bInheritHandle = TRUE };
    STARTUPINFOW si = { .cb = sizeof(si) };
    HANDLE child_in = NULL, child_out = NULL;
    WCHAR self[MAX_PATH], cmd[4096];
    char line[128];
    unsigned long long value;
    unsigned long error;
    size_t used;
    BOOL ok = FALSE;

    memset(c, 0, sizeof(*c));
    if (count > NRC_CHILD_MAX || !GetModuleFileNameW(NULL, self, MAX_PATH))
        return FALSE;
    used = (size_t)swprintf(cmd, ARRAYSIZE(cmd), L"\"%ls\" --child", self);
    for (int i = 0; i < count; i++)
        used += (size_t)swprintf(cmd + used, ARRAYSIZE(cmd) - used, L" \"%ls\"", paths[i]);
    if (!CreatePipe(&child_in, &c->to, &sa, 0) || !CreatePipe(&c->from, &child_out, &sa, 0))
        goto out;
    SetHandleInformation(c->to, HANDLE_FLAG_INHERIT, 0);
    SetHandleInformation(c->from, HANDLE_FLAG_INHERIT, 0);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = child_in;
    si.hStdOutput = child_out;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    if (!CreateProcessW(self, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &c->pi))
        goto out;
    CloseHandle(child_out); /* now only the child writes: its exit ends our reads */
    child_out = NULL;
    for (c->count = 0; c->count < count; c->count++) {
        if (!child_line(c, line, sizeof(line)) || sscanf(line, "%llx %lu", &value, &error) != 2)
            goto out;
        c->value[c->count] = value;
        c->error[c->count] = error;
    }
    ok = child_line(c, line, sizeof(line)) && !strcmp(line, "READY");
out:
    if (child_in)
        CloseHandle(child_in);
    if (child_out)
        CloseHandle(child_out);
    if (!ok)
        nrc_child_end(c);
    return ok;
}

int nrc_child_holds(struct nrc_child *c, int index)
{
    char cmd[32], line[32];
    DWORD n;

    snprintf(cmd, sizeof(cmd), "check %d\n", index);
    if (!WriteFile(c->to, cmd, (DWORD)strlen(cmd), &n, NULL) || !child_line(c, line, sizeof(line)))
        return -1;
    return !strcmp(line, "open") ? 1 : !strcmp(line, "closed") ? 0 : -1;
}

void nrc_child_end(struct nrc_child *c)
{
    if (c->to) {
        CloseHandle(c->to); /* end of input: the child exits */
        c->to = NULL;
    }
    if (c->pi.hProcess) {
        if (WaitForSingleObject(c->pi.hProcess, NRC_CHILD_WAIT_MS) != WAIT_OBJECT_0)
            TerminateProcess(c->pi.hProcess, 3);
        CloseHandle(c->pi.hProcess);
        CloseHandle(c->pi.hThread);
        c->pi.hProcess = NULL;
    }
    if (c->from) {
        CloseHandle(c->from);
        c->from = NULL;
    }
}
