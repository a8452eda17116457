/* netreclaim handles \\server[\share] and reclaim \\server\share: the
 * provider's planner over the real OS seam, for what MPR never sees (plain
 * UNC access, New-SmbMapping). handles and --dry-run close nothing.
 * reclaim --luid is the x86 provider's WOW64 hand-off (docs/wow64.md): the
 * reclaim after its cancel, as the provider would do it, for the caller's
 * logon session only. */
#include "cli.h"
#include "netreclaim/plan.h"
#include "nrwin_ledger.h"
#include "nrwin_reclaim.h"

/* The session's connections, listed by the stock provider's own
 * enumeration as the provider lists them, and marked live from the session
 * ledger. Fails closed: without the whole list, nothing may be closed. */
static int load_connections(struct nrwin_conns *conns)
{
    struct nrwin_ledger ledger;
    HMODULE dll;
    int status;

    if ((status = stock_connections(conns, &dll)) == NR_OK)
        FreeLibrary(dll);
    /* Without the ledger no deviceless connection counts as deliberate. */
    if (status == NR_OK && nrwin_ledger_acquire(&ledger, NULL, NULL) == NR_OK) {
        nrwin_ledger_mark_live(&ledger, conns->items, conns->count);
        nrwin_ledger_release(&ledger);
    }
    return status;
}

static void show(const struct nr_plan *plan)
{
    WCHAR line[1024];

    for (size_t i = 0; i < plan->row_count; i++) {
        nr_plan_format_row(plan, &plan->rows[i], line, ARRAYSIZE(line));
        out_msg("handle", NULL, L"%ls", line);
    }
    out_field("target", L"%ls", plan->target);
    out_number("file_handles", (unsigned long)plan->file_count);
    out_number("under_target", (unsigned long)plan->row_count);
    out_number("to_close", (unsigned long)plan->reasons[NR_REASON_CLOSE]);
    out_number("closed", (unsigned long)plan->closed);
    out_number("failed", (unsigned long)(plan->failed + plan->changed));
}

/* What a plan came to, shown, and the exit code it makes. */
static int tell(const struct nr_plan *plan)
{
    if (plan->status != NR_OK) {
        out_msg("error", "plan", L"cannot list handles: %hs failed (status %d).",
                plan->failed_step ? plan->failed_step : "planning", plan->status);
        return CLI_FAILED;
    }
    show(plan);
    if (plan->reasons[NR_REASON_CONNECTED])
        out_msg("next", NULL,
                L"some handles lie under a share still connected: "
                L"disconnect it first (net use \\\\server\\share /delete).");
    if (plan->failed || plan->changed)
        return plan->closed ? CLI_PARTIAL : CLI_FAILED;
    return CLI_OK;
}

/* The hand-off names the caller's logon session; a program started from
 * it runs in its process's session, which differs when the caller
 * impersonates. Then nothing is done: a reclaim is never for another logon
 * session (docs/design.md rule 5). */
static int same_session(uint64_t luid)
{
    uint64_t own;

    if (nrwin_caller_luid(NULL, &own) != NR_OK) {
        out_msg("error", "wrong-session",
                L"cannot read this program's logon session: nothing is closed.");
        return 0;
    }
    if (own != luid) {
        out_msg("error", "wrong-session",
                L"--luid 0x%016llx is not this program's logon session (0x%016llx): "
                L"nothing is closed; a reclaim is never made for another session.",
                (unsigned long long)luid, (unsigned long long)own);
        return 0;
    }
    return 1;
}

