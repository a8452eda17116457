/* The OS seam: everything the portable core needs from Windows, as one struct
 * of functions. The real one (provider/win/os_win.c) wraps ntdll and kernel32;
 * unit tests pass fakes that count calls and fail on demand. */
#ifndef NETRECLAIM_OS_H
#define NETRECLAIM_OS_H

#include "netreclaim/blocked.h"
#include "netreclaim/events.h"
#include "netreclaim/nrchar.h"

/* Results of seam calls. Anything but NR_OK means "could not"; the core
 * treats each as a reason to skip, never as a reason to close. */
enum nr_status {
    NR_OK = 0,
    NR_ERROR = -1,   /* generic failure (access denied, bad status...) */
    NR_TIMEOUT = -2, /* a bounded wait ran out (hung name query) */
    NR_NOMEM = -3,
    NR_GONE = -4,      /* process or handle no longer exists */
    NR_TOO_SMALL = -5, /* caller's buffer too small */
    NR_CHANGED = -6,   /* handle no longer refers to the object planned for */
    NR_LIMIT = -7,     /* refused at once: a bound is used up (nothing was tried) */
};

/* Name queries that may be left blocked on workers of their own at once, in
 * one process (provider/win/worker.c); beyond it queries answer NR_LIMIT. */
#define NR_MAX_STUCK_QUERIES 16

/* The remote protocol of the SMB redirector's files (WNNC_NET_SMB), as
 * FILE_REMOTE_PROTOCOL_INFO.Protocol reports it. */
#define NR_PROTOCOL_SMB 0x00020000u

/* HandleAttributes bits, as in SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX. */
#define NR_HANDLE_INHERIT 0x00000002u
#define NR_HANDLE_PROTECT_FROM_CLOSE 0x00000001u

/* One row of the system handle table. */
struct nr_handle {
    uint32_t pid;
    uint64_t value;      /* the handle's value in its own process */
    uint32_t access;     /* GrantedAccess */
    uint16_t type_index; /* ObjectTypeIndex */
    uint16_t attributes; /* NR_HANDLE_* */
};

/* One entry of a name query batch (query_names). */
struct nr_name_query {
    uint64_t value;      /* in: the handle's value in its process */
    int status;          /* out: NR_OK, NR_TIMEOUT, NR_LIMIT or a failure */
    uint32_t protocol;   /* out: remote protocol, 0 if unknown */
    const nr_char *name; /* out: inside the caller's names buffer (NR_OK only) */
    size_t len;          /* out: in nr_chars */
};

struct nr_snapshot {
    struct nr_handle *handles; /* owned by the seam; release with free_snapshot */
    size_t count;
};

struct nr_selfcheck; /* netreclaim/selfcheck.h */

