/* holder.exe: keeps handles open in its own process, like Explorer or an
 * indexer would, so the scenarios can reproduce KB Q245006 and watch what
 * netreclaim closes behind the holder's back.
 *
 *   holder [--timeout SECONDS] [--pipe] [--protect] <path>...
 *
 * Opens each path (file or directory, UNC or local) for reading with share
 * mode READ|WRITE|DELETE and prints "open <path> ok name=<NT name>" or
 * "open <path> error <n>". A path right after --protect has its handle
 * marked HANDLE_FLAG_PROTECT_FROM_CLOSE (SetHandleInformation), which its
 * open line shows as " protected" (or " protect-error <n>"); docs/design.md
 * rule 5 says netreclaim never closes such a handle. With --pipe it also makes a named pipe, opens its
 * client end synchronously for read and write (the access mask of a document
 * on a share, so no access-mask shortcut skips it) and an anonymous pipe, and
 * leaves a synchronous ReadFile pending on each in a thread of its own:
 * "pipe <name> pending". Then "READY <pid>".
 *
 * It then reads commands, one per line, waiting at most --timeout seconds
 * (default 60) for each:
 *   check        report every handle, print "CHECKED" and keep running
 *   go, exit, or end of input
 *                report every handle, print "DONE <exit code>" and exit
 * A report line is "handle <path> valid", "handle <path> invalid <error>" or
 * "handle <path> replaced" (the value names another file now); pipes report
 * "handle <pipe> valid|invalid <error>" from the handle table only, never
 * touching the pipe whose read is pending. Exit code: 0, 3 after a timeout,
 * 2 on a usage error, 1 if an open failed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <winternl.h>

#define MAX_HANDLES 16

typedef NTSTATUS(NTAPI *query_object_fn)(HANDLE, OBJECT_INFORMATION_CLASS, void *, ULONG, ULONG *);

struct held {
    const WCHAR *path;
    HANDLE handle;
    BOOL is_pipe, protect;
    BY_HANDLE_FILE_INFORMATION info; /* files: the identity to compare */
};

static struct held held[MAX_HANDLES + 2];
static int held_count;

/* One line of stdin at a time, handed over to the main thread, so the main
 * thread can bound each wait. */
static HANDLE line_ready, line_taken;
static char line[256];
static BOOL input_ended;

static void print_nt_name(HANDLE h)
{
    static query_object_fn query;
    union {
        OBJECT_NAME_INFORMATION info;
        BYTE raw[4096];
    } buf;
    ULONG len = 0;

    if (!query)
        query = (query_object_fn)(void *)GetProcAddress(GetModuleHandleW(L"ntdll.dll"),
                                                        "NtQueryObject");
    if (!query || query(h, ObjectNameInformation, &buf, sizeof(buf) - sizeof(WCHAR), &len)) {
        printf(" name=?");
        return;
    }
    /* Length 0 with a NULL Buffer is a valid answer (unnamed object). */
    printf(" name=%.*ls", (int)(buf.info.Name.Length / sizeof(WCHAR)),
           buf.info.Name.Buffer ? buf.info.Name.Buffer : L"");
}

static DWORD WINAPI read_lines(void *arg)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    DWORD got, n;
    char c;

    (void)arg;
    for (;;) {
        n = 0;
        while (ReadFile(in, &c, 1, &got, NULL) && got && c != '\n')
            if (c != '\r' && n < sizeof(line) - 1)
                line[n++] = c;
        line[n] = 0;
        if (!got && !n)
            input_ended = TRUE;
        SetEvent(line_ready);
        if (input_ended)
            return 0;
        WaitForSingleObject(line_taken, INFINITE);
    }
}

/* Never returns: the pending ReadFile keeps this thread until exit. */
static DWORD WINAPI pending_read(void *arg)
{
    char buf[16];
    DWORD got;

    ReadFile((HANDLE)arg, buf, sizeof(buf), &got, NULL);
    return 0;
}

static void hold_pipe(HANDLE h, const WCHAR *name)
{
    HANDLE thread = CreateThread(NULL, 0, pending_read, h, 0, NULL);

    held[held_count].path = name;
    held[held_count].handle = h;
    held[held_count].is_pipe = TRUE;
    held_count++;
    /* Still blocked after 100 ms: the read is pending (a bound, not a sync). */
    if (thread && WaitForSingleObject(thread, 100) == WAIT_TIMEOUT)
        printf("pipe %ls pending\n", name);
    else
        printf("pipe %ls error %lu\n", name, GetLastError());
    if (thread)
        CloseHandle(thread);
}

