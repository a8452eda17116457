/* The caller's session's handles, process by process (nrwin_snapshot.h):
 * SystemSessionProcessInformation for the caller's Remote Desktop session's
 * processes (SystemProcessInformation, filtered, where it fails), then
 * ProcessHandleInformation (NtQueryInformationProcess class 51, Windows 8
 * and later) for each of them whose token is in the caller's logon session.
 * On a Remote Desktop Session Host this reads a few thousand rows and a few
 * dozen processes where the system table holds millions of rows and the
 * process list thousands of processes (docs/design.md, Windows facts). */
#include <stddef.h>
#include "nrwin_snapshot.h"
#include "ntapi.h"

/* Every buffer is sized from the length the kernel answers (the tables
 * change while we read them), a bounded number of times, up to a cap
 * (nrwin_query_sized). */
#define SESSION_FIRST_SIZE (64u << 10) /* one session: about 40 processes of 16 threads */
#define LIST_FIRST_SIZE (256u << 10)   /* the machine's */
#define LIST_MAX_SIZE (64u << 20)      /* either list: about 30,000 processes */
#define TABLE_MAX_SIZE (256u << 20)    /* one process's table; all rows together */
#define SLACK (16u << 10)
/* Handles a process may open between the list and its table's query. */
#define HINT_SLACK 256u
#define ROWS_MAX (TABLE_MAX_SIZE / sizeof(struct nr_handle))

/* A list entry is read only as far as SessionId (the last field we use). */
#define ENTRY_MIN (offsetof(SYSTEM_PROCESS_INFORMATION, SessionId) + sizeof(ULONG))

struct list_query {
    const struct nrwin_session_api *api;
    uint32_t session;
};

/* SystemSessionProcessInformation: the processes of q->session only, into
 * buf (ntapi.h). The length answered is the list's in buf. A
 * STATUS_BUFFER_TOO_SMALL asks for a larger buffer too (as System
 * Informer's PhEnumProcessesForSession reads it). */
static NTSTATUS list_session_call(const void *ctx, void *buf, ULONG size, ULONG *len)
{
    const struct list_query *q = ctx;
    SYSTEM_SESSION_PROCESS_INFORMATION in;
    NTSTATUS nt;

    in.SessionId = q->session;
    in.SizeOfBuf = size;
    in.Buffer = buf;
    nt = q->api->query_system(NRWIN_SESSION_PROCESS_CLASS, &in, sizeof(in), len);
    return nt == STATUS_BUFFER_TOO_SMALL ? STATUS_INFO_LENGTH_MISMATCH : nt;
}

/* SystemProcessInformation: every process of the machine. */
static NTSTATUS list_machine_call(const void *ctx, void *buf, ULONG size, ULONG *len)
{
    const struct list_query *q = ctx;

    return q->api->query_system(SystemProcessInformation, buf, size, len);
}

struct table_query {
    const struct nrwin_session_api *api;
    HANDLE process;
};

/* ProcessHandleInformation: one process's table. */
static NTSTATUS table_call(const void *ctx, void *buf, ULONG size, ULONG *len)
{
    const struct table_query *q = ctx;

    return q->api->query_process(q->process, NRWIN_PROCESS_HANDLE_CLASS, buf, size, len);
}

/* Walks the list: the pids of `session` (and each one's HandleCount, the
 * size hint for its table) into pids/hints when given, their number into
 * *count. NR_ERROR if an entry does not fit or the chain leaves the
 * buffer: each step moves at least ENTRY_MIN bytes forward, so the walk
 * ends within len / ENTRY_MIN steps. An empty list (class 53 answers a
 * length of 0 for a session without processes) is NR_ERROR too: the
 * caller's session holds the caller's processes, so an empty one is a list
 * not to trust, and the machine's list is asked instead. */
static int walk(const BYTE *list, ULONG len, uint32_t session, uint32_t *pids, ULONG *hints,
                size_t *count)
{
    size_t n = 0;
    ULONG off = 0;

    for (;;) {
        SYSTEM_PROCESS_INFORMATION e;
        uint32_t pid;

        if (len - off < ENTRY_MIN)
            return NR_ERROR;
        CopyMemory(&e, list + off, ENTRY_MIN); /* entries need not be aligned */
        pid = (uint32_t)(ULONG_PTR)e.UniqueProcessId;
        if (e.SessionId == session && pid) {
            if (pids) {
                pids[n] = pid;
                hints[n] = e.HandleCount;
            }
            n++;
        }
        if (!e.NextEntryOffset)
            break;
        if (e.NextEntryOffset < ENTRY_MIN || e.NextEntryOffset > len - off)
            return NR_ERROR;
        off += e.NextEntryOffset;
    }
    *count = n;
    return NR_OK;
}

/* One listing into b: NR_OK when it succeeds with a well-formed chain (*n:
 * the processes of the session in it, kept by their SessionId whichever
 * list it is). */
