/* The Windows layer: the real OS seam (struct nr_os) and the few Win32 helpers
 * the provider DLL shares with it, linked into netreclaim.dll, the CLI and
 * the console test programs. */
#ifndef NETRECLAIM_NRWIN_H
#define NETRECLAIM_NRWIN_H

#include <windows.h>
#include <winternl.h>
#include <winnetwk.h>
#include <npapi.h>
#include "netreclaim/conflict.h"
#include "netreclaim/handoff.h"
#include "netreclaim/os.h"
#include "netreclaim/plan.h"
#include "netreclaim/policy.h"
#include "netreclaim/selfcheck.h"

/* os_win.c: fill *os with the real seam, whose entries follow (ctx unused). */
void nrwin_os(struct nr_os *os);
int nrwin_snapshot(void *ctx, struct nr_snapshot *snap);                    /* snapshot.c */
void nrwin_free_snapshot(void *ctx, struct nr_snapshot *snap);              /* snapshot.c */
int nrwin_file_type_index(void *ctx, uint16_t *index);                      /* typeindex.c */
int nrwin_caller_luid(void *ctx, uint64_t *luid);                           /* token.c */
int nrwin_process_luid(void *ctx, uint32_t pid, uint64_t *luid);            /* token.c */
int nrwin_process_image(void *ctx, uint32_t pid, nr_char *buf, size_t cch); /* token.c */
size_t nrwin_query_names(void *ctx, uint32_t pid, struct nr_name_query *q, size_t count,
                         uint32_t timeout_ms, nr_char *names, size_t cch); /* names.c */
int nrwin_close_handle(void *ctx, uint32_t pid, uint64_t luid, uint64_t value, uint64_t kept,
                       const nr_char *name, size_t name_len, uint32_t timeout_ms); /* close.c */
int nrwin_keep_object(void *ctx, uint32_t pid, uint64_t value, uint64_t *kept);    /* close.c */
void nrwin_drop_object(void *ctx, uint64_t kept);                                  /* close.c */
int nrwin_process_strict(void *ctx, uint32_t pid, int *strict);                    /* token.c */
int nrwin_process_started(void *ctx, uint32_t pid, uint64_t *started);             /* blocked.c */
bool nrwin_was_blocked(void *ctx, const struct nr_blocked_key *key);               /* blocked.c */
void nrwin_remember_blocked(void *ctx, const struct nr_blocked_key *key);          /* blocked.c */
int nrwin_file_device(void *ctx, uint32_t pid, uint64_t value, int *remote);        /* selfcheck.c */
void nrwin_self_check(void *ctx, struct nr_selfcheck *checks);                      /* selfcheck.c */
/* selfcheck.c: the self-checks run now, test hook included, with no record
 * (netreclaim doctor); nrwin_self_check runs them once per process and
 * writes the record. */
void nrwin_self_checks(struct nr_selfcheck *checks);
/* typeindex.c: a file of ours we may open (our module's), or
 * INVALID_HANDLE_VALUE; and the table rows the File type index is read
 * from: our own process's table, else the system table (release with
 * nrwin_free(snap->handles)). */
HANDLE nrwin_open_own_file(void);
int nrwin_own_rows(HANDLE file, struct nr_snapshot *snap);
/* close.c: CompareObjectHandles as an nr_status: NR_OK the same object,
 * NR_CHANGED another, NR_ERROR where this Windows lacks it; and a copy in
 * our process of a handle of process pid. */
int nrwin_compare_objects(HANDLE first, HANDLE second);
int nrwin_copy_of(uint32_t pid, uint64_t value, HANDLE *copy);
/* token.c: the logon-session LUID of an open process (PROCESS_QUERY_LIMITED_INFORMATION). */
int nrwin_luid_of_process(HANDLE process, uint64_t *luid);
void nrwin_report(void *ctx, enum nr_event event, const nr_char *text); /* os_win.c */

