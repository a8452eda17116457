/* The model's state, shared by every process that loads it: a small file in
 * the prefix, read and written whole under a named mutex. */
#include <string.h>
#include "model.h"

#define STATE_MAGIC 0x4c444d4eu /* "NMDL" */

static HANDLE state_mutex;
static struct model_state state;

static HANDLE get_mutex(void)
{
    HANDLE m;

    if (state_mutex)
        return state_mutex;
    m = CreateMutexW(NULL, FALSE, NRMODEL_MUTEX);
    if (m && InterlockedCompareExchangePointer(&state_mutex, m, NULL))
        CloseHandle(m);
    return state_mutex;
}

static void state_load(void)
{
    HANDLE file;
    DWORD got = 0;

    memset(&state, 0, sizeof(state));
    file = CreateFileW(NRMODEL_STATE, GENERIC_READ,
                       FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                       0, NULL);
    if (file == INVALID_HANDLE_VALUE)
        return;
    if (!ReadFile(file, &state, sizeof(state), &got, NULL) || got != sizeof(state) ||
        state.magic != STATE_MAGIC || state.size != sizeof(state))
        memset(&state, 0, sizeof(state)); /* absent or foreign: start empty */
    CloseHandle(file);
}

/* A wait of 10 s is far beyond any NP call: past it the test is broken, and
 * carrying on unlocked beats hanging the caller. */
struct model_state *state_lock(void)
{
    HANDLE m = get_mutex();

    if (m)
        WaitForSingleObject(m, 10000);
    state_load();
    if (implicit_refresh(&state))
        state_save(&state);
    return &state;
}

void state_save(struct model_state *st)
{
    HANDLE file;
    DWORD done;

    st->magic = STATE_MAGIC;
    st->size = sizeof(*st);
    CreateDirectoryW(NRMODEL_DIR, NULL);
    file = CreateFileW(NRMODEL_STATE, GENERIC_WRITE,
                       FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, CREATE_ALWAYS,
                       0, NULL);
    if (file == INVALID_HANDLE_VALUE)
        return;
    WriteFile(file, st, sizeof(*st), &done, NULL);
    CloseHandle(file);
}

void state_unlock(struct model_state *st)
{
    (void)st;
    if (state_mutex)
        ReleaseMutex(state_mutex);
}

struct model_conn *state_find_local(struct model_state *st, const WCHAR *local)
{
    int i;

    for (i = 0; i < MODEL_MAX_CONN; i++)
        if (st->conn[i].used && st->conn[i].local[0] && same_name(st->conn[i].local, local))
            return &st->conn[i];
    return NULL;
}

struct model_conn *state_find_remote(struct model_state *st, const WCHAR *remote,
                                     BOOL deviceless_only)
{
    int i;

    for (i = 0; i < MODEL_MAX_CONN; i++) {
        struct model_conn *c = &st->conn[i];
        if (!c->used || (deviceless_only && c->local[0]))
            continue;
        if (same_name(c->remote, remote))
            return c;
    }
    return NULL;
}

struct model_server *state_server(struct model_state *st, const WCHAR *server, BOOL create)
{
    int i;
    struct model_server *free_slot = NULL;

    for (i = 0; i < MODEL_MAX_SRV; i++) {
        if (st->srv[i].used && same_name(st->srv[i].name, server))
            return &st->srv[i];
        if (!st->srv[i].used && !free_slot)
            free_slot = &st->srv[i];
    }
    if (!create || !free_slot)
        return NULL;
    memset(free_slot, 0, sizeof(*free_slot));
    free_slot->used = 1;
    lstrcpynW(free_slot->name, server, MODEL_NAME_LEN);
    return free_slot;
}

static BOOL server_connected(struct model_state *st, const WCHAR *server)
{
    int i;
    struct unc unc;

    for (i = 0; i < MODEL_MAX_CONN; i++)
        if (st->conn[i].used && unc_parse(st->conn[i].remote, &unc) &&
            same_name(unc.server, server))
            return TRUE;
    return FALSE;
}

/* The session outlives its connections while any handle under the server is
 * open (the Q245006 behaviour). Plain UNC access with no connection makes an
 * implicit session owned by the default user. */
const WCHAR *session_owner(struct model_state *st, const WCHAR *server)
{
    struct model_server *srv = state_server(st, server, FALSE);
    BOOL live = server_connected(st, server) || server_busy(server);

    if (!live) {
        if (srv)
            srv->used = 0;
        return NULL;
    }
    if (!srv && (srv = state_server(st, server, TRUE)))
        default_user(srv->owner, MODEL_USER_LEN);
    return srv ? srv->owner : NULL;
}
