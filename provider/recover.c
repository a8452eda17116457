/* Stale-conflict recovery on add (docs/design.md rule 4). The stock add answered
 * ERROR_SESSION_CREDENTIAL_CONFLICT: another user's session to the server
 * stands. The core judges it (nr_judge_conflict): if a connection the
 * session means to keep holds it, the conflict is true and nothing is
 * touched; otherwise the sweep closes the orphaned handles under the server,
 * which shows the deviceless connections with files open (in use: a true
 * conflict too, their files left open), cancels the idle ones, and the add
 * is retried once if anything went. A 1219 left standing is logged with the
 * verdict, what holds it and the ways out, from the same core functions
 * "netreclaim why" prints them with. */
#include "nrprov.h"

static void tell(enum nr_event event, const WCHAR *remote, const WCHAR *why, const WCHAR *what)
{
    const DWORD_PTR args[3] = { (DWORD_PTR)remote, (DWORD_PTR)why, (DWORD_PTR)what };
    WCHAR text[3 * NRP_NOTE_CCH];

    nrwin_format(text, ARRAYSIZE(text),
                 L"Adding %1 failed with 1219 (another user's session to that server); %2: %3",
                 args);
    nrwin_log(event, text);
}

/* One connection that makes the conflict true, and its ways out, in the
 * words "netreclaim why" uses (nr_in_use_advice): "\\srv\share (P:) holds
 * another user's session: add as that user, ..." or "\\srv\share2
 * (deviceless) is in use, files open: ...: close those files ...". */
static void tell_one(const struct nrwin_conns *c, size_t i, enum nr_conn_role role,
                     const struct nr_plan *plan, WCHAR *text, size_t cch)
{
    const struct nr_conn *conn = &c->items[i];
    WCHAR files[NRP_NOTE_CCH], advice[NRP_NOTE_CCH], line[3 * NRP_NOTE_CCH];
    DWORD_PTR args[4] = { (DWORD_PTR)conn->remote,
                          (DWORD_PTR)(conn->local[0] ? conn->local : L"deviceless"), 0,
                          (DWORD_PTR)advice };

    if (!nr_in_use_files(c->items, c->count, i, plan, files, ARRAYSIZE(files)) && conn->in_use)
        lstrcpynW(files, L"seen by the stock provider only", ARRAYSIZE(files));
    args[2] = (DWORD_PTR)files;
    nr_in_use_advice(conn, role, advice, ARRAYSIZE(advice));
    nrwin_format(line, ARRAYSIZE(line),
                 role == NR_ROLE_IN_USE ? L"%1 (%2) is in use, files open: %3. Ways out: %4."
                 : conn->in_use ? L"%1 (%2) holds another user's session, files open: %3. "
                                  L"Ways out: %4."
                                : L"%1 (%2) holds another user's session. Ways out: %4.",
                 args);
    nr_list_append(text, cch, line);
}

/* A true conflict: what holds it and the ways out "why" gives, never to
 * close a live connection's files without saying so. */
static void tell_true_conflict(const WCHAR *remote, const WCHAR *server,
                               const struct nrwin_conns *c, const enum nr_conn_role *roles,
                               const struct nr_plan *plan)
{
    WCHAR blockers[2 * NRP_NOTE_CCH] = L"", text[3 * NRP_NOTE_CCH];
    const DWORD_PTR args[3] = { (DWORD_PTR)nr_verdict_name(NR_VERDICT_TRUE_CONFLICT), /* %1!hs! */
                                (DWORD_PTR)blockers, (DWORD_PTR)server };

    for (size_t i = 0; i < c->count; i++)
        if (roles[i] == NR_ROLE_BLOCKER || roles[i] == NR_ROLE_IN_USE)
            tell_one(c, i, roles[i], plan, blockers, ARRAYSIZE(blockers));
    nrwin_format(text, ARRAYSIZE(text),
                 L"Verdict: %1!hs!, netreclaim will not clear it.\r\n%2\r\n"
                 L"netreclaim why %3 shows it.",
                 args);
    tell(NR_EVENT_CONFLICT_TRUE, remote, L"a true conflict, left alone", text);
}

/* What still stands after the recovery (or instead of it, in audit mode),
 * with nothing in use that the plan or the stock provider showed. */
