/* Enumeration: RESOURCE_CONNECTED lists the connections as they were at
 * NPOpenEnum; RESOURCE_GLOBALNET under \\server lists its shares. Each
 * NPEnumResource packs NETRESOURCEW entries from the front of the caller's
 * buffer and their strings from the back. */
#include <string.h>
#include <wchar.h>
#include "model.h"

#define ENUM_MAX_ITEMS 64
#define ENUM_MAX_OPEN 32

struct enum_item {
    WCHAR local[4];
    WCHAR remote[MODEL_REMOTE_LEN];
};

struct enumerator {
    DWORD scope;
    DWORD count, next;
    struct enum_item items[ENUM_MAX_ITEMS];
};

/* Handles given out by this process: a bogus handle is refused, not used. */
static struct enumerator *open_enums[ENUM_MAX_OPEN];

static BOOL track(struct enumerator *e)
{
    int i;

    for (i = 0; i < ENUM_MAX_OPEN; i++)
        if (!InterlockedCompareExchangePointer((void **)&open_enums[i], e, NULL))
            return TRUE;
    return FALSE;
}

static BOOL untrack(struct enumerator *e)
{
    int i;

    for (i = 0; e && i < ENUM_MAX_OPEN; i++)
        if (InterlockedCompareExchangePointer((void **)&open_enums[i], NULL, e) == e)
            return TRUE;
    return FALSE;
}

static BOOL tracked(struct enumerator *e)
{
    int i;

    for (i = 0; e && i < ENUM_MAX_OPEN; i++)
        if (open_enums[i] == e)
            return TRUE;
    return FALSE;
}

static void list_connected(struct enumerator *e, DWORD type)
{
    struct model_state *st = state_lock();
    int i;

    if (type == RESOURCETYPE_ANY || type == RESOURCETYPE_DISK)
        for (i = 0; i < MODEL_MAX_CONN && e->count < ENUM_MAX_ITEMS; i++) {
            if (!st->conn[i].used)
                continue;
            lstrcpyW(e->items[e->count].local, st->conn[i].local);
            lstrcpyW(e->items[e->count].remote, st->conn[i].remote);
            e->count++;
        }
    state_unlock(st);
}

static void list_shares(struct enumerator *e, const WCHAR *server)
{
    WCHAR pattern[MAX_PATH];
    WIN32_FIND_DATAW fd;
    HANDLE find;

    swprintf(pattern, MAX_PATH, L"\\\\%ls\\*", server);
    find = FindFirstFileW(pattern, &fd);
    if (find == INVALID_HANDLE_VALUE)
        return;
    do {
        if (!(fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) || fd.cFileName[0] == '.')
            continue;
        swprintf(e->items[e->count].remote, MODEL_REMOTE_LEN, L"\\\\%ls\\%ls", server,
                 fd.cFileName);
        e->count++;
    } while (e->count < ENUM_MAX_ITEMS && FindNextFileW(find, &fd));
    FindClose(find);
}

DWORD WINAPI NPOpenEnum(DWORD scope, DWORD type, DWORD usage, LPNETRESOURCEW res, LPHANDLE handle)
{
    struct enumerator *e = NULL;
    struct unc unc;
    const WCHAR *remote = res ? res->lpRemoteName : NULL;
    DWORD rc = WN_SUCCESS;

    (void)usage;
    if (!handle)
        rc = WN_BAD_POINTER;
    else if (scope == RESOURCE_GLOBALNET && !(remote && unc_parse(remote, &unc) && !unc.share[0]))
        rc = WN_NOT_SUPPORTED; /* only the shares of one server */
    else if (scope == RESOURCE_GLOBALNET && !server_exists(unc.server))
        rc = WN_BAD_NETNAME;
    else if (scope != RESOURCE_CONNECTED && scope != RESOURCE_GLOBALNET)
        rc = WN_NOT_SUPPORTED;
    else if (!(e = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*e))))
        rc = WN_OUT_OF_MEMORY;
    else {
        e->scope = scope;
        if (scope == RESOURCE_CONNECTED)
            list_connected(e, type);
        else
            list_shares(e, unc.server);
        if (!track(e)) {
            HeapFree(GetProcessHeap(), 0, e);
            e = NULL;
            rc = WN_OUT_OF_MEMORY;
        }
    }
    if (handle)
        *handle = rc == WN_SUCCESS ? e : NULL;
    call_log("NPOpenEnum", L"scope=%lu type=%lu remote=%ls -> %lu items=%lu", scope, type,
             str_or_null(remote), rc, e ? e->count : 0);
    return np_return(rc);
}

