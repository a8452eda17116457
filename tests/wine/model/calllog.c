/* The call log: one UTF-8 line per NP call from every process, so tests can
 * count what reached the "stock" provider. Callers never pass passwords. */
#include <stdarg.h>
#include <stdio.h>
#include <wchar.h>
#include "model.h"

const WCHAR *str_or_null(const WCHAR *s)
{
    return s ? s : L"(null)";
}

void call_log(const char *func, const WCHAR *fmt, ...)
{
    WCHAR line[1024];
    char utf8[3 * 1024];
    int n, len;
    va_list args;
    HANDLE file;
    DWORD written, err = GetLastError();

    n = swprintf(line, ARRAYSIZE(line), L"%lu %hs ", GetCurrentProcessId(), func);
    if (n < 0)
        n = 0;
    va_start(args, fmt);
    if (vswprintf(line + n, ARRAYSIZE(line) - n - 2, fmt, args) < 0)
        lstrcpyW(line + n, L"(truncated)");
    va_end(args);
    lstrcatW(line, L"\n");
    len = WideCharToMultiByte(CP_UTF8, 0, line, -1, utf8, sizeof(utf8), NULL, NULL);
    CreateDirectoryW(NRMODEL_DIR, NULL);
    /* FILE_APPEND_DATA only: every write lands at the end, whole. */
    file = CreateFileW(NRMODEL_LOG, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                       OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (file != INVALID_HANDLE_VALUE) {
        if (len > 1)
            WriteFile(file, utf8, len - 1, &written, NULL);
        CloseHandle(file);
    }
    SetLastError(err);
}
