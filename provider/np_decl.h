/* Network provider entry points that mingw-w64's npapi.h lacks, with their
 * documented prototypes (Windows 8 and later ntlanman.dll exports them, MPR
 * prefers them), plus the headers every provider-side file needs. Shared by
 * netreclaim.dll and the Wine test programs (model provider, clients). */
#ifndef NETRECLAIM_NP_DECL_H
#define NETRECLAIM_NP_DECL_H

#include <windows.h>
#include <winnetwk.h>
#include <npapi.h>
#include <wnnc.h>

DWORD APIENTRY NPAddConnection4(HWND hwndOwner, LPNETRESOURCEW lpNetResource, LPVOID lpAuthBuffer,
                                DWORD cbAuthBuffer, DWORD dwFlags, PBYTE lpUseOptions,
                                DWORD cbUseOptions);
DWORD APIENTRY NPCancelConnection2(LPWSTR lpName, BOOL fForce, DWORD dwFlags);
DWORD APIENTRY NPGetPersistentUseOptionsForConnection(LPWSTR lpRemotePath, PBYTE lpReadUseOptions,
                                                      DWORD cbReadUseOptions,
                                                      PBYTE lpWriteUseOptions,
                                                      LPDWORD lpSizeWriteUseOptions);

typedef DWORD(APIENTRY *PF_NPAddConnection4)(HWND, LPNETRESOURCEW, LPVOID, DWORD, DWORD, PBYTE,
                                             DWORD);
typedef DWORD(APIENTRY *PF_NPCancelConnection2)(LPWSTR, BOOL, DWORD);
typedef DWORD(APIENTRY *PF_NPGetPersistentUseOptionsForConnection)(LPWSTR, PBYTE, DWORD, PBYTE,
                                                                   LPDWORD);
/* npapi.h declares PF_NPCloseEnum without WINAPI; this one is right on i686. */
typedef DWORD(APIENTRY *PF_NPCloseEnumW)(HANDLE);

#endif
