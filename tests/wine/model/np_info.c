/* Name queries that need no connection list beyond a lookup: universal
 * names, resource information and parent, display formatting. Out-buffers
 * hold the structure first and its strings after it. */
#include <string.h>
#include <wchar.h>
#include "model.h"

/* Packs strings after a fixed-size head; tracks the total size needed. */
struct packer {
    BYTE *buf;
    DWORD size, used;
};

static WCHAR *pack(struct packer *p, const WCHAR *str)
{
    DWORD bytes = (lstrlenW(str) + 1) * sizeof(WCHAR);
    WCHAR *out = NULL;

    if (p->buf && p->used + bytes <= p->size) {
        out = (WCHAR *)(p->buf + p->used);
        memcpy(out, str, bytes);
    }
    p->used += bytes;
    return out;
}

static BOOL fits(struct packer *p, DWORD head)
{
    p->used = head;
    return p->buf && p->size >= head;
}

DWORD WINAPI NPGetUniversalName(LPWSTR path, DWORD level, LPVOID buffer, LPDWORD size)
{
    struct model_state *st = state_lock();
    WCHAR local[3] = { 0 }, universal[MODEL_REMOTE_LEN + MAX_PATH];
    struct model_conn *conn = NULL;
    struct packer p = { buffer, size ? *size : 0, 0 };
    const WCHAR *rest = L"";
    DWORD rc = WN_SUCCESS;

    if (path && iswalpha(path[0]) && path[1] == ':' && (!path[2] || path[2] == '\\')) {
        local[0] = path[0];
        local[1] = ':';
        conn = state_find_local(st, local);
        rest = path + 2;
    }
    if (!path || !size)
        rc = WN_BAD_POINTER;
    else if (!conn)
        rc = WN_NOT_CONNECTED;
    else if (swprintf(universal, ARRAYSIZE(universal), L"%ls%ls", conn->remote, rest) < 0)
        rc = WN_BAD_LOCALNAME;
    else if (level == UNIVERSAL_NAME_INFO_LEVEL) {
        UNIVERSAL_NAME_INFOW *info = buffer;
        BOOL ok = fits(&p, sizeof(*info));
        WCHAR *u = pack(&p, universal);

        if (ok && p.used <= p.size)
            info->lpUniversalName = u;
        else
            rc = WN_MORE_DATA;
    } else if (level == REMOTE_NAME_INFO_LEVEL) {
        REMOTE_NAME_INFOW *info = buffer;
        BOOL ok = fits(&p, sizeof(*info));
        WCHAR *u = pack(&p, universal), *c = pack(&p, conn->remote), *r = pack(&p, rest);

        if (ok && p.used <= p.size) {
            info->lpUniversalName = u;
            info->lpConnectionName = c;
            info->lpRemainingPath = r;
        } else
            rc = WN_MORE_DATA;
    } else
        rc = WN_BAD_LEVEL;
    if (rc == WN_MORE_DATA)
        *size = p.used;
    call_log("NPGetUniversalName", L"path=%ls level=%lu -> %lu", str_or_null(path), level, rc);
    state_unlock(st);
    return np_return(rc);
}

/* Describes \\server or \\server\share[\...] as a NETRESOURCEW. */
static DWORD describe(const WCHAR *remote, const WCHAR *system, BOOL is_server, void *buffer,
                      DWORD *size, WCHAR **system_out)
{
    NETRESOURCEW *res = buffer;
    struct packer p = { buffer, *size, 0 };
    BOOL ok = fits(&p, sizeof(*res));
    WCHAR *r = pack(&p, remote), *prov = pack(&p, NRMODEL_PROVIDER_NAME);
    WCHAR *sys = system && system[0] ? pack(&p, system) : NULL;

    if (!ok || p.used > p.size) {
        *size = p.used;
        return WN_MORE_DATA;
    }
    memset(res, 0, sizeof(*res));
    res->dwScope = RESOURCE_GLOBALNET;
    res->dwType = is_server ? RESOURCETYPE_ANY : RESOURCETYPE_DISK;
    res->dwDisplayType = is_server ? RESOURCEDISPLAYTYPE_SERVER : RESOURCEDISPLAYTYPE_SHARE;
    res->dwUsage = is_server ? RESOURCEUSAGE_CONTAINER : RESOURCEUSAGE_CONNECTABLE;
    res->lpRemoteName = r;
    res->lpProvider = prov;
    if (system_out)
        *system_out = sys;
    return WN_SUCCESS;
}

