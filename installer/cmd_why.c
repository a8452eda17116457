/* netreclaim why \\server[\share] [--user NAME]: what holds a 1219 to that
 * server in the caller's logon session, and what will clear it. The verdict
 * is the core's nr_judge_add, the judgement the provider's rule 4 makes
 * (provider/recover.c). Read-only: it closes nothing, cancels nothing, and
 * opens the session ledger only if it exists (never creates or rebuilds
 * it), so asking cannot change the answer. */
#include "cli.h"
#include "netreclaim/plan.h"
#include "nrwin_ledger.h"
#include "nrwin_reclaim.h"

#define WHY_USER_CCH NR_LEDGER_USER_CCH
#define WHY_PATH_CCH 1024u
#define WHY_SHARES 16u /* reclaim commands suggested at most */

/* Where a connection's ledger entry came from (docs/design.md rule 4). */
enum why_origin { ORIGIN_UNLISTED = 0, ORIGIN_RECORDED, ORIGIN_REBUILT };

struct why_conn {
    WCHAR user[WHY_USER_CCH]; /* stock NPGetUser; "" when unknown */
    enum why_origin origin;
    enum nr_conn_role role;
    size_t handles; /* under it */
};

struct why {
    const WCHAR *target;     /* \\server[\share], the long form made plain */
    WCHAR plain[CLI_UNC_CCH];
    const WCHAR *user; /* --user, or NULL */
    WCHAR server[NR_SERVER_MAX + 3];
    struct nrwin_conns conns;
    struct why_conn *info;   /* one per connection */
    const nr_char **users;   /* info[i].user, as the core takes them */
    const WCHAR *ledger;     /* what became of reading it */
    struct nrwin_run run;    /* its plan: every File handle under the server */
    struct nr_snapshot snap; /* for the orphans' access masks */
    size_t orphans;
    enum nr_verdict verdict;
};

/* Why `target` is not a \\server[\share] name, as a clause, or NULL. */
static const WCHAR *bad_target(const WCHAR *target)
{
    size_t len = (size_t)lstrlenW(target), server = 0;
    struct nr_unc unc;

    if (len >= 2 && target[1] == L':')
        return L"is a local path: name a \\\\server or \\\\server\\share "
               L"(\"net use X:\" shows a drive letter's)";
    if (len >= 2 && (target[0] == L'\\' || target[0] == L'/') &&
        (target[1] == L'\\' || target[1] == L'/')) {
        while (2 + server < len && target[2 + server] != L'\\' && target[2 + server] != L'/')
            server++;
        if (len > NR_UNC_MAX || server > NR_SERVER_MAX)
            return L"is too long: a server name has at most 255 characters, a share 80";
    }
    if (!nr_parse_unc(target, len, 0, &unc))
        return len > 2 && unc.share.len > NR_SHARE_MAX
                   ? L"is too long: a server name has at most 255 characters, a share 80"
                   : L"is not a \\\\server or \\\\server\\share name";
    if (unc.rest.len)
        return L"names a path inside a share: name the \\\\server or \\\\server\\share";
    return NULL;
}

static int parse(const struct cli *cli, struct why *w)
{
    const WCHAR *bad, *given;

    for (int i = 0; i < cli->argc; i++) {
        if (!lstrcmpW(cli->argv[i], L"--user")) {
            if (++i >= cli->argc || !cli->argv[i][0] || lstrlenW(cli->argv[i]) >= WHY_USER_CCH)
                return out_usage_error(L"why", L"%ls", L"--user needs a user name");
            w->user = cli->argv[i];
        } else if (!w->target && cli->argv[i][0] != '-') {
            w->target = cli->argv[i];
        } else {
            return out_usage_error(L"why", L"unexpected argument \"%ls\"", cli->argv[i]);
        }
    }
    if (!w->target)
        return out_usage_error(L"why", L"%ls", L"name a \\\\server or \\\\server\\share");
    given = w->target;
    w->target = cli_unc_arg(given, w->plain);
    if ((bad = bad_target(w->target))) {
        WCHAR text[400];

        _snwprintf(text, ARRAYSIZE(text), L"\"%%ls\" %ls", bad);
        text[ARRAYSIZE(text) - 1] = 0;
        return out_usage_error(L"why", text, given);
    }
    return CLI_OK;
}

/* Each connection's user as the stock provider reports it: by local name,
 * or by remote name when deviceless. "" when it cannot say. */
