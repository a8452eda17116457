/* Registry reads of the Windows layer: whole values, bounded, always from the
 * 64-bit view (the x86 DLL in a WOW64 process reads the same keys as x64). */
#include "nrwin.h"

/* A value can grow between sizing and reading it; retry that a few times. */
#define MAX_READS 4

static int read_value(HKEY key, const WCHAR *name, struct nrwin_value *v)
{
    LONG error = ERROR_MORE_DATA;
    DWORD type, size;
    BYTE *data = NULL;

    for (int i = 0; i < MAX_READS && error == ERROR_MORE_DATA; i++) {
        nrwin_free(data);
        data = NULL;
        error = RegQueryValueExW(key, name, NULL, &type, NULL, &size);
        if (error != ERROR_SUCCESS)
            break;
        if (size > NRWIN_VALUE_MAX) {
            error = ERROR_INVALID_DATA;
            break;
        }
        /* Two spare zeroed WCHARs terminate any string, even a REG_MULTI_SZ
         * stored without its terminators. */
        data = nrwin_alloc(size + 2 * sizeof(WCHAR));
        if (!data) {
            error = ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
        error = RegQueryValueExW(key, name, NULL, &type, data, &size);
    }
    if (error != ERROR_SUCCESS) {
        nrwin_free(data);
        return nrwin_status((DWORD)error);
    }
    v->type = type;
    v->size = size;
    v->data = data;
    return NR_OK;
}

int nrwin_reg_open(HKEY root, const WCHAR *subkey, HKEY *key)
{
    const LONG error = RegOpenKeyExW(root, subkey, 0, KEY_QUERY_VALUE | KEY_WOW64_64KEY, key);

    return error == ERROR_SUCCESS ? NR_OK : nrwin_status((DWORD)error);
}

int nrwin_reg_read(HKEY key, const WCHAR *name, struct nrwin_value *v)
{
    v->type = REG_NONE;
    v->size = 0;
    v->data = NULL;
    return key ? read_value(key, name, v) : NR_GONE;
}

int nrwin_reg_value(HKEY root, const WCHAR *subkey, const WCHAR *name, struct nrwin_value *v)
{
    HKEY key = NULL;
    const int opened = nrwin_reg_open(root, subkey, &key);
    const int status = nrwin_reg_read(opened == NR_OK ? key : NULL, name, v);

    if (opened != NR_OK)
        return opened;
    RegCloseKey(key);
    return status;
}

int nrwin_smb_prefixes(WCHAR **multi, size_t *count)
{
    struct nrwin_value v = { 0 };
    size_t len = 0;
    int status;

    *multi = NULL;
    *count = 0;
    status = nrwin_reg_value(HKEY_LOCAL_MACHINE, NRWIN_STOCK_KEY, L"DeviceName", &v);
    if (status == NR_GONE) /* no DeviceName: the built-in devices only */
        status = NR_OK;
    if (status != NR_OK)
        return status;
    if (v.data && (v.type == REG_SZ || v.type == REG_EXPAND_SZ))
        len = (size_t)lstrlenW((const WCHAR *)v.data);
    if ((*multi = nrwin_alloc((len + 2) * sizeof(WCHAR)))) {
        CopyMemory(*multi, v.data, len * sizeof(WCHAR));
        *count = len ? 1 : 0;
    } else {
        status = NR_NOMEM;
    }
    nrwin_free(v.data);
    return status;
}

size_t nrwin_split_multi(const WCHAR *multi, const nr_char **array, size_t max)
{
    size_t n = 0;

    for (const WCHAR *p = multi; p && *p && n < max; p += lstrlenW(p) + 1)
        array[n++] = p;
    return n;
}
