/* The session ledger as the NP entries use it (DESIGN.md rule 2): record a
 * successful add, mark a successful cancel, resolve a local name, tell which
 * listed connections are ours. A missing or corrupt image is rebuilt from
 * the stock provider's enumeration and NPGetUser. Every failure is skipped:
 * the stock result reaches the caller whatever happens here. */
#include "nrprov.h"
#include "win/nrledger.h"

#define USER_CCH NR_LEDGER_USER_CCH

/* The user a listed connection was made as, or "" if the stock cannot say. */
static void stock_user(const struct nr_stock *s, const WCHAR *name, WCHAR *user)
{
    DWORD cch = USER_CCH;

    if (!s->NPGetUser || s->NPGetUser((WCHAR *)name, user, &cch) != WN_SUCCESS)
        user[0] = 0;
}

static int rebuild_from_stock(void *ctx, void *image, size_t size, uint64_t luid, uint64_t time)
{
    const struct nr_stock *s = nr_stock();
    struct nr_ledger_conn *rows = NULL;
    WCHAR(*users)[USER_CCH] = NULL;
    struct nr_conns c;
    int status;

    (void)ctx;
    if ((status = nr_conns_list(&c)) != NR_OK)
        return status;
    rows = nrwin_alloc((c.count ? c.count : 1) * sizeof(*rows));
    users = nrwin_alloc((c.count ? c.count : 1) * sizeof(*users));
    if (!rows || !users) {
        status = NR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < c.count; i++) {
        stock_user(s, c.local[i][0] ? c.local[i] : c.remote[i], users[i]);
        rows[i].local = (const nr_char *)c.local[i];
        rows[i].remote = (const nr_char *)c.remote[i];
        rows[i].user = (const nr_char *)users[i];
    }
    if (nr_ledger_rebuild(image, size, NR_LEDGER_CAPACITY, luid, rows, c.count, time, NULL) !=
        NR_LEDGER_OK)
        status = NR_ERROR;
done:
    nrwin_free(users);
    nrwin_free(rows);
    nr_conns_free(&c);
    return status;
}

static BOOL take(struct nrledger *l)
{
    const DWORD error = GetLastError();
    const int status = nrledger_acquire(l, rebuild_from_stock, NULL);

    if (status != NR_OK)
        OutputDebugStringW(status == NR_TIMEOUT
                               ? L"netreclaim: session ledger busy past its wait; skipped."
                               : L"netreclaim: session ledger unavailable; skipped.");
    SetLastError(error);
    return status == NR_OK;
}

static void give(struct nrledger *l)
{
    const DWORD error = GetLastError();

    nrledger_release(l);
    SetLastError(error);
}

void nr_ledger_record(const WCHAR *local, const WCHAR *remote, const WCHAR *user)
{
    struct nrledger l;
    int ret;

    if (!remote || !take(&l))
        return;
    ret = nr_ledger_add(l.image, l.size, l.luid, (const nr_char *)(local ? local : L""),
                        (const nr_char *)remote, (const nr_char *)(user ? user : L""),
                        nrledger_now());
    if (ret == NR_LEDGER_EVICTED)
        OutputDebugStringW(L"netreclaim: session ledger full; its oldest live entry was evicted.");
    else if (ret != NR_LEDGER_OK)
        OutputDebugStringW(L"netreclaim: connection not recorded (name does not fit the ledger).");
    give(&l);
}

void nr_ledger_forget(const WCHAR *name)
{
    struct nrledger l;

    if (!name || !take(&l))
        return;
    if (name[0] == L'\\')
        nr_ledger_cancel_remote(l.image, l.size, l.luid, (const nr_char *)name, nrledger_now());
    else
        nr_ledger_cancel_local(l.image, l.size, l.luid, (const nr_char *)name, nrledger_now());
    give(&l);
}

BOOL nr_ledger_resolve(const WCHAR *local, WCHAR *remote, DWORD cch)
{
    struct nr_ledger_entry entry;
    struct nrledger l;
    BOOL found;

    if (!take(&l))
        return FALSE;
    found = nr_ledger_find_local(l.image, l.size, l.luid, (const nr_char *)local, &entry) ==
                NR_LEDGER_OK &&
            nr_strnlen(entry.remote, NR_LEDGER_REMOTE_CCH) < cch;
    if (found)
        lstrcpynW(remote, (const WCHAR *)entry.remote, (int)cch);
    give(&l);
    return found;
}

int nr_ledger_mark_live(const struct nr_conns *c, BOOL *live)
{
    struct nrledger l;
    int status;

    ZeroMemory(live, c->count * sizeof(*live));
    if (!take(&l))
        return NR_ERROR;
    status = nrledger_mark_live(&l, (const WCHAR *const *)c->local, (const WCHAR *const *)c->remote,
                                c->count, live);
    give(&l);
    return status;
}
