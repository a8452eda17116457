/* Network provider entry points that mingw-w64's npapi.h lacks, with their
 * documented prototypes, plus the headers every provider-side file needs. */
#ifndef NETRECLAIM_TESTS_NP_DECL_H
#define NETRECLAIM_TESTS_NP_DECL_H

#include <windows.h>
#include <winnetwk.h>
#include <npapi.h>
#include <wnnc.h>

DWORD WINAPI NPAddConnection4(HWND hwndOwner, LPNETRESOURCEW lpNetResource, LPVOID lpAuthBuffer,
                              DWORD cbAuthBuffer, DWORD dwFlags, PBYTE lpUseOptions,
                              DWORD cbUseOptions);
DWORD WINAPI NPCancelConnection2(LPWSTR lpName, BOOL fForce, DWORD dwFlags);
DWORD WINAPI NPGetPersistentUseOptionsForConnection(LPWSTR lpRemotePath, PBYTE lpReadUseOptions,
                                                    DWORD cbReadUseOptions, PBYTE lpWriteUseOptions,
                                                    LPDWORD lpSizeWriteUseOptions);

typedef DWORD(WINAPI *PF_NPAddConnection4)(HWND, LPNETRESOURCEW, LPVOID, DWORD, DWORD, PBYTE,
                                           DWORD);
typedef DWORD(WINAPI *PF_NPCancelConnection2)(LPWSTR, BOOL, DWORD);
typedef DWORD(WINAPI *PF_NPGetPersistentUseOptionsForConnection)(LPWSTR, PBYTE, DWORD, PBYTE,
                                                                 LPDWORD);
/* npapi.h declares PF_NPCloseEnum without WINAPI; this one is right on i686. */
typedef DWORD(WINAPI *PF_NPCloseEnumW)(HANDLE);

#endif
