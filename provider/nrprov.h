/* netreclaim.dll internals (prefix nrp_). The layers, top down, each
 * calling only the ones below it:
 *   np.c         the NP exports: forward to the stock provider exactly once
 *   cancel.c     rule 3, around a cancel     recover.c  rule 4, after a 1219 on add
 *   sweep.c      what both rules do: close the orphans, cancel idle deviceless connections
 *   np_ledger.c  the session ledger as the entries use it
 *   stock.c      every stock call made for our own purposes
 *   np_policy.c  the settings; trace.c  the optional trace of every NP entry and exit
 *   win/         the Windows layer (nrwin_)   core/  the decisions, pure C (nr_) */
#ifndef NETRECLAIM_NRPROV_H
#define NETRECLAIM_NRPROV_H

#include "np_decl.h"
#include "win/nrwin.h"
#include "win/nrwin_reclaim.h"

/* stock.c: each leaves the thread's last error as it found it.
 * nrp_stock_connections: the session's connections (nrwin_conns_list over
 * the stock enumeration). nrp_stock_remote_of: NPGetConnection, the
 * \\server\share a local name maps to. nrp_stock_cancel_unforced: cancel a
 * connection without force (a busy one refuses), the stock's answer.
 * nrp_stock_user_of: NPGetUser, "" when the stock cannot say. */
int nrp_stock_connections(struct nrwin_conns *conns);
BOOL nrp_stock_remote_of(const WCHAR *local, WCHAR *remote, DWORD cch);
DWORD nrp_stock_cancel_unforced(const WCHAR *remote);
BOOL nrp_stock_user_of(const WCHAR *name, WCHAR *user, DWORD cch);

/* np_ledger.c: the session ledger as the NP entries use it. Each fails open:
 * when the ledger cannot be had (lock timeout, no objects), it is skipped
 * and the Event Log says so; the thread's last error is kept. */
void nrp_ledger_record(const WCHAR *local, const WCHAR *remote, const WCHAR *user);
void nrp_ledger_forget(const WCHAR *name); /* a cancelled local or remote name */
BOOL nrp_ledger_remote_of(const WCHAR *local, WCHAR *remote, DWORD cch);
/* Marks live the listed connections the ledger holds live; NR_OK or why it
 * cannot tell (then none is live). */
int nrp_ledger_mark_live(struct nrwin_conns *conns);
/* Once per process, at its first NP entry (never under the loader lock):
 * keeps the session's existing ledger objects open, so the image outlives
 * the short-lived processes that write it. */
void nrp_ledger_keep(void);

/* sweep.c, in two steps. nrp_sweep_handles closes the handles under
 * `target` (\\server\share, or \\server) that no listed connection covers,
 * in audit mode or with NRP_SWEEP_LOOK only plans, and marks in_use each
 * listed connection with handles under it (nr_mark_in_use); the plan stays
 * in `out` until nrp_sweep_free. With NRP_SWEEP_MAY_HAND_OFF, a WOW64
 * process hands the handles to netreclaim.exe (nrwin_handoff): then nothing
 * is planned here, and its record counts them. nrp_sweep_idle cancels
 * without force the connections roles[] marks NR_ROLE_CANCEL (none when
 * roles is NULL; in audit mode
 * or a service session only names them); one that refuses is marked in_use.
 * The Event Log hears what was done; both keep the thread's last error. */
#define NRP_NOTE_CCH 1024u
enum nrp_sweep_mode {
    NRP_SWEEP_IN_PROCESS,   /* close as the policy allows, in this process */
    NRP_SWEEP_MAY_HAND_OFF, /* the same, or the WOW64 hand-off */
    NRP_SWEEP_LOOK,         /* plan only: close nothing, no record */
};
struct nrp_swept {
    size_t closed;               /* handles closed */
    size_t left;                 /* handles under the target left open */
    size_t cancelled;            /* idle deviceless connections cancelled */
    WCHAR refused[NRP_NOTE_CCH]; /* "; "-list of those that refused (busy) */
    BOOL planned;                /* run.plan was built */
    struct nrwin_run run;        /* the plan, its rows named in the record */
};
void nrp_sweep_handles(const struct nr_policy *policy, const WCHAR *target,
                       struct nrwin_conns *conns, enum nrp_sweep_mode mode, struct nrp_swept *out);
void nrp_sweep_idle(const struct nr_policy *policy, struct nrwin_conns *conns,
                    const enum nr_conn_role *roles, struct nrp_swept *out);
void nrp_sweep_free(struct nrp_swept *swept);
/* sweep.c: the warning of a reclaim under `target` that did not run, and why. */
void nrp_tell_skipped(const WCHAR *target, const WCHAR *why);

/* cancel.c: one cancel, around the stock call (rule 3). nrp_cancel_begin
 * reads the settings and, unless netreclaim is off, learns the remote name
 * now (the stock provider forgets it once the connection is gone);
 * nrp_cancel_end reclaims after a stock success and leaves the last error
 * as it was. */
#define NRP_TARGET_CCH 1024u
struct nrp_cancel {
    struct nr_policy policy;
    const WCHAR *name; /* as the caller gave it */
    BOOL active;       /* reclaim after a stock success */
    WCHAR target[NRP_TARGET_CCH];
};
void nrp_cancel_begin(struct nrp_cancel *c, const WCHAR *name);
void nrp_cancel_end(const struct nrp_cancel *c, DWORD result);

/* recover.c: rule 4, after the stock add of `remote` answered 1219. Calls
 * `retry` (the same stock add) at most once, when something was closed or
 * cancelled, and returns the final stock answer with the stock's last error
 * in place; the Event Log says what still stands in the way. */
typedef DWORD (*nrp_stock_add)(void *ctx);
DWORD nrp_recover_add(const struct nr_policy *policy, const WCHAR *remote, nrp_stock_add retry,
                      void *ctx);

/* np_policy.c: the settings in force; a value not applied as written goes to
 * the Event Log once per process. Keeps the thread's last error. */
void nrp_load_policy(struct nr_policy *policy);

/* trace.c: off unless HKLM\SOFTWARE\NetReclaim value Trace (REG_DWORD) is
 * non-zero when the process first asks, or an ETW session listens (etw.c).
 * Lines go to OutputDebugStringW
 * ("netreclaim: ..."), like Wine's TRACE for mpr: each NP entry with its
 * arguments (never a password) and each exit with its result and last
 * error. Both keep the thread's last error. nrp_trace_out returns result. */
BOOL nrp_tracing(void);
/* etw.c: the trace's ETW provider (registered on first use). */
BOOL nrp_etw_listening(void);
void nrp_etw_write(const WCHAR *line);
void nrp_etw_end(void);
void nrp_trace_in(const char *entry, const WCHAR *fmt, const DWORD_PTR *args);
DWORD nrp_trace_out(const char *entry, DWORD result);
/* trace.c: the end of one step of the current entry, when tracing. */
void nrp_trace_step(const char *step);
/* A string argument as the trace shows it. */
const WCHAR *nrp_str(const WCHAR *s);

#endif
