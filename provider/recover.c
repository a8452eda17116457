/* Stale-conflict recovery on add (docs/design.md rule 4). The stock add answered
 * ERROR_SESSION_CREDENTIAL_CONFLICT: another user's session to the server
 * stands. The core judges it (nr_judge_conflict): if a connection the
 * session means to keep holds it, the conflict is true and nothing is
 * touched; otherwise the sweep closes the orphaned handles under the server
 * and cancels its idle deviceless connections, and the add is retried once
 * if anything went. A 1219 left standing is logged with the verdict's name
 * and what holds it, in the words "netreclaim why" uses for the same
 * judgement. */
#include "nrprov.h"

/* The connections that make the conflict true, as text ("\\srv\share (Z:)"),
 * and the exact commands that would disconnect them. */
static void list_blockers(const struct nrwin_conns *c, const enum nr_conn_role *roles, WCHAR *note,
                          WCHAR *commands, size_t cch)
{
    for (size_t i = 0; i < c->count; i++) {
        const struct nr_conn *conn = &c->items[i];
        const DWORD_PTR args[2] = { (DWORD_PTR)conn->remote,
                                    (DWORD_PTR)(conn->local[0] ? conn->local
                                                               : L"deviceless, in the ledger") };
        WCHAR line[NRP_TARGET_CCH + 64];

        if (roles[i] != NR_ROLE_BLOCKER)
            continue;
        nrwin_format(line, ARRAYSIZE(line), L"%1 (%2)", args);
        nr_list_append(note, cch, line);
        nr_disconnect_command(conn, line, ARRAYSIZE(line));
        nr_list_append(commands, cch, line);
    }
}

static void tell(enum nr_event event, const WCHAR *remote, const WCHAR *why, const WCHAR *what)
{
    const DWORD_PTR args[3] = { (DWORD_PTR)remote, (DWORD_PTR)why, (DWORD_PTR)what };
    WCHAR text[3 * NRP_NOTE_CCH];

    nrwin_format(text, ARRAYSIZE(text),
                 L"Adding %1 failed with 1219 (another user's session to that server); %2: %3",
                 args);
    nrwin_log(event, text);
}

/* A true conflict: the blockers, and the choices "why" gives (never to
 * close a live connection's handles). */
static void tell_true_conflict(const WCHAR *remote, const WCHAR *server,
                               const struct nrwin_conns *c, const enum nr_conn_role *roles)
{
    WCHAR note[NRP_NOTE_CCH] = L"", commands[NRP_NOTE_CCH] = L"";
    WCHAR text[3 * NRP_NOTE_CCH];
    DWORD_PTR args[4];

    list_blockers(c, roles, note, commands, ARRAYSIZE(note));
    args[0] = (DWORD_PTR)note;
    args[1] = (DWORD_PTR)nr_verdict_name(NR_VERDICT_TRUE_CONFLICT); /* ASCII: %2!hs! */
    args[2] = (DWORD_PTR)commands;
    args[3] = (DWORD_PTR)server;
    nrwin_format(text, ARRAYSIZE(text),
                 L"%1.\r\nVerdict: %2!hs!. The blocker holds another user's session to the "
                 L"server: add as that user, or disconnect it first: %3.\r\n"
                 L"netreclaim why %4 shows it.",
                 args);
    tell(NR_EVENT_CONFLICT_TRUE, remote, L"a true conflict, left alone", text);
}

/* What still stands after the recovery (or instead of it, in audit mode). */
static void tell_standing(const struct nr_policy *policy, const WCHAR *remote, const WCHAR *server,
                          const struct nrp_swept *swept, BOOL retried)
{
    const DWORD_PTR args[6] = { (DWORD_PTR)(policy->mode == NR_MODE_ENFORCE ? L"" : L"audit: "),
                                swept->left,
                                (DWORD_PTR)(swept->refused[0] ? swept->refused : L"none"),
                                (DWORD_PTR)(retried ? L"after one retry" : L"no retry"),
                                (DWORD_PTR)nr_verdict_name(NR_VERDICT_STALE), /* %5!hs! */
                                (DWORD_PTR)server };
    WCHAR note[NRP_NOTE_CCH + 512];

    nrwin_format(note, ARRAYSIZE(note),
                 L"%1%2!lu! handle(s) under the server left open, busy deviceless "
                 L"connections: %3 (%4).\r\nVerdict: %5!hs!, not cleared: no connection the "
                 L"session keeps holds the server, but what does is still in use.\r\n"
                 L"netreclaim why %6 names the processes; netreclaim reclaim "
                 L"\\\\server\\share closes their handles.",
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
    struct nrp_swept swept;
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
    if (verdict == NR_VERDICT_TRUE_CONFLICT) {
        tell_true_conflict(remote, server, &conns, roles);
    }
    if (verdict != NR_VERDICT_STALE)
        goto done;
    /* In process even under WOW64: the retry needs the count of handles
     * closed, which only the in-process plan gives (docs/wow64.md). */
    nrp_sweep(policy, server, &conns, roles, FALSE, &swept);
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
    tell_standing(policy, remote, server, &swept, cleared);
done:
    nrwin_free(roles);
    nrwin_conns_free(&conns);
    SetLastError(error);
    return ret;
}
