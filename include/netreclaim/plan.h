/* Reclaim planning and execution: which leftover handles under a cancelled
 * \\server\share (or a whole \\server) to close, which to leave and why, then
 * closing them and telling about it in one text (docs/design.md rules 3, 5, 6, 7).
 *
 * The caller's own process is treated like any other process of its logon
 * session: a leftover handle there (Explorer disconnecting a drive it still
 * browses) pins the session just the same, and the seam's close_handle knows
 * how to close in its own process. */
#ifndef NETRECLAIM_PLAN_H
#define NETRECLAIM_PLAN_H

#include "netreclaim/os.h"
#include "netreclaim/selfcheck.h"
#include "netreclaim/unc.h"

/* Bounds (rule 6). Handles over a bound are counted as NR_REASON_LIMIT and
 * left open. Timeouts are bounded like stuck workers, since each leaves one:
 * at 200 ms, 3.2 s once per blocking handle and process lifetime (blocked
 * queries are remembered: netreclaim/blocked.h). */
#define NR_PLAN_MAX_PROCESSES 16384               /* pids holding File handles (lowest kept) */
#define NR_PLAN_MAX_QUERIES 65536                 /* name queries per plan */
#define NR_PLAN_MAX_TIMEOUTS NR_MAX_STUCK_QUERIES /* timed-out queries before querying stops */
#define NR_PLAN_MAX_ROWS 1024                     /* handles under the target kept as rows */
#define NR_PLAN_MAX_NAME_UNITS (1u << 20)         /* NT name units kept over all rows */
#define NR_PLAN_IMAGE_MAX 260                     /* image base name, NUL included */
#define NR_PLAN_REPORT_MAX 31839                  /* ReportEvent's limit for one string */

struct nr_reclaim_request {
    const nr_char *target;          /* \\server\share, or \\server for the whole server */
    const nr_char *const *prefixes; /* extra redirector device prefixes (NT names) */
    size_t prefix_count;
    const nr_char *const *connected; /* UNC roots still connected: never close under them */
    size_t connected_count;
    const nr_char *const *excluded; /* image base names never touched */
    size_t excluded_count;
    uint32_t timeout_ms;        /* per name query and per close re-check */
    int audit;                  /* plan and report, close nothing */
    int allow_service_sessions; /* policy AllowServiceSessions */
};

/* The logon sessions that many services share (SYSTEM, LocalService,
 * NetworkService): nothing is closed or cancelled there unless the policy
 * allows it (docs/design.md rule 5); the plan is then an audit. */
#define NR_LUID_SYSTEM 0x3e7u
#define NR_LUID_LOCAL_SERVICE 0x3e5u
#define NR_LUID_NETWORK_SERVICE 0x3e4u
bool nr_is_service_session(uint64_t luid);
/* The one decision behind rule 5 for those sessions, for the plan and for
 * the idle cancels alike: whether a reclaim in the caller's logon session
 * only reports. A session that could not be read (luid_known false) counts
 * as a service session: fail closed. */
bool nr_session_left_alone(bool luid_known, uint64_t luid, bool allow_service_sessions);

/* Why a File handle is closed or left. Every File handle of the snapshot is
 * counted under exactly one reason. The zero value closes nothing: a row or
 * process that nothing settled is left (rule 5: fail closed). */
enum nr_reason {
    NR_REASON_UNDECIDED = 0,      /* not settled: left (a built plan counts none) */
    NR_REASON_CLOSE,              /* under the target: to close */
    NR_REASON_OTHER_SESSION,      /* process, or name's ;X:<luid>, of another logon session */
    NR_REASON_PROTECTED,          /* process whose token or image cannot be read */
    NR_REASON_EXCLUDED,           /* process excluded by policy: not even queried */
    NR_REASON_LIMIT,              /* over a bound above */
    NR_REASON_NAME_TIMEOUT,       /* name query timed out (remembered: see blocked.h) */
    NR_REASON_BLOCKED_EARLIER,    /* its name query timed out in an earlier reclaim */
    NR_REASON_NAME_ERROR,         /* name query failed */
    NR_REASON_PIPE_ACCESS,        /* access mask of a synchronous pipe end: not queried */
    NR_REASON_NOT_NETWORK,        /* not a redirector name (local file, pipe...) */
    NR_REASON_OTHER_SHARE,        /* under another share or server */
    NR_REASON_NOT_SMB,            /* under the target through \Device\Mup, not shown to be SMB */
    NR_REASON_PROTECT_FROM_CLOSE, /* under the target, marked protect-from-close */
    NR_REASON_STRICT_HANDLES,     /* under the target, in a process with strict handle checks */
    NR_REASON_CONNECTED,          /* under the target and a share still connected */
    NR_REASON_COUNT
};