struct nr_os {
    void *ctx;
    /* Handle table rows covering at least every process of the caller's
     * logon session: read per process in the caller's Remote Desktop
     * session where the OS allows it (ProcessHandleInformation), else the
     * whole system table. The planner treats both alike. */
    int (*snapshot)(void *ctx, struct nr_snapshot *snap);
    void (*free_snapshot)(void *ctx, struct nr_snapshot *snap);
    /* ObjectTypeIndex of "File" objects, resolved at run time. */
    int (*file_type_index)(void *ctx, uint16_t *index);
    /* Logon-session LUID of the caller (impersonation token if the thread
     * impersonates, else the process token). */
    int (*caller_luid)(void *ctx, uint64_t *luid);
    /* Logon-session LUID of a process's primary token. */
    int (*process_luid)(void *ctx, uint32_t pid, uint64_t *luid);
    /* Base name of a process's image (L"explorer.exe"), NUL-terminated.
     * Fails for processes we may not open (protected ones included). */
    int (*process_image)(void *ctx, uint32_t pid, nr_char *buf, size_t cch);
    /* NT object names of a batch of one process's handles, queried in
     * order, each waiting at most timeout_ms. Returns how many entries of
     * q it settled (at least 1 when count > 0); the caller asks again for
     * the rest. Each settled entry gets a status: NR_OK with the name (len
     * nr_chars, no NUL; 0 for an unnamed object) at `name`, inside
     * names[0..cch); NR_TIMEOUT when the query blocked past timeout_ms (it
     * is left to finish on a worker of its own, and the batch stops there);
     * NR_LIMIT when refused at once because as many such workers as
     * allowed are still stuck (then every entry is settled so); or a
     * failure. A name longer than what is left of names ends the batch
     * before it; cch >= NR_UNC_MAX + 1 fits any one name. In the same
     * bounded query, for a name under \Device\Mup, protocol is the handle's
     * remote protocol (FileRemoteProtocolInformation: NR_PROTOCOL_SMB for
     * the SMB redirector), else 0: unknown, which never proves a name SMB. */
    size_t (*query_names)(void *ctx, uint32_t pid, struct nr_name_query *q, size_t count,
                          uint32_t timeout_ms, nr_char *names, size_t cch);
    /* Close a handle in another process, after checking that the process
     * is still in logon session `luid` (NR_GONE if not: the pid was reused
     * since the plan) and that the value still refers to the object planned
     * for (NR_CHANGED if not: it was closed and reused since): the same
     * object as `kept` where keep_object gave one (0: none), else the same
     * `name`. */
    int (*close_handle)(void *ctx, uint32_t pid, uint64_t luid, uint64_t value, uint64_t kept,
                        const nr_char *name, size_t name_len, uint32_t timeout_ms);
    /* Optional (NULL: identity is proven by the name alone). A reference to
     * the object a handle refers to now, kept by the seam until drop_object,
     * so that close_handle can prove identity right before the close
     * (CompareObjectHandles, Windows 10 and later). NR_OK with *kept != 0,
     * or unavailable. */
    int (*keep_object)(void *ctx, uint32_t pid, uint64_t value, uint64_t *kept);
    void (*drop_object)(void *ctx, uint64_t kept);
    /* One Event Log record of an outcome (its id and level:
     * netreclaim/events.h), with a NUL-terminated text, never credentials. */
    void (*report)(void *ctx, enum nr_event event, const nr_char *text);
    /* The self-checks of the facts a close relies on (netreclaim/selfcheck.h),
     * proven on this machine once per process, before its first close; each
     * call answers the same results. NULL: nothing is proven, and nothing
     * is closed (rule 5). */
    void (*self_check)(void *ctx, struct nr_selfcheck *checks);
    /* Optional (NULL: absent, every candidate's name is queried). A cheap
     * check, without the name, that rules a File handle out before any
     * name query: NR_OK with *remote = 0 when its device cannot be a
     * redirector's (a local disk volume, a pipe, the console), *remote != 0
     * when it may be. Any other status: unknown, and the name is queried.
     * It must not block: it runs inline, under no timeout. Used only where
     * the self-check volume-name passed. */
    int (*file_device)(void *ctx, uint32_t pid, uint64_t value, int *remote);
    /* Optional (NULL: no process runs under it). Whether a process runs
     * under the strict-handle-check mitigation, where using a handle that
     * was closed behind its back raises an exception (docs/design.md rule 5):
     * NR_OK with *strict set, or any other status when it cannot be told. */
    int (*process_strict)(void *ctx, uint32_t pid, int *strict);
    /* Optional (NULL: blocked queries are not remembered, each reclaim
     * queries every handle again). The memory of handles whose name query
     * timed out, kept for the life of our process (netreclaim/blocked.h):
     * process_started gives a process's creation time, which tells its
     * instance from a later one with the same pid. */
    int (*process_started)(void *ctx, uint32_t pid, uint64_t *started);
    bool (*was_blocked)(void *ctx, const struct nr_blocked_key *key);
    void (*remember_blocked)(void *ctx, const struct nr_blocked_key *key);
};

#endif