static int list_with(nrwin_sized_query query, const struct list_query *q, struct nrwin_buf *b,
                     ULONG *len, size_t *n)
{
    NTSTATUS nt = 0;
    int status = nrwin_query_sized(query, q, b, LIST_MAX_SIZE, SLACK, &nt, len);

    if (status == NR_OK && !NT_SUCCESS(nt))
        status = NR_ERROR;
    if (status == NR_OK)
        status = walk(b->p, *len, q->session, NULL, NULL, n);
    return status;
}

/* The processes of `session`: its own list, or where that fails for any
 * reason (Wine 8: STATUS_INVALID_INFO_CLASS) the machine's. The list is freed
 * before any table is read, so the two never add up in memory. Not
 * remembered when missing: every Windows with class 51 has class 53, and a
 * failure costs one query before the machine's list. */
static int list_session(const struct nrwin_session_api *api, uint32_t session, uint32_t **pids,
                        ULONG **hints, size_t *count)
{
    const struct list_query q = { api, session };
    struct nrwin_buf b = { NULL, SESSION_FIRST_SIZE };
    ULONG len = 0;
    size_t n = 0;
    int status = list_with(list_session_call, &q, &b, &len, &n);

    if (status != NR_OK) {
        nrwin_free(b.p);
        b.p = NULL;
        b.size = LIST_FIRST_SIZE;
        status = list_with(list_machine_call, &q, &b, &len, &n);
    }
    if (status == NR_OK && n) {
        *pids = nrwin_alloc(n * sizeof(**pids));
        *hints = nrwin_alloc(n * sizeof(**hints));
        if (!*pids || !*hints)
            status = NR_NOMEM;
        else
            status = walk(b.p, len, session, *pids, *hints, &n);
    }
    nrwin_free(b.p);
    *count = status == NR_OK ? n : 0;
    return status;
}

struct rows {
    struct nr_handle *h;
    size_t count, cap;
};

/* Room for `more` rows, doubling, never past ROWS_MAX. */
static int reserve(struct rows *r, size_t more)
{
    struct nr_handle *h;
    size_t cap = r->cap ? r->cap : 1024;

    if (more > ROWS_MAX - r->count)
        return NR_TOO_SMALL;
    if (r->count + more <= r->cap)
        return NR_OK;
    while (cap < r->count + more)
        cap *= 2;
    if (cap > ROWS_MAX)
        cap = ROWS_MAX;
    if (!(h = nrwin_alloc(cap * sizeof(*h))))
        return NR_NOMEM;
    if (r->count)
        CopyMemory(h, r->h, r->count * sizeof(*h));
    nrwin_free(r->h);
    r->h = h;
    r->cap = cap;
    return NR_OK;
}

/* The table's rows, as nr_handle rows of pid. The count is trusted only as
 * far as the written length goes, and a type index wider than the system
 * table's USHORT proves a layout we do not know. */
static int append(struct rows *r, uint32_t pid, const struct nrwin_buf *b, ULONG len)
{
    const size_t row = sizeof(PROCESS_HANDLE_TABLE_ENTRY_INFO);
    const size_t header = offsetof(PROCESS_HANDLE_SNAPSHOT_INFORMATION, Handles);
    const PROCESS_HANDLE_SNAPSHOT_INFORMATION *info = b->p;
    size_t count;
    int status;

    if (len < header || (count = info->NumberOfHandles) > (len - header) / row)
        return NR_ERROR;
    if ((status = reserve(r, count)) != NR_OK)
        return status;
    for (size_t i = 0; i < count; i++) {
        PROCESS_HANDLE_TABLE_ENTRY_INFO e;
        struct nr_handle *h = &r->h[r->count + i];

        CopyMemory(&e, &info->Handles[i], sizeof(e));
        if (e.ObjectTypeIndex > 0xffffu)
            return NR_ERROR;
        h->pid = pid;
        h->value = (ULONG_PTR)e.HandleValue;
        h->access = e.GrantedAccess;
        h->type_index = (uint16_t)e.ObjectTypeIndex;
        h->attributes = (uint16_t)e.HandleAttributes;
    }
    r->count += count;
    return NR_OK;
}

/* One process's table, read into `b` (sized from its HandleCount first). */
static int read_table(const struct nrwin_session_api *api, HANDLE process, uint32_t pid, ULONG hint,
                      struct nrwin_buf *b, struct rows *r, int *missing)
{
    const struct table_query q = { api, process };
    const ULONGLONG want = offsetof(PROCESS_HANDLE_SNAPSHOT_INFORMATION, Handles) +
                           ((ULONGLONG)hint + HINT_SLACK) * sizeof(PROCESS_HANDLE_TABLE_ENTRY_INFO);
    NTSTATUS nt = 0;
    ULONG len = 0;
    int status;

