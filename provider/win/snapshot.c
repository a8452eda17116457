/* The caller's handles as struct nr_handle rows: per session where the OS
 * allows it (session.c), else the system handle table
 * (NtQuerySystemInformation, SystemExtendedHandleInformation), read here. */
#include <stddef.h>
#include "nrwin_snapshot.h"
#include "ntapi.h"

/* The table changes while we read it, so the buffer is sized from the length
 * the kernel returns, plus slack, a bounded number of times, up to a cap
 * (nrwin_query_sized). */
#define SNAPSHOT_FIRST_SIZE (1u << 20) /* about 25,000 rows on x64 */
#define SNAPSHOT_MAX_SIZE (256u << 20)
#define SNAPSHOT_SLACK (64u << 10)

struct table_query {
    nrwin_query_system query;
};

static NTSTATUS table_call(const void *ctx, void *buf, ULONG size, ULONG *len)
{
    const struct table_query *q = ctx;

    return q->query(SystemExtendedHandleInformation, buf, size, len);
}

/* The table, in a buffer of ours; *len: the bytes `query` says it wrote, no
 * more than the buffer holds. */
static int query_table(nrwin_query_system query, SYSTEM_HANDLE_INFORMATION_EX **table, ULONG *len)
{
    const struct table_query q = { query };
    struct nrwin_buf b = { NULL, SNAPSHOT_FIRST_SIZE };
    NTSTATUS nt = 0;
    int status = nrwin_query_sized(table_call, &q, &b, SNAPSHOT_MAX_SIZE, SNAPSHOT_SLACK, &nt, len);

    if (status == NR_OK && !NT_SUCCESS(nt)) {
        nrwin_free(b.p);
        status = NR_ERROR;
    }
    if (status == NR_OK)
        *table = b.p;
    return status;
}

/* Converted in place, front to back: row i of the result ends before entry
 * i + 1 of the kernel's table starts (an nr_handle is smaller than an entry),
 * and entry i is read whole before row i is written. No second copy of the
 * table: it is the largest allocation of a reclaim. */
C_ASSERT(sizeof(struct nr_handle) <= sizeof(SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX));

static void convert(SYSTEM_HANDLE_INFORMATION_EX *info, size_t count)
{
    struct nr_handle *out = (struct nr_handle *)info;

    for (size_t i = 0; i < count; i++) {
        SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX e;
        struct nr_handle h;

        /* Byte copies both ways: the two views of the buffer may alias, and
         * the compiler must keep the read before the write. */
        CopyMemory(&e, &info->Handles[i], sizeof(e));
        h.pid = (uint32_t)e.UniqueProcessId;
        h.value = e.HandleValue;
        h.access = e.GrantedAccess;
        h.type_index = e.ObjectTypeIndex;
        h.attributes = (uint16_t)e.HandleAttributes;
        CopyMemory(&out[i], &h, sizeof(h));
    }
}

int nrwin_snapshot_from(nrwin_query_system query, struct nr_snapshot *snap)
{
    const size_t row = sizeof(SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX);
    const size_t header = offsetof(SYSTEM_HANDLE_INFORMATION_EX, Handles);
    SYSTEM_HANDLE_INFORMATION_EX *info = NULL;
    size_t count = 0;
    ULONG len = 0;
    int status;

    snap->handles = NULL;
    snap->count = 0;
    status = query_table(query, &info, &len);
    /* Trust the count only as far as the table the query wrote goes. */
    if (status == NR_OK && (len < header || (count = info->NumberOfHandles) > (len - header) / row))
        status = NR_ERROR;
    if (status == NR_OK) {
        convert(info, count);
        snap->handles = (struct nr_handle *)info;
        snap->count = count;
    } else {
        nrwin_free(info);
    }
    return status;
}

int nrwin_snapshot_with(const struct nrwin_session_api *api, struct nr_snapshot *snap,
                        volatile LONG *class_missing, enum nrwin_path *path)
{
    int missing = 0, status;

    *path = NRWIN_PATH_NONE;
    if (!*class_missing) {
        if (nrwin_session_snapshot_from(api, snap, &missing) == NR_OK) {
            *path = NRWIN_PATH_SESSION;
            return NR_OK;
        }
        /* Missing is a property of this Windows: not asked again. Any
         * other failure may pass, and the next reclaim tries again. */
        if (missing)
            InterlockedExchange(class_missing, 1);
    }
    status = nrwin_snapshot_from(api->query_system, snap);
    if (status == NR_OK)
        *path = NRWIN_PATH_SYSTEM;
    return status;
}

int nrwin_snapshot(void *ctx, struct nr_snapshot *snap)
{
    static volatile LONG class_missing;
    struct nrwin_session_api api;
    enum nrwin_path path;

    (void)ctx;
    nrwin_session_api_real(&api);
    return nrwin_snapshot_with(&api, snap, &class_missing, &path);
}

void nrwin_free_snapshot(void *ctx, struct nr_snapshot *snap)
{
    (void)ctx;
    nrwin_free(snap->handles);
    snap->handles = NULL;
    snap->count = 0;
}
