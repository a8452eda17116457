/* How netreclaim closes a handle in another process (docs/design.md rule 5):
 * DuplicateHandle with no target and DUPLICATE_CLOSE_SOURCE, which closes
 * the source whatever it returns; and CompareObjectHandles, present from
 * Windows 10, which proves a value still names the planned object. */
#include "nrconform.h"

typedef BOOL(WINAPI *compare_fn)(HANDLE, HANDLE);

static void close_with_null_target(void)
{
    const char *id = "closing.duplicate_null_target_closes_source";
    WCHAR self[MAX_PATH], *paths[1] = { self };
    struct nrc_child c;
    HANDLE process;
    DWORD error = 0;
    BOOL rc;
    int holds;

    if (!GetModuleFileNameW(NULL, self, MAX_PATH) ||
        !nrc_child_start(&c, 1, (const WCHAR *const *)paths) || c.error[0]) {
        nrc_check(id, NRC_FAILED, "the second process does not hold a file");
        return;
    }
    if (!(process = OpenProcess(PROCESS_DUP_HANDLE, FALSE, c.pi.dwProcessId))) {
        nrc_check(id, NRC_FAILED, "OpenProcess(PROCESS_DUP_HANDLE): error %lu", GetLastError());
    } else {
        rc = DuplicateHandle(process, (HANDLE)(ULONG_PTR)c.value[0], NULL, NULL, 0, FALSE,
                             DUPLICATE_CLOSE_SOURCE);
        if (!rc)
            error = GetLastError();
        holds = nrc_child_holds(&c, 0);
        nrc_expect_windows(id, holds == 0,
                           "DuplicateHandle(process, h, NULL, NULL, CLOSE_SOURCE) "
                           "= %d (error %lu); the source %s",
                           rc, error,
                           holds == 0   ? "closed"
                           : holds == 1 ? "still open"
                                        : "unknown");
        CloseHandle(process);
    }
    nrc_child_end(&c);
}

static void compare_present(void)
{
    const char *id = "closing.compare_object_handles_present";
    RTL_OSVERSIONINFOW v;
    compare_fn compare;
    HANDLE a, b = NULL, other;

    compare = (compare_fn)(void *)GetProcAddress(GetModuleHandleW(L"kernelbase.dll"),
                                                 "CompareObjectHandles");
    nrc_version(&v);
    if (!compare) {
        /* Windows 10 and later have it; before, identity is by name (rule 5). */
        nrc_expect(id, v.dwMajorVersion < 10, "absent from kernelbase on Windows %lu.%lu",
                   v.dwMajorVersion, v.dwMinorVersion);
        return;
    }
    a = CreateEventW(NULL, TRUE, FALSE, NULL);
    other = CreateEventW(NULL, TRUE, FALSE, NULL);
    DuplicateHandle(GetCurrentProcess(), a, GetCurrentProcess(), &b, 0, FALSE,
                    DUPLICATE_SAME_ACCESS);
    nrc_expect(id, a && b && other && compare(a, b) && !compare(a, other),
               "present; same object: %d, another object: %d", a && b ? compare(a, b) : -1,
               a && other ? compare(a, other) : -1);
    if (a)
        CloseHandle(a);
    if (b)
        CloseHandle(b);
    if (other)
        CloseHandle(other);
}

void nrc_closing(void)
{
    close_with_null_target();
    compare_present();
}
