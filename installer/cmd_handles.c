/* netreclaim handles \\server[\share] and reclaim \\server\share: the
 * provider's planner over the real OS seam, for what MPR never sees (plain
 * UNC access, New-SmbMapping). handles and --dry-run close nothing. */
#include "cli.h"
#include <winnetwk.h>
#include "netreclaim/plan.h"
#include "nrledger.h"

#define MAX_CONNECTED 256

struct lists {
    WCHAR *prefix_text;
    const nr_char *prefixes[64];
    size_t prefix_count;
    WCHAR *connected_text[MAX_CONNECTED];
    const nr_char *connected[MAX_CONNECTED];
    size_t connected_count;
    const nr_char *excluded[NR_EXCLUDED_MAX];
};

static void load_prefixes(struct lists *l)
{
    size_t count;

    if (nrwin_redirector_prefixes(&l->prefix_text, &count) != NR_OK) {
        out_msg("note", NULL, L"redirector prefixes unreadable: only the built-in ones are used.");
        return;
    }
    l->prefix_count = nrwin_split_multi(l->prefix_text, l->prefixes, ARRAYSIZE(l->prefixes));
}

/* A listed connection covers its handles unless it is deviceless and not
 * live in the session ledger: the redirector's implicit connection from
 * plain UNC access (KeepConn), which is what this command exists for. */
static BOOL covers(const struct nrledger *l, const NETRESOURCEW *res)
{
    const WCHAR *local = res->lpLocalName;
    const WCHAR *remote = res->lpRemoteName;
    BOOL live = FALSE;

    if (local && local[0])
        return TRUE;
    return l && nrledger_mark_live(l, &local, &remote, 1, &live) == NR_OK && live;
}

static int add_connected(struct lists *l, const WCHAR *remote)
{
    WCHAR *copy;

    if (l->connected_count == MAX_CONNECTED)
        return NR_TOO_SMALL;
    if (!(copy = nrwin_alloc((lstrlenW(remote) + 1) * sizeof(WCHAR))))
        return NR_NOMEM;
    lstrcpyW(copy, remote);
    l->connected_text[l->connected_count] = copy;
    l->connected[l->connected_count++] = (const nr_char *)copy;
    return NR_OK;
}

/* The shares this logon session still has connected: handles under them are
 * never closed, the connection still needs them. Fails closed: without the
 * whole list, nothing may be closed. */
static int load_connected(struct lists *l)
{
    struct nrledger ledger;
    const BOOL have_ledger = nrledger_acquire(&ledger, NULL, NULL) == NR_OK;
    HANDLE e;
    union {
        NETRESOURCEW res[1];
        BYTE bytes[16384];
    } buf;
    DWORD count, size, error;
    int status = NR_OK;

    error = WNetOpenEnumW(RESOURCE_CONNECTED, RESOURCETYPE_DISK, 0, NULL, &e);
    if (error == ERROR_NO_NETWORK)
        error = ERROR_NO_MORE_ITEMS; /* no provider: nothing is connected */
    else if (error == NO_ERROR) {
        do {
            count = (DWORD)-1;
            size = sizeof(buf);
            error = WNetEnumResourceW(e, &count, &buf, &size);
            for (DWORD i = 0; error == NO_ERROR && status == NR_OK && i < count; i++)
                if (buf.res[i].lpRemoteName && covers(have_ledger ? &ledger : NULL, &buf.res[i]))
                    status = add_connected(l, buf.res[i].lpRemoteName);
        } while (error == NO_ERROR && status == NR_OK);
        WNetCloseEnum(e);
    }
    if (have_ledger)
        nrledger_release(&ledger);
    if (status == NR_OK && error != ERROR_NO_MORE_ITEMS)
        status = nrwin_status(error);
    return status;
}

static void free_lists(struct lists *l)
{
    nrwin_free(l->prefix_text);
    for (size_t i = 0; i < l->connected_count; i++)
        nrwin_free(l->connected_text[i]);
}

