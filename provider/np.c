/* The NP entry points of netreclaim.dll. Each forwards to the stock provider
 * exactly once, with the caller's arguments, and hands back its answer as is:
 * return value, out-buffers, sizes and the thread's last error, except where
 * rule 4 retries a stale 1219 once. This is the only file that calls
 * through the stock table, and only to forward; code that runs after a
 * stock call keeps the last error the stock call left.
 *
 * Every entry here begins with ENTER, which also opens the session ledger,
 * with two exceptions: NPGetCaps only traces (see there), and the entries
 * with no public prototype (entries.h, NRP_THUNKED) are forwarded by
 * thunk.c without a trace or the ledger, since their arguments are never
 * read. */
#include "nrprov.h"
#include "stock_table.h"
#include "netreclaim/authid.h"
#include "netreclaim/ledger.h"

/* Opting out of thread notifications, and our trace provider unregistered
 * and our heap destroyed when we are unloaded before the process ends
 * (reserved NULL); at process exit nothing is freed. The stock provider loads on first use, never under the loader
 * lock of our own DllMain. */
BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    if (reason == DLL_PROCESS_ATTACH)
        DisableThreadLibraryCalls(instance);
    else if (reason == DLL_PROCESS_DETACH && !reserved) {
        nrp_etw_end();
        nrwin_heap_end();
    }
    return TRUE;
}

/* The trace of an entry's arguments (trace.c); never a password. */
#define TRACE_ARGS(fmt, ...)                                                                       \
    do {                                                                                           \
        if (nrp_tracing()) {                                                                       \
            const DWORD_PTR trace_args_[] = { __VA_ARGS__ };                                       \
            nrp_trace_in(__func__, fmt, trace_args_);                                              \
        }                                                                                          \
    } while (0)
/* The start of every entry but NPGetCaps: two steps, in this order. The
 * process's first entry opens the session ledger and keeps it for the
 * process's lifetime, so that a long-lived process holds it for the logon
 * (np_ledger.c, docs/design.md rule 4); then the arguments are traced. NPGetCaps
 * only traces: Wine's mpr asks it from its DllMain (loader lock). */
#define ENTER(fmt, ...)                                                                            \
    do {                                                                                           \
        nrp_ledger_keep();                                                                         \
        TRACE_ARGS(fmt, __VA_ARGS__);                                                              \
    } while (0)
#define S(s) (DWORD_PTR) nrp_str(s)
/* A NETRESOURCE as four arguments: remote, local, provider, type. */
#define RES_FMT L"remote %1, local %2, provider %3, type %4!lu!"
#define RES(r)                                                                                     \
    S((r) ? (r)->lpRemoteName : NULL), S((r) ? (r)->lpLocalName : NULL),                           \
        S((r) ? (r)->lpProvider : NULL), (DWORD_PTR)((r) ? (r)->dwType : 0)