static DWORD item_size(const struct enum_item *item)
{
    return sizeof(NETRESOURCEW) + (lstrlenW(item->remote) + 1) * sizeof(WCHAR) +
           (lstrlenW(item->local) + 1) * sizeof(WCHAR) + sizeof(NRMODEL_PROVIDER_NAME);
}

static WCHAR *put_string(BYTE **end, const WCHAR *str)
{
    DWORD bytes = (lstrlenW(str) + 1) * sizeof(WCHAR);

    *end -= bytes;
    memcpy(*end, str, bytes);
    return (WCHAR *)*end;
}

static DWORD fill(struct enumerator *e, DWORD *count, BYTE *buf, DWORD *size)
{
    DWORD limit = *count, done = 0, used = 0;
    BYTE *end = buf + *size;

    if (e->next >= e->count)
        return WN_NO_MORE_ENTRIES;
    if (item_size(&e->items[e->next]) > *size) {
        *size = item_size(&e->items[e->next]);
        return WN_MORE_DATA;
    }
    while (done < limit && e->next < e->count && used + item_size(&e->items[e->next]) <= *size) {
        const struct enum_item *item = &e->items[e->next++];
        NETRESOURCEW *res = (NETRESOURCEW *)buf + done;

        used += item_size(item);
        memset(res, 0, sizeof(*res));
        res->dwScope = e->scope;
        res->dwType = RESOURCETYPE_DISK;
        res->dwDisplayType = RESOURCEDISPLAYTYPE_SHARE;
        res->dwUsage = e->scope == RESOURCE_GLOBALNET ? RESOURCEUSAGE_CONNECTABLE : 0;
        /* Deviceless: "" rather than NULL, which Wine 8's mpr dereferences
         * when it copies an entry (both mean deviceless to callers). */
        res->lpLocalName = put_string(&end, item->local);
        res->lpRemoteName = put_string(&end, item->remote);
        res->lpProvider = put_string(&end, NRMODEL_PROVIDER_NAME);
        done++;
    }
    *count = done;
    return WN_SUCCESS;
}

DWORD WINAPI NPEnumResource(HANDLE handle, LPDWORD count, LPVOID buffer, LPDWORD size)
{
    struct enumerator *e = handle;
    DWORD rc, asked = count ? *count : 0;

    if (!tracked(e))
        rc = WN_BAD_HANDLE;
    else if (!count || !size || (!buffer && *size))
        rc = WN_BAD_POINTER;
    else if (!*count)
        rc = WN_BAD_VALUE;
    else
        rc = fill(e, count, buffer, size);
    call_log("NPEnumResource", L"count=%ld size=%lu -> %lu got=%lu", (long)asked, size ? *size : 0,
             rc, rc == WN_SUCCESS ? *count : 0);
    return np_return(rc);
}

DWORD WINAPI NPCloseEnum(HANDLE handle)
{
    DWORD rc = WN_BAD_HANDLE;

    if (untrack(handle)) {
        HeapFree(GetProcessHeap(), 0, handle);
        rc = WN_SUCCESS;
    }
    call_log("NPCloseEnum", L"-> %lu", rc);
    return np_return(rc);
}
