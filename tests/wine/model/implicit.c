/* Implicit connections: opening a UNC path with no connection to its share
 * makes a deviceless connection as the default user, listed like any other,
 * which outlives its last handle by the KeepConn period and holds the server
 * session meanwhile. The model is told of no open, so it looks, on every NP
 * call that reads the state: a handle under a share (busy.c) that was not
 * open at the previous look, with no connection to that share, is an open by
 * plain UNC path. A handle still open after a forced cancel was seen before,
 * so it stays an orphan and makes nothing (the Q245006 case). */
#include <string.h>
#include <wchar.h>
#include "model.h"

#define KEEPCONN_DEFAULT 600u /* seconds, as the redirector's default */
#define FILETIME_PER_SECOND 10000000ull
#define DEVICE_KEY L"System\\CurrentControlSet\\Services\\LanmanWorkstation\\NetworkProvider"

static ULONGLONG now(void)
{
    FILETIME ft;

    GetSystemTimeAsFileTime(&ft);
    return (ULONGLONG)ft.dwHighDateTime << 32 | ft.dwLowDateTime;
}

static ULONGLONG keepconn(void)
{
    DWORD seconds, size = sizeof(seconds);

    if (RegGetValueW(HKEY_LOCAL_MACHINE, MODEL_KEY, MODEL_KEEPCONN, RRF_RT_REG_DWORD, NULL,
                     &seconds, &size))
        seconds = KEEPCONN_DEFAULT;
    return seconds * FILETIME_PER_SECOND;
}

/* The folder of all servers: the DeviceName the harness registers for the
 * stock provider (\??\Z:\...\unc), as a Win32 path. */
static BOOL servers_root(WCHAR *out, DWORD cch)
{
    WCHAR device[MAX_PATH];
    DWORD size = sizeof(device);

    if (RegGetValueW(HKEY_LOCAL_MACHINE, DEVICE_KEY, L"DeviceName", RRF_RT_REG_SZ, NULL, device,
                     &size) ||
        wcsncmp(device, L"\\??\\", 4))
        return FALSE;
    lstrcpynW(out, device + 4, cch);
    return TRUE;
}

static struct model_share *held_find(struct model_state *st, const WCHAR *remote)
{
    int i;

    for (i = 0; i < MODEL_MAX_SHARE; i++)
        if (st->held[i].used && same_name(st->held[i].remote, remote))
            return &st->held[i];
    return NULL;
}

static BOOL held_add(struct model_state *st, const WCHAR *remote)
{
    int i;

    for (i = 0; i < MODEL_MAX_SHARE; i++) {
        if (st->held[i].used)
            continue;
        st->held[i].used = 1;
        lstrcpynW(st->held[i].remote, remote, MODEL_REMOTE_LEN);
        return TRUE;
    }
    return FALSE;
}

static void implicit_add(struct model_state *st, const WCHAR *server, const WCHAR *remote)
{
    struct model_server *srv;
    int i;

    for (i = 0; i < MODEL_MAX_CONN; i++) {
        struct model_conn *c = &st->conn[i];

        if (c->used)
            continue;
        memset(c, 0, sizeof(*c));
        c->used = 1;
        c->implicit = 1;
        lstrcpynW(c->remote, remote, MODEL_REMOTE_LEN);
        default_user(c->user, MODEL_USER_LEN);
        if ((srv = state_server(st, server, TRUE)) && !srv->owner[0])
            lstrcpyW(srv->owner, c->user);
        return;
    }
}

/* One share: returns TRUE if the state changed. */
static BOOL refresh_share(struct model_state *st, const WCHAR *server, const WCHAR *remote,
                          ULONGLONG time, ULONGLONG keep)
{
    struct model_conn *conn = state_find_remote(st, remote, FALSE);
    struct model_share *held = held_find(st, remote);
    const BOOL idle_implicit = conn && conn->implicit && conn->idle_since;

    if (tree_busy(remote)) {
        if (idle_implicit)
            conn->idle_since = 0;
        if (held)
            return idle_implicit;
        if (!conn)
            implicit_add(st, server, remote);
        held_add(st, remote);
        return TRUE;
    }
    if (held)
        held->used = 0;
    if (conn && conn->implicit && !idle_implicit)
        conn->idle_since = time;
    else if (idle_implicit && time - conn->idle_since >= keep)
        conn->used = 0;
    else
        return held != NULL;
    return TRUE;
}

static BOOL refresh_server(struct model_state *st, const WCHAR *server, ULONGLONG time,
                           ULONGLONG keep)
{
    WCHAR pattern[MAX_PATH], remote[MODEL_REMOTE_LEN];
    WIN32_FIND_DATAW fd;
    HANDLE find;
    BOOL changed = FALSE;

    if (swprintf(pattern, MAX_PATH, L"\\\\%ls\\*", server) < 0)
        return FALSE;
    find = FindFirstFileW(pattern, &fd);
    if (find == INVALID_HANDLE_VALUE)
        return FALSE;
    do {
        if (!(fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) || fd.cFileName[0] == '.' ||
            swprintf(remote, MODEL_REMOTE_LEN, L"\\\\%ls\\%ls", server, fd.cFileName) < 0)
            continue;
        changed |= refresh_share(st, server, remote, time, keep);
    } while (FindNextFileW(find, &fd));
    FindClose(find);
    return changed;
}

BOOL implicit_refresh(struct model_state *st)
{
    WCHAR root[MAX_PATH], pattern[MAX_PATH];
    const ULONGLONG time = now(), keep = keepconn();
    WIN32_FIND_DATAW fd;
    HANDLE find;
    BOOL changed = FALSE;

    if (!servers_root(root, MAX_PATH) || swprintf(pattern, MAX_PATH, L"%ls\\*", root) < 0)
        return FALSE;
    find = FindFirstFileW(pattern, &fd);
    if (find == INVALID_HANDLE_VALUE)
        return FALSE;
    do {
        if ((fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) && fd.cFileName[0] != '.')
            changed |= refresh_server(st, fd.cFileName, time, keep);
    } while (FindNextFileW(find, &fd));
    FindClose(find);
    return changed;
}