static void show(const struct nr_plan *plan)
{
    WCHAR line[1024];

    for (size_t i = 0; i < plan->row_count; i++) {
        nr_plan_format_row(plan, &plan->rows[i], (nr_char *)line, ARRAYSIZE(line));
        out_msg("handle", NULL, L"%ls", line);
    }
    out_field("target", L"%ls", (const WCHAR *)plan->target);
    out_number("file_handles", (unsigned long)plan->file_count);
    out_number("under_target", (unsigned long)plan->row_count);
    out_number("to_close", (unsigned long)plan->reasons[NR_REASON_CLOSE]);
    out_number("closed", (unsigned long)plan->closed);
    out_number("failed", (unsigned long)(plan->failed + plan->changed));
}

int cmd_handles(const struct cli *cli, int reclaim)
{
    const WCHAR *command = reclaim ? L"reclaim" : L"handles";
    const WCHAR *target = NULL;
    struct nr_reclaim_request req = { 0 };
    struct nr_plan plan;
    struct nr_policy policy;
    struct lists lists = { 0 };
    struct nr_unc unc;
    struct nr_os os;
    int dry_run = !reclaim, rc = CLI_OK;

    for (int i = 0; i < cli->argc; i++) {
        if (reclaim && !lstrcmpW(cli->argv[i], L"--dry-run"))
            dry_run = 1;
        else if (!target && cli->argv[i][0] != '-')
            target = cli->argv[i];
        else
            return cli_usage_error(command, L"unexpected argument \"%ls\"", cli->argv[i]);
    }
    if (!target)
        return cli_usage_error(command, L"%ls",
                               reclaim ? L"name a \\\\server\\share"
                                       : L"name a \\\\server or \\\\server\\share");
    if (!nr_parse_unc((const nr_char *)target, lstrlenW(target),
                      reclaim ? NR_UNC_SHARE_REQUIRED : 0, &unc) ||
        unc.rest.len)
        return cli_usage_error(command, L"\"%ls\" is not a \\\\server or \\\\server\\share name",
                               target);

    settings_load(&policy);
    if (reclaim && !dry_run && policy.mode != NR_MODE_ENFORCE) {
        out_msg("note", "policy", L"policy Mode is %ls: nothing is closed, the plan is shown.",
                policy.mode == NR_MODE_AUDIT ? L"audit" : L"off");
        dry_run = 1;
    }
    load_prefixes(&lists);
    if (load_connected(&lists) != NR_OK) {
        out_msg("error", "connections",
                L"cannot list this session's connections: "
                L"nothing is closed. Try again, or check the stock provider (netreclaim doctor).");
        free_lists(&lists);
        return CLI_FAILED;
    }
    for (size_t i = 0; i < policy.excluded_count; i++)
        lists.excluded[i] = policy.excluded[i];
    req.target = (const nr_char *)target;
    req.prefixes = lists.prefixes;
    req.prefix_count = lists.prefix_count;
    req.connected = lists.connected;
    req.connected_count = lists.connected_count;
    req.excluded = lists.excluded;
    req.excluded_count = policy.excluded_count;
    req.timeout_ms = policy.timeout_ms;
    req.audit = dry_run;

    nrwin_os(&os);
    if (nr_plan_build(&os, &req, &plan) != NR_OK) {
        out_msg("error", "plan", L"cannot list handles: %hs failed (status %d).",
                plan.failed_step ? plan.failed_step : "planning", plan.status);
        rc = CLI_FAILED;
    } else {
        if (!dry_run) {
            nr_plan_execute(&os, &plan);
            nr_plan_report(&os, &plan); /* one Event Log record, as the provider writes */
        }
        show(&plan);
        if (plan.reasons[NR_REASON_CONNECTED])
            out_msg("next", NULL,
                    L"some handles lie under a share still connected: "
                    L"disconnect it first (net use \\\\server\\share /delete).");
        if (plan.failed || plan.changed)
            rc = plan.closed ? CLI_PARTIAL : CLI_FAILED;
    }
    nr_plan_free(&plan);
    free_lists(&lists);
    return rc;
}
