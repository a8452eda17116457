/* Stale-conflict recovery on add (DESIGN.md rule 4). The stock add answered
 * ERROR_SESSION_CREDENTIAL_CONFLICT: another user's session to the server
 * stands. If a connection the session means to keep holds it (one with a
 * local name, or one the ledger holds live), the conflict is true and nothing
 * is touched. Otherwise it is stale: orphaned handles under the server (no
 * listed connection covers them) are closed, idle deviceless connections to
 * it are cancelled without force, and the add is retried once if anything
 * went. */
#include "nrprov.h"
#include "win/nrwin.h"
#include "messages.h"
#include "netreclaim/unc.h"

#define NOTE_CCH 1024u

/* "\\server" of a remote name, or FALSE if it has none. */
static BOOL server_of(const WCHAR *remote, WCHAR *server, size_t cch)
{
    struct nr_unc unc;

    if (!remote ||
        !nr_parse_unc((const nr_char *)remote, (size_t)lstrlenW(remote), NR_UNC_SHARE_REQUIRED,
                      &unc) ||
        unc.server.len + 3 > cch)
        return FALSE;
    server[0] = server[1] = L'\\';
    CopyMemory(server + 2, unc.server.str, unc.server.len * sizeof(WCHAR));
    server[2 + unc.server.len] = 0;
    return TRUE;
}

/* The connections to the server that make the conflict true, as text. */
static BOOL true_conflict(const struct nr_conns *c, const BOOL *live, const WCHAR *server,
                          WCHAR *note, size_t cch)
{
    BOOL found = FALSE;

    for (size_t i = 0; i < c->count; i++) {
        const DWORD_PTR args[2] = { (DWORD_PTR)c->remote[i],
                                    (DWORD_PTR)(c->local[i][0] ? c->local[i]
                                                               : L"deviceless, in the ledger") };
        WCHAR line[NR_TARGET_CCH + 64];

        if (!nr_same_server(c->remote[i], server) || (!c->local[i][0] && !live[i]))
            continue;
        found = TRUE;
        nrwin_format(line, ARRAYSIZE(line), L"%1 (%2)", args);
        nr_list_append(note, cch, line);
    }
    return found;
}

static void tell(const WCHAR *remote, const WCHAR *why, const WCHAR *what)
{
    const DWORD_PTR args[3] = { (DWORD_PTR)remote, (DWORD_PTR)why, (DWORD_PTR)what };
    WCHAR text[2 * NOTE_CCH];

    nrwin_format(text, ARRAYSIZE(text),
                 L"Adding %1 failed with 1219 (another user's session to that server); %2: %3",
                 args);
    nrwin_log(NR_WARNING, NR_MSG_WARNING, text);
}

/* What still stands after the recovery (or instead of it, in audit mode). */
static void tell_standing(const struct nr_policy *policy, const WCHAR *remote,
                          const struct nr_reclaimed *reclaimed, const WCHAR *refused, BOOL retried)
{
    const DWORD_PTR args[4] = { (DWORD_PTR)(policy->mode == NR_MODE_ENFORCE ? L"" : L"audit: "),
                                reclaimed->left, (DWORD_PTR)(refused[0] ? refused : L"none"),
                                (DWORD_PTR)(retried ? L"after one retry" : L"no retry") };
    WCHAR note[NOTE_CCH];

    nrwin_format(note, ARRAYSIZE(note),
                 L"%1%2!lu! handle(s) under the server left open, busy deviceless "
                 L"connections: %3 (%4).",
                 args);
    tell(remote, L"still standing", note);
}

DWORD nr_add_recover(const struct nr_policy *policy, const WCHAR *remote, nr_stock_add retry,
                     void *ctx)
{
    DWORD ret = ERROR_SESSION_CREDENTIAL_CONFLICT, error = GetLastError();
    WCHAR server[NR_TARGET_CCH], note[NOTE_CCH] = L"", refused[NOTE_CCH] = L"";
    struct nr_reclaimed reclaimed = { 0, 0 };
    struct nr_conns conns = { 0 };
    BOOL *live = NULL;
    size_t cancelled;

    if (!server_of(remote, server, ARRAYSIZE(server)))
        goto done;
    /* Fails closed: unless we know every connection and which are ours,
     * a connection the user wants could be taken for a leftover. */
    if (nr_conns_list(&conns) != NR_OK ||
        !(live = nrwin_alloc((conns.count ? conns.count : 1) * sizeof(*live))) ||
        nr_ledger_mark_live(&conns, live) != NR_OK) {
        tell(remote, L"left alone",
             L"the live connections or the session ledger could not be read.");
        goto done;
    }
    if (true_conflict(&conns, live, server, note, ARRAYSIZE(note))) {
        tell(remote, L"a true conflict, left alone", note);
        goto done;
    }
    nr_reclaim(policy, server, &conns, &reclaimed);
    cancelled = nr_cancel_idle(policy, server, &conns, live, refused, ARRAYSIZE(refused));
    if (policy->mode == NR_MODE_ENFORCE && (reclaimed.closed || cancelled)) {
        SetLastError(error);
        ret = retry(ctx);
        error = GetLastError();
        if (ret != ERROR_SESSION_CREDENTIAL_CONFLICT)
            goto done;
    }
    tell_standing(policy, remote, &reclaimed, refused, reclaimed.closed || cancelled);
done:
    nrwin_free(live);
    nr_conns_free(&conns);
    SetLastError(error);
    return ret;
}
