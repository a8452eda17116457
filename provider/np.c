/* The NP entry points of netreclaim.dll. Each forwards to the stock provider
 * exactly once, with the caller's arguments, and hands back its answer as is:
 * return value, out-buffers, sizes and the thread's last error (nothing of
 * ours runs between the stock call and the return). Code added after a stock
 * call must save GetLastError() right after it and restore it on return. */
#include "nrprov.h"

/* Nothing but opting out of thread notifications: the stock provider loads
 * on first use, never under the loader lock of our own DllMain. */
BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    (void)reserved;
    if (reason == DLL_PROCESS_ATTACH)
        DisableThreadLibraryCalls(instance);
    return TRUE;
}

/* MPR builds its view of us from these; mirrored exactly (0 if no stock). */
DWORD APIENTRY NPGetCaps(DWORD nIndex)
{
    const struct nr_stock *s = nr_stock();

    return s->NPGetCaps ? s->NPGetCaps(nIndex) : 0;
}

/* Adding a connection: where a successful add will be recorded in the ledger
 * and a stale ERROR_SESSION_CREDENTIAL_CONFLICT recovered. */

DWORD APIENTRY NPAddConnection(LPNETRESOURCEW lpNetResource, LPWSTR lpPassword, LPWSTR lpUserName)
{
    const struct nr_stock *s = nr_stock();

    if (!s->NPAddConnection)
        return s->absent;
    return s->NPAddConnection(lpNetResource, lpPassword, lpUserName);
}

DWORD APIENTRY NPAddConnection3(HWND hwndOwner, LPNETRESOURCEW lpNetResource, LPWSTR lpPassword,
                                LPWSTR lpUserName, DWORD dwFlags)
{
    const struct nr_stock *s = nr_stock();

    if (!s->NPAddConnection3)
        return s->absent;
    return s->NPAddConnection3(hwndOwner, lpNetResource, lpPassword, lpUserName, dwFlags);
}

DWORD APIENTRY NPAddConnection4(HWND hwndOwner, LPNETRESOURCEW lpNetResource, LPVOID lpAuthBuffer,
                                DWORD cbAuthBuffer, DWORD dwFlags, PBYTE lpUseOptions,
                                DWORD cbUseOptions)
{
    const struct nr_stock *s = nr_stock();

    if (!s->NPAddConnection4)
        return s->absent;
    return s->NPAddConnection4(hwndOwner, lpNetResource, lpAuthBuffer, cbAuthBuffer, dwFlags,
                               lpUseOptions, cbUseOptions);
}

/* Cancelling a connection: the name is resolved to \\server\share before
 * forwarding, and the handles left open under it are reclaimed after the
 * stock provider reports success. */

DWORD APIENTRY NPCancelConnection(LPWSTR lpName, BOOL fForce)
{
    const struct nr_stock *s = nr_stock();
    struct nr_cancel cancel;
    DWORD ret;

    if (!s->NPCancelConnection)
        return s->absent;
    nr_cancel_begin(&cancel, lpName);
    ret = s->NPCancelConnection(lpName, fForce);
    nr_cancel_end(&cancel, ret);
    return ret;
}

DWORD APIENTRY NPCancelConnection2(LPWSTR lpName, BOOL fForce, DWORD dwFlags)
{
    const struct nr_stock *s = nr_stock();
    struct nr_cancel cancel;
    DWORD ret;

    if (!s->NPCancelConnection2)
        return s->absent;
    nr_cancel_begin(&cancel, lpName);
    ret = s->NPCancelConnection2(lpName, fForce, dwFlags);
    nr_cancel_end(&cancel, ret);
    return ret;
}

/* Everything else is a plain pass-through. */

DWORD APIENTRY NPGetConnection(LPWSTR lpLocalName, LPWSTR lpRemoteName, LPDWORD lpnBufferLen)
{
    const struct nr_stock *s = nr_stock();

    if (!s->NPGetConnection)
        return s->absent;
    return s->NPGetConnection(lpLocalName, lpRemoteName, lpnBufferLen);
}

DWORD APIENTRY NPGetConnection3(LPCWSTR lpLocalName, DWORD dwLevel, LPVOID lpBuffer,
                                LPDWORD lpBufferSize)
{
    const struct nr_stock *s = nr_stock();

    if (!s->NPGetConnection3)
        return s->absent;
    return s->NPGetConnection3(lpLocalName, dwLevel, lpBuffer, lpBufferSize);
}