/* snapshot.c: nrwin_snapshot with the table read through `query`, which
 * answers as NtQuerySystemInformation does (nrwin_snapshot passes the real
 * one; the conformance test passes fakes that misbehave). */
typedef NTSTATUS(NTAPI *nrwin_query_system)(SYSTEM_INFORMATION_CLASS info_class, void *buf,
                                            ULONG size, ULONG *len);
int nrwin_snapshot_from(nrwin_query_system query, struct nr_snapshot *snap);

/* handoff.c: the WOW64 hand-off's real seam (netreclaim/handoff.h), and
 * the route of the handle part of a reclaim of `target` through it, waiting
 * for netreclaim.exe as long as nr_handoff_wait_ms(timeout_ms) says. */
void nrwin_handoff_os(struct nr_handoff_os *os);
enum nr_route nrwin_handoff(const WCHAR *target, uint32_t timeout_ms);

/* names.c: the NT name of a handle of our own, queried on a worker with a
 * bounded wait. buf must hold the name and a NUL (NR_TOO_SMALL if not; *len
 * is set either way). */
int nrwin_name_of(HANDLE handle, DWORD timeout_ms, nr_char *buf, size_t cch, size_t *len);

/* base.c: zeroed memory from the process heap (nrwin_free(NULL) is a no-op);
 * the module (DLL or EXE) this code is linked into; FormatMessageW over a
 * string (%1, %2!lu!..., args as DWORD_PTR), always NUL-terminated, truncated
 * to fit (cch > 0). */
void *nrwin_alloc(size_t size);
void nrwin_free(void *p);
/* Blocks from nrwin_alloc not yet freed (by nrwin_free), for leak checks. */
LONG nrwin_live_blocks(void);
/* Destroys the heap behind nrwin_alloc, for a DLL unloaded before its
 * process ends (every block is freed by then: an idle or stuck worker pins
 * the module). */
void nrwin_heap_end(void);
HMODULE nrwin_module(void);
/* An export of a system DLL every process has loaded (kernel32,
 * kernelbase), looked up once per process: NULL where this Windows lacks
 * it. Declare one with NRWIN_PROC(L"kernel32.dll", "Name"). */
struct nrwin_proc {
    INIT_ONCE once;
    const WCHAR *module;
    const char *name;
    void (*fn)(void);
};
#define NRWIN_PROC(module, name)                                                                   \
    {                                                                                              \
        INIT_ONCE_STATIC_INIT, module, name, NULL                                                  \
    }
void (*nrwin_proc(struct nrwin_proc *p))(void);
void nrwin_format(WCHAR *buf, DWORD cch, const WCHAR *fmt, const DWORD_PTR *args);
/* A Win32 error as an nr_status (ERROR_INVALID_PARAMETER, what OpenProcess
 * answers for a process that is gone, maps to NR_GONE). */
int nrwin_status(DWORD error);
/* OpenProcess, as an nr_status. */
int nrwin_open_process(uint32_t pid, DWORD access, HANDLE *process);
/* base.c: one question about a process, through a handle opened with
 * PROCESS_QUERY_LIMITED_INFORMATION for it alone. */
typedef int (*nrwin_process_question)(HANDLE process, void *out);
int nrwin_ask_process(uint32_t pid, nrwin_process_question ask, void *out);
/* base.c: a PE file's file header (machine, DLL or program), as a loader
 * reads it first. NR_GONE when the file is missing, NR_ERROR when it cannot
 * be read or is no PE file. */
int nrwin_pe_header(const WCHAR *path, IMAGE_FILE_HEADER *header);

/* base.c: a buffer an information query fills (nrwin_query_sized): p NULL
 * means the next query allocates `size` bytes. */
struct nrwin_buf {
    void *p;
    ULONG size;
};
/* One query of a kind into buf (size bytes), answering as
 * NtQuerySystemInformation does; ctx: the caller's. */