int cmd_handles(const struct cli *cli, int reclaim)
{
    const WCHAR *command = reclaim ? L"reclaim" : L"handles";
    const WCHAR *given = NULL, *target;
    WCHAR plain[CLI_UNC_CCH];
    struct nrwin_conns conns;
    struct nrwin_run run = { 0 };
    struct nr_policy policy;
    struct nr_unc unc;
    int dry_run = !reclaim, rc = CLI_OK, as_provider = 0;
    uint64_t luid = 0;

    for (int i = 0; i < cli->argc; i++) {
        if (reclaim && !lstrcmpW(cli->argv[i], L"--dry-run")) {
            dry_run = 1;
        } else if (reclaim && !as_provider && !lstrcmpW(cli->argv[i], L"--luid")) {
            const WCHAR *value = i + 1 < cli->argc ? cli->argv[++i] : L"";

            if (!nr_parse_luid(value, lstrlenW(value), &luid))
                return out_usage_error(
                    command, L"--luid takes 0x and 1 to 16 hex digits, not \"%ls\"", value);
            as_provider = 1;
        } else if (!given && cli->argv[i][0] != '-')
            given = cli->argv[i];
        else
            return out_usage_error(command, L"unexpected argument \"%ls\"", cli->argv[i]);
    }
    if (!given)
        return out_usage_error(command, L"%ls",
                               reclaim ? L"name a \\\\server\\share"
                                       : L"name a \\\\server or \\\\server\\share");
    target = cli_unc_arg(given, plain);
    /* reclaim closes under one share: a whole server is too wide a net. */
    if (reclaim && nr_parse_unc(target, lstrlenW(target), 0, &unc) && !unc.share.len)
        return out_usage_error(command,
                               L"\"%ls\" names a server only: reclaim needs a \\\\server\\share "
                               L"(\"netreclaim why\" and \"handles\" take a whole server)",
                               given);
    if (!nr_parse_unc(target, lstrlenW(target), reclaim ? NR_UNC_SHARE_REQUIRED : 0, &unc) ||
        unc.rest.len)
        return out_usage_error(command, L"\"%ls\" is not a \\\\server or \\\\server\\share name",
                               given);
    if (as_provider && !same_session(luid))
        return CLI_WRONG_SESSION;

    settings_load(&policy);
    if (reclaim && !dry_run && policy.mode != NR_MODE_ENFORCE) {
        out_msg("note", "policy", L"policy Mode is %ls: nothing is closed, the plan is shown.",
                policy.mode == NR_MODE_AUDIT ? L"audit" : L"off");
        dry_run = 1;
    }
    if (load_connections(&conns) != NR_OK) {
        out_msg("error", "connections",
                L"cannot list this session's connections: "
                L"nothing is closed. Try again, or check the stock provider (netreclaim doctor).");
        return CLI_FAILED;
    }
    /* Implicit connections protect nothing here: they are what the command
     * exists for (the provider's rules cancel them instead). The hand-off
     * is the provider's rule 3: every listed connection covers its share,
     * and audit mode writes its record as the provider does. */
    run.policy = &policy;
    run.target = target;
    run.conns = &conns;
    run.cover = as_provider ? NR_COVER_LISTED : NR_COVER_DELIBERATE;
    run.audit = dry_run;
    /* One Event Log record, as the provider writes; like it, the hand-off
     * says nothing when there was nothing to close. */
    if (!dry_run || (as_provider && policy.mode == NR_MODE_AUDIT))
        run.record = as_provider ? NRWIN_RECORD_WORTH : NRWIN_RECORD_BUILT;
    switch (nrwin_reclaim_run(&run)) {
    case NRWIN_RUN_NO_REQUEST:
        out_msg("error", "prefixes", L"cannot read the redirector prefixes: nothing is closed.");
        rc = CLI_FAILED;
        break;
    case NRWIN_RUN_NO_LOCK:
        out_msg("error", "busy",
                L"another reclaim in this logon session did not end in time: nothing is "
                L"closed. Try again.");
        rc = CLI_FAILED;
        break;
    case NRWIN_RUN_PLANNED:
        rc = tell(&run.plan);
        break;
    }
    nrwin_reclaim_free(&run);
    nrwin_conns_free(&conns);
    return rc;
}
