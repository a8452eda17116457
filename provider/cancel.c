/* Rule 3: after the stock provider reports a cancel as done, close the
 * handles left open under the cancelled \\server\share in the caller's logon
 * session, then cancel the idle deviceless connections to its server that
 * the ledger does not hold (docs/design.md rules 3, 5, 6, 7). Nothing here
 * changes what the caller gets. */
#include "nrprov.h"

/* The \\server\share a local name maps to, asked before the stock cancel
 * forgets it. The stock provider answers first: the ledger is writable by
 * every process of the session, so it must not choose the target while the
 * stock provider can (docs/threat-model.md, section 4). */
static BOOL resolve_local(const WCHAR *name, WCHAR *target, DWORD cch)
{
    return nrp_stock_remote_of(name, target, cch) || nrp_ledger_remote_of(name, target, cch);
}

void nrp_cancel_begin(struct nrp_cancel *c, const WCHAR *name)
{
    struct nr_unc unc;

    nrp_load_policy(&c->policy);
    c->name = name;
    c->active = FALSE;
    if (c->policy.mode == NR_MODE_OFF || !name)
        return;
    if (name[0] == L'\\' && name[1] == L'\\') {
        c->active = lstrlenW(name) < (int)ARRAYSIZE(c->target);
        if (c->active)
            lstrcpynW(c->target, name, ARRAYSIZE(c->target));
    } else {
        c->active = resolve_local(name, c->target, ARRAYSIZE(c->target));
    }
    /* Whatever answered, a cancel is about one share: never let a name widen
     * the reclaim to a whole server. */
    c->active = c->active &&
                nr_parse_unc(c->target, (size_t)lstrlenW(c->target), NR_UNC_SHARE_REQUIRED, &unc);
}

/* The handles under the cancelled share, then the idle deviceless
 * connections to its server that the ledger does not hold. */
static void reclaim(const struct nrp_cancel *c)
{
    enum nr_conn_role *roles = NULL;
    struct nrwin_conns conns;
    struct nrp_swept swept;
    const BOOL listed = nrp_stock_connections(&conns) == NR_OK;
    BOOL vouched;

    nrp_trace_step("stock connections");
    if (!listed) {
        nrp_tell_skipped(c->target, L"the live connections cannot be listed");
        return;
    }
    /* Without the ledger, a deviceless connection may be one added on
     * purpose: then no connection is cancelled. */
    vouched = (roles = nrwin_alloc((conns.count ? conns.count : 1) * sizeof(*roles))) &&
              nrp_ledger_mark_live(&conns) == NR_OK;
    nrp_trace_step("ledger: connections in use");
    nrp_sweep_handles(&c->policy, c->target, &conns, NRP_SWEEP_MAY_HAND_OFF, &swept);
    /* After the plan, which marks the connections it saw files open under:
     * those are in use, not idle (the plan sees the cancelled share only;
     * a busy one elsewhere refuses the cancel without force). */
    if (vouched)
        nr_mark_idle(conns.items, conns.count, c->target, roles);
    nrp_sweep_idle(&c->policy, &conns, vouched ? roles : NULL, &swept);
    nrp_sweep_free(&swept);
    nrwin_free(roles);
    nrwin_conns_free(&conns);
}

void nrp_cancel_end(const struct nrp_cancel *c, DWORD result)
{
    const DWORD error = GetLastError();

    if (result == WN_SUCCESS && c->policy.mode != NR_MODE_OFF && c->name)
        nrp_ledger_forget(c->name);
    nrp_trace_step("ledger: forget");
    if (result == WN_SUCCESS && c->active)
        reclaim(c);
    SetLastError(error);
}
