/* benchhold.exe: one holder process of the Wine benchmark. It fills its
 * handle table the way a desktop process does (mostly events, mutexes,
 * sections and registry keys, some local files) and, if asked, holds k
 * handles under the share being cancelled, re-opening them whenever the
 * driver asks (named-event handshake), so each timed cancel finds them open.
 *
 *   benchhold --tag T --id I --events E --mutexes M --sections S --keys K
 *             --files F --dir C:\local\dir [--share \\srv\share --k K]
 *
 * Named objects (T is the driver's tag): Local\T-ready-I (set once filled),
 * Local\T-reopen / Local\T-reopened (the share holder only: the command
 * in the last LONG of the shared array Local\T-stat says what to do: 1
 * close what is left of its share handles and store how many had survived
 * at [I], 2 open k fresh ones), Local\T-quit (manual reset). Every wait is
 * bounded; it also exits when the driver process (--parent PID) ends.
 *
 * Distinct kernel objects are capped (each local file and section costs
 * Wine's server a unix fd): beyond the cap, handles are duplicates of the
 * first ones, which cost the same to enumerate and to name. */
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>
#include <windows.h>
#include "events.h"

#define MAX_DISTINCT_FILES 200 /* per kind, sections: */
#define MAX_DISTINCT_SECTIONS 50
#define MAX_K 64
#define STAT_CMD 15                 /* nrbench.c: MAX_HOLDERS - 1 */
#define WAIT_MS (30u * 60u * 1000u) /* the longest full run, then give up */

/* n handles: the first `distinct` made by make(i), the rest duplicates. */
static BOOL fill(int n, int distinct, HANDLE (*make)(int i, const WCHAR *dir), const WCHAR *dir)
{
    HANDLE first[MAX_DISTINCT_FILES], h;
    int made = 0;

    if (distinct > MAX_DISTINCT_FILES)
        distinct = MAX_DISTINCT_FILES;
    for (int i = 0; i < n; i++) {
        if (made < distinct || !made) {
            h = make(i, dir);
            if (!h || h == INVALID_HANDLE_VALUE) {
                fprintf(stderr, "benchhold: make %d failed: %lu\n", i, GetLastError());
                return FALSE;
            }
            first[made++] = h;
        } else if (!DuplicateHandle(GetCurrentProcess(), first[i % made], GetCurrentProcess(), &h,
                                    0, FALSE, DUPLICATE_SAME_ACCESS)) {
            fprintf(stderr, "benchhold: duplicate %d failed: %lu\n", i, GetLastError());
            return FALSE;
        }
    }
    return TRUE;
}

static HANDLE make_event(int i, const WCHAR *dir)
{
    (void)i;
    (void)dir;
    return CreateEventW(NULL, TRUE, FALSE, NULL);
}

static HANDLE make_mutex(int i, const WCHAR *dir)
{
    (void)i;
    (void)dir;
    return CreateMutexW(NULL, FALSE, NULL);
}

static HANDLE make_section(int i, const WCHAR *dir)
{
    (void)i;
    (void)dir;
    return CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, NULL);
}

static HANDLE make_key(int i, const WCHAR *dir)
{
    static const WCHAR *const keys[] = { L"Software", L"Environment", L"Control Panel",
                                         L"Software\\Wine", L"Console" };
    HKEY key;

    (void)dir;
    if (RegOpenKeyExW(HKEY_CURRENT_USER, keys[i % ARRAYSIZE(keys)], 0, KEY_READ, &key) &&
        RegOpenKeyExW(HKEY_CURRENT_USER, L"Software", 0, KEY_READ, &key))
        return NULL;
    return (HANDLE)key;
}

static HANDLE make_file(int i, const WCHAR *dir)
{
    WCHAR path[MAX_PATH];

    swprintf(path, ARRAYSIZE(path), L"%ls\\f%03d.txt", dir, i);
    return CreateFileW(path, GENERIC_READ | GENERIC_WRITE,
                       FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_ALWAYS, 0,
                       NULL);
}

struct share_handle {
    HANDLE h;
    BY_HANDLE_FILE_INFORMATION id;
};

/* Closes what survived of the previous round (only values that still name
 * the file we opened there); returns how many had survived. */
static LONG clean(struct share_handle *held, int k)
{
    BY_HANDLE_FILE_INFORMATION now;
    LONG survived = 0;

    for (int i = 0; i < k; i++) {
        struct share_handle *s = &held[i];

        if (s->h && GetFileInformationByHandle(s->h, &now) &&
            now.dwVolumeSerialNumber == s->id.dwVolumeSerialNumber &&
            now.nFileIndexHigh == s->id.nFileIndexHigh &&
            now.nFileIndexLow == s->id.nFileIndexLow) {
            survived++;
            CloseHandle(s->h);
        }
        s->h = NULL;
    }
    return survived;
}