    if (want > b->size) {
        nrwin_free(b->p);
        b->p = NULL;
        b->size = want <= TABLE_MAX_SIZE ? (ULONG)want : TABLE_MAX_SIZE;
    }
    if ((status = nrwin_query_sized(table_call, &q, b, TABLE_MAX_SIZE, SLACK, &nt, &len)) != NR_OK)
        return status;
    if (nt == STATUS_INVALID_INFO_CLASS || nt == STATUS_NOT_IMPLEMENTED) {
        *missing = 1;
        return NR_ERROR;
    }
    /* It ended after the list: nothing of it is left to close. */
    if (nt == STATUS_PROCESS_IS_TERMINATING)
        return NR_OK;
    if (!NT_SUCCESS(nt))
        return NR_ERROR;
    return append(r, pid, b, len);
}

/* A process of the caller's session: its rows when its token is in the
 * caller's logon session. It is left out (NR_OK, no rows) when it is gone
 * or cannot be opened: the planner would call it protected and close
 * nothing there either (closing needs PROCESS_DUP_HANDLE, more than we ask
 * for here). One handle serves the token check and the table, so a pid
 * reused in between cannot slip in. PROCESS_QUERY_INFORMATION (which
 * includes PROCESS_QUERY_LIMITED_INFORMATION, enough for the token): what
 * System Informer and others open for ProcessHandleInformation. */
static int read_process(const struct nrwin_session_api *api, uint32_t pid, uint64_t caller,
                        ULONG hint, struct nrwin_buf *b, struct rows *r, int *missing)
{
    HANDLE process;
    uint64_t luid;
    int status;

    if (api->open(api->ctx, pid, PROCESS_QUERY_INFORMATION, &process) != NR_OK)
        return NR_OK;
    if (api->luid(api->ctx, process, &luid) != NR_OK || luid != caller)
        status = NR_OK; /* not the caller's, or cannot be told: as the planner */
    else
        status = read_table(api, process, pid, hint, b, r, missing);
    api->close(api->ctx, process);
    return status;
}

/* The rows become the snapshot's on success, and are freed otherwise. */
static int hand_over(struct rows *r, struct nr_snapshot *snap, int status)
{
    if (status == NR_OK) {
        snap->handles = r->h;
        snap->count = r->count;
    } else {
        nrwin_free(r->h);
    }
    return status;
}

int nrwin_session_snapshot_from(const struct nrwin_session_api *api, struct nr_snapshot *snap,
                                int *missing)
{
    struct nrwin_buf b = { NULL, 0 };
    struct rows r = { NULL, 0, 0 };
    uint32_t *pids = NULL, session = 0;
    ULONG *hints = NULL;
    uint64_t luid = 0;
    size_t n = 0;
    int status;

    *missing = 0;
    snap->handles = NULL;
    snap->count = 0;
    status = api->caller(api->ctx, &luid, &session);
    if (status == NR_OK)
        status = list_session(api, session, &pids, &hints, &n);
    for (size_t i = 0; i < n && status == NR_OK; i++)
        status = read_process(api, pids[i], luid, hints[i], &b, &r, missing);
    nrwin_free(b.p);
    nrwin_free(pids);
    nrwin_free(hints);
    return hand_over(&r, snap, status);
}

int nrwin_process_snapshot_from(const struct nrwin_session_api *api, HANDLE process, uint32_t pid,
                                struct nr_snapshot *snap, int *missing)
{
    struct nrwin_buf b = { NULL, 0 };
    struct rows r = { NULL, 0, 0 };
    int status;

    *missing = 0;
    snap->handles = NULL;
    snap->count = 0;
    status = read_table(api, process, pid, 0, &b, &r, missing);
    nrwin_free(b.p);
    return hand_over(&r, snap, status);
}

/* ---- the real calls ---- */

/* The caller's token (the thread's if it impersonates, as
 * nrwin_caller_luid), its logon session and its Remote Desktop session. */
static int real_caller(void *ctx, uint64_t *luid, uint32_t *session)
{
    HANDLE token;
    DWORD id = 0, size;
    int status;

    if ((status = nrwin_caller_luid(ctx, luid)) != NR_OK)
        return status;
    if (!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token)) {
        if (GetLastError() != ERROR_NO_TOKEN)
            return nrwin_status(GetLastError());
        if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
            return nrwin_status(GetLastError());
    }
    if (!GetTokenInformation(token, TokenSessionId, &id, sizeof(id), &size))
        status = nrwin_status(GetLastError());
    CloseHandle(token);
    *session = id;
    return status;
}

static int real_open(void *ctx, uint32_t pid, DWORD access, HANDLE *process)
{
    (void)ctx;
    return nrwin_open_process(pid, access, process);
}

static int real_luid(void *ctx, HANDLE process, uint64_t *luid)
{
    (void)ctx;
    return nrwin_luid_of_process(process, luid);
}

static void real_close(void *ctx, HANDLE process)
{
    (void)ctx;
    CloseHandle(process);
}

void nrwin_session_api_real(struct nrwin_session_api *api)
{
    api->ctx = NULL;
    api->query_system = NtQuerySystemInformation;
    api->query_process = NtQueryInformationProcess;
    api->caller = real_caller;
    api->open = real_open;
    api->luid = real_luid;
    api->close = real_close;
}
