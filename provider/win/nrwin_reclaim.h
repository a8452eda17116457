/* One reclaim in the caller's logon session, as the provider's sweep and the
 * CLI's handles, reclaim and why all run it (docs/design.md rules 3, 5, 6
 * and 7), and the lock behind which one runs at a time per session. */
#ifndef NETRECLAIM_NRWIN_RECLAIM_H
#define NETRECLAIM_NRWIN_RECLAIM_H

#include "nrwin.h"

/* reclaim_lock.c: one reclaim at a time in the caller's logon session (plan
 * and closes): waits at most timeout_ms (NR_TIMEOUT), a lock made by someone
 * else is refused. Release with nrwin_reclaim_unlock. */
int nrwin_reclaim_lock(DWORD timeout_ms, HANDLE *lock);
/* How long to wait for it: a reclaim with every allowed name query timing
 * out, and two seconds more, at most 30 s. */
#define nrwin_reclaim_wait_ms(query_ms)                                                            \
    ((query_ms) < (30000u - 2000u) / NR_PLAN_MAX_TIMEOUTS                                          \
         ? 2000u + NR_PLAN_MAX_TIMEOUTS * (query_ms)                                               \
         : 30000u)
void nrwin_reclaim_unlock(HANDLE lock);

/* Which plans get an Event Log record (rule 7). */
enum nrwin_record {
    NRWIN_RECORD_NONE = 0, /* none: handles, a dry run, why */
    NRWIN_RECORD_WORTH,    /* one when nr_plan_worth_telling: the provider, and its hand-off */
    NRWIN_RECORD_BUILT,    /* one for every plan built: reclaim run by hand */
};

/* How a run ended. */
enum nrwin_run_result {
    NRWIN_RUN_PLANNED,    /* the plan is in run->plan, built or not (plan.status) */
    NRWIN_RUN_NO_REQUEST, /* the redirector prefixes could not be read */
    NRWIN_RUN_NO_LOCK,    /* another reclaim of the session kept the lock past the wait */
};

/* reclaim_run.c: one run. The caller fills the first part; the run fills
 * the rest, which stays valid until nrwin_reclaim_free. */
struct nrwin_run {
    const struct nr_policy *policy; /* exclusions, timeout, service sessions */
    const WCHAR *target;            /* \\server\share, or \\server */
    const struct nrwin_conns *conns;
    enum nr_cover_mode cover; /* which connections protect their share */
    int audit;                /* plan and report, close nothing */
    enum nrwin_record record;
    void (*step)(const char *step); /* each step's end (the provider's trace), or NULL */
    struct nr_os os;                /* the seam the plan was built through */
    struct nr_plan plan;            /* after its closes */
};

/* Builds the request (nrwin_request_build), takes the session's reclaim lock
 * (waiting nrwin_reclaim_wait_ms of the policy's timeout), plans, closes
 * what the plan allows, writes the record run->record asks for, and
 * unlocks. Steps told: "reclaim request", "reclaim lock" (once had),
 * "plan", "closes", "record". Release with nrwin_reclaim_free, whatever it
 * answers. */
enum nrwin_run_result nrwin_reclaim_run(struct nrwin_run *run);
void nrwin_reclaim_free(struct nrwin_run *run);

#endif