/* Opens k fresh handles under the share (after clean). */
static void open_k(const WCHAR *share, struct share_handle *held, int k)
{
    WCHAR path[MAX_PATH];

    clean(held, k);
    for (int i = 0; i < k; i++) {
        struct share_handle *s = &held[i];

        swprintf(path, ARRAYSIZE(path), L"%ls\\b%02d.txt", share, i);
        s->h =
            CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                        NULL, OPEN_EXISTING, 0, NULL);
        if (s->h == INVALID_HANDLE_VALUE) {
            fprintf(stderr, "benchhold: open %ls failed: %lu\n", path, GetLastError());
            s->h = NULL;
            continue;
        }
        GetFileInformationByHandle(s->h, &s->id);
    }
}

int wmain(int argc, WCHAR **argv)
{
    const WCHAR *tag = NULL, *dir = NULL, *share = NULL;
    int id = 0, events = 0, mutexes = 0, sections = 0, keys = 0, files = 0, k = 0;
    DWORD parent = 0;
    static struct share_handle held[MAX_K];
    HANDLE ready, reopen_ev = NULL, reopened = NULL, quit, waits[3], parent_h = NULL, stat_map;
    volatile LONG *stat = NULL;
    WCHAR name[128];
    int nwaits;

    for (int i = 1; i + 1 < argc; i += 2) {
        const WCHAR *o = argv[i], *v = argv[i + 1];

        if (!wcscmp(o, L"--tag"))
            tag = v;
        else if (!wcscmp(o, L"--id"))
            id = _wtoi(v);
        else if (!wcscmp(o, L"--events"))
            events = _wtoi(v);
        else if (!wcscmp(o, L"--mutexes"))
            mutexes = _wtoi(v);
        else if (!wcscmp(o, L"--sections"))
            sections = _wtoi(v);
        else if (!wcscmp(o, L"--keys"))
            keys = _wtoi(v);
        else if (!wcscmp(o, L"--files"))
            files = _wtoi(v);
        else if (!wcscmp(o, L"--dir"))
            dir = v;
        else if (!wcscmp(o, L"--share"))
            share = v;
        else if (!wcscmp(o, L"--k"))
            k = _wtoi(v);
        else if (!wcscmp(o, L"--parent"))
            parent = wcstoul(v, NULL, 10);
        else
            return 2;
    }
    if (!tag || !dir || k > MAX_K || k < 0)
        return 2;
    CreateDirectoryW(dir, NULL);
    if (!fill(events, events, make_event, dir) || !fill(mutexes, mutexes, make_mutex, dir) ||
        !fill(sections, MAX_DISTINCT_SECTIONS, make_section, dir) ||
        !fill(keys, keys, make_key, dir) || !fill(files, MAX_DISTINCT_FILES, make_file, dir))
        return 1;
    swprintf(name, ARRAYSIZE(name), L"Local\\%ls-stat", tag);
    stat_map = OpenFileMappingW(FILE_MAP_WRITE, FALSE, name);
    if (stat_map)
        stat = MapViewOfFile(stat_map, FILE_MAP_WRITE, 0, 0, 0);
    if (share && k) {
        reopen_ev = bench_event(tag, L"reopen", -1);
        reopened = bench_event(tag, L"reopened", -1);
    }
    ready = bench_event(tag, L"ready", id);
    quit = bench_event(tag, L"quit", -1);
    if (parent)
        parent_h = OpenProcess(SYNCHRONIZE, FALSE, parent);
    if (!ready || !quit)
        return 1;
    SetEvent(ready);

    nwaits = 0;
    waits[nwaits++] = quit;
    if (parent_h)
        waits[nwaits++] = parent_h;
    if (reopen_ev)
        waits[nwaits++] = reopen_ev;
    for (;;) {
        DWORD w = WaitForMultipleObjects(nwaits, waits, FALSE, WAIT_MS);

        if (w == WAIT_OBJECT_0 + (DWORD)nwaits - 1 && reopen_ev) {
            /* The command word: the last LONG of the area (1 clean, 2 open). */
            if (stat && stat[STAT_CMD] == 2)
                open_k(share, held, k);
            else if (stat)
                stat[id] = clean(held, k);
            SetEvent(reopened);
            continue;
        }
        break; /* quit, parent gone, or the bound */
    }
    return 0;
}