DWORD APIENTRY NPGetConnectionPerformance(LPCWSTR lpRemoteName,
                                          LPNETCONNECTINFOSTRUCT lpNetConnectInfo)
{
    const struct nr_stock *s = nr_stock();

    if (!s->NPGetConnectionPerformance)
        return s->absent;
    return s->NPGetConnectionPerformance(lpRemoteName, lpNetConnectInfo);
}

DWORD APIENTRY NPGetUniversalName(LPWSTR lpLocalPath, DWORD dwInfoLevel, LPVOID lpBuffer,
                                  LPDWORD lpBufferSize)
{
    const struct nr_stock *s = nr_stock();

    if (!s->NPGetUniversalName)
        return s->absent;
    return s->NPGetUniversalName(lpLocalPath, dwInfoLevel, lpBuffer, lpBufferSize);
}

DWORD APIENTRY NPGetUser(LPWSTR lpName, LPWSTR lpUserName, LPDWORD lpnBufferLen)
{
    const struct nr_stock *s = nr_stock();

    if (!s->NPGetUser)
        return s->absent;
    return s->NPGetUser(lpName, lpUserName, lpnBufferLen);
}

DWORD APIENTRY NPOpenEnum(DWORD dwScope, DWORD dwType, DWORD dwUsage, LPNETRESOURCEW lpNetResource,
                          LPHANDLE lphEnum)
{
    const struct nr_stock *s = nr_stock();

    if (!s->NPOpenEnum)
        return s->absent;
    return s->NPOpenEnum(dwScope, dwType, dwUsage, lpNetResource, lphEnum);
}

DWORD APIENTRY NPEnumResource(HANDLE hEnum, LPDWORD lpcCount, LPVOID lpBuffer, LPDWORD lpBufferSize)
{
    const struct nr_stock *s = nr_stock();

    if (!s->NPEnumResource)
        return s->absent;
    return s->NPEnumResource(hEnum, lpcCount, lpBuffer, lpBufferSize);
}

DWORD APIENTRY NPCloseEnum(HANDLE hEnum)
{
    const struct nr_stock *s = nr_stock();

    if (!s->NPCloseEnum)
        return s->absent;
    return s->NPCloseEnum(hEnum);
}

DWORD APIENTRY NPGetResourceInformation(LPNETRESOURCEW lpNetResource, LPVOID lpBuffer,
                                        LPDWORD lpBufferSize, LPWSTR *lplpSystem)
{
    const struct nr_stock *s = nr_stock();

    if (!s->NPGetResourceInformation)
        return s->absent;
    return s->NPGetResourceInformation(lpNetResource, lpBuffer, lpBufferSize, lplpSystem);
}

DWORD APIENTRY NPGetResourceParent(LPNETRESOURCEW lpNetResource, LPVOID lpBuffer,
                                   LPDWORD lpBufferSize)
{
    const struct nr_stock *s = nr_stock();

    if (!s->NPGetResourceParent)
        return s->absent;
    return s->NPGetResourceParent(lpNetResource, lpBuffer, lpBufferSize);
}

DWORD APIENTRY NPFormatNetworkName(LPWSTR lpRemoteName, LPWSTR lpFormattedName, LPDWORD lpnLength,
                                   DWORD dwFlags, DWORD dwAveCharPerLine)
{
    const struct nr_stock *s = nr_stock();

    if (!s->NPFormatNetworkName)
        return s->absent;
    return s->NPFormatNetworkName(lpRemoteName, lpFormattedName, lpnLength, dwFlags,
                                  dwAveCharPerLine);
}

DWORD APIENTRY NPGetPersistentUseOptionsForConnection(LPWSTR lpRemotePath, PBYTE lpReadUseOptions,
                                                      DWORD cbReadUseOptions,
                                                      PBYTE lpWriteUseOptions,
                                                      LPDWORD lpSizeWriteUseOptions)
{
    const struct nr_stock *s = nr_stock();

    if (!s->NPGetPersistentUseOptionsForConnection)
        return s->absent;
    return s->NPGetPersistentUseOptionsForConnection(lpRemotePath, lpReadUseOptions,
                                                     cbReadUseOptions, lpWriteUseOptions,
                                                     lpSizeWriteUseOptions);
}
