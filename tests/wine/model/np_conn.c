/* Connections: add, cancel and the queries about them. The Q245006 rules:
 * a server session outlives a forced cancel while handles stay open, and a
 * different user meets it with 1219. */
#include <string.h>
#include <wchar.h>
#include "model.h"

/* Names the model refuses, so differential tests see real error paths. */
#define LOCKED_SERVER L"locked" /* every add: access denied */
#define WRONG_PASSWORD L"wrong" /* this password: logon failure */

DWORD WINAPI NPGetCaps(DWORD index)
{
    DWORD caps = 0;

    switch (index) {
    case WNNC_SPEC_VERSION:
        caps = WNNC_SPEC_VERSION51;
        break;
    case WNNC_NET_TYPE:
        caps = WNNC_NET_LANMAN;
        break;
    case WNNC_DRIVER_VERSION:
        caps = 1;
        break;
    case WNNC_USER:
        caps = WNNC_USR_GETUSER;
        break;
    case WNNC_CONNECTION:
        caps = WNNC_CON_ADDCONNECTION | WNNC_CON_ADDCONNECTION3 | WNNC_CON_CANCELCONNECTION |
               WNNC_CON_GETCONNECTIONS | WNNC_CON_GETPERFORMANCE;
        break;
    case WNNC_DIALOG:
        caps = WNNC_DLG_GETRESOURCEINFORMATION | WNNC_DLG_GETRESOURCEPARENT |
               WNNC_DLG_FORMATNETWORKNAME;
        break;
    case WNNC_ENUMERATION:
        caps = WNNC_ENUM_GLOBAL | WNNC_ENUM_LOCAL;
        break;
    case WNNC_START:
        caps = 1;
        break; /* started */
    default:
        break;
    }
    call_log("NPGetCaps", L"index=%lu -> 0x%lx", index, caps);
    SetLastError(0);
    return caps;
}

static DWORD add(struct model_state *st, const NETRESOURCEW *res, const WCHAR *password,
                 const WCHAR *user_arg)
{
    struct unc unc;
    WCHAR remote[MODEL_REMOTE_LEN], user[MODEL_USER_LEN];
    const WCHAR *local, *owner;
    struct model_conn *conn = NULL;
    struct model_server *srv;
    int i;

    if (!res)
        return WN_BAD_POINTER;
    if (!unc_parse(res->lpRemoteName, &unc) || !unc.share[0] || unc.rest[0])
        return WN_BAD_NETNAME;
    if (same_name(unc.server, LOCKED_SERVER))
        return WN_ACCESS_DENIED;
    if (!server_exists(unc.server) || !share_exists(unc.server, unc.share))
        return WN_BAD_NETNAME;
    if (password && !wcscmp(password, WRONG_PASSWORD))
        return ERROR_LOGON_FAILURE;

    local = res->lpLocalName && res->lpLocalName[0] ? res->lpLocalName : NULL;
    if (local && !is_drive_name(local))
        return WN_BAD_LOCALNAME;
    /* A letter that names a drive already (C:, Z:) or a connection: as
     * ntlanman, ERROR_ALREADY_ASSIGNED (== WN_ALREADY_CONNECTED, 85). */
    if (local &&
        (state_find_local(st, local) || (GetLogicalDrives() & (1u << (towupper(local[0]) - 'A')))))
        return WN_ALREADY_CONNECTED;

    if (user_arg && user_arg[0])
        lstrcpynW(user, user_arg, MODEL_USER_LEN);
    else
        default_user(user, MODEL_USER_LEN);
    unc_remote(&unc, remote, MODEL_REMOTE_LEN);

    owner = session_owner(st, unc.server);
    if (owner && !same_name(owner, user))
        return ERROR_SESSION_CREDENTIAL_CONFLICT;

    /* A second deviceless use of the same share by the same user is one; an
     * add over an implicit connection makes it an explicit one. */
    if (!local && (conn = state_find_remote(st, remote, TRUE))) {
        conn->implicit = 0;
        conn->idle_since = 0;
        return WN_SUCCESS;
    }

    for (i = 0; i < MODEL_MAX_CONN && !conn; i++)
        if (!st->conn[i].used)
            conn = &st->conn[i];
    if (!conn || !(srv = state_server(st, unc.server, TRUE)))
        return WN_OUT_OF_MEMORY;
    memset(conn, 0, sizeof(*conn));
    conn->used = 1;
    if (local) {
        conn->local[0] = towupper(local[0]);
        conn->local[1] = ':';
    }
    lstrcpyW(conn->remote, remote);
    lstrcpyW(conn->user, user);
    if (!srv->owner[0])
        lstrcpyW(srv->owner, user);
    return WN_SUCCESS;
}

static DWORD add_logged(const char *func, const NETRESOURCEW *res, const WCHAR *password,
                        const WCHAR *user, DWORD flags)
{
    struct model_state *st = state_lock();
    DWORD rc = add(st, res, password, user);

    if (rc == WN_SUCCESS)
        state_save(st);
    call_log(func, L"local=%ls remote=%ls user=%ls flags=0x%lx -> %lu",
             str_or_null(res ? res->lpLocalName : NULL),
             str_or_null(res ? res->lpRemoteName : NULL), str_or_null(user), flags, rc);
    state_unlock(st);
    return np_return(rc);
}