static void read_users(HMODULE dll, struct why *w)
{
    PF_NPGetUser get_user = (PF_NPGetUser)(void *)GetProcAddress(dll, "NPGetUser");

    for (size_t i = 0; i < w->conns.count; i++) {
        struct nr_conn *conn = &w->conns.items[i];
        /* npapi.h's NPGetUser takes an LPWSTR name that it only reads */
        WCHAR *name = (WCHAR *)(conn->local[0] ? conn->local : conn->remote);
        DWORD cch = WHY_USER_CCH;

        if (!get_user || get_user(name, w->info[i].user, &cch) != WN_SUCCESS)
            w->info[i].user[0] = 0;
        w->info[i].user[WHY_USER_CCH - 1] = 0;
        w->users[i] = w->info[i].user;
    }
}

/* The session's connections from the stock provider's own enumeration, as
 * the provider and "handles" list them. Fails closed: a partial list could
 * call a conflict stale. */
static int load_connections(struct why *w)
{
    HMODULE dll;
    size_t n;
    int status;

    if ((status = stock_connections(&w->conns, &dll)) != NR_OK)
        return status;
    n = w->conns.count ? w->conns.count : 1;
    w->info = nrwin_alloc(n * sizeof(*w->info));
    w->users = nrwin_alloc(n * sizeof(*w->users));
    if (w->info && w->users)
        read_users(dll, w);
    else
        status = NR_NOMEM;
    FreeLibrary(dll);
    return status;
}

struct origin_walk {
    const struct nrwin_ledger *ledger;
    struct why *w;
};

static int visit_origin(void *ctx, const struct nr_ledger_entry *e)
{
    struct origin_walk *o = ctx;

    if (e->luid != o->ledger->luid || e->state != NR_LEDGER_LIVE)
        return 0;
    for (size_t i = 0; i < o->w->conns.count; i++)
        if (nr_ledger_entry_names(e, o->w->conns.items[i].local, o->w->conns.items[i].remote))
            o->w->info[i].origin = e->origin == NR_LEDGER_ADDED ? ORIGIN_RECORDED : ORIGIN_REBUILT;
    return 0;
}

/* Live marks and origins from the session ledger, opened only if it exists:
 * without it nothing deviceless is live (every process that could vouch for
 * one is gone), which is what the provider would judge too. */
static void read_ledger(struct why *w)
{
    struct nrwin_ledger ledger;
    struct origin_walk walk = { &ledger, w };
    const int status = nrwin_ledger_acquire(&ledger, NULL, NULL);

    if (status == NR_GONE) {
        w->ledger = L"none (no process of this session keeps one)";
        return;
    }
    if (status != NR_OK) {
        w->ledger = L"unreadable (busy or invalid): nothing deviceless counts as live";
        return;
    }
    nrwin_ledger_mark_live(&ledger, w->conns.items, w->conns.count);
    nr_ledger_walk(ledger.image, ledger.size, visit_origin, &walk);
    nrwin_ledger_release(&ledger);
    w->ledger = L"read";
}

/* Every File handle of the session under the server, planned as the
 * provider plans (every listed connection covers its share) and in audit:
 * nothing can be closed. Its handle copies are File handles under the
 * server too: it runs behind the provider's lock, so a reclaim running
 * meanwhile cannot take them for leftovers. */
static int plan_handles(struct why *w, const struct nr_policy *policy)
{
    int status = NR_ERROR;

    w->run.policy = policy;
    w->run.target = w->server;
    w->run.conns = &w->conns;
    w->run.cover = NR_COVER_LISTED;
    w->run.audit = 1;
    switch (nrwin_reclaim_run(&w->run)) {
    case NRWIN_RUN_NO_REQUEST:
        out_msg("error", "prefixes", L"cannot read the redirector prefixes.");
        break;
    case NRWIN_RUN_NO_LOCK:
        out_msg("error", "busy",
                L"another reclaim in this logon session did not end in time. Try again.");
        break;
    case NRWIN_RUN_PLANNED:
        if ((status = w->run.plan.status) != NR_OK)
            out_msg("error", "plan", L"cannot list handles: %hs failed (status %d).",
                    w->run.plan.failed_step ? w->run.plan.failed_step : "planning",
                    w->run.plan.status);
        else if (nrwin_snapshot(NULL, &w->snap) != NR_OK)
            w->snap.count = 0;
        break;
    }
    return status;
}

