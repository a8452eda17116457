/* After the stock provider reports a cancel as done: close the handles left
 * open under the cancelled \\server\share in the caller's logon session
 * (DESIGN.md rules 3, 5, 6, 7). Nothing here changes what the caller gets. */
#include "nrprov.h"
#include "win/nrwin.h"
#include "netreclaim/plan.h"

/* Bounds on the stock enumeration of live connections. */
#define ENUM_BUFFER_BYTES (16u * 1024u)
#define MAX_ENUM_CALLS 256u
#define MAX_CONNECTED 1024u

/* The remote names still connected after the cancel, from the stock
 * provider's own enumeration: a handle under one of them is still wanted. */
struct connected {
    WCHAR *names[MAX_CONNECTED];
    size_t count;
};

static void free_connected(struct connected *c)
{
    for (size_t i = 0; i < c->count; i++)
        nrwin_free(c->names[i]);
    c->count = 0;
}

static int add_connected(struct connected *c, const WCHAR *remote)
{
    const size_t bytes = ((size_t)lstrlenW(remote) + 1) * sizeof(WCHAR);

    if (c->count == MAX_CONNECTED)
        return NR_TOO_SMALL;
    if (!(c->names[c->count] = nrwin_alloc(bytes)))
        return NR_NOMEM;
    CopyMemory(c->names[c->count++], remote, bytes);
    return NR_OK;
}

/* Fails closed: if the list cannot be had whole, nothing is reclaimed, since
 * a missing entry could let us close a handle of a share still in use. */
static int list_connected(const struct nr_stock *s, struct connected *c)
{
    NETRESOURCEW *buf = NULL;
    HANDLE en = NULL;
    DWORD ret, count, size;
    int status = NR_ERROR;

    if (!s->NPOpenEnum || !s->NPEnumResource || !s->NPCloseEnum)
        return NR_ERROR;
    if (!(buf = nrwin_alloc(ENUM_BUFFER_BYTES)))
        return NR_NOMEM;
    if (s->NPOpenEnum(RESOURCE_CONNECTED, RESOURCETYPE_ANY, 0, NULL, &en) != WN_SUCCESS) {
        en = NULL;
        goto done;
    }
    for (unsigned int calls = 0; calls < MAX_ENUM_CALLS; calls++) {
        count = (DWORD)-1;
        size = ENUM_BUFFER_BYTES;
        ret = s->NPEnumResource(en, &count, buf, &size);
        if (ret == WN_NO_MORE_ENTRIES) {
            status = NR_OK;
            break;
        }
        if (ret != WN_SUCCESS)
            break;
        status = NR_OK;
        for (DWORD i = 0; i < count && status == NR_OK; i++)
            if (buf[i].lpRemoteName)
                status = add_connected(c, buf[i].lpRemoteName);
        if (status != NR_OK)
            break;
        status = NR_ERROR;
    }
done:
    if (en)
        s->NPCloseEnum(en);
    nrwin_free(buf);
    if (status != NR_OK)
        free_connected(c);
    return status;
}

static void note_policy(void *ctx, const WCHAR *key, const WCHAR *name, enum nr_policy_issue issue)
{
    WCHAR text[512];
    const DWORD_PTR args[3] = { (DWORD_PTR)key, (DWORD_PTR)name,
                                (DWORD_PTR)nr_policy_issue_text(issue) };

    (void)ctx;
    nrwin_format(text, ARRAYSIZE(text), L"Setting HKLM\\%1\\%2: %3!hs!.", args);
    OutputDebugStringW(text);
}

/* The prefix list as the core wants it: an array over the multi-string. */
static int split_prefixes(WCHAR *multi, size_t count, const nr_char ***out)
{
    const nr_char **array = nrwin_alloc((count ? count : 1) * sizeof(*array));
    size_t i = 0;

    if (!array)
        return NR_NOMEM;
    for (WCHAR *p = multi; i < count && *p; p += lstrlenW(p) + 1)
        array[i++] = (const nr_char *)p;
    *out = array;
    return NR_OK;
}

void nr_cancel_begin(struct nr_cancel *c, const WCHAR *name)
{
    const struct nr_stock *s = nr_stock();
    DWORD cch = ARRAYSIZE(c->target);

    nrwin_load_policy(&c->policy, note_policy, NULL);
    c->active = FALSE;
    if (c->policy.mode == NR_MODE_OFF || !name)
        return;
    if (name[0] == L'\\' && name[1] == L'\\') {
        c->active = lstrlenW(name) < (int)ARRAYSIZE(c->target);
        if (c->active)
            lstrcpynW(c->target, name, ARRAYSIZE(c->target));
        return;
    }
    /* A local name: the stock provider forgets the mapping once it is gone,
     * so ask now. Its last error is the caller's business, not ours. */
    if (s->NPGetConnection) {
        const DWORD error = GetLastError();

        c->active = s->NPGetConnection((WCHAR *)name, c->target, &cch) == WN_SUCCESS;
        SetLastError(error);
    }
}

static void reclaim(const struct nr_cancel *c)
{
    const struct nr_stock *s = nr_stock();
    struct connected connected = { 0 };
    struct nr_reclaim_request req = { 0 };
    const nr_char *excluded[NR_EXCLUDED_MAX];
    const nr_char **prefixes = NULL;
    WCHAR *multi = NULL;
    struct nr_plan plan;
    struct nr_os os;
    size_t count;

    if (nrwin_redirector_prefixes(&multi, &count) != NR_OK ||
        split_prefixes(multi, count, &prefixes) != NR_OK) {
        OutputDebugStringW(L"netreclaim: cannot read the redirector prefixes; nothing reclaimed.");
        goto done;
    }
    if (list_connected(s, &connected) != NR_OK) {
        OutputDebugStringW(L"netreclaim: cannot list live connections; nothing reclaimed.");
        goto done;
    }
    for (size_t i = 0; i < c->policy.excluded_count; i++)
        excluded[i] = c->policy.excluded[i];
    req.target = (const nr_char *)c->target;
    req.prefixes = prefixes;
    req.prefix_count = count;
    req.connected = (const nr_char *const *)connected.names;
    req.connected_count = connected.count;
    req.excluded = excluded;
    req.excluded_count = c->policy.excluded_count;
    req.timeout_ms = c->policy.timeout_ms;
    req.audit = c->policy.mode == NR_MODE_AUDIT;
    nrwin_os(&os);
    /* One record per reclaim that found something or could not look. */
    if (nr_plan_build(&os, &req, &plan) == NR_OK)
        nr_plan_execute(&os, &plan);
    if (plan.status != NR_OK || plan.row_count)
        nr_plan_report(&os, &plan);
    nr_plan_free(&plan);
done:
    free_connected(&connected);
    nrwin_free(prefixes);
    nrwin_free(multi);
}

void nr_cancel_end(const struct nr_cancel *c, DWORD result)
{
    const DWORD error = GetLastError();

    if (result == WN_SUCCESS && c->active)
        reclaim(c);
    SetLastError(error);
}
