/* What rules 3 and 4 both do once they know their target: close the handles
 * under it that no listed connection covers (docs/design.md rules 3, 5, 6, 7),
 * which also shows which listed connections have files open, then cancel
 * without force the idle deviceless connections the core picked. The
 * redirector keeps such a connection, made by plain UNC access, for its
 * KeepConn period, and it pins its user's session to the server; a busy one
 * refuses (2401) and stays. */
#include "nrprov.h"
#include "win/nrwin_reclaim.h"

void nrp_tell_skipped(const WCHAR *target, const WCHAR *why)
{
    const DWORD_PTR args[2] = { (DWORD_PTR)target, (DWORD_PTR)why };
    WCHAR text[NRP_TARGET_CCH + 128];

    nrwin_format(text, ARRAYSIZE(text), L"Nothing reclaimed under %1: %2.", args);
    nrwin_log(NR_EVENT_RECLAIM_SKIPPED, text);
}

static void plan_run(const WCHAR *target, struct nrwin_conns *conns, struct nrp_swept *out)
{
    struct nrwin_run *run = &out->run;

    switch (nrwin_reclaim_run(run)) {
    case NRWIN_RUN_NO_REQUEST:
        nrp_tell_skipped(target, L"the redirector prefixes cannot be read");
        break;
    case NRWIN_RUN_NO_LOCK:
        nrp_tell_skipped(target, L"another reclaim in this logon session did not end in time");
        break;
    case NRWIN_RUN_PLANNED:
        out->planned = run->plan.status == NR_OK;
        out->closed = run->plan.closed;
        out->left = run->plan.row_count - run->plan.closed;
        /* Rule 4: what a listed connection has open is in use, never a
         * leftover to cancel. */
        nr_mark_in_use(conns->items, conns->count, &run->plan);
        break;
    }
}

void nrp_sweep_handles(const struct nr_policy *policy, const WCHAR *target,
                       struct nrwin_conns *conns, enum nrp_sweep_mode mode, struct nrp_swept *out)
{
    const DWORD error = GetLastError();
    struct nrwin_run *run = &out->run;

    ZeroMemory(out, sizeof(*out));
    run->policy = policy;
    run->target = target;
    run->conns = conns;
    run->cover = NR_COVER_LISTED;
    run->audit = mode == NRP_SWEEP_LOOK || policy->mode == NR_MODE_AUDIT;
    run->record = mode == NRP_SWEEP_LOOK ? NRWIN_RECORD_NONE : NRWIN_RECORD_WORTH;
    run->step = nrp_trace_step;
    /* A 32-bit caller on 64-bit Windows: the native netreclaim.exe reads the
     * handle table without WOW64's thunk and writes the record; what it
     * cannot do, the Event Log hears (docs/design.md rule 6, docs/wow64.md). */
    if (mode != NRP_SWEEP_MAY_HAND_OFF ||
        nrwin_handoff(target, policy->timeout_ms) == NR_ROUTE_IN_PROCESS) {
        nrp_trace_step("hand-off check");
        plan_run(target, conns, out);
    }
    SetLastError(error);
}

void nrp_sweep_free(struct nrp_swept *swept)
{
    nrwin_reclaim_free(&swept->run);
}

/* A logon session the policy leaves alone (docs/design.md rule 5), as the
 * plan decides it: nothing cancelled there either. */
static BOOL service_session(const struct nr_policy *policy)
{
    uint64_t luid = 0;
    const bool known = nrwin_caller_luid(NULL, &luid) == NR_OK;

    return nr_session_left_alone(known, luid, policy->allow_service_sessions);
}

void nrp_sweep_idle(const struct nr_policy *policy, struct nrwin_conns *conns,
                    const enum nr_conn_role *roles, struct nrp_swept *out)
{
    const DWORD error = GetLastError();
    const BOOL service = service_session(policy);
    const BOOL audit = policy->mode == NR_MODE_AUDIT || service;
    WCHAR gone[NRP_NOTE_CCH] = L"", text[NRP_NOTE_CCH + 128];

    for (size_t i = 0; roles && i < conns->count; i++) {
        const WCHAR *remote = conns->items[i].remote;

        if (roles[i] != NR_ROLE_CANCEL)
            continue;
        if (audit) {
            nr_list_append(gone, ARRAYSIZE(gone), remote);
        } else if (nrp_stock_cancel_unforced(remote) == WN_SUCCESS) {
            nr_list_append(gone, ARRAYSIZE(gone), remote);
            out->cancelled++;
        } else {
            /* Busy after all (a handle the plan could not see): in use. */
            conns->items[i].in_use = true;
            nr_list_append(out->refused, ARRAYSIZE(out->refused), remote);
        }
    }
    if (gone[0]) {
        const DWORD_PTR args[2] = { (DWORD_PTR)(service ? L"Would cancel (service session)"
                                                : audit ? L"Would cancel (audit)"
                                                        : L"Cancelled"),
                                    (DWORD_PTR)gone };

        nrwin_format(text, ARRAYSIZE(text),
                     L"%1 the idle deviceless connections that pinned the session: %2.", args);
        nrwin_log(audit ? NR_EVENT_IDLE_WOULD_CANCEL : NR_EVENT_IDLE_CANCELLED, text);
    }
    nrp_trace_step("idle cancels");
    SetLastError(error);
}