static void tell_standing(const struct nr_policy *policy, const WCHAR *remote, const WCHAR *server,
                          const struct nrp_swept *swept, BOOL retried)
{
    const DWORD_PTR args[5] = { (DWORD_PTR)(policy->mode == NR_MODE_ENFORCE ? L"" : L"audit: "),
                                swept->left,
                                (DWORD_PTR)(retried ? L"after one retry" : L"no retry"),
                                (DWORD_PTR)nr_verdict_name(NR_VERDICT_STALE), /* %4!hs! */
                                (DWORD_PTR)server };
    WCHAR note[NRP_NOTE_CCH + 512];

    nrwin_format(note, ARRAYSIZE(note),
                 L"%1%2!lu! handle(s) under the server left open (%3).\r\nVerdict: %4!hs!, "
                 L"not cleared: no connection the session keeps or uses holds the server.\r\n"
                 L"netreclaim why %5 names what does.",
                 args);
    tell(NR_EVENT_CONFLICT_BUSY, remote, L"still standing", note);
}

/* The 1219 is gone after the sweep: what went, and what the retry answered
 * (the stock answer, which the caller gets). */
static void tell_recovered(const WCHAR *remote, const struct nrp_swept *swept, DWORD answer)
{
    const DWORD_PTR args[4] = { (DWORD_PTR)remote, swept->closed, swept->cancelled, answer };
    WCHAR text[NRP_TARGET_CCH + 256];

    nrwin_format(text, ARRAYSIZE(text),
                 L"Adding %1 met a stale 1219 (another user's session to that server, held by "
                 L"nothing the session keeps): %2!lu! handle(s) closed and %3!lu! idle deviceless "
                 L"connection(s) cancelled; the add, retried once, answered %4!lu!.",
                 args);
    nrwin_log(NR_EVENT_CONFLICT_RECOVERED, text);
}

DWORD nrp_recover_add(const struct nr_policy *policy, const WCHAR *remote, nrp_stock_add retry,
                      void *ctx)
{
    DWORD ret = ERROR_SESSION_CREDENTIAL_CONFLICT, error = GetLastError();
    WCHAR server[NRP_TARGET_CCH];
    struct nrwin_conns conns = { 0 };
    enum nr_conn_role *roles = NULL;
    enum nr_verdict verdict;
    struct nrp_swept swept = { 0 };
    BOOL cleared;

    if (!nr_server_of(remote, NR_UNC_SHARE_REQUIRED, server, ARRAYSIZE(server)))
        goto done;
    /* Fails closed: unless we know every connection and which are ours,
     * a connection the user wants could be taken for a leftover. */
    if (nrp_stock_connections(&conns) != NR_OK ||
        !(roles = nrwin_alloc((conns.count ? conns.count : 1) * sizeof(*roles))) ||
        nrp_ledger_mark_live(&conns) != NR_OK) {
        tell(NR_EVENT_CONFLICT_UNJUDGED, remote, L"left alone",
             L"the live connections or the session ledger could not be read.");
        goto done;
    }
    verdict = nr_judge_conflict(conns.items, conns.count, server, roles);
    if (verdict != NR_VERDICT_STALE && verdict != NR_VERDICT_TRUE_CONFLICT)
        goto done;
    /* A true conflict is only looked at: its files named as "why" names
     * them. Otherwise the orphans go, and the plan shows which connections
     * have files open: those are in use, and the judgement is made again
     * (rule 4). In process even under WOW64: the retry needs the count of
     * handles closed, which only the in-process plan gives (docs/wow64.md). */
    nrp_sweep_handles(policy, server, &conns,
                      verdict == NR_VERDICT_TRUE_CONFLICT ? NRP_SWEEP_LOOK : NRP_SWEEP_IN_PROCESS,
                      &swept);
    if (verdict == NR_VERDICT_STALE) {
        verdict = nr_judge_conflict(conns.items, conns.count, server, roles);
        nrp_sweep_idle(policy, &conns, roles, &swept);
        cleared = swept.closed || swept.cancelled;
        if (policy->mode == NR_MODE_ENFORCE && cleared) {
            SetLastError(error);
            ret = retry(ctx);
            error = GetLastError();
            if (ret != ERROR_SESSION_CREDENTIAL_CONFLICT) {
                tell_recovered(remote, &swept, ret);
                goto done;
            }
        }
        /* What still stands, judged as "why" would judge it now: a
         * connection that refused the cancel is in use too. */
        verdict = nr_judge_conflict(conns.items, conns.count, server, roles);
        if (verdict == NR_VERDICT_STALE)
            tell_standing(policy, remote, server, &swept, cleared);
    }
    if (verdict == NR_VERDICT_TRUE_CONFLICT)
        tell_true_conflict(remote, server, &conns, roles, &swept.run.plan);
done:
    nrp_sweep_free(&swept);
    nrwin_free(roles);
    nrwin_conns_free(&conns);
    SetLastError(error);
    return ret;
}
