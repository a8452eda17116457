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

/* reclaim.c: one cancel, around the stock call. nr_cancel_begin reads the
 * settings and, unless netreclaim is off, learns the remote name now (the
 * stock provider forgets it once the connection is gone); nr_cancel_end
 * reclaims after a stock success and leaves the last error as it was. */
#define NR_TARGET_CCH 1024u
struct nr_cancel {
    struct nr_policy policy;
    BOOL active; /* reclaim after a stock success */
    WCHAR target[NR_TARGET_CCH];
};
void nr_cancel_begin(struct nr_cancel *c, const WCHAR *name);
void nr_cancel_end(const struct nr_cancel *c, DWORD result);

#endif