static DWORD check_exists(const struct unc *unc)
{
    if (!server_exists(unc->server))
        return WN_BAD_NETNAME;
    if (unc->share[0] && !share_exists(unc->server, unc->share))
        return WN_BAD_NETNAME;
    return WN_SUCCESS;
}

DWORD WINAPI NPGetResourceInformation(LPNETRESOURCEW in, LPVOID buffer, LPDWORD size,
                                      LPWSTR *system)
{
    struct unc unc;
    WCHAR remote[MODEL_REMOTE_LEN];
    const WCHAR *name = in ? in->lpRemoteName : NULL;
    DWORD rc;

    if (!size)
        rc = WN_BAD_POINTER;
    else if (!unc_parse(name, &unc))
        rc = WN_BAD_NETNAME;
    else if ((rc = check_exists(&unc)) == WN_SUCCESS) {
        unc_remote(&unc, remote, MODEL_REMOTE_LEN);
        rc = describe(remote, unc.rest, !unc.share[0], buffer, size, system);
    }
    call_log("NPGetResourceInformation", L"remote=%ls -> %lu", str_or_null(name), rc);
    return np_return(rc);
}

/* \\s\share\a\b -> \\s\share\a -> \\s\share -> \\s -> WORKGROUP. */
DWORD WINAPI NPGetResourceParent(LPNETRESOURCEW in, LPVOID buffer, LPDWORD size)
{
    struct unc unc;
    WCHAR parent[MODEL_REMOTE_LEN + MAX_PATH], *cut;
    const WCHAR *name = in ? in->lpRemoteName : NULL;
    DWORD rc;

    if (!size)
        rc = WN_BAD_POINTER;
    else if (!unc_parse(name, &unc))
        rc = WN_BAD_NETNAME;
    else if ((rc = check_exists(&unc)) == WN_SUCCESS) {
        if (!unc.share[0]) {
            NETRESOURCEW *res = buffer;
            rc = describe(L"WORKGROUP", NULL, TRUE, buffer, size, NULL);
            if (rc == WN_SUCCESS)
                res->dwDisplayType = RESOURCEDISPLAYTYPE_DOMAIN;
        } else {
            lstrcpynW(parent, name, ARRAYSIZE(parent));
            while ((cut = wcsrchr(parent, '\\')) && !cut[1])
                *cut = 0; /* trailing \ */
            if ((cut = wcsrchr(parent, '\\')))
                *cut = 0;
            rc = describe(parent, NULL, !unc.rest[0], buffer, size, NULL);
        }
    }
    call_log("NPGetResourceParent", L"remote=%ls -> %lu", str_or_null(name), rc);
    return np_return(rc);
}

DWORD WINAPI NPFormatNetworkName(LPWSTR remote, LPWSTR out, LPDWORD len, DWORD flags,
                                 DWORD ave_chars)
{
    const WCHAR *shown = remote, *last;
    DWORD rc;

    (void)ave_chars;
    if (!remote || !len)
        rc = WN_BAD_POINTER;
    else {
        if ((flags & WNFMT_ABBREVIATED) && (last = wcsrchr(remote, '\\')) && last[1])
            shown = last + 1;
        rc = copy_out(shown, out, len);
    }
    call_log("NPFormatNetworkName", L"remote=%ls flags=0x%lx -> %lu", str_or_null(remote), flags,
             rc);
    return np_return(rc);
}
