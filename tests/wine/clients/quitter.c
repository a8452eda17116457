/* quitter.exe: a process that exits in the middle of a reclaim.
 *
 *   quitter <path> <copies> <seconds>
 *
 * Opens <path> and duplicates the handle until it holds <copies> handles to
 * it (all of them lie under the share, so a reclaim plans every one), prints
 * "READY <pid>", then watches them. The moment any one is closed behind its
 * back it ends itself, leaving the rest of the reclaim's plan pointing into a
 * process that is gone. Exit code 7 after such an end, 3 when nothing was
 * closed within <seconds>, 1 if the open failed, 2 on a usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>
#include <windows.h>

#define MAX_COPIES 1000
#define EXIT_CLOSED 7

static HANDLE copies[MAX_COPIES];

static BOOL all_open(int count)
{
    DWORD flags;

    for (int i = 0; i < count; i++)
        if (!GetHandleInformation(copies[i], &flags))
            return FALSE;
    return TRUE;
}

int wmain(int argc, WCHAR **argv)
{
    const HANDLE self = GetCurrentProcess();
    ULONGLONG deadline;
    int count;

    if (argc != 4 || (count = _wtoi(argv[2])) < 1 || count > MAX_COPIES)
        return 2;
    copies[0] =
        CreateFileW(argv[1], GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                    NULL, OPEN_EXISTING, 0, NULL);
    if (copies[0] == INVALID_HANDLE_VALUE) {
        printf("open %ls error %lu\n", argv[1], GetLastError());
        return 1;
    }
    for (int i = 1; i < count; i++)
        if (!DuplicateHandle(self, copies[0], self, &copies[i], 0, FALSE, DUPLICATE_SAME_ACCESS)) {
            printf("duplicate error %lu\n", GetLastError());
            return 1;
        }
    printf("READY %lu\n", GetCurrentProcessId());
    fflush(stdout);
    /* A busy watch, bounded by the deadline: waiting on a handle's closing
     * is not something Windows offers. */
    deadline = GetTickCount64() + (ULONGLONG)_wtoi(argv[3]) * 1000;
    while (all_open(count))
        if (GetTickCount64() > deadline)
            return 3;
    /* At once, without DLL detach: the reclaim is still going. */
    TerminateProcess(self, EXIT_CLOSED);
    return EXIT_CLOSED;
}
