/* The system handle table (NtQuerySystemInformation,
 * SystemExtendedHandleInformation), as struct nr_handle rows. */
#include <stddef.h>
#include "nrwin.h"
#include "ntapi.h"

/* The table changes while we read it, so the buffer is sized from the length
 * the kernel returns, plus slack, a bounded number of times, up to a cap. */
#define SNAPSHOT_FIRST_SIZE (1u << 20) /* about 25,000 rows on x64 */
#define SNAPSHOT_MAX_SIZE (256u << 20)
#define SNAPSHOT_TRIES 8

static SYSTEM_HANDLE_INFORMATION_EX *query(ULONG *size, int *status)
{
    SYSTEM_HANDLE_INFORMATION_EX *info = NULL;
    ULONG want = SNAPSHOT_FIRST_SIZE, needed;
    NTSTATUS nt = STATUS_INFO_LENGTH_MISMATCH;

    for (int i = 0; i < SNAPSHOT_TRIES && nt == STATUS_INFO_LENGTH_MISMATCH; i++) {
        info = nrwin_alloc(want);
        if (!info) {
            *status = NR_NOMEM;
            return NULL;
        }
        needed = 0;
        nt = NtQuerySystemInformation(SystemExtendedHandleInformation, info, want, &needed);
        if (nt != STATUS_INFO_LENGTH_MISMATCH)
            break;
        nrwin_free(info);
        info = NULL;
        /* Some versions answer a needed length that is already stale, or 0:
         * always grow, by a quarter and 64 KiB over the larger of the two. */
        needed = needed > want ? needed : want;
        if (needed > SNAPSHOT_MAX_SIZE - needed / 4 - (64u << 10))
            break;
        want = needed + needed / 4 + (64u << 10);
    }
    if (!info) {
        *status = NR_TOO_SMALL;
        return NULL;
    }
    if (!NT_SUCCESS(nt)) {
        nrwin_free(info);
        *status = NR_ERROR;
        return NULL;
    }
    *size = want;
    *status = NR_OK;
    return info;
}

/* nrwin_snapshot converts the table in place. */
C_ASSERT(sizeof(struct nr_handle) <= sizeof(SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX));

int nrwin_snapshot(void *ctx, struct nr_snapshot *snap)
{
    const size_t row = sizeof(SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX);
    const size_t header = offsetof(SYSTEM_HANDLE_INFORMATION_EX, Handles);
    SYSTEM_HANDLE_INFORMATION_EX *info;
    struct nr_handle *out;
    ULONG size;
    size_t count;
    int status;

    (void)ctx;
    snap->handles = NULL;
    snap->count = 0;
    info = query(&size, &status);
    if (!info)
        return status;
    count = info->NumberOfHandles;
    /* Trust the count only as far as the buffer goes. */
    if (count > (size - header) / row) {
        nrwin_free(info);
        return NR_ERROR;
    }
    /* Converted in place, front to back: row i of the result ends before
     * entry i + 1 of the kernel's table starts (an nr_handle is smaller than
     * an entry), and entry i is read whole before row i is written. No
     * second copy of the table: it is the largest allocation of a reclaim. */
    out = (struct nr_handle *)info;
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
    snap->handles = out;
    snap->count = count;
    return NR_OK;
}

void nrwin_free_snapshot(void *ctx, struct nr_snapshot *snap)
{
    (void)ctx;
    nrwin_names_end();
    nrwin_free(snap->handles);
    snap->handles = NULL;
    snap->count = 0;
}
