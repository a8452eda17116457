/* Implicit (deviceless) connections: a plain UNC open makes one, and rule 3
 * cancels the idle ones without force after a reclaim, trusting that one
 * still in use refuses (docs/design.md rule 3). Asked of the stock provider
 * directly, as netreclaim asks it. */
#include "nrconform.h"

typedef DWORD(APIENTRY *cancel_fn)(LPWSTR, BOOL);

/* The cancels, once the connection is listed; ends the child. */
static void cancels(cancel_fn cancel, WCHAR *remote, struct nrc_child *c)
{
    DWORD rc = cancel(remote, FALSE);
    const int holds = nrc_child_holds(c, 0);

    nrc_expect("implicit.busy_unforced_cancel_refused", rc != 0 && holds == 1,
               "NPCancelConnection(%s, no force) with a file open: %lu; the file %s",
               nrc_u8(remote, wcslen(remote)), rc, holds == 1 ? "still open" : "not open");
    nrc_child_end(c);
    rc = cancel(remote, FALSE);
    nrc_expect("implicit.idle_unforced_cancel_succeeds", rc == 0,
               "NPCancelConnection(%s, no force) once idle: %lu", nrc_u8(remote, wcslen(remote)),
               rc);
}

void nrc_implicit(const struct nrc_env *env)
{
    WCHAR remote[MAX_PATH], path[MAX_PATH], *paths[1] = { path };
    struct nrc_child c = { 0 };
    cancel_fn cancel = NULL;
    HMODULE stock;
    char why[1200];
    BOOL listed = FALSE;
    int status;

    nrc_unc(remote, ARRAYSIZE(remote), env->servers[1], env->share, NULL);
    nrc_unc(path, ARRAYSIZE(path), env->servers[1], env->share, L"f.txt");
    if (!(stock = nrc_stock(why, sizeof(why))) ||
        !(cancel = (cancel_fn)(void *)GetProcAddress(stock, "NPCancelConnection")))
        nrc_check("implicit", NRC_FAILED, "%s", stock ? "no NPCancelConnection" : why);
    else if (!nrc_child_start(&c, 1, (const WCHAR *const *)paths) || c.error[0])
        nrc_check("implicit.unc_open_listed", NRC_FAILED, "%s not held (error %lu)",
                  nrc_u8(path, wcslen(path)), c.error[0]);
    else if ((status = nrc_listed(stock, remote, &listed)) != NR_OK)
        nrc_check("implicit.unc_open_listed", NRC_FAILED, "the stock enumeration fails (status %d)",
                  status);
    else
        nrc_check("implicit.unc_open_listed", NRC_OK, "%s: after a plain open of %s, %s",
                  listed ? "yes" : "no", nrc_u8(path, wcslen(path)),
                  listed ? "the stock enumeration lists a deviceless connection" : "none listed");
    if (listed) {
        cancels(cancel, remote, &c);
    } else if (cancel) {
        nrc_check("implicit.busy_unforced_cancel_refused", NRC_SKIPPED,
                  "no implicit connection listed: nothing for rule 3 to cancel");
        nrc_check("implicit.idle_unforced_cancel_succeeds", NRC_SKIPPED,
                  "no implicit connection listed: nothing for rule 3 to cancel");
    }
    nrc_child_end(&c);
    if (stock)
        FreeLibrary(stock);
}
