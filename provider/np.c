/* The NP entry points of netreclaim.dll. Each forwards to the stock provider
 * exactly once, with the caller's arguments, and hands back its answer as is:
 * return value, out-buffers, sizes and the thread's last error, except where
 * rule 4 retries a stale 1219 once. Code added after a stock call saves
 * GetLastError() right after it and restores it on return. */
#include "nrprov.h"
#include "win/nrwin.h"
#include "netreclaim/authid.h"
#include "netreclaim/ledger.h"

/* Opting out of thread notifications, and our heap destroyed when we are
 * unloaded before the process ends (reserved NULL); at process exit nothing
 * is freed. The stock provider loads on first use, never under the loader
 * lock of our own DllMain. */
BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    if (reason == DLL_PROCESS_ATTACH)
        DisableThreadLibraryCalls(instance);
    else if (reason == DLL_PROCESS_DETACH && !reserved)
        nrwin_heap_end();
    return TRUE;
}

/* MPR builds its view of us from these; mirrored exactly (0 if no stock). */
DWORD APIENTRY NPGetCaps(DWORD nIndex)
{
    const struct nr_stock *s = nr_stock();

    return s->NPGetCaps ? s->NPGetCaps(nIndex) : 0;
}

/* Adding a connection: the stock add runs once, and once more only when
 * rule 4 turned up a stale 1219 and cleared something; a success is recorded
 * in the ledger. Mode off forwards and does nothing else. */

enum add_api { ADD_1, ADD_3, ADD_4 };

struct add_call {
    enum add_api api;
    HWND owner;
    NETRESOURCEW *res;
    WCHAR *password, *user;
    void *auth;
    DWORD cb_auth, flags;
    BYTE *options;
    DWORD cb_options;
};

static DWORD forward_add(void *ctx)
{
    const struct nr_stock *s = nr_stock();
    const struct add_call *a = ctx;

    switch (a->api) {
    case ADD_1:
        return s->NPAddConnection(a->res, a->password, a->user);
    case ADD_3:
        return s->NPAddConnection3(a->owner, a->res, a->password, a->user, a->flags);
    default:
        return s->NPAddConnection4(a->owner, a->res, a->auth, a->cb_auth, a->flags, a->options,
                                   a->cb_options);
    }
}

/* Who the connection was made as: the caller's user name, the user packed
 * in an auth buffer we can read (never its password), the session's own
 * user for default credentials, or "" when the buffer is opaque to us. */
static void user_of(const struct add_call *a, WCHAR *user, DWORD cch)
{
    DWORD size = cch;

    user[0] = 0;
    if (a->api != ADD_4 && a->user && a->user[0])
        lstrcpynW(user, a->user, (int)cch);
    else if (a->api == ADD_4 && a->auth && a->cb_auth)
        nr_auth_user(a->auth, a->cb_auth, (nr_char *)user, cch);
    else if (!GetUserNameW(user, &size))
        user[0] = 0;
}

static DWORD add(struct add_call *a)
{
    WCHAR user[NR_LEDGER_USER_CCH];
    struct nr_policy policy;
    DWORD ret, error;

    nrwin_load_policy(&policy, NULL, NULL);
    ret = forward_add(a);
    if (policy.mode == NR_MODE_OFF || !a->res ||
        (ret != WN_SUCCESS && ret != ERROR_SESSION_CREDENTIAL_CONFLICT))
        return ret;
    error = GetLastError();
    if (ret == ERROR_SESSION_CREDENTIAL_CONFLICT) {
        ret = nr_add_recover(&policy, a->res->lpRemoteName, forward_add, a);
        error = GetLastError();
    }
    if (ret == WN_SUCCESS) {
        user_of(a, user, ARRAYSIZE(user));
        nr_ledger_record(a->res->lpLocalName, a->res->lpRemoteName, user);
    }
    SetLastError(error);
    return ret;
}

DWORD APIENTRY NPAddConnection(LPNETRESOURCEW lpNetResource, LPWSTR lpPassword, LPWSTR lpUserName)
{
    struct add_call a = {
        .api = ADD_1, .res = lpNetResource, .password = lpPassword, .user = lpUserName
    };

    if (!nr_stock()->NPAddConnection)
        return nr_stock()->absent;
    return add(&a);
}

DWORD APIENTRY NPAddConnection3(HWND hwndOwner, LPNETRESOURCEW lpNetResource, LPWSTR lpPassword,
                                LPWSTR lpUserName, DWORD dwFlags)
{
    struct add_call a = { .api = ADD_3,
                          .owner = hwndOwner,
                          .res = lpNetResource,
                          .password = lpPassword,
                          .user = lpUserName,
                          .flags = dwFlags };

    if (!nr_stock()->NPAddConnection3)
        return nr_stock()->absent;
    return add(&a);
}

