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
/* Not in the Windows SDK. The prototype is public elsewhere: OpenAFS's
 * network provider exports it as
 *   DWORD APIENTRY NPGetReconnectFlags(LPWSTR lpLocalName, LPBYTE lpPersistFlags)
 * and NT's DFS provider header declares the same shape as
 * NPDfsGetReconnectFlags(LPWSTR lpLocalName, LPBYTE lpPersistFlags). MPR
 * saves the byte with a persistent connection and passes it back in
 * NPAddConnection3's dwFlags when it restores the connection at logon.
 * (NPGetPersistentUseOptionsForConnection2 has no public prototype at all:
 * netreclaim forwards it with a thunk, see provider/thunk.c.) */
DWORD APIENTRY NPGetReconnectFlags(LPWSTR lpLocalName, LPBYTE lpPersistFlags);
DWORD APIENTRY NPGetPersistentUseOptionsForConnection(LPWSTR lpRemotePath, PBYTE lpReadUseOptions,
                                                      DWORD cbReadUseOptions,
                                                      PBYTE lpWriteUseOptions,
                                                      LPDWORD lpSizeWriteUseOptions);

typedef DWORD(APIENTRY *PF_NPAddConnection4)(HWND, LPNETRESOURCEW, LPVOID, DWORD, DWORD, PBYTE,
                                             DWORD);
typedef DWORD(APIENTRY *PF_NPCancelConnection2)(LPWSTR, BOOL, DWORD);
typedef DWORD(APIENTRY *PF_NPGetReconnectFlags)(LPWSTR, LPBYTE);
typedef DWORD(APIENTRY *PF_NPGetPersistentUseOptionsForConnection)(LPWSTR, PBYTE, DWORD, PBYTE,
                                                                   LPDWORD);
/* npapi.h declares PF_NPCloseEnum without WINAPI; this one is right on i686. */
typedef DWORD(APIENTRY *PF_NPCloseEnumW)(HANDLE);

#endif