/* The listed connection whose share a row lies under, or -1: an orphan. */
static long owner_of(const struct why *w, const struct nr_plan_row *row)
{
    const size_t i = nr_conn_under(w->conns.items, w->conns.count, &row->unc);

    return i < w->conns.count ? (long)i : -1;
}

static unsigned long access_of(const struct why *w, const struct nr_plan_row *row)
{
    for (size_t i = 0; i < w->snap.count; i++)
        if (w->snap.handles[i].pid == row->pid && w->snap.handles[i].value == row->value)
            return w->snap.handles[i].access;
    return 0;
}

/* \\server\share[\rest] of a row's NT name. */
static void row_path(const struct nr_plan_row *row, WCHAR *buf, size_t cch)
{
    _snwprintf(buf, cch, L"\\\\%.*ls\\%.*ls%ls%.*ls", (int)row->unc.server.len, row->unc.server.str,
               (int)row->unc.share.len, row->unc.share.str, row->unc.rest.len ? L"\\" : L"",
               (int)row->unc.rest.len, row->unc.rest.str);
    buf[cch - 1] = 0;
}

/* \\server\share of a row, for the reclaim command. */
static void row_share(const struct nr_plan_row *row, WCHAR *buf, size_t cch)
{
    _snwprintf(buf, cch, L"\\\\%.*ls\\%.*ls", (int)row->unc.server.len, row->unc.server.str,
               (int)row->unc.share.len, row->unc.share.str);
    buf[cch - 1] = 0;
}

/* The orphans, and which connections are in use, as the provider's rule 4
 * finds them (nr_mark_in_use); and how many handles each has. */
static void count_rows(struct why *w)
{
    w->orphans = nr_mark_in_use(w->conns.items, w->conns.count, &w->run.plan);
    for (size_t i = 0; i < w->run.plan.row_count; i++) {
        const long owner = owner_of(w, &w->run.plan.rows[i]);

        if (owner >= 0)
            w->info[owner].handles++;
    }
}

static const WCHAR *origin_text(enum why_origin origin)
{
    return origin == ORIGIN_RECORDED  ? L"recorded"
           : origin == ORIGIN_REBUILT ? L"rebuilt"
                                      : L"unlisted";
}

static const WCHAR *role_text(enum nr_conn_role role)
{
    switch (role) {
    case NR_ROLE_BLOCKER:
        return L"blocker";
    case NR_ROLE_CANCEL:
        return L"stale";
    case NR_ROLE_SAME_USER:
        return L"same user";
    case NR_ROLE_IN_USE:
        return L"in use";
    default:
        return L"other";
    }
}

static const WCHAR *local_text(const struct nr_conn *conn)
{
    return conn->local[0] ? conn->local : L"(deviceless)";
}

static void show_connections(const struct why *w)
{
    WCHAR line[WHY_PATH_CCH + 512];
    size_t shown = 0;

    out_list_begin("connections");
    for (size_t i = 0; i < w->conns.count; i++) {
        const struct nr_conn *conn = &w->conns.items[i];
        const struct why_conn *in = &w->info[i];
        const struct out_value v[] = {
            { "local", conn->local, 0, 0 },
            { "remote", conn->remote, 0, 0 },
            { "user", in->user, 0, 0 },
            { "origin", origin_text(in->origin), 0, 0 },
            { "live", NULL, 1, conn->live },
            { "in_use", NULL, 1, conn->in_use },
            { "handles", NULL, 0, (unsigned long)in->handles },
            { "role", role_text(in->role), 0, 0 },
        };

        if (!nr_same_server(conn->remote, w->server))
            continue;
        _snwprintf(line, ARRAYSIZE(line), L"%ls %ls as %ls, %ls%ls, %ls%lu handle(s): %ls",
                   local_text(conn), conn->remote, in->user[0] ? in->user : L"(unknown user)",
                   origin_text(in->origin), conn->live ? L", live" : L"",
                   conn->in_use ? L"in use, " : L"idle, ", (unsigned long)in->handles,
                   role_text(in->role));
        line[ARRAYSIZE(line) - 1] = 0;
        out_list_item("connection", line, v, ARRAYSIZE(v));
        shown++;
    }
    out_list_end();
    out_number("connection_count", (unsigned long)shown);
}

/* The handles under the server: those under a listed connection (its use),
 * then the orphans no listed connection covers. */
