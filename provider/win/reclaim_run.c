/* One reclaim as every caller runs it (see nrwin_reclaim.h): the callers
 * differ only in what they ask for and in how they tell the outcome. */
#include "nrwin_reclaim.h"

static void step(const struct nrwin_run *run, const char *name)
{
    if (run->step)
        run->step(name);
}

/* One record per reclaim that found something, could not look, or may have
 * missed something (rule 7); run by hand, one for every plan built. */
static BOOL wants_record(const struct nrwin_run *run)
{
    switch (run->record) {
    case NRWIN_RECORD_WORTH:
        return nr_plan_worth_telling(&run->plan);
    case NRWIN_RECORD_BUILT:
        return run->plan.status == NR_OK;
    default:
        return FALSE;
    }
}

enum nrwin_run_result nrwin_reclaim_run(struct nrwin_run *run)
{
    enum nrwin_run_result result = NRWIN_RUN_PLANNED;
    struct nrwin_request r;
    HANDLE lock;
    int status;

    ZeroMemory(&run->plan, sizeof(run->plan));
    nrwin_os(&run->os);
    status = nrwin_request_build(&r, run->policy, run->target, run->conns, run->cover, run->audit);
    step(run, "reclaim request");
    if (status != NR_OK)
        return NRWIN_RUN_NO_REQUEST;
    if (nrwin_reclaim_lock(nrwin_reclaim_wait_ms(run->policy->timeout_ms), &lock) != NR_OK) {
        result = NRWIN_RUN_NO_LOCK;
        goto done;
    }
    step(run, "reclaim lock");
    nr_plan_build(&run->os, &r.req, &run->plan);
    step(run, "plan");
    if (run->plan.status == NR_OK)
        nr_plan_execute(&run->os, &run->plan);
    step(run, "closes");
    if (wants_record(run))
        nr_plan_report(&run->os, &run->plan);
    step(run, "record");
    nrwin_reclaim_unlock(lock);
done:
    nrwin_request_free(&r);
    return result;
}

void nrwin_reclaim_free(struct nrwin_run *run)
{
    nr_plan_free(&run->plan);
}
