/* Open-handle detection, honestly: the model is never told which handles are
 * open. An open with share mode 0 fails with a sharing violation while any
 * other open (any process) holds read, write or delete access, for files and
 * for directories alike (checked under Wine 8). Opens that hold no data
 * access (attributes only) stay invisible, as they would to a share check. */
#include <wchar.h>
#include "model.h"

#define BUSY_MAX_DEPTH 12
#define BUSY_MAX_ENTRIES 4096

static BOOL open_elsewhere(const WCHAR *path)
{
    HANDLE h =
        CreateFileW(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);

    if (h != INVALID_HANDLE_VALUE) {
        CloseHandle(h);
        return FALSE;
    }
    return GetLastError() == ERROR_SHARING_VIOLATION;
}

/* check_self is FALSE for \\server itself, which is no file to open. */
static BOOL walk(const WCHAR *path, BOOL check_self, int depth, int *budget)
{
    WCHAR pattern[MAX_PATH], child[MAX_PATH];
    WIN32_FIND_DATAW fd;
    HANDLE find;
    BOOL busy = FALSE;

    if (check_self && open_elsewhere(path))
        return TRUE;
    if (depth >= BUSY_MAX_DEPTH)
        return FALSE;
    if (swprintf(pattern, MAX_PATH, L"%ls\\*", path) < 0)
        return FALSE;
    find = FindFirstFileW(pattern, &fd);
    if (find == INVALID_HANDLE_VALUE)
        return FALSE;
    do {
        if (!wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L".."))
            continue;
        if (--*budget < 0)
            break;
        if (swprintf(child, MAX_PATH, L"%ls\\%ls", path, fd.cFileName) < 0)
            continue;
        if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
            busy = walk(child, TRUE, depth + 1, budget);
        else
            busy = open_elsewhere(child);
    } while (!busy && FindNextFileW(find, &fd));
    FindClose(find);
    return busy;
}

BOOL tree_busy(const WCHAR *unc_path)
{
    int budget = BUSY_MAX_ENTRIES;

    return walk(unc_path, TRUE, 0, &budget);
}

/* Every share of a server: \\server\* lists them under Wine. */
BOOL server_busy(const WCHAR *server)
{
    WCHAR path[MAX_PATH];
    int budget = BUSY_MAX_ENTRIES;

    if (swprintf(path, MAX_PATH, L"\\\\%ls", server) < 0 || !server_exists(server))
        return FALSE;
    return walk(path, FALSE, 0, &budget);
}

static BOOL is_dir(const WCHAR *path)
{
    DWORD attr = GetFileAttributesW(path);

    return attr != INVALID_FILE_ATTRIBUTES && (attr & FILE_ATTRIBUTE_DIRECTORY);
}

BOOL server_exists(const WCHAR *server)
{
    WCHAR path[MAX_PATH];

    swprintf(path, MAX_PATH, L"\\\\%ls", server);
    return is_dir(path);
}

BOOL share_exists(const WCHAR *server, const WCHAR *share)
{
    WCHAR path[MAX_PATH];

    swprintf(path, MAX_PATH, L"\\\\%ls\\%ls", server, share);
    return is_dir(path);
}
