/* netreclaim.dll internals: the NP entry points mingw's npapi.h lacks, and
 * the table of the stock provider's entries. */
#ifndef NETRECLAIM_NRPROV_H
#define NETRECLAIM_NRPROV_H

#include <windows.h>
#include <winnetwk.h>
#include <npapi.h>
#include "netreclaim/policy.h"

/* Exported by ntlanman.dll since Windows 8 (and preferred by MPR there);
 * mingw's npapi.h lacks them. Same calling convention as the rest. */
DWORD APIENTRY NPAddConnection4(HWND hwndOwner, LPNETRESOURCEW lpNetResource, LPVOID lpAuthBuffer,
                                DWORD cbAuthBuffer, DWORD dwFlags, PBYTE lpUseOptions,
                                DWORD cbUseOptions);
DWORD APIENTRY NPCancelConnection2(LPWSTR lpName, BOOL fForce, DWORD dwFlags);
DWORD APIENTRY NPGetPersistentUseOptionsForConnection(LPWSTR lpRemotePath, PBYTE lpReadUseOptions,
                                                      DWORD cbReadUseOptions,
                                                      PBYTE lpWriteUseOptions,
                                                      LPDWORD lpSizeWriteUseOptions);

/* The stock provider's entries, typed from the very prototypes we export so
 * the two cannot disagree (mingw's PF_NPCloseEnum lacks WINAPI, which would
 * break the stack on i686). NULL where the stock DLL lacks the entry. */
struct nr_stock {
    /* What a missing entry answers: WN_NOT_SUPPORTED, or WN_NO_NETWORK when
     * the stock DLL itself could not be loaded. */
    DWORD absent;
    __typeof__(NPGetCaps) *NPGetCaps;
    __typeof__(NPAddConnection) *NPAddConnection;
    __typeof__(NPAddConnection3) *NPAddConnection3;
    __typeof__(NPAddConnection4) *NPAddConnection4;
    __typeof__(NPCancelConnection) *NPCancelConnection;
    __typeof__(NPCancelConnection2) *NPCancelConnection2;
    __typeof__(NPGetConnection) *NPGetConnection;
    __typeof__(NPGetConnection3) *NPGetConnection3;
    __typeof__(NPGetConnectionPerformance) *NPGetConnectionPerformance;
    __typeof__(NPGetUniversalName) *NPGetUniversalName;
    __typeof__(NPGetUser) *NPGetUser;
    __typeof__(NPOpenEnum) *NPOpenEnum;
    __typeof__(NPEnumResource) *NPEnumResource;
    __typeof__(NPCloseEnum) *NPCloseEnum;
    __typeof__(NPGetResourceInformation) *NPGetResourceInformation;
    __typeof__(NPGetResourceParent) *NPGetResourceParent;
    __typeof__(NPFormatNetworkName) *NPFormatNetworkName;
    __typeof__(NPGetPersistentUseOptionsForConnection) *NPGetPersistentUseOptionsForConnection;
};

/* The stock provider, loaded on first use (once per process, thread-safe).
 * Never NULL; leaves the thread's last error as it found it. */
const struct nr_stock *nr_stock(void);

/* conns.c: the session's connections as the stock enumeration lists them,
 * whole or not at all (a missing entry could let us close a handle of a
 * share still in use). local[i] is L"" for a deviceless one. */
#define NR_CONNS_MAX 1024u
struct nr_conns {
    WCHAR **local;
    WCHAR **remote;
    size_t count;
};
int nr_conns_list(struct nr_conns *c);
void nr_conns_free(struct nr_conns *c);
/* Two UNC names on the same server (component-exact, case-insensitive). */
BOOL nr_same_server(const WCHAR *a, const WCHAR *b);

/* ledger_np.c: the session ledger as the NP entries use it. Each fails open:
 * when the ledger cannot be had (lock timeout, no objects), it is skipped. */
void nr_ledger_record(const WCHAR *local, const WCHAR *remote, const WCHAR *user);
void nr_ledger_forget(const WCHAR *name); /* a cancelled local or remote name */
BOOL nr_ledger_resolve(const WCHAR *local, WCHAR *remote, DWORD cch);
/* live[i]: the ledger holds the listed connection i live. NR_OK or why it
 * cannot tell (then live[] is all FALSE). */
int nr_ledger_mark_live(const struct nr_conns *c, BOOL *live);

/* reclaim.c: close the handles under `target` (\\server\share, or \\server)
 * that no connection in `connected` covers, report them; how many were
 * closed, and how many under the target were left open. */
struct nr_reclaimed {
    size_t closed;
    size_t left;
};
void nr_reclaim(const struct nr_policy *policy, const WCHAR *target,
                const struct nr_conns *connected, struct nr_reclaimed *out);

/* idle.c: cancel without force the deviceless connections to `server` in c
 * that are not live[] in the ledger (rules 3 and 4); in audit mode only name
 * them. Returns how many went; refused (busy) ones are added to the
 * "; "-separated list in `refused` (cch units). */
/* Appends `name` to a "; "-separated list in list[cch], as far as it fits. */
void nr_list_append(WCHAR *list, size_t cch, const WCHAR *name);
size_t nr_cancel_idle(const struct nr_policy *policy, const WCHAR *server, const struct nr_conns *c,
                      const BOOL *live, WCHAR *refused, size_t cch);

/* recover.c: rule 4, after the stock add of `remote` answered 1219. Calls
 * `retry` (the same stock add) at most once, when something was closed or
 * cancelled, and returns the final stock answer with the stock's last error
 * in place; logs what still stands in the way if it is still 1219. */
typedef DWORD (*nr_stock_add)(void *ctx);
DWORD nr_add_recover(const struct nr_policy *policy, const WCHAR *remote, nr_stock_add retry,
                     void *ctx);

/* reclaim.c: one cancel, around the stock call. nr_cancel_begin reads the
 * settings and, unless netreclaim is off, learns the remote name now (the
 * stock provider forgets it once the connection is gone); nr_cancel_end
 * reclaims after a stock success and leaves the last error as it was. */
#define NR_TARGET_CCH 1024u
struct nr_cancel {
    struct nr_policy policy;
    const WCHAR *name; /* as the caller gave it */
    BOOL active;       /* reclaim after a stock success */
    WCHAR target[NR_TARGET_CCH];
};
void nr_cancel_begin(struct nr_cancel *c, const WCHAR *name);
void nr_cancel_end(const struct nr_cancel *c, DWORD result);

#endif
