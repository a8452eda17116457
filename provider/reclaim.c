/* After the stock provider reports a cancel as done: close the handles left
 * open under the cancelled \\server\share in the caller's logon session
 * (DESIGN.md rules 3, 5, 6, 7). Nothing here changes what the caller gets. */
#include "nrprov.h"
#include "win/nrwin.h"
#include "netreclaim/plan.h"

static void note_policy(void *ctx, const WCHAR *key, const WCHAR *name, enum nr_policy_issue issue)
{
    WCHAR text[512];
    const DWORD_PTR args[3] = { (DWORD_PTR)key, (DWORD_PTR)name,
                                (DWORD_PTR)nr_policy_issue_text(issue) };

    (void)ctx;
    nrwin_format(text, ARRAYSIZE(text), L"Setting HKLM\\%1\\%2: %3!hs!.", args);
    OutputDebugStringW(text);
}

/* The \\server\share a local name maps to, asked before the stock cancel
 * forgets it. The stock provider answers first: the ledger is writable by
 * every process of the session, so it must not choose the target while the
 * stock provider can (docs/threat-model.md, section 4). Its last error is
 * the caller's business. */
static BOOL resolve_local(const WCHAR *name, WCHAR *target, DWORD cch)
{
    const struct nr_stock *s = nr_stock();
    const DWORD error = GetLastError();
    DWORD size = cch;
    BOOL found = FALSE;

    if (s->NPGetConnection)
        found = s->NPGetConnection((WCHAR *)name, target, &size) == WN_SUCCESS;
    SetLastError(error);
    return found || nr_ledger_resolve(name, target, cch);
}

void nr_cancel_begin(struct nr_cancel *c, const WCHAR *name)
{
    struct nr_unc unc;

    nrwin_load_policy(&c->policy, note_policy, NULL);
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
    c->active = c->active && nr_parse_unc((const nr_char *)c->target, (size_t)lstrlenW(c->target),
                                          NR_UNC_SHARE_REQUIRED, &unc);
}

void nr_reclaim(const struct nr_policy *policy, const WCHAR *target,
                const struct nr_conns *connected, struct nr_reclaimed *out)
{
    struct nr_reclaim_request req = { 0 };
    const nr_char *excluded[NR_EXCLUDED_MAX];
    const nr_char **prefixes = NULL;
    WCHAR *multi = NULL;
    struct nr_plan plan;
    struct nr_os os;
    size_t count;

    out->closed = out->left = 0;
    if (nrwin_redirector_prefixes(&multi, &count) != NR_OK ||
        !(prefixes = nrwin_alloc((count ? count : 1) * sizeof(*prefixes)))) {
        OutputDebugStringW(L"netreclaim: cannot read the redirector prefixes; nothing reclaimed.");
        goto done;
    }
    for (size_t i = 0; i < policy->excluded_count; i++)
        excluded[i] = policy->excluded[i];
    req.target = (const nr_char *)target;
    req.prefixes = prefixes;
    req.prefix_count = nrwin_split_multi(multi, prefixes, count);
    req.connected = (const nr_char *const *)connected->remote;
    req.connected_count = connected->count;
    req.excluded = excluded;
    req.excluded_count = policy->excluded_count;
    req.timeout_ms = policy->timeout_ms;
    req.audit = policy->mode == NR_MODE_AUDIT;
    nrwin_os(&os);
    /* One record per reclaim that found something or could not look. */
    if (nr_plan_build(&os, &req, &plan) == NR_OK)
        out->closed = nr_plan_execute(&os, &plan);
    out->left = plan.row_count - out->closed;
    if (plan.status != NR_OK || plan.row_count)
        nr_plan_report(&os, &plan);
    nr_plan_free(&plan);
done:
    nrwin_free(prefixes);
    nrwin_free(multi);
}

/* Rule 3: the handles under the cancelled share, then the idle deviceless
 * connections to its server that the ledger does not hold. */
static void reclaim(const struct nr_cancel *c)
{
    struct nr_conns conns;
    struct nr_reclaimed done;
    WCHAR refused[512] = L"";
    BOOL *live;

    if (nr_conns_list(&conns) != NR_OK) {
        OutputDebugStringW(L"netreclaim: cannot list live connections; nothing reclaimed.");
        return;
    }
    nr_reclaim(&c->policy, c->target, &conns, &done);
    /* Without the ledger, a deviceless connection may be one added on purpose. */
    if ((live = nrwin_alloc((conns.count ? conns.count : 1) * sizeof(*live))) &&
        nr_ledger_mark_live(&conns, live) == NR_OK)
        nr_cancel_idle(&c->policy, c->target, &conns, live, refused, ARRAYSIZE(refused));
    nrwin_free(live);
    nr_conns_free(&conns);
}

void nr_cancel_end(const struct nr_cancel *c, DWORD result)
{
    const DWORD error = GetLastError();

    if (result == WN_SUCCESS && c->policy.mode != NR_MODE_OFF && c->name)
        nr_ledger_forget(c->name);
    if (result == WN_SUCCESS && c->active)
        reclaim(c);
    SetLastError(error);
}
