/* The process-wide memory of handles whose name query blocked
 * (netreclaim/blocked.h), behind the seam: one set for every reclaim this
 * process runs, under one lock, for as long as the DLL stays loaded. */
#include "nrwin.h"

static SRWLOCK lock = SRWLOCK_INIT;
static struct nr_blocked blocked;

/* The creation time tells a process from a later one with the same pid.
 * PROCESS_QUERY_LIMITED_INFORMATION suffices for GetProcessTimes (Vista and
 * later, per Microsoft's GetProcessTimes documentation). */
static int created_time(HANDLE process, void *out)
{
    FILETIME created, exited, kernel, user;

    if (!GetProcessTimes(process, &created, &exited, &kernel, &user))
        return nrwin_status(GetLastError());
    *(uint64_t *)out = (uint64_t)created.dwHighDateTime << 32 | created.dwLowDateTime;
    return NR_OK;
}

int nrwin_process_started(void *ctx, uint32_t pid, uint64_t *started)
{
    (void)ctx;
    *started = 0;
    return nrwin_ask_process(pid, created_time, started);
}

bool nrwin_was_blocked(void *ctx, const struct nr_blocked_key *key)
{
    bool found;

    (void)ctx;
    AcquireSRWLockShared(&lock);
    found = nr_blocked_has(&blocked, key);
    ReleaseSRWLockShared(&lock);
    return found;
}

void nrwin_remember_blocked(void *ctx, const struct nr_blocked_key *key)
{
    (void)ctx;
    AcquireSRWLockExclusive(&lock);
    nr_blocked_add(&blocked, key);
    ReleaseSRWLockExclusive(&lock);
}
