/* holder.exe: keeps handles open in its own process, like Explorer or an
 * indexer would, so the scenarios can reproduce KB Q245006.
 *
 *   holder [--timeout SECONDS] <path>...
 *
 * Opens each path (file or directory, UNC or local) for reading with share
 * mode READ|WRITE|DELETE and prints "open <path> ok name=<NT name>" or
 * "open <path> error <n>", then "READY <pid>". It then waits for one line on
 * stdin (at most --timeout seconds, default 60), reports for every handle
 * "handle <path> valid" or "handle <path> invalid <error>", prints
 * "DONE <exit code>" and exits: 0 after a line, 3 after a timeout, 2 on a
 * usage error, 1 if an open failed. */
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>
#include <windows.h>
#include <winternl.h>

#define MAX_HANDLES 16

typedef NTSTATUS (NTAPI *query_object_fn)(HANDLE, OBJECT_INFORMATION_CLASS, void *, ULONG,
                                          ULONG *);

static void print_nt_name(HANDLE h)
{
    static query_object_fn query;
    union { OBJECT_NAME_INFORMATION info; BYTE raw[4096]; } buf;
    ULONG len = 0;

    if (!query)
        query = (query_object_fn)(void *)GetProcAddress(GetModuleHandleW(L"ntdll.dll"),
                                                        "NtQueryObject");
    if (!query || query(h, ObjectNameInformation, &buf, sizeof(buf) - sizeof(WCHAR), &len))
    {
        printf(" name=?");
        return;
    }
    /* Length 0 with a NULL Buffer is a valid answer (unnamed object). */
    printf(" name=%.*ls", (int)(buf.info.Name.Length / sizeof(WCHAR)),
           buf.info.Name.Buffer ? buf.info.Name.Buffer : L"");
}

static DWORD WINAPI read_line(void *arg)
{
    char c;
    DWORD got;
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);

    (void)arg;
    while (ReadFile(in, &c, 1, &got, NULL) && got && c != '\n')
        ;
    return 0;
}

int wmain(int argc, WCHAR **argv)
{
    HANDLE handles[MAX_HANDLES], reader;
    const WCHAR *paths[MAX_HANDLES];
    DWORD timeout_ms = 60000, wait;
    BY_HANDLE_FILE_INFORMATION info;
    int i, n = 0, failed = 0;

    for (i = 1; i < argc; i++)
    {
        if (!wcscmp(argv[i], L"--timeout") && i + 1 < argc)
            timeout_ms = wcstoul(argv[++i], NULL, 10) * 1000;
        else if (n < MAX_HANDLES) paths[n++] = argv[i];
        else return 2;
    }
    if (!n) return 2;
    for (i = 0; i < n; i++)
    {
        handles[i] = CreateFileW(paths[i], GENERIC_READ,
                                 FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                 NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
        if (handles[i] == INVALID_HANDLE_VALUE)
        {
            printf("open %ls error %lu\n", paths[i], GetLastError());
            failed = 1;
            continue;
        }
        printf("open %ls ok", paths[i]);
        print_nt_name(handles[i]);
        printf("\n");
    }
    printf("READY %lu\n", GetCurrentProcessId());
    fflush(stdout);

    reader = CreateThread(NULL, 0, read_line, NULL, 0, NULL);
    wait = reader ? WaitForSingleObject(reader, timeout_ms) : WAIT_FAILED;
    if (wait != WAIT_OBJECT_0) printf("holder: timeout\n");

    for (i = 0; i < n; i++)
    {
        if (handles[i] == INVALID_HANDLE_VALUE) continue;
        if (GetFileInformationByHandle(handles[i], &info)) printf("handle %ls valid\n", paths[i]);
        else printf("handle %ls invalid %lu\n", paths[i], GetLastError());
    }
    printf("DONE %d\n", wait != WAIT_OBJECT_0 ? 3 : failed);
    fflush(stdout);
    /* ExitProcess: the reader thread may still sit in ReadFile. */
    ExitProcess(wait != WAIT_OBJECT_0 ? 3 : failed);
}