DWORD APIENTRY NPAddConnection4(HWND hwndOwner, LPNETRESOURCEW lpNetResource, LPVOID lpAuthBuffer,
                                DWORD cbAuthBuffer, DWORD dwFlags, PBYTE lpUseOptions,
                                DWORD cbUseOptions)
{
    struct add_call a = { .api = ADD_4,
                          .owner = hwndOwner,
                          .res = lpNetResource,
                          .auth = lpAuthBuffer,
                          .cb_auth = cbAuthBuffer,
                          .flags = dwFlags,
                          .options = lpUseOptions,
                          .cb_options = cbUseOptions };

    if (!nr_stock()->NPAddConnection4)
        return nr_stock()->absent;
    return add(&a);
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

/* Everything else is a plain pass-through: the stock entry, or what a
 * missing entry answers. */
#define FORWARD(entry, ...)                                                                        \
    const struct nr_stock *s = nr_stock();                                                         \
    return s->entry ? s->entry(__VA_ARGS__) : s->absent

DWORD APIENTRY NPGetConnection(LPWSTR lpLocalName, LPWSTR lpRemoteName, LPDWORD lpnBufferLen)
{
    FORWARD(NPGetConnection, lpLocalName, lpRemoteName, lpnBufferLen);
}

DWORD APIENTRY NPGetConnection3(LPCWSTR lpLocalName, DWORD dwLevel, LPVOID lpBuffer,
                                LPDWORD lpBufferSize)
{
    FORWARD(NPGetConnection3, lpLocalName, dwLevel, lpBuffer, lpBufferSize);
}

DWORD APIENTRY NPGetConnectionPerformance(LPCWSTR lpRemoteName,
                                          LPNETCONNECTINFOSTRUCT lpNetConnectInfo)
{
    FORWARD(NPGetConnectionPerformance, lpRemoteName, lpNetConnectInfo);
}

DWORD APIENTRY NPGetUniversalName(LPWSTR lpLocalPath, DWORD dwInfoLevel, LPVOID lpBuffer,
                                  LPDWORD lpBufferSize)
{
    FORWARD(NPGetUniversalName, lpLocalPath, dwInfoLevel, lpBuffer, lpBufferSize);
}

DWORD APIENTRY NPGetUser(LPWSTR lpName, LPWSTR lpUserName, LPDWORD lpnBufferLen)
{
    FORWARD(NPGetUser, lpName, lpUserName, lpnBufferLen);
}

DWORD APIENTRY NPOpenEnum(DWORD dwScope, DWORD dwType, DWORD dwUsage, LPNETRESOURCEW lpNetResource,
                          LPHANDLE lphEnum)
{
    FORWARD(NPOpenEnum, dwScope, dwType, dwUsage, lpNetResource, lphEnum);
}

DWORD APIENTRY NPEnumResource(HANDLE hEnum, LPDWORD lpcCount, LPVOID lpBuffer, LPDWORD lpBufferSize)
{
    FORWARD(NPEnumResource, hEnum, lpcCount, lpBuffer, lpBufferSize);
}

DWORD APIENTRY NPCloseEnum(HANDLE hEnum)
{
    FORWARD(NPCloseEnum, hEnum);
}

DWORD APIENTRY NPGetResourceInformation(LPNETRESOURCEW lpNetResource, LPVOID lpBuffer,
                                        LPDWORD lpBufferSize, LPWSTR *lplpSystem)
{
    FORWARD(NPGetResourceInformation, lpNetResource, lpBuffer, lpBufferSize, lplpSystem);
}

DWORD APIENTRY NPGetResourceParent(LPNETRESOURCEW lpNetResource, LPVOID lpBuffer,
                                   LPDWORD lpBufferSize)
{
    FORWARD(NPGetResourceParent, lpNetResource, lpBuffer, lpBufferSize);
}

DWORD APIENTRY NPFormatNetworkName(LPWSTR lpRemoteName, LPWSTR lpFormattedName, LPDWORD lpnLength,
                                   DWORD dwFlags, DWORD dwAveCharPerLine)
{
    FORWARD(NPFormatNetworkName, lpRemoteName, lpFormattedName, lpnLength, dwFlags,
            dwAveCharPerLine);
}

DWORD APIENTRY NPGetPersistentUseOptionsForConnection(LPWSTR lpRemotePath, PBYTE lpReadUseOptions,
                                                      DWORD cbReadUseOptions,
                                                      PBYTE lpWriteUseOptions,
                                                      LPDWORD lpSizeWriteUseOptions)
{
    FORWARD(NPGetPersistentUseOptionsForConnection, lpRemotePath, lpReadUseOptions,
            cbReadUseOptions, lpWriteUseOptions, lpSizeWriteUseOptions);
}
