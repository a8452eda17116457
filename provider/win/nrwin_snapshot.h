/* The two ways the Windows seam takes the caller's handles (docs/design.md rule 3
 * and the "Remote Desktop Session Hosts" field fact), with every system call
 * injectable so the conformance test can script them under Wine:
 *
 * - per session (session.c): list the caller's Remote Desktop session's
 *   processes (SystemSessionProcessInformation; where that fails, the whole
 *   machine's SystemProcessInformation, filtered by each one's session),
 *   keep those whose token is in the caller's logon session, and read only
 *   their handle tables (ProcessHandleInformation, Windows 8 and later). Its
 *   cost grows with the caller's session, not with the machine.
 * - the system table (snapshot.c, nrwin_snapshot_from): every handle of the
 *   machine (SystemExtendedHandleInformation), the fallback where the first
 *   is missing (Windows 7; Wine 8 answers STATUS_INVALID_INFO_CLASS) or fails.
 *
 * Both give the same struct nr_snapshot rows to the same planner. */
#ifndef NETRECLAIM_NRWIN_SNAPSHOT_H
#define NETRECLAIM_NRWIN_SNAPSHOT_H

#include "nrwin.h"

typedef NTSTATUS(NTAPI *nrwin_query_process)(HANDLE process, PROCESSINFOCLASS info_class, void *buf,
                                             ULONG size, ULONG *len);

/* What the per-session path asks of the system. nrwin_session_api_real
 * fills in the real calls; the test passes fakes. */
struct nrwin_session_api {
    void *ctx;
    /* NtQuerySystemInformation: SystemSessionProcessInformation, else
     * SystemProcessInformation here, and SystemExtendedHandleInformation for
     * the fallback. */
    nrwin_query_system query_system;
    /* NtQueryInformationProcess, asked for ProcessHandleInformation only. */
    nrwin_query_process query_process;
    /* The caller's logon session (as nrwin_caller_luid) and Remote Desktop
     * session (TokenSessionId of the same token). */
    int (*caller)(void *ctx, uint64_t *luid, uint32_t *session);
    /* OpenProcess as an nr_status (NR_GONE: the process is gone). */
    int (*open)(void *ctx, uint32_t pid, DWORD access, HANDLE *process);
    /* The logon session of an open process's token. */
    int (*luid)(void *ctx, HANDLE process, uint64_t *luid);
    void (*close)(void *ctx, HANDLE process);
};

void nrwin_session_api_real(struct nrwin_session_api *api);

/* nrwin_close_handle with the process opened, its logon session read and
 * closed through api: Wine shows one logon session, and a test makes the
 * seam see a process of another one (a pid reused between plan and close). */
int nrwin_close_in(const struct nrwin_session_api *api, uint32_t pid, uint64_t luid, uint64_t value,
                   uint64_t kept, const nr_char *name, size_t name_len, uint32_t timeout_ms);

/* The caller's session's handles through `api` only: NR_OK, or why not;
 * *missing set when ProcessHandleInformation does not exist here (then no
 * later call can succeed either). Nothing to free unless NR_OK. */
int nrwin_session_snapshot_from(const struct nrwin_session_api *api, struct nr_snapshot *snap,
                                int *missing);

/* Which path a snapshot came from. */
enum nrwin_path { NRWIN_PATH_NONE = 0, NRWIN_PATH_SESSION = 1, NRWIN_PATH_SYSTEM = 2 };

/* The per-session path, else the system table through api->query_system
 * (skipping the first when *class_missing says an earlier call found it
 * missing, and setting it when this one does). *path: where the rows came
 * from. nrwin_snapshot is this with the real calls. */
int nrwin_snapshot_with(const struct nrwin_session_api *api, struct nr_snapshot *snap,
                        volatile LONG *class_missing, enum nrwin_path *path);

/* One process's table (ProcessHandleInformation) as rows of pid, through
 * `api` (its query_process only): as nrwin_session_snapshot_from. A process
 * that is terminating gives NR_OK and no rows. */
int nrwin_process_snapshot_from(const struct nrwin_session_api *api, HANDLE process, uint32_t pid,
                                struct nr_snapshot *snap, int *missing);

#endif
