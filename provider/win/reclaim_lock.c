/* One reclaim at a time in a logon session. A reclaim's own handle copies
 * (a name being checked, an object kept for the close) are File handles
 * under its target in its process; a reclaim running at the same time in
 * another process of the session would take them for leftovers and close
 * them, and the first would then close whatever its values named by then
 * (seen under Wine under load). The mutex is owner-only like the ledger's,
 * made by whoever reclaims first, and one made by someone else is not
 * waited on (docs/design.md rule 6). */
#include "nrwin_reclaim.h"

#define RECLAIM_LOCK_NAME_CCH 64u

int nrwin_reclaim_lock(DWORD timeout_ms, HANDLE *lock)
{
    union nrwin_caller_user token;
    struct nrwin_owner_sd owner;
    SECURITY_ATTRIBUTES sa = { sizeof(sa), &owner.sd, FALSE };
    WCHAR name[RECLAIM_LOCK_NAME_CCH];
    uint64_t luid;
    DWORD_PTR args[2];
    DWORD wait;
    int status;

    *lock = NULL;
    if ((status = nrwin_caller_luid(NULL, &luid)) != NR_OK ||
        (status = nrwin_caller_user(&token)) != NR_OK)
        return status;
    if (!nrwin_owner_only(&owner, token.user.User.Sid, MUTEX_ALL_ACCESS))
        return nrwin_status(GetLastError());
    args[0] = (DWORD)(luid >> 32);
    args[1] = (DWORD)luid;
    nrwin_format(name, ARRAYSIZE(name), L"Local\\NetReclaim.Reclaim.%1!08lX!%2!08lX!", args);
    if (!(*lock = CreateMutexW(&sa, FALSE, name)))
        return nrwin_status(GetLastError());
    status = nrwin_check_owner(*lock, token.user.User.Sid);
    if (status == NR_OK) {
        /* An abandoned mutex is ours: its holder died mid-reclaim. */
        wait = WaitForSingleObject(*lock, timeout_ms);
        status = wait == WAIT_OBJECT_0 || wait == WAIT_ABANDONED ? NR_OK
                 : wait == WAIT_TIMEOUT                          ? NR_TIMEOUT
                                                                 : nrwin_status(GetLastError());
    }
    if (status != NR_OK) {
        CloseHandle(*lock);
        *lock = NULL;
    }
    return status;
}

void nrwin_reclaim_unlock(HANDLE lock)
{
    ReleaseMutex(lock);
    CloseHandle(lock);
}