static void show_handles(const struct why *w, int orphans)
{
    WCHAR path[WHY_PATH_CCH], line[WHY_PATH_CCH + 512], handle[24];

    out_list_begin(orphans ? "orphans" : "handles");
    for (size_t i = 0; i < w->run.plan.row_count; i++) {
        const struct nr_plan_row *row = &w->run.plan.rows[i];
        const long owner = owner_of(w, row);
        const WCHAR *under = owner < 0 ? L"" : w->conns.items[owner].remote;
        const unsigned long access = access_of(w, row);
        const WCHAR *image = row->image ? row->image : L"?";

        if ((owner < 0) != !!orphans)
            continue;
        row_path(row, path, ARRAYSIZE(path));
        _snwprintf(handle, ARRAYSIZE(handle), L"0x%llx", (unsigned long long)row->value);
        handle[ARRAYSIZE(handle) - 1] = 0;
        {
            const struct out_value v[] = {
                { "process", image, 0, 0 },    { "pid", NULL, 0, row->pid },
                { "handle", handle, 0, 0 },    { "path", path, 0, 0 },
                { "access", NULL, 0, access }, { "connection", under, 0, 0 },
            };

            _snwprintf(line, ARRAYSIZE(line), L"%ls (pid %lu) handle %ls %ls access 0x%08lx%ls%ls",
                       image, (unsigned long)row->pid, handle, path, access,
                       owner < 0 ? L"" : L" under ", under);
            line[ARRAYSIZE(line) - 1] = 0;
            out_list_item(orphans ? "orphan" : "handle", line, v, orphans ? 5 : 6);
        }
    }
    out_list_end();
}

/* Stale: what the provider's next add would clear, and what clears it now.
 * Only orphans and idle connections are stale (nr_judge_add): nothing here
 * closes a file under a listed connection. */
static void advise_stale(const struct why *w)
{
    WCHAR shares[WHY_SHARES][WHY_PATH_CCH], share[WHY_PATH_CCH];
    size_t n = 0, k;

    for (size_t i = 0; i < w->run.plan.row_count; i++) {
        const struct nr_plan_row *row = &w->run.plan.rows[i];

        if (owner_of(w, row) >= 0)
            continue;
        row_share(row, share, ARRAYSIZE(share));
        for (k = 0; k < n && lstrcmpiW(shares[k], share); k++)
            ;
        if (k < n || n == WHY_SHARES)
            continue;
        lstrcpyW(shares[n++], share);
        out_msg("next", "reclaim",
                L"netreclaim reclaim %ls closes the orphan handle(s) above under %ls now (no "
                L"connection is listed for them; they keep an earlier user's session to the "
                L"server open).",
                share, share);
    }
    for (size_t i = 0; i < w->conns.count; i++) {
        WCHAR command[WHY_PATH_CCH];

        if (w->info[i].role != NR_ROLE_CANCEL)
            continue;
        nr_disconnect_command(&w->conns.items[i], command, ARRAYSIZE(command));
        out_msg("next", "cancel",
                L"%ls clears the idle implicit connection %ls now "
                L"(netreclaim's next add to the server cancels it too).",
                command, w->conns.items[i].remote);
    }
    out_msg("note", "stale",
            L"nothing the session keeps or uses holds %ls: through netreclaim, the next add as "
            L"another user clears this and is retried once.",
            w->server);
}

/* True conflict: what holds it, the files open under it and the ways out,
 * in the core's words, as the provider's record gives them. */
static void advise_conflict(const struct why *w)
{
    for (size_t i = 0; i < w->conns.count; i++) {
        const struct nr_conn *conn = &w->conns.items[i];
        const enum nr_conn_role role = w->info[i].role;
        const WCHAR *user = w->info[i].user[0] ? w->info[i].user : L"(unknown user)";
        WCHAR files[WHY_PATH_CCH * 2], advice[WHY_PATH_CCH];

        if (role != NR_ROLE_BLOCKER && role != NR_ROLE_IN_USE)
            continue;
        nr_in_use_files(w->conns.items, w->conns.count, i, &w->run.plan, files,
                        ARRAYSIZE(files));
        nr_in_use_advice(conn, role, advice, ARRAYSIZE(advice));
        if (role == NR_ROLE_IN_USE)
            out_msg("next", "in_use", L"%ls %ls is in use as %ls, files open: %ls. Ways out: %ls.",
                    local_text(conn), conn->remote, user, files, advice);
        else if (conn->in_use)
            out_msg("next", "blocker", L"%ls %ls is connected as %ls, files open: %ls: %ls",
                    local_text(conn), conn->remote, user, files, advice);
        else
            out_msg("next", "blocker", L"%ls %ls is connected as %ls: %ls", local_text(conn),
                    conn->remote, user, advice);
    }
    if (w->orphans)
        out_msg("note", "orphans",
                L"the orphan handle(s) above are netreclaim's to close: once the above is "
                L"settled, its next add as another user closes them and is retried once.");
}