enum nr_row_result {
    NR_ROW_PENDING = 0, /* not closed (yet, or by design: skip rows, audit) */
    NR_ROW_CLOSED,
    NR_ROW_FAILED,  /* close_handle failed: see status */
    NR_ROW_CHANGED, /* the value names another object now; left alone */
};

/* A handle under the target: to close (NR_REASON_CLOSE) or left with
 * NR_REASON_PROTECT_FROM_CLOSE, NR_REASON_STRICT_HANDLES or
 * NR_REASON_CONNECTED. Handles elsewhere are only counted. */
struct nr_plan_row {
    uint32_t pid;
    uint64_t value;
    const nr_char *image; /* process image base name, owned by the plan */
    nr_char *name;        /* NT name as queried (re-checked at close), owned */
    size_t name_len;
    struct nr_unc unc; /* spans of name */
    enum nr_reason reason;
    enum nr_row_result result;
    int status;    /* close_handle's status once tried */
    uint64_t kept; /* the seam's reference to the object planned for, 0: none */
};

struct nr_plan_process;

struct nr_plan {
    int status;              /* NR_OK, or why planning stopped (no rows then) */
    const char *failed_step; /* what failed when status != NR_OK, else NULL */
    int audit;               /* the request's, or forced by service_session or the checks */
    int service_session;     /* a service logon session the policy leaves alone */
    struct nr_selfcheck checks; /* the seam's self-checks, as they stood for this plan */
    bool checks_refuse;         /* a check forbids closing in this process (audit) */
    enum nr_check refused;      /* which one, when checks_refuse */
    bool prefilter;             /* the device prefilter ruled handles out before naming */
    size_t name_queries;        /* handles whose name was asked for */
    uint32_t timeout_ms;
    uint64_t luid;   /* the caller's logon session */
    nr_char *target; /* copy of the request's target (NULL if invalid) */
    struct nr_unc target_unc;
    struct nr_plan_row *rows;
    size_t row_count;
    size_t handle_count;               /* rows in the snapshot */
    size_t file_count;                 /* File handles among them */
    size_t reasons[NR_REASON_COUNT];   /* File handles per reason */
    size_t closed, failed, changed;    /* set by nr_plan_execute */
    struct nr_plan_process *processes; /* private */
    const struct nr_os *os;            /* private: drops what rows keep */
    size_t process_count;
};

/* Build the plan. Returns plan->status: NR_OK, or the failure that stopped
 * planning before any handle was considered (invalid target or connected
 * root, caller LUID, File type index, snapshot, memory); the plan then has
 * no rows but can still be formatted and reported. Failures about one
 * process or one handle only skip it, with its reason. Always release the
 * plan with nr_plan_free. */
int nr_plan_build(const struct nr_os *os, const struct nr_reclaim_request *request,
                  struct nr_plan *plan);

/* Close the rows planned for closing, unless audit. Each is tried once;
 * close_handle re-checks the name first. Returns the number closed. */
size_t nr_plan_execute(const struct nr_os *os, struct nr_plan *plan);

/* The plan as one human-readable text (target, mode, each row, the counts),
 * for one Event Log record or the CLI. Writes at most cch units, NUL
 * included, dropping rows that do not fit with a note saying how many.
 * Returns the units written, NUL excluded. Holds no credentials. */
size_t nr_plan_format(const struct nr_plan *plan, nr_char *buf, size_t cch);

/* The file a row holds open and who holds it, as "why" and the provider's
 * record name it: "\\srv\share\f.txt in holder.exe (pid 42)". Writes at
 * most cch units, NUL included; returns the units written, NUL excluded. */
size_t nr_plan_format_file(const struct nr_plan_row *row, nr_char *buf, size_t cch);

/* One row as the line nr_plan_format writes for it (no line break). */
size_t nr_plan_format_row(const struct nr_plan *plan, const struct nr_plan_row *row, nr_char *buf,
                          size_t cch);

/* Whether a reclaim's plan needs a record (docs/design.md rule 7): it found
 * handles under the target, could not look, or may have missed some (a
 * name query timed out or was refused, a bound was reached). Handles
 * skipped as blocked earlier alone are no news: the record that first met
 * them said so. */
bool nr_plan_worth_telling(const struct nr_plan *plan);

/* The outcome a plan's record reports (netreclaim/events.h): stopped,
 * audit, a close failed, handles left or missed, or closed. */
enum nr_event nr_plan_event(const struct nr_plan *plan);

/* Format the plan and hand it to os->report as its outcome (a record whose
 * text could not be formatted still carries the outcome's id). */
void nr_plan_report(const struct nr_os *os, const struct nr_plan *plan);

/* Short ASCII text of a reason ("in another logon session"). */
const char *nr_reason_text(enum nr_reason reason);

void nr_plan_free(struct nr_plan *plan);

#endif