/* MPR builds its view of us from these; mirrored exactly (0 if no stock). */
DWORD APIENTRY NPGetCaps(DWORD nIndex)
{
    const struct nrp_stock_table *s = nrp_stock_table();

    TRACE_ARGS(L"%1!lu!", nIndex);
    return nrp_trace_out(__func__, s->get_caps ? s->get_caps(nIndex) : 0);
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
    const struct nrp_stock_table *s = nrp_stock_table();
    const struct add_call *a = ctx;

    switch (a->api) {
    case ADD_1:
        return s->add_connection(a->res, a->password, a->user);
    case ADD_3:
        return s->add_connection3(a->owner, a->res, a->password, a->user, a->flags);
    default:
        return s->add_connection4(a->owner, a->res, a->auth, a->cb_auth, a->flags, a->options,
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
        nr_auth_user(a->auth, a->cb_auth, user, cch);
    else if (!GetUserNameW(user, &size))
        user[0] = 0;
}

static DWORD add(struct add_call *a)
{
    WCHAR user[NR_LEDGER_USER_CCH];
    struct nr_policy policy;
    DWORD ret, error;

    nrp_load_policy(&policy);
    ret = forward_add(a);
    if (policy.mode == NR_MODE_OFF || !a->res ||
        (ret != WN_SUCCESS && ret != ERROR_SESSION_CREDENTIAL_CONFLICT))
        return ret;
    error = GetLastError();
    if (ret == ERROR_SESSION_CREDENTIAL_CONFLICT) {
        ret = nrp_recover_add(&policy, a->res->lpRemoteName, forward_add, a);
        error = GetLastError();
    }
    if (ret == WN_SUCCESS) {
        user_of(a, user, ARRAYSIZE(user));
        nrp_ledger_record(a->res->lpLocalName, a->res->lpRemoteName, user);
    }
    SetLastError(error);
    return ret;
}

DWORD APIENTRY NPAddConnection(LPNETRESOURCEW lpNetResource, LPWSTR lpPassword, LPWSTR lpUserName)
{
    struct add_call a = {
        .api = ADD_1, .res = lpNetResource, .password = lpPassword, .user = lpUserName
    };

    ENTER(RES_FMT L", user %5", RES(lpNetResource), S(lpUserName));
    if (!nrp_stock_table()->add_connection)
        return nrp_trace_out(__func__, nrp_stock_table()->absent);
    return nrp_trace_out(__func__, add(&a));
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

    ENTER(RES_FMT L", user %5, flags %6!#lx!", RES(lpNetResource), S(lpUserName), dwFlags);
    if (!nrp_stock_table()->add_connection3)
        return nrp_trace_out(__func__, nrp_stock_table()->absent);
    return nrp_trace_out(__func__, add(&a));
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

    /* The auth buffer holds credentials: only its size is traced. */
    ENTER(RES_FMT L", auth %5!lu! bytes, flags %6!#lx!, options %7!lu! bytes", RES(lpNetResource),
          cbAuthBuffer, dwFlags, cbUseOptions);
    if (!nrp_stock_table()->add_connection4)
        return nrp_trace_out(__func__, nrp_stock_table()->absent);
    return nrp_trace_out(__func__, add(&a));
}

/* Cancelling a connection: the name is resolved to \\server\share before
 * forwarding, and the handles left open under it are reclaimed after the
 * stock provider reports success. */

DWORD APIENTRY NPCancelConnection(LPWSTR lpName, BOOL fForce)
{
    const struct nrp_stock_table *s = nrp_stock_table();
    struct nrp_cancel cancel;
    DWORD ret;

    ENTER(L"%1, force %2!d!", S(lpName), fForce);
    if (!s->cancel_connection)
        return nrp_trace_out(__func__, s->absent);
    nrp_cancel_begin(&cancel, lpName);
    nrp_trace_step("policy and target");
    ret = s->cancel_connection(lpName, fForce);
    nrp_trace_step("stock cancel");
    nrp_cancel_end(&cancel, ret);
    return nrp_trace_out(__func__, ret);
}

DWORD APIENTRY NPCancelConnection2(LPWSTR lpName, BOOL fForce, DWORD dwFlags)
{
    const struct nrp_stock_table *s = nrp_stock_table();
    struct nrp_cancel cancel;
    DWORD ret;

    ENTER(L"%1, force %2!d!, flags %3!#lx!", S(lpName), fForce, dwFlags);
    if (!s->cancel_connection2)
        return nrp_trace_out(__func__, s->absent);
    nrp_cancel_begin(&cancel, lpName);
    nrp_trace_step("policy and target");
    ret = s->cancel_connection2(lpName, fForce, dwFlags);
    nrp_trace_step("stock cancel");
    nrp_cancel_end(&cancel, ret);
    return nrp_trace_out(__func__, ret);
}

/* Everything else is a plain pass-through: the stock entry, or what a
 * missing entry answers. */
#define FORWARD(field, ...)                                                                        \
    const struct nrp_stock_table *s = nrp_stock_table();                                           \
    return nrp_trace_out(__func__, s->field ? s->field(__VA_ARGS__) : s->absent)

DWORD APIENTRY NPGetConnection(LPWSTR lpLocalName, LPWSTR lpRemoteName, LPDWORD lpnBufferLen)
{
    ENTER(L"%1", S(lpLocalName));
    FORWARD(get_connection, lpLocalName, lpRemoteName, lpnBufferLen);
}

DWORD APIENTRY NPGetConnection3(LPCWSTR lpLocalName, DWORD dwLevel, LPVOID lpBuffer,
                                LPDWORD lpBufferSize)
{
    ENTER(L"%1, level %2!lu!", S(lpLocalName), dwLevel);
    FORWARD(get_connection3, lpLocalName, dwLevel, lpBuffer, lpBufferSize);
}

DWORD APIENTRY NPGetConnectionPerformance(LPCWSTR lpRemoteName,
                                          LPNETCONNECTINFOSTRUCT lpNetConnectInfo)
{
    ENTER(L"%1", S(lpRemoteName));
    FORWARD(get_connection_performance, lpRemoteName, lpNetConnectInfo);
}

DWORD APIENTRY NPGetUniversalName(LPWSTR lpLocalPath, DWORD dwInfoLevel, LPVOID lpBuffer,
                                  LPDWORD lpBufferSize)
{
    ENTER(L"%1, level %2!lu!", S(lpLocalPath), dwInfoLevel);
    FORWARD(get_universal_name, lpLocalPath, dwInfoLevel, lpBuffer, lpBufferSize);
}

DWORD APIENTRY NPGetUser(LPWSTR lpName, LPWSTR lpUserName, LPDWORD lpnBufferLen)
{
    ENTER(L"%1", S(lpName));
    FORWARD(get_user, lpName, lpUserName, lpnBufferLen);
}

DWORD APIENTRY NPOpenEnum(DWORD dwScope, DWORD dwType, DWORD dwUsage, LPNETRESOURCEW lpNetResource,
                          LPHANDLE lphEnum)
{
    ENTER(L"scope %1!lu!, type %2!lu!, usage %3!#lx!, remote %4", dwScope, dwType, dwUsage,
          S(lpNetResource ? lpNetResource->lpRemoteName : NULL));
    FORWARD(open_enum, dwScope, dwType, dwUsage, lpNetResource, lphEnum);
}

DWORD APIENTRY NPEnumResource(HANDLE hEnum, LPDWORD lpcCount, LPVOID lpBuffer, LPDWORD lpBufferSize)
{
    ENTER(L"enum %1!p!", (DWORD_PTR)hEnum);
    FORWARD(enum_resource, hEnum, lpcCount, lpBuffer, lpBufferSize);
}

DWORD APIENTRY NPCloseEnum(HANDLE hEnum)
{
    ENTER(L"enum %1!p!", (DWORD_PTR)hEnum);
    FORWARD(close_enum, hEnum);
}

DWORD APIENTRY NPGetResourceInformation(LPNETRESOURCEW lpNetResource, LPVOID lpBuffer,
                                        LPDWORD lpBufferSize, LPWSTR *lplpSystem)
{
    ENTER(RES_FMT, RES(lpNetResource));
    FORWARD(get_resource_information, lpNetResource, lpBuffer, lpBufferSize, lplpSystem);
}

DWORD APIENTRY NPGetResourceParent(LPNETRESOURCEW lpNetResource, LPVOID lpBuffer,
                                   LPDWORD lpBufferSize)
{
    ENTER(RES_FMT, RES(lpNetResource));
    FORWARD(get_resource_parent, lpNetResource, lpBuffer, lpBufferSize);
}

DWORD APIENTRY NPFormatNetworkName(LPWSTR lpRemoteName, LPWSTR lpFormattedName, LPDWORD lpnLength,
                                   DWORD dwFlags, DWORD dwAveCharPerLine)
{
    ENTER(L"%1, flags %2!#lx!", S(lpRemoteName), dwFlags);
    FORWARD(format_network_name, lpRemoteName, lpFormattedName, lpnLength, dwFlags,
            dwAveCharPerLine);
}

DWORD APIENTRY NPGetPersistentUseOptionsForConnection(LPWSTR lpRemotePath, PBYTE lpReadUseOptions,
                                                      DWORD cbReadUseOptions,
                                                      PBYTE lpWriteUseOptions,
                                                      LPDWORD lpSizeWriteUseOptions)
{
    ENTER(L"%1, %2!lu! bytes", S(lpRemotePath), cbReadUseOptions);
    FORWARD(get_persistent_use_options, lpRemotePath, lpReadUseOptions, cbReadUseOptions,
            lpWriteUseOptions, lpSizeWriteUseOptions);
}

/* The byte MPR keeps with a persistent connection and hands back in
 * NPAddConnection3's dwFlags at logon restore: passed through untouched. */
DWORD APIENTRY NPGetReconnectFlags(LPWSTR lpLocalName, LPBYTE lpPersistFlags)
{
    ENTER(L"%1", S(lpLocalName));
    FORWARD(get_reconnect_flags, lpLocalName, lpPersistFlags);
}

/* NPGetPersistentUseOptionsForConnection2 has no public prototype: it is
 * forwarded by thunk.c, which never reads its arguments. */