DWORD WINAPI NPAddConnection(LPNETRESOURCEW res, LPWSTR password, LPWSTR user)
{
    return add_logged("NPAddConnection", res, password, user, 0);
}

DWORD WINAPI NPAddConnection3(HWND owner, LPNETRESOURCEW res, LPWSTR password, LPWSTR user,
                              DWORD flags)
{
    (void)owner;
    return add_logged("NPAddConnection3", res, password, user, flags);
}

/* The auth buffer is opaque here: the connection is made as the default user. */
DWORD WINAPI NPAddConnection4(HWND owner, LPNETRESOURCEW res, LPVOID auth, DWORD cb_auth,
                              DWORD flags, PBYTE use_options, DWORD cb_use_options)
{
    (void)owner;
    (void)auth;
    (void)cb_auth;
    (void)use_options;
    (void)cb_use_options;
    return add_logged("NPAddConnection4", res, NULL, NULL, flags);
}

/* The ServerOnly setting (model.h), 0 when unset. */
static DWORD server_only(void)
{
    DWORD mode, size = sizeof(mode);

    if (RegGetValueW(HKEY_LOCAL_MACHINE, MODEL_KEY, MODEL_SERVER_ONLY, RRF_RT_REG_DWORD, NULL,
                     &mode, &size))
        return 0;
    return mode;
}

/* A local name cancels that drive; a remote name only a deviceless use.
 * Under ServerOnly a server alone is reported cancelled, changing nothing. */
static DWORD cancel(struct model_state *st, const WCHAR *name, BOOL force)
{
    struct model_conn *conn;
    struct unc unc;

    if (!name)
        return WN_BAD_POINTER;
    if (server_only() && unc_parse(name, &unc) && !unc.share[0] && server_exists(unc.server))
        return WN_SUCCESS;
    if (is_drive_name(name))
        conn = state_find_local(st, name);
    else
        conn = state_find_remote(st, name, TRUE);
    if (!conn)
        return WN_NOT_CONNECTED;
    if (!force && tree_busy(conn->remote))
        return WN_OPEN_FILES;
    /* Forced: the connection goes, open handles and the session stay. */
    conn->used = 0;
    return WN_SUCCESS;
}

static DWORD cancel_logged(const char *func, const WCHAR *name, BOOL force, DWORD flags)
{
    struct model_state *st = state_lock();
    DWORD rc = cancel(st, name, force);

    if (rc == WN_SUCCESS)
        state_save(st);
    call_log(func, L"name=%ls force=%d flags=0x%lx -> %lu", str_or_null(name), force ? 1 : 0, flags,
             rc);
    state_unlock(st);
    return np_return(rc);
}

DWORD WINAPI NPCancelConnection(LPWSTR name, BOOL force)
{
    return cancel_logged("NPCancelConnection", name, force, 0);
}

DWORD WINAPI NPCancelConnection2(LPWSTR name, BOOL force, DWORD flags)
{
    return cancel_logged("NPCancelConnection2", name, force, flags);
}

/* What NPGetConnection names for a connection: its remote name, or under
 * ServerOnly its server alone. */
static void answer_of(const struct model_conn *conn, WCHAR *out, size_t cch)
{
    const DWORD mode = server_only();
    struct unc unc;

    if (mode && unc_parse(conn->remote, &unc))
        swprintf(out, cch, mode == 2 ? L"\\\\%ls\\" : L"\\\\%ls", unc.server);
    else
        lstrcpynW(out, conn->remote, (int)cch);
}

DWORD WINAPI NPGetConnection(LPWSTR local, LPWSTR remote, LPDWORD len)
{
    struct model_state *st = state_lock();
    struct model_conn *conn = is_drive_name(local) ? state_find_local(st, local) : NULL;
    WCHAR answer[MODEL_REMOTE_LEN];
    DWORD rc = WN_NOT_CONNECTED;

    if (conn) {
        answer_of(conn, answer, MODEL_REMOTE_LEN);
        rc = copy_out(answer, remote, len);
    }

    /* The name answered, so a test sees what the caller was told. */
    if (rc == WN_SUCCESS)
        call_log("NPGetConnection", L"local=%ls -> %lu remote=%ls", str_or_null(local), rc, answer);
    else
        call_log("NPGetConnection", L"local=%ls -> %lu", str_or_null(local), rc);
    state_unlock(st);
    return np_return(rc);
}

