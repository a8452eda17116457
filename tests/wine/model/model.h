/* nrmodel: a test-only LanmanWorkstation stand-in that reproduces KB Q245006.
 * Internal interfaces between its small files. */
#ifndef NRMODEL_MODEL_H
#define NRMODEL_MODEL_H

#include "np_decl.h"
#include "share.h"

#define MODEL_MAX_CONN 32
#define MODEL_MAX_SRV 16
#define MODEL_NAME_LEN 80    /* server or share name, chars incl. NUL */
#define MODEL_REMOTE_LEN 168 /* \\server\share, chars incl. NUL */
#define MODEL_USER_LEN 64
#define MODEL_MAX_SHARE 32
/* Where the test sets the KeepConn period (REG_DWORD seconds, default 600):
 * how long an idle implicit connection lingers. */
#define MODEL_KEY L"Software\\nrmodel"
#define MODEL_KEEPCONN L"KeepConnSeconds"
/* A stock provider that speaks of whole servers (REG_DWORD, default 0): 1,
 * NPGetConnection answers a drive's server alone (\\srv) and a cancel that
 * names a server alone reports success; 2, the same with a trailing
 * separator (\\srv\). What netreclaim must not let widen a cancel's
 * reclaim to a whole server (rule 3). */
#define MODEL_SERVER_ONLY L"ServerOnly"

struct model_conn {
    DWORD used;
    DWORD implicit;       /* made by plain UNC access, not by an add */
    ULONGLONG idle_since; /* implicit: FILETIME its last handle was seen closed, 0 while busy */
    WCHAR local[4];       /* L"Z:" or empty for a deviceless connection */
    WCHAR remote[MODEL_REMOTE_LEN];
    WCHAR user[MODEL_USER_LEN];
};

/* A server session: its owner is whoever first made it. It lives while a
 * connection to the server exists or a handle under its tree is open. */
struct model_server {
    DWORD used;
    WCHAR name[MODEL_NAME_LEN];
    WCHAR owner[MODEL_USER_LEN];
};

/* A share under which handles were seen open at the last NP call: a handle
 * first seen with no connection to its share made an implicit one. */
struct model_share {
    DWORD used;
    WCHAR remote[MODEL_REMOTE_LEN];
};

struct model_state {
    DWORD magic;
    DWORD size;
    struct model_conn conn[MODEL_MAX_CONN];
    struct model_server srv[MODEL_MAX_SRV];
    struct model_share held[MODEL_MAX_SHARE];
};

/* A parsed \\server\share[\rest]; share and rest may be empty. */
struct unc {
    WCHAR server[MODEL_NAME_LEN];
    WCHAR share[MODEL_NAME_LEN];
    const WCHAR *rest; /* points into the parsed string, L"" if none */
};

/* NPGetPersistentUseOptionsForConnection2 has no public prototype. The
 * model's choice: the five arguments of NPGetPersistentUseOptionsForConnection
 * (a current x64 ntlanman's ...ForConnection is a stub that tail-jumps with
 * its five arguments unchanged, docs/thunked-entries.md). netreclaim never
 * assumes a shape (provider/thunk.c); only the model and the clients that
 * call it (npdiff) share this one. */
typedef DWORD(APIENTRY *PF_NrmodelGetPersistentUseOptionsForConnection2)(
    LPWSTR remote, PBYTE read_opts, DWORD cb_read, PBYTE write_opts, LPDWORD cb_write);
DWORD APIENTRY NPGetPersistentUseOptionsForConnection2(LPWSTR remote, PBYTE read_opts,
                                                       DWORD cb_read, PBYTE write_opts,
                                                       LPDWORD cb_write);

/* names.c */
BOOL unc_parse(const WCHAR *name, struct unc *unc);
BOOL is_drive_name(const WCHAR *name);
void unc_remote(const struct unc *unc, WCHAR *out, size_t cch);
void default_user(WCHAR *out, DWORD cch);
BOOL same_name(const WCHAR *a, const WCHAR *b);
DWORD copy_out(const WCHAR *str, WCHAR *buf, DWORD *len);

/* state.c: lock, load, and after a change save; unlock always. */
struct model_state *state_lock(void);
void state_save(struct model_state *st);
void state_unlock(struct model_state *st);
struct model_conn *state_find_local(struct model_state *st, const WCHAR *local);
struct model_conn *state_find_remote(struct model_state *st, const WCHAR *remote,
                                     BOOL deviceless_only);
struct model_server *state_server(struct model_state *st, const WCHAR *server, BOOL create);
/* Refreshes the server's session; returns its owner or NULL if none lives. */
const WCHAR *session_owner(struct model_state *st, const WCHAR *server);

/* implicit.c: walks every share on each NP call; returns TRUE if the state
 * changed (an implicit connection appeared or expired). */
BOOL implicit_refresh(struct model_state *st);

/* busy.c: is any handle open, in any process, under this UNC tree? */
BOOL tree_busy(const WCHAR *unc_path);
BOOL server_busy(const WCHAR *server);
BOOL server_exists(const WCHAR *server);
BOOL share_exists(const WCHAR *server, const WCHAR *share);

/* calllog.c: one line per NP call, appended to NRMODEL_LOG. Never passwords. */
void call_log(const char *func, const WCHAR *fmt, ...);
const WCHAR *str_or_null(const WCHAR *s);

/* Sets the last error to the result so callers see a deterministic value. */
static inline DWORD np_return(DWORD rc)
{
    SetLastError(rc);
    return rc;
}

#endif