static void show_verdict(const struct why *w)
{
    const char *name = nr_verdict_name(w->verdict);
    size_t blockers = 0, cancels = 0;

    const size_t unnamed = w->run.plan.reasons[NR_REASON_NAME_TIMEOUT] +
                           w->run.plan.reasons[NR_REASON_LIMIT];

    for (size_t i = 0; i < w->conns.count; i++) {
        blockers += w->info[i].role == NR_ROLE_BLOCKER || w->info[i].role == NR_ROLE_IN_USE;
        cancels += w->info[i].role == NR_ROLE_CANCEL;
    }
    out_number("orphan_count", (unsigned long)w->orphans);
    /* A handle not named in time may be under the server: the verdict
     * cannot count it (rule 6 bounds each query). */
    out_number("unnamed", (unsigned long)unnamed);
    if (unnamed)
        out_msg("note", "unnamed",
                L"%lu handle(s) of this session could not be named in time (a busy machine, or "
                L"a query that blocks): what they hold is not counted above. Ask again.",
                (unsigned long)unnamed);
    out_number("blockers", (unsigned long)blockers);
    out_number("to_cancel", (unsigned long)cancels);
    out_field("verdict", L"%hs", name);
    if (w->verdict == NR_VERDICT_STALE)
        advise_stale(w);
    else if (w->verdict == NR_VERDICT_TRUE_CONFLICT)
        advise_conflict(w);
    else
        out_msg("note", "clear",
                w->user ? L"nothing in this session holds another user's session to %ls: an add "
                          L"as %ls should not meet 1219 here."
                        : L"nothing in this session holds %ls%ls: an add as any user should not "
                          L"meet 1219 here.",
                w->server, w->user ? w->user : L"");
}

static int judge_and_show(struct why *w)
{
    enum nr_conn_role *roles = nrwin_alloc((w->conns.count ? w->conns.count : 1) * sizeof(*roles));

    if (!roles) {
        out_msg("error", NULL, L"out of memory");
        return CLI_FAILED;
    }
    count_rows(w);
    w->verdict = nr_judge_add(w->conns.items, w->users, w->conns.count, w->server, w->user,
                              w->orphans, roles);
    for (size_t i = 0; i < w->conns.count; i++)
        w->info[i].role = roles[i];
    nrwin_free(roles);
    out_field("target", L"%ls", w->target);
    out_field("server", L"%ls", w->server);
    out_field("user", L"%ls", w->user ? w->user : L"");
    out_field("ledger", L"%ls", w->ledger);
    show_connections(w);
    show_handles(w, 0);
    show_handles(w, 1);
    show_verdict(w);
    return w->verdict == NR_VERDICT_STALE           ? CLI_STALE
           : w->verdict == NR_VERDICT_TRUE_CONFLICT ? CLI_CONFLICT
                                                    : CLI_OK;
}

int cmd_why(const struct cli *cli)
{
    struct why w = { 0 };
    struct nr_policy policy;
    int rc;

    if ((rc = parse(cli, &w)) != CLI_OK)
        return rc;
    /* It parsed, and its server fits: bad_target said so. */
    nr_server_of(w.target, 0, w.server, ARRAYSIZE(w.server));
    settings_load(&policy);
    if (load_connections(&w) != NR_OK) {
        out_msg("error", "connections",
                L"cannot list this session's connections: no verdict. Check the stock "
                L"provider (netreclaim doctor).");
        rc = CLI_FAILED;
    } else {
        read_ledger(&w);
        rc = plan_handles(&w, &policy) == NR_OK ? judge_and_show(&w) : CLI_FAILED;
        nrwin_reclaim_free(&w.run);
        if (w.snap.handles)
            nrwin_free_snapshot(NULL, &w.snap);
    }
    nrwin_free(w.info);
    nrwin_free(w.users);
    nrwin_conns_free(&w.conns);
    return rc;
}