typedef NTSTATUS (*nrwin_sized_query)(const void *ctx, void *buf, ULONG size, ULONG *len);
#define NRWIN_QUERY_TRIES 8
/* The one re-query loop of every table and list the seam reads (snapshot.c,
 * session.c). Asks `query` into b (allocated when b->p is NULL) until the
 * answer is not STATUS_INFO_LENGTH_MISMATCH, at most NRWIN_QUERY_TRIES
 * times. After a mismatch the buffer is freed and regrown from the length
 * answered: some versions answer a stale length, or none, so it always
 * grows, by a quarter and `slack` over the larger of that length and its
 * size, never past `cap`. NR_OK: *nt is the final answer (success or not),
 * *len the bytes it says it wrote, no more than b->size, and b->p holds
 * them (the caller frees it). NR_TOO_SMALL (the cap or the tries ran out)
 * or NR_NOMEM: b->p is freed and NULL. */
int nrwin_query_sized(nrwin_sized_query query, const void *ctx, struct nrwin_buf *b, ULONG cap,
                      ULONG slack, NTSTATUS *nt, ULONG *len);

/* owner.c: named objects only the caller's user may touch.
 * nrwin_caller_user: the caller's token user (impersonation token first, as
 * for its LUID). nrwin_owner_only: a security descriptor whose owner is
 * `user`, who alone gets `access`. nrwin_check_owner: NR_OK if `object`'s
 * owner is `user`; one someone else made is not ours to trust. */
union nrwin_caller_user {
    TOKEN_USER user;
    BYTE raw[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE]; /* room for any SID */
};
struct nrwin_owner_sd {
    union {
        ACL acl;
        BYTE raw[sizeof(ACL) + sizeof(ACCESS_ALLOWED_ACE) + SECURITY_MAX_SID_SIZE];
    } acl;
    SECURITY_DESCRIPTOR sd;
};
int nrwin_caller_user(union nrwin_caller_user *u);
BOOL nrwin_owner_only(struct nrwin_owner_sd *o, PSID user, DWORD access);
int nrwin_check_owner(HANDLE object, PSID user);

/* eventlog.c: one record under source "NetReclaim" (event_id from
 * messages.mc) and the same text on OutputDebugStringW. */
void nrwin_log(enum nr_event event, const WCHAR *text);

/* registry.c: one value, read whole (at most NRWIN_VALUE_MAX bytes).
 * String types come back NUL-terminated. Release with nrwin_free(v->data). */
#define NRWIN_VALUE_MAX (64u * 1024u)
struct nrwin_value {
    DWORD type;
    DWORD size; /* bytes of data */
    BYTE *data;
};
int nrwin_reg_value(HKEY root, const WCHAR *subkey, const WCHAR *name, struct nrwin_value *v);
/* The same in two steps, for several values of one key: open (HKLM-style
 * root, KEY_QUERY_VALUE, 64-bit view; RegCloseKey it), then read. */
int nrwin_reg_open(HKEY root, const WCHAR *subkey, HKEY *key);
int nrwin_reg_read(HKEY key, const WCHAR *name, struct nrwin_value *v);
#define NRWIN_SETTINGS_KEY L"SOFTWARE\\NetReclaim"
#define NRWIN_POLICY_KEY L"SOFTWARE\\Policies\\NetReclaim"

/* policy_keys.c: the settings in force (defaults, the settings key, the policy
 * key over it). `note`, if given, hears of each value that was not applied
 * as written. */
typedef void (*nrwin_policy_note)(void *ctx, const WCHAR *key, const WCHAR *name,
                                  enum nr_policy_issue issue);
void nrwin_load_policy(struct nr_policy *policy, nrwin_policy_note note, void *ctx);

/* The SMB redirector's device prefixes besides the core's built-in ones
 * (\Device\Mup, \Device\LanmanRedirector): the stock provider's DeviceName,
 * as a REG_MULTI_SZ-style list (NUL after each, extra NUL at the end) of 0
 * or 1 entries. Other providers' DeviceNames name other redirectors
 * (WebDAV, RDP, NFS...), whose files are never ours (docs/design.md, registry contract).
 * Release with nrwin_free(*multi). */
