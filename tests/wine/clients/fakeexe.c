/* fakeexe.exe: stands in for netreclaim.exe in the WOW64 hand-off scenario
 * (tests/wine/scenario_handoff.sh), to show what the provider gives it and
 * what it does when the program is slow or fails.
 *
 * Appends "start", then each argument on a line of its own, to the file
 * named by NR_FAKE_LOG; when NR_FAKE_GATE names a file, waits until that
 * file exists (the test creates it once the cancel has returned, so that
 * "the cancel did not wait for the program" needs no clock), at most
 * GATE_MS; appends "done" and exits with NR_FAKE_EXIT (default 0). */
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

static void append(const WCHAR *log, const WCHAR *line)
{
    FILE *f = _wfopen(log, L"a");

    if (f) {
        fwprintf(f, L"%ls\n", line);
        fclose(f);
    }
}

#define GATE_MS 120000u

static void wait_for_gate(void)
{
    WCHAR gate[MAX_PATH];
    const DWORD n = GetEnvironmentVariableW(L"NR_FAKE_GATE", gate, ARRAYSIZE(gate));
    const ULONGLONG start = GetTickCount64();

    if (!n || n >= ARRAYSIZE(gate))
        return;
    while (GetFileAttributesW(gate) == INVALID_FILE_ATTRIBUTES &&
           GetTickCount64() - start < GATE_MS)
        Sleep(50);
}

static int number(const WCHAR *name)
{
    WCHAR value[16];
    const DWORD n = GetEnvironmentVariableW(name, value, ARRAYSIZE(value));

    return n && n < ARRAYSIZE(value) ? _wtoi(value) : 0;
}

int wmain(int argc, WCHAR **argv)
{
    WCHAR log[MAX_PATH];
    const DWORD n = GetEnvironmentVariableW(L"NR_FAKE_LOG", log, ARRAYSIZE(log));

    if (!n || n >= ARRAYSIZE(log))
        return 2;
    append(log, L"start");
    for (int i = 1; i < argc; i++)
        append(log, argv[i]);
    wait_for_gate();
    append(log, L"done");
    return number(L"NR_FAKE_EXIT");
}