static BOOL open_pipes(void)
{
    static WCHAR name[64];
    HANDLE server, client, read_end, write_end;

    swprintf(name, ARRAYSIZE(name), L"\\\\.\\pipe\\nrholder-%lu", GetCurrentProcessId());
    server = CreateNamedPipeW(name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_WAIT, 1, 512, 512, 0,
                              NULL);
    if (server == INVALID_HANDLE_VALUE) {
        printf("pipe %ls error %lu\n", name, GetLastError());
        return FALSE;
    }
    client = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (client == INVALID_HANDLE_VALUE) {
        printf("pipe %ls error %lu\n", name, GetLastError());
        return FALSE;
    }
    hold_pipe(client, name);
    if (!CreatePipe(&read_end, &write_end, NULL, 0)) {
        printf("pipe anonymous error %lu\n", GetLastError());
        return FALSE;
    }
    hold_pipe(read_end, L"anonymous");
    return TRUE;
}

static void report(void)
{
    BY_HANDLE_FILE_INFORMATION now;
    DWORD flags;
    int i;

    for (i = 0; i < held_count; i++) {
        const struct held *h = &held[i];

        if (h->handle == INVALID_HANDLE_VALUE)
            continue;
        if (h->is_pipe) {
            if (GetHandleInformation(h->handle, &flags))
                printf("handle %ls valid\n", h->path);
            else
                printf("handle %ls invalid %lu\n", h->path, GetLastError());
        } else if (!GetFileInformationByHandle(h->handle, &now))
            printf("handle %ls invalid %lu\n", h->path, GetLastError());
        else if (now.dwVolumeSerialNumber != h->info.dwVolumeSerialNumber ||
                 now.nFileIndexHigh != h->info.nFileIndexHigh ||
                 now.nFileIndexLow != h->info.nFileIndexLow)
            printf("handle %ls replaced\n", h->path);
        else
            printf("handle %ls valid\n", h->path);
    }
}

int wmain(int argc, WCHAR **argv)
{
    DWORD timeout_ms = 60000;
    BOOL pipes = FALSE, timed_out = FALSE;
    BOOL protect = FALSE;
    int i, failed = 0, rc;

    for (i = 1; i < argc; i++) {
        if (!wcscmp(argv[i], L"--timeout") && i + 1 < argc)
            timeout_ms = wcstoul(argv[++i], NULL, 10) * 1000;
        else if (!wcscmp(argv[i], L"--pipe"))
            pipes = TRUE;
        else if (!wcscmp(argv[i], L"--protect"))
            protect = TRUE;
        else if (held_count < MAX_HANDLES) {
            held[held_count].protect = protect;
            held[held_count++].path = argv[i];
            protect = FALSE;
        } else
            return 2;
    }
    if (!held_count && !pipes)
        return 2;
    for (i = 0; i < held_count; i++) {
        struct held *h = &held[i];

        h->handle = CreateFileW(h->path, GENERIC_READ,
                                FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                                OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
        if (h->handle == INVALID_HANDLE_VALUE) {
            printf("open %ls error %lu\n", h->path, GetLastError());
            failed = 1;
            continue;
        }
        GetFileInformationByHandle(h->handle, &h->info);
        printf("open %ls ok", h->path);
        print_nt_name(h->handle);
        if (h->protect && SetHandleInformation(h->handle, HANDLE_FLAG_PROTECT_FROM_CLOSE,
                                               HANDLE_FLAG_PROTECT_FROM_CLOSE))
            printf(" protected");
        else if (h->protect)
            printf(" protect-error %lu", GetLastError());
        printf("\n");
    }
    if (pipes && !open_pipes())
        failed = 1;

    line_ready = CreateEventW(NULL, FALSE, FALSE, NULL);
    line_taken = CreateEventW(NULL, FALSE, FALSE, NULL);
    if (!line_ready || !line_taken || !CreateThread(NULL, 0, read_lines, NULL, 0, NULL))
        return 2;
    printf("READY %lu\n", GetCurrentProcessId());
    fflush(stdout);

    for (;;) {
        if (WaitForSingleObject(line_ready, timeout_ms) != WAIT_OBJECT_0) {
            printf("holder: timeout\n");
            timed_out = TRUE;
            break;
        }
        if (input_ended || strcmp(line, "check"))
            break;
        report();
        printf("CHECKED\n");
        fflush(stdout);
        SetEvent(line_taken);
    }
    report();
    rc = timed_out ? 3 : failed;
    printf("DONE %d\n", rc);
    fflush(stdout);
    /* ExitProcess: the reader and the pipe threads still sit in ReadFile. */
    ExitProcess(rc);
}