DWORD WINAPI NPGetConnection3(LPCWSTR local, DWORD level, LPVOID buffer, LPDWORD size)
{
    struct model_state *st = state_lock();
    DWORD rc;

    if (!is_drive_name(local) || !state_find_local(st, local))
        rc = WN_NOT_CONNECTED;
    else if (level != 1)
        rc = WN_BAD_LEVEL;
    else if (!size)
        rc = WN_BAD_POINTER;
    else if (!buffer || *size < sizeof(DWORD)) {
        *size = sizeof(DWORD);
        rc = WN_MORE_DATA;
    } else {
        *(DWORD *)buffer = WNGETCON_CONNECTED;
        rc = WN_SUCCESS;
    }
    call_log("NPGetConnection3", L"local=%ls level=%lu -> %lu", str_or_null(local), level, rc);
    state_unlock(st);
    return np_return(rc);
}

static struct model_conn *find_any(struct model_state *st, const WCHAR *name)
{
    if (!name)
        return NULL;
    if (is_drive_name(name))
        return state_find_local(st, name);
    return state_find_remote(st, name, FALSE);
}

DWORD WINAPI NPGetUser(LPWSTR name, LPWSTR user, LPDWORD len)
{
    struct model_state *st = state_lock();
    struct model_conn *conn = find_any(st, name);
    WCHAR self[MODEL_USER_LEN];
    DWORD rc;

    if (!name) {
        default_user(self, MODEL_USER_LEN);
        rc = copy_out(self, user, len);
    } else
        rc = conn ? copy_out(conn->user, user, len) : WN_NOT_CONNECTED;
    call_log("NPGetUser", L"name=%ls -> %lu", str_or_null(name), rc);
    state_unlock(st);
    return np_return(rc);
}

DWORD WINAPI NPGetConnectionPerformance(LPCWSTR remote, LPNETCONNECTINFOSTRUCT info)
{
    struct model_state *st = state_lock();
    DWORD rc;

    if (!info)
        rc = WN_BAD_POINTER;
    else if (info->cbStructure < sizeof(*info))
        rc = WN_BAD_VALUE;
    else if (!find_any(st, remote))
        rc = WN_NOT_CONNECTED;
    else {
        info->dwFlags = 0;
        info->dwSpeed = 1000000; /* 100 Mbit/s, in 100 bit/s units */
        info->dwDelay = 0;
        info->dwOptDataSize = 65536;
        rc = WN_SUCCESS;
    }
    call_log("NPGetConnectionPerformance", L"name=%ls -> %lu", str_or_null(remote), rc);
    state_unlock(st);
    return np_return(rc);
}

/* No use options are stored: a connected path reports an empty set. */
DWORD WINAPI NPGetPersistentUseOptionsForConnection(LPWSTR remote, PBYTE read_opts, DWORD cb_read,
                                                    PBYTE write_opts, LPDWORD cb_write)
{
    struct model_state *st = state_lock();
    DWORD rc;

    (void)read_opts;
    (void)cb_read;
    (void)write_opts;
    if (!cb_write)
        rc = WN_BAD_POINTER;
    else if (!find_any(st, remote))
        rc = WN_NOT_CONNECTED;
    else {
        *cb_write = 0;
        rc = WN_SUCCESS;
    }
    call_log("NPGetPersistentUseOptionsForConnection", L"name=%ls -> %lu", str_or_null(remote), rc);
    state_unlock(st);
    return np_return(rc);
}

/* No public prototype: the model takes the five arguments of
 * ...ForConnection (model.h says why) and, for a connected path, echoes the
 * read options back as the write options, so a test sees every argument
 * arrive: the path, both buffers and both sizes. */
DWORD WINAPI NPGetPersistentUseOptionsForConnection2(LPWSTR remote, PBYTE read_opts, DWORD cb_read,
                                                     PBYTE write_opts, LPDWORD cb_write)
{
    struct model_state *st = state_lock();
    DWORD rc, room = cb_write ? *cb_write : 0;

    if (!cb_write || (cb_read && !read_opts))
        rc = WN_BAD_POINTER;
    else if (!find_any(st, remote))
        rc = WN_NOT_CONNECTED;
    else if (room < cb_read || (cb_read && !write_opts)) {
        *cb_write = cb_read;
        rc = WN_MORE_DATA;
    } else {
        if (cb_read)
            memcpy(write_opts, read_opts, cb_read);
        *cb_write = cb_read;
        rc = WN_SUCCESS;
    }
    call_log("NPGetPersistentUseOptionsForConnection2", L"name=%ls read=%lu write=%lu -> %lu",
             str_or_null(remote), cb_read, room, rc);
    state_unlock(st);
    return np_return(rc);
}

/* The byte MPR keeps with a persistent connection. The model has no DFS,
 * so a connected drive letter answers 0 (an unmarked connection). */
DWORD WINAPI NPGetReconnectFlags(LPWSTR local, LPBYTE flags)
{
    struct model_state *st = state_lock();
    DWORD rc;

    if (!local || !flags)
        rc = WN_BAD_POINTER;
    else if (!is_drive_name(local))
        rc = WN_BAD_LOCALNAME;
    else if (!state_find_local(st, local))
        rc = WN_NOT_CONNECTED;
    else {
        *flags = 0;
        rc = WN_SUCCESS;
    }
    call_log("NPGetReconnectFlags", L"local=%ls -> %lu", str_or_null(local), rc);
    state_unlock(st);
    return np_return(rc);
}
