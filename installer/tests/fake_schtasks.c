/* A stand-in for schtasks.exe in the MSI tests: Wine's schtasks supports
 * neither /RU nor /SC, so the tests put this one in its place (a native
 * override) and check the command line the MSI gave it. It appends that line
 * to C:\nr-schtasks.log and succeeds. Never shipped. */
#include <windows.h>

int wmain(void)
{
    const WCHAR *line = GetCommandLineW();
    HANDLE log;
    DWORD done;
    char text[4096];
    int n;

    n = WideCharToMultiByte(CP_UTF8, 0, line, -1, text, sizeof(text) - 2, NULL, NULL);
    if (n <= 0)
        return 1;
    text[n - 1] = '\n';
    log = CreateFileW(L"C:\\nr-schtasks.log", FILE_APPEND_DATA, FILE_SHARE_READ, NULL, OPEN_ALWAYS,
                      0, NULL);
    if (log == INVALID_HANDLE_VALUE)
        return 1;
    WriteFile(log, text, (DWORD)n, &done, NULL);
    CloseHandle(log);
    return 0;
}
