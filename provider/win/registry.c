/* Registry reads of the Windows layer: whole values, bounded, always from the
 * 64-bit view (the x86 DLL in a WOW64 process reads the same keys as x64). */
#include "nrwin.h"

#define SERVICES_KEY L"SYSTEM\\CurrentControlSet\\Services"
/* Bounds: services enumerated, size of the prefix list. */
#define MAX_SERVICES 4096u
#define MAX_PREFIX_BYTES (256u * 1024u)
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

static LONG open_key(HKEY root, const WCHAR *subkey, REGSAM access, HKEY *key)
{
    return RegOpenKeyExW(root, subkey, 0, access | KEY_WOW64_64KEY, key);
}

int nrwin_reg_value(HKEY root, const WCHAR *subkey, const WCHAR *name, struct nrwin_value *v)
{
    HKEY key;
    LONG error;
    int status;

    v->type = REG_NONE;
    v->size = 0;
    v->data = NULL;
    error = open_key(root, subkey, KEY_QUERY_VALUE, &key);
    if (error != ERROR_SUCCESS)
        return nrwin_status((DWORD)error);
    status = read_value(key, name, v);
    RegCloseKey(key);
    return status;
}

/* A growing REG_MULTI_SZ-style list of distinct strings. */
struct list {
    WCHAR *text;
    size_t used; /* WCHARs, without the final extra NUL */
    size_t cap;  /* WCHARs */
    size_t count;
};

static int list_add(struct list *l, const WCHAR *s)
{
    const size_t len = (size_t)lstrlenW(s);
    WCHAR *grown;
    size_t cap;

    if (!len)
        return NR_OK;
    for (const WCHAR *p = l->text; p && *p; p += lstrlenW(p) + 1)
        if (CompareStringOrdinal(p, -1, s, (int)len, TRUE) == CSTR_EQUAL)
            return NR_OK;
    if (l->used + len + 2 > l->cap) {
        cap = l->cap ? l->cap * 2 : 256;
        while (cap < l->used + len + 2)
            cap *= 2;
        if (cap * sizeof(WCHAR) > MAX_PREFIX_BYTES)
            return NR_TOO_SMALL;
        grown = nrwin_alloc(cap * sizeof(WCHAR));
        if (!grown)
            return NR_NOMEM;
        if (l->text)
            CopyMemory(grown, l->text, l->used * sizeof(WCHAR));
        nrwin_free(l->text);
        l->text = grown;
        l->cap = cap;
    }
    CopyMemory(l->text + l->used, s, (len + 1) * sizeof(WCHAR));
    l->used += len + 1;
    l->text[l->used] = 0;
    l->count++;
    return NR_OK;
}

/* The DeviceName of Services\<service>\NetworkProvider, if it has one. */
static int add_device_name(struct list *l, HKEY services, const WCHAR *service)
{
    struct nrwin_value v;
    HKEY key;
    int status = NR_OK;

    if (open_key(services, service, KEY_QUERY_VALUE, &key) != ERROR_SUCCESS)
        return NR_OK;
    if (nrwin_reg_value(key, L"NetworkProvider", L"DeviceName", &v) == NR_OK) {
        if (v.type == REG_SZ || v.type == REG_EXPAND_SZ)
            status = list_add(l, (const WCHAR *)v.data);
        nrwin_free(v.data);
    }
    RegCloseKey(key);
    return status;
}

int nrwin_redirector_prefixes(WCHAR **multi, size_t *count)
{
    struct list l = { 0 };
    WCHAR name[256]; /* key names are at most 255 characters */
    HKEY services = NULL;
    DWORD cch;
    LONG error = ERROR_SUCCESS;
    int status;

    *multi = NULL;
    *count = 0;
    status = list_add(&l, L"\\Device\\Mup");
    if (status == NR_OK)
        status = list_add(&l, L"\\Device\\LanmanRedirector");
    if (status == NR_OK && open_key(HKEY_LOCAL_MACHINE, SERVICES_KEY, KEY_ENUMERATE_SUB_KEYS,
                                    &services) != ERROR_SUCCESS)
        status = NR_ERROR;
    for (DWORD i = 0; status == NR_OK && i < MAX_SERVICES; i++) {
        cch = ARRAYSIZE(name);
        error = RegEnumKeyExW(services, i, name, &cch, NULL, NULL, NULL, NULL);
        if (error != ERROR_SUCCESS)
            break;
        status = add_device_name(&l, services, name);
    }
    if (status == NR_OK && error != ERROR_SUCCESS && error != ERROR_NO_MORE_ITEMS)
        status = nrwin_status((DWORD)error);
    if (services)
        RegCloseKey(services);
    if (status != NR_OK) {
        nrwin_free(l.text);
        return status;
    }
    *multi = l.text;
    *count = l.count;
    return NR_OK;
}

size_t nrwin_split_multi(const WCHAR *multi, const nr_char **array, size_t max)
{
    size_t n = 0;

    for (const WCHAR *p = multi; p && *p && n < max; p += lstrlenW(p) + 1)
        array[n++] = (const nr_char *)p;
    return n;
}
