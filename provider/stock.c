/* The stock provider, loaded once per process on first use and never
 * unloaded. If it cannot be loaded we say why, once, and every entry
 * answers as if there were no network. Besides the table np.c forwards
 * through, this file owns every stock call netreclaim makes for its own
 * purposes; each leaves the caller's last error as it found it. */
#include "nrprov.h"
#include "stock_table.h"

static struct nrp_stock_table stock;
static INIT_ONCE stock_once = INIT_ONCE_STATIC_INIT;

/* GetProcAddress's FARPROC goes through the generic function pointer type
 * void (*)(void), which converts to any other without a warning (and is
 * already the type of a thunked entry's field). */
#define NRP_RESOLVE(field, export)                                                                 \
    stock.field = (__typeof__(stock.field))(void (*)(void))GetProcAddress(dll, #export);

static BOOL CALLBACK init(INIT_ONCE *once, void *param, void **context)
{
    WCHAR why[1024];
    HMODULE dll;

    (void)once;
    (void)param;
    (void)context;
    if (nrwin_stock_load(&dll, why, ARRAYSIZE(why)) != NR_OK) {
        nrwin_log(NR_EVENT_STOCK_UNAVAILABLE, why);
        stock.absent = WN_NO_NETWORK;
        return TRUE;
    }
    stock.absent = WN_NOT_SUPPORTED;
    NRP_ENTRIES(NRP_RESOLVE)
    NRP_THUNKED(NRP_RESOLVE)
    return TRUE;
}

const struct nrp_stock_table *nrp_stock_table(void)
{
    /* The first call reads the registry and loads a DLL; the caller of the
     * NP entry must not see that in its last error. */
    const DWORD error = GetLastError();

    InitOnceExecuteOnce(&stock_once, init, NULL, NULL);
    SetLastError(error);
    return &stock;
}

int nrp_stock_connections(struct nrwin_conns *conns)
{
    const struct nrp_stock_table *s = nrp_stock_table();
    const struct nrwin_enum api = { s->open_enum, s->enum_resource, s->close_enum };
    const DWORD error = GetLastError();
    const int status = nrwin_conns_list(&api, conns);

    SetLastError(error);
    return status;
}

/* NPGetConnection and NPGetUser share a shape: a name in, a string out. On
 * failure out is "" (cch > 0). The entries' types come from their exports
 * (stock_table.h), which npapi.h gives an LPWSTR name although it is only
 * read: hence the casts that drop const here and in the cancel below. */
static BOOL ask(__typeof__(NPGetUser) *entry, const WCHAR *name, WCHAR *out, DWORD cch)
{
    const DWORD error = GetLastError();
    DWORD size = cch;
    BOOL found;

    found = entry && entry((WCHAR *)name, out, &size) == WN_SUCCESS;
    if (!found && cch)
        out[0] = 0;
    SetLastError(error);
    return found;
}

BOOL nrp_stock_remote_of(const WCHAR *local, WCHAR *remote, DWORD cch)
{
    return ask(nrp_stock_table()->get_connection, local, remote, cch);
}

DWORD nrp_stock_cancel_unforced(const WCHAR *remote)
{
    const struct nrp_stock_table *s = nrp_stock_table();
    const DWORD error = GetLastError();
    DWORD ret = s->absent;

    if (s->cancel_connection2)
        ret = s->cancel_connection2((WCHAR *)remote, FALSE, 0);
    else if (s->cancel_connection)
        ret = s->cancel_connection((WCHAR *)remote, FALSE);
    SetLastError(error);
    return ret;
}

BOOL nrp_stock_user_of(const WCHAR *name, WCHAR *user, DWORD cch)
{
    return ask(nrp_stock_table()->get_user, name, user, cch);
}
