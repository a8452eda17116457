/* KB Q245006 itself, and netreclaim's answer to it (docs/design.md, "The
 * problem", rules 3 and 4, and the open fact "A forced cancel and
 * orphans"). First through the stock provider alone, as if netreclaim were
 * not there: the first user maps a drive, a second process opens a file
 * through it, the drive is cancelled with force; then what is left (the
 * handle, its name, the listing) and whether the second user meets 1219.
 * Then netreclaim.dll's add as the second user (rule 4), and, when
 * NetReclaim stands in the order, the same sequence through WNet (rule 3).
 * What Windows does with the orphan is what this program exists to find
 * out: those answers are recorded, not judged; what netreclaim promises is. */
#include <stdio.h>
#include "netreclaim/unc.h"
#include "nrconform.h"

typedef DWORD(APIENTRY *add3_fn)(HWND, LPNETRESOURCEW, LPWSTR, LPWSTR, DWORD);
typedef DWORD(APIENTRY *cancel_fn)(LPWSTR, BOOL);

struct provider {
    HMODULE dll;
    add3_fn add;
    cancel_fn cancel;
};

static BOOL provider_of(HMODULE dll, struct provider *p)
{
    p->dll = dll;
    p->add = (add3_fn)(void *)GetProcAddress(dll, "NPAddConnection3");
    p->cancel = (cancel_fn)(void *)GetProcAddress(dll, "NPCancelConnection");
    return dll && p->add && p->cancel;
}

static DWORD add_as(const struct provider *p, const struct nrc_env *env, int user, WCHAR *local,
                    WCHAR *remote)
{
    NETRESOURCEW res = { .dwType = RESOURCETYPE_DISK,
                         .lpLocalName = local,
                         .lpRemoteName = remote };
    WCHAR user_name[256], password[64];

    lstrcpynW(user_name, env->user[user], ARRAYSIZE(user_name));
    lstrcpynW(password, env->password[user], ARRAYSIZE(password));
    return p ? p->add(NULL, &res, password, user_name, 0)
             : WNetAddConnection2W(&res, password, user_name, 0);
}

/* The file the second process opens: through the drive where it opens,
 * else by its UNC name under the same connection. */
static void held_path(const WCHAR *drive, const WCHAR *remote, WCHAR *path, size_t cch)
{
    swprintf(path, cch, L"%ls\\f.txt", drive);
    if (GetFileAttributesW(path) == INVALID_FILE_ATTRIBUTES)
        swprintf(path, cch, L"%ls\\f.txt", remote);
}

/* netreclaim.dll: the installed one, else the one beside this program. */
static HMODULE load_netreclaim(void)
{
    WCHAR path[MAX_PATH], *slash;
    const UINT n = GetSystemDirectoryW(path, MAX_PATH);
    HMODULE dll = NULL;

    if (n && n < MAX_PATH - 16) {
        lstrcpyW(path + n, L"\\netreclaim.dll");
        dll = LoadLibraryW(path);
    }
    if (!dll && GetModuleFileNameW(NULL, path, MAX_PATH) && (slash = wcsrchr(path, L'\\'))) {
        lstrcpynW(slash + 1, L"netreclaim.dll", (int)(MAX_PATH - (slash + 1 - path)));
        dll = LoadLibraryW(path);
    }
    return dll;
}

/* What is left after the forced cancel. Returns whether the orphan stays. */
static BOOL after_cancel(const struct provider *stock, struct nrc_child *c, const WCHAR *server,
                         const WCHAR *share, WCHAR *remote)
{
    nr_char name[NRC_NAME_CCH];
    struct nr_nt_name parsed;
    uint32_t protocol;
    size_t len;
    BOOL found = FALSE, listed;
    int status;

    status = nrc_in_table(c->pi.dwProcessId, c->value[0], &found);
    if (status != NR_OK)
        nrc_check("q245006.orphan_in_handle_table", NRC_FAILED,
                  "the handle table does not read (status %d)", status);
    else
        nrc_check("q245006.orphan_in_handle_table", NRC_OK, "%s",
                  found ? "yes: the second process's handle is still in the table"
                        : "no: the forced cancel closed it");
    if (!found) {
        nrc_check("q245006.orphan_named_under_share", NRC_SKIPPED,
                  "no orphan handle: rule 3 has nothing to close after a forced cancel here");
    } else {
        status = nrc_name_in(c->pi.dwProcessId, c->value[0], name, NRC_NAME_CCH, &len, &protocol);
        nrc_expect("q245006.orphan_named_under_share",
                   status == NR_OK && nrc_parse(name, len, &parsed) &&
                       nrc_is_share(&parsed, server, share),
                   "status %d, name %s, protocol 0x%08x", status,
                   status == NR_OK ? nrc_u8(name, len) : "-", protocol);
    }
    status = nrc_listed(stock->dll, remote, &listed);
    if (status != NR_OK)
        nrc_check("q245006.share_listed_after_forced_cancel", NRC_FAILED,
                  "the stock enumeration fails (status %d)", status);
    else
        nrc_check("q245006.share_listed_after_forced_cancel", NRC_OK, "%s: %s",
                  listed ? "yes" : "no", nrc_u8(remote, wcslen(remote)));
    return found;
}

