/* The session ledger as the NP entries use it (docs/design.md rule 2): record a
 * successful add, mark a successful cancel, resolve a local name, tell which
 * listed connections are ours. A missing or corrupt image is rebuilt from
 * the stock provider's enumeration and NPGetUser, and what is rebuilt
 * vouches for less than what was added (nr_ledger_vouches), so every
 * process keeps the session's objects open from its first NP call on
 * (nrp_ledger_keep). Every failure is skipped, and told: the stock result
 * reaches the caller whatever happens here. */
#include "nrprov.h"
#include "win/nrwin_ledger.h"

#define USER_CCH NR_LEDGER_USER_CCH

void nrp_ledger_keep(void)
{
    static LONG tried;
    DWORD error;

    /* Once per process: an entry point must stay cheap, and a process that
     * found no objects gets them cached by its own first add or cancel. */
    if (InterlockedCompareExchange(&tried, 1, 0))
        return;
    error = GetLastError();
    nrwin_ledger_keep(); /* fails open: without it, only this process's wish is lost */
    SetLastError(error);
}

static int rebuild_from_stock(void *ctx, void *image, size_t size, uint64_t luid, uint64_t time)
{
    struct nr_ledger_conn *rows = NULL;
    WCHAR(*users)[USER_CCH] = NULL;
    struct nrwin_conns c;
    int status;

    (void)ctx;
    if ((status = nrp_stock_connections(&c)) != NR_OK)
        return status;
    rows = nrwin_alloc((c.count ? c.count : 1) * sizeof(*rows));
    users = nrwin_alloc((c.count ? c.count : 1) * sizeof(*users));
    if (!rows || !users) {
        status = NR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < c.count; i++) {
        const struct nr_conn *conn = &c.items[i];

        nrp_stock_user_of(conn->local[0] ? conn->local : conn->remote, users[i], USER_CCH);
        rows[i].local = conn->local;
        rows[i].remote = conn->remote;
        rows[i].user = users[i];
    }
    if (nr_ledger_rebuild(image, size, NR_LEDGER_CAPACITY, luid, rows, c.count, time, NULL) !=
        NR_LEDGER_OK)
        status = NR_ERROR;
done:
    nrwin_free(users);
    nrwin_free(rows);
    nrwin_conns_free(&c);
    return status;
}

static void warn(enum nr_event event, const WCHAR *text)
{
    nrwin_log(event, text);
}

static BOOL take(struct nrwin_ledger *l)
{
    const int status = nrwin_ledger_acquire(l, rebuild_from_stock, NULL);

    if (status == NR_TIMEOUT)
        warn(NR_EVENT_LEDGER_BUSY,
             L"The session ledger stayed busy past its wait; this call went on without it.");
    else if (status != NR_OK)
        warn(NR_EVENT_LEDGER_UNAVAILABLE, L"The session ledger is unavailable; this call went on without it.");
    return status == NR_OK;
}

void nrp_ledger_record(const WCHAR *local, const WCHAR *remote, const WCHAR *user)
{
    const DWORD error = GetLastError();
    struct nrwin_ledger l;
    int ret;

    if (!remote || !take(&l))
        goto done;
    ret = nr_ledger_add(l.image, l.size, l.luid, local ? local : L"", remote, user ? user : L"",
                        nrwin_ledger_now());
    nrwin_ledger_release(&l);
    if (ret == NR_LEDGER_EVICTED)
        warn(NR_EVENT_LEDGER_EVICTED, L"The session ledger is full; its oldest live entry was evicted.");
    else if (ret != NR_LEDGER_OK)
        warn(NR_EVENT_LEDGER_NOT_RECORDED,
             L"A connection was not recorded: its name does not fit the session ledger.");
done:
    SetLastError(error);
}

void nrp_ledger_forget(const WCHAR *name)
{
    const DWORD error = GetLastError();
    struct nrwin_ledger l;

    if (!name || !take(&l))
        goto done;
    if (name[0] == L'\\')
        nr_ledger_cancel_remote(l.image, l.size, l.luid, name, nrwin_ledger_now());
    else
        nr_ledger_cancel_local(l.image, l.size, l.luid, name, nrwin_ledger_now());
    nrwin_ledger_release(&l);
done:
    SetLastError(error);
}

BOOL nrp_ledger_remote_of(const WCHAR *local, WCHAR *remote, DWORD cch)
{
    const DWORD error = GetLastError();
    struct nr_ledger_entry entry;
    struct nrwin_ledger l;
    BOOL found = FALSE;

    if (!take(&l))
        goto done;
    found = nr_ledger_find_local(l.image, l.size, l.luid, local, &entry) == NR_LEDGER_OK &&
            nr_strnlen(entry.remote, NR_LEDGER_REMOTE_CCH) < cch;
    if (found)
        lstrcpynW(remote, entry.remote, (int)cch);
    nrwin_ledger_release(&l);
done:
    SetLastError(error);
    return found;
}

int nrp_ledger_mark_live(struct nrwin_conns *conns)
{
    const DWORD error = GetLastError();
    struct nrwin_ledger l;
    int status = NR_ERROR;

    for (size_t i = 0; i < conns->count; i++)
        conns->items[i].live = false;
    if (take(&l)) {
        status = nrwin_ledger_mark_live(&l, conns->items, conns->count);
        nrwin_ledger_release(&l);
    }
    SetLastError(error);
    return status;
}