#define NRWIN_STOCK_KEY L"SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\NetworkProvider"
int nrwin_smb_prefixes(WCHAR **multi, size_t *count);
/* Points array[] at the strings of such a list, as the core's request wants
 * them: at most max; returns how many. */
size_t nrwin_split_multi(const WCHAR *multi, const nr_char **array, size_t max);

/* worker.c: run a call on a worker thread, waiting at most timeout_ms
 * from the call's start or from the end of its last step; *steps (if not
 * NULL) receives how many steps ended.
 * NR_OK: it ran and the caller owns it again (read results, then release).
 * NR_TIMEOUT: a step overran; the call is no longer the caller's: a stuck
 * worker releases it if its run ever returns. NR_LIMIT (every allowed
 * worker stuck) or a failure: it was released without running. */
struct nrwin_call {
    void (*run)(struct nrwin_call *call);
    void (*release)(struct nrwin_call *call); /* frees the call and all it owns */
    /* worker.c's, under the worker's lock */
    volatile LONG state;
    void *worker;
    size_t steps;
    BOOL finished; /* the last step ended */
    ULONGLONG step_tick;
};
int nrwin_call_bounded(struct nrwin_call *call, DWORD timeout_ms, size_t *steps);
/* worker.c: a step's end, from the call's run. Only between the two may the
 * run write memory the caller owns: enter answers FALSE once the caller
 * gave up (the run must then stop and touch nothing but its own). Leave
 * counts the step and starts its successor's timeout; `last` says no step
 * follows (the run then returns without writing the caller's memory). */
BOOL nrwin_call_enter(struct nrwin_call *call);
void nrwin_call_leave(struct nrwin_call *call, BOOL last);
/* Workers abandoned so far and not yet returned. */
LONG nrwin_stuck_workers(void);

/* conns.c: the session's connections, whole or not at all (a missing entry
 * could let us close a handle of a share still in use): at most
 * NRWIN_CONNS_MAX, local names L"" when deviceless, live all false (the
 * ledger marks them). `api` is a provider's enumeration entries. */
#define NRWIN_CONNS_MAX 1024u
struct nrwin_conns {
    struct nr_conn *items;
    size_t count;
};
struct nrwin_enum {
    __typeof__(NPOpenEnum) *open;
    __typeof__(NPEnumResource) *next;
    __typeof__(NPCloseEnum) *close;
};
int nrwin_conns_list(const struct nrwin_enum *api, struct nrwin_conns *c);
void nrwin_conns_free(struct nrwin_conns *c);

/* stock.c: the stock provider's DLL (LanmanWorkstation's ProviderPath),
 * loaded as MPR loads it; on failure *dll is NULL and why says why (for the
 * Event Log or the CLI). nrwin_stock_enum: its enumeration entries (NULL
 * where it lacks one). */
int nrwin_stock_load(HMODULE *dll, WCHAR *why, DWORD cch);
void nrwin_stock_enum(HMODULE dll, struct nrwin_enum *api);

/* request.c: the reclaim request for `target` that the provider and the CLI
 * both build: the registry's redirector prefixes, the connections that
 * cover their shares in `mode`, the policy's exclusions and timeout. NR_OK,
 * or why not (nothing to free then). The request points into conns,
 * policy and target: they outlive it. */
struct nrwin_request {
    struct nr_reclaim_request req;
    WCHAR *prefix_text;
    const nr_char **prefixes;
    const nr_char **roots;
    const nr_char *excluded[NR_EXCLUDED_MAX];
};
int nrwin_request_build(struct nrwin_request *r, const struct nr_policy *policy,
                        const WCHAR *target, const struct nrwin_conns *conns,
                        enum nr_cover_mode mode, int audit);
void nrwin_request_free(struct nrwin_request *r);

#endif