/* The sequence through the stock provider, then netreclaim.dll's add. */
static void stock_sequence(const struct nrc_env *env, const struct provider *stock)
{
    WCHAR remote[MAX_PATH], path[MAX_PATH], drive[3], *paths[1] = { path };
    struct provider nr = { 0 };
    struct nrc_child c;
    DWORD rc;
    int holds;

    nrc_unc(remote, ARRAYSIZE(remote), env->servers[0], env->share, NULL);
    if (!nrc_free_drive(drive)) {
        nrc_check("q245006.stock_add_first_user", NRC_SKIPPED, "no free drive letter");
        return;
    }
    rc = add_as(stock, env, 0, drive, remote);
    nrc_expect("q245006.stock_add_first_user", rc == 0,
               "the stock add of %ls as the first user: %lu", drive, rc);
    if (rc)
        return;
    held_path(drive, remote, path, ARRAYSIZE(path));
    if (!nrc_child_start(&c, 1, (const WCHAR *const *)paths) || c.error[0]) {
        nrc_check("q245006.second_process_holds_file", NRC_FAILED, "%s not held (error %lu)",
                  nrc_u8(path, wcslen(path)), c.error[0]);
        stock->cancel(drive, TRUE);
        return;
    }
    nrc_check("q245006.second_process_holds_file", NRC_OK, "%s", nrc_u8(path, wcslen(path)));
    rc = stock->cancel(drive, TRUE);
    nrc_expect("q245006.stock_forced_cancel_succeeds", rc == 0,
               "NPCancelConnection(%ls, force) with the file open: %lu", drive, rc);
    after_cancel(stock, &c, env->servers[0], env->share, remote);
    rc = add_as(stock, env, 1, NULL, remote);
    nrc_check("q245006.second_user_add_after_forced_cancel", NRC_OK,
              rc == ERROR_SESSION_CREDENTIAL_CONFLICT
                  ? "1219: Q245006 reproduced (the stock provider alone)"
                  : "%lu: the second user's add through the stock provider",
              rc);
    if (rc == 0)
        stock->cancel(remote, FALSE);
    if (rc != ERROR_SESSION_CREDENTIAL_CONFLICT) {
        nrc_check("q245006.rule4_add_through_netreclaim", NRC_SKIPPED,
                  "no 1219 to recover from here");
    } else if (!provider_of(load_netreclaim(), &nr)) {
        nrc_check("q245006.rule4_add_through_netreclaim", NRC_SKIPPED,
                  "netreclaim.dll is neither in the system folder nor beside this program");
    } else {
        rc = add_as(&nr, env, 1, NULL, remote);
        holds = nrc_child_holds(&c, 0);
        nrc_expect("q245006.rule4_add_through_netreclaim", rc == 0 && holds == 0,
                   "netreclaim.dll's add as the second user: %lu; the orphan %s", rc,
                   holds == 0   ? "closed"
                   : holds == 1 ? "still open"
                                : "unknown (no answer)");
        if (rc == 0)
            stock->cancel(remote, FALSE);
    }
    if (nr.dll)
        FreeLibrary(nr.dll);
    nrc_child_end(&c);
}

/* The same through WNet, with NetReclaim in the order: rule 3 on the cancel. */
static void order_sequence(const struct nrc_env *env)
{
    WCHAR remote[MAX_PATH], path[MAX_PATH], drive[3], *paths[1] = { path };
    struct nrc_child c;
    DWORD rc;
    int holds;

    nrc_unc(remote, ARRAYSIZE(remote), env->servers[3], env->share, NULL);
    if (!env->netreclaim_in_order || !nrc_free_drive(drive)) {
        nrc_check("q245006.rule3_forced_cancel_closes_orphan", NRC_SKIPPED,
                  env->netreclaim_in_order ? "no free drive letter"
                                           : "NetReclaim is not in ProviderOrder");
        return;
    }
    if ((rc = add_as(NULL, env, 0, drive, remote))) {
        nrc_check("q245006.rule3_forced_cancel_closes_orphan", NRC_FAILED,
                  "WNetAddConnection2 of %ls as the first user: %lu", drive, rc);
        return;
    }
    held_path(drive, remote, path, ARRAYSIZE(path));
    if (!nrc_child_start(&c, 1, (const WCHAR *const *)paths) || c.error[0]) {
        nrc_check("q245006.rule3_forced_cancel_closes_orphan", NRC_FAILED,
                  "%s not held (error %lu)", nrc_u8(path, wcslen(path)), c.error[0]);
        WNetCancelConnection2W(drive, 0, TRUE);
        return;
    }
    rc = WNetCancelConnection2W(drive, 0, TRUE);
    holds = nrc_child_holds(&c, 0);
    nrc_expect("q245006.rule3_forced_cancel_closes_orphan", rc == 0 && holds == 0,
               "WNetCancelConnection2(%ls, force): %lu; the second process's handle %s", drive, rc,
               holds == 0   ? "closed"
               : holds == 1 ? "still open"
                            : "unknown (no answer)");
    rc = add_as(NULL, env, 1, NULL, remote);
    nrc_expect("q245006.second_user_add_after_rule3", rc == 0,
               "WNetAddConnection2 as the second user: %lu", rc);
    if (rc == 0)
        WNetCancelConnection2W(remote, 0, FALSE);
    nrc_child_end(&c);
}

void nrc_q245006(const struct nrc_env *env)
{
    struct provider stock;
    char why[1200];

    if (!env->share[0] || !env->user[0][0]) {
        nrc_check("q245006", NRC_SKIPPED,
                  "no share or no users: run with --setup (elevated), or --share and --users");
        return;
    }
    if (!provider_of(nrc_stock(why, sizeof(why)), &stock)) {
        nrc_check("q245006", NRC_FAILED, "%s",
                  stock.dll ? "the stock provider lacks "
                              "NPAddConnection3 or NPCancelConnection"
                            : why);
        return;
    }
    stock_sequence(env, &stock);
    order_sequence(env);
    FreeLibrary(stock.dll);
}
