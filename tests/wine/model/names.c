/* UNC and local-name parsing, the way the model's redirector accepts them. */
#include <wchar.h>
#include <string.h>
#include "model.h"

static BOOL copy_component(const WCHAR **p, WCHAR *out)
{
    size_t n = 0;

    while (**p && **p != '\\' && **p != '/') {
        if (n + 1 >= MODEL_NAME_LEN)
            return FALSE;
        out[n++] = *(*p)++;
    }
    out[n] = 0;
    return n > 0;
}

/* Accepts \\server, \\server\share and \\server\share\rest. */
BOOL unc_parse(const WCHAR *name, struct unc *unc)
{
    const WCHAR *p = name;

    if (!p || p[0] != '\\' || p[1] != '\\')
        return FALSE;
    p += 2;
    if (!copy_component(&p, unc->server))
        return FALSE;
    unc->share[0] = 0;
    unc->rest = L"";
    if (!*p)
        return TRUE;
    p++;
    if (!*p)
        return TRUE; /* \\server\ */
    if (!copy_component(&p, unc->share))
        return FALSE;
    unc->rest = p;
    return TRUE;
}

BOOL is_drive_name(const WCHAR *name)
{
    return name && iswalpha(name[0]) && name[1] == ':' && !name[2];
}

void unc_remote(const struct unc *unc, WCHAR *out, size_t cch)
{
    if (unc->share[0])
        swprintf(out, cch, L"\\\\%ls\\%ls", unc->server, unc->share);
    else
        swprintf(out, cch, L"\\\\%ls", unc->server);
}

void default_user(WCHAR *out, DWORD cch)
{
    if (!GetUserNameW(out, &cch))
        lstrcpynW(out, L"user", cch);
}

BOOL same_name(const WCHAR *a, const WCHAR *b)
{
    return CompareStringOrdinal(a, -1, b, -1, TRUE) == CSTR_EQUAL;
}

/* Copies a string out; on a short buffer reports the size needed in chars. */
DWORD copy_out(const WCHAR *str, WCHAR *buf, DWORD *len)
{
    DWORD need = lstrlenW(str) + 1;

    if (!len)
        return WN_BAD_POINTER;
    if (!buf || *len < need) {
        *len = need;
        return WN_MORE_DATA;
    }
    memcpy(buf, str, need * sizeof(WCHAR));
    return WN_SUCCESS;
}
