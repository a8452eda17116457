/* NT names of handles (NtQueryObject, ObjectNameInformation), queried on the
 * bounded worker of worker.c because the query can block. The planner has
 * already ruled out the pipe ends it can tell by their access mask. A name
 * under \Device\Mup may be any UNC provider's (SMB, WebDAV, RDP, NFS...):
 * the same worker step asks the handle's remote protocol
 * (GetFileInformationByHandleEx, FileRemoteProtocolInfo; Windows Vista and
 * later, per Microsoft's FILE_REMOTE_PROTOCOL_INFO documentation), which can
 * block on the same file object.
 *
 * The planner hands over one process's handles in a batch: one job, one
 * hand-off to the worker and one process handle for all of them, each query
 * one step with its own timeout (worker.c). When a step overruns, the job
 * stays with its stuck worker and the planner asks again for the rest,
 * which then go to a fresh worker. */
#include <stddef.h>

#include "nrwin.h"
#include "ntapi.h"

/* A batch in flight. What it owns (the process handle, its scratch buffer,
 * the values) it keeps for as long as it runs, even after the caller gave
 * up on it; the caller's entries and names buffer it writes only between
 * nrwin_call_enter and nrwin_call_leave, i.e. never once given up on. */
struct name_job {
    struct nrwin_call call; /* first: worker.c hands us back &call */
    HANDLE process;         /* opened for the job, or GetCurrentProcess() */
    struct nr_name_query *q;
    nr_char *names;
    size_t cch, used, count;
    union {
        OBJECT_NAME_INFORMATION info;
        /* Room for the longest UNICODE_STRING: the query never overflows. */
        BYTE bytes[sizeof(OBJECT_NAME_INFORMATION) + 0x10000];
    } name;
    uint64_t values[]; /* read outside the lock: copied from the caller's */
};

static BOOL under_mup(const UNICODE_STRING *name)
{
    static const WCHAR mup[] = L"\\Device\\Mup\\";
    const int n = ARRAYSIZE(mup) - 1;

    return name->Buffer && name->Length / sizeof(WCHAR) > (USHORT)n &&
           CompareStringOrdinal(name->Buffer, n, mup, n, TRUE) == CSTR_EQUAL;
}

/* One handle's name into the job's scratch buffer, on a copy of the handle
 * closed right after. */
static int query_one(struct name_job *j, uint64_t value, uint32_t *protocol)
{
    FILE_REMOTE_PROTOCOL_INFO info;
    const UNICODE_STRING *name = &j->name.info.Name;
    HANDLE copy;
    NTSTATUS nt;

    *protocol = 0;
    if (!DuplicateHandle(j->process, (HANDLE)(ULONG_PTR)value, GetCurrentProcess(), &copy, 0, FALSE,
                         DUPLICATE_SAME_ACCESS))
        return nrwin_status(GetLastError());
    nt = NtQueryObject(copy, ObjectNameInformation, &j->name, sizeof(j->name), NULL);
    if (NT_SUCCESS(nt) && under_mup(name) &&
        GetFileInformationByHandleEx(copy, FileRemoteProtocolInfo, &info, sizeof(info)))
        *protocol = info.Protocol;
    CloseHandle(copy);
    /* Wine answers an unnamed object with Length 0 and Buffer NULL. */
    return NT_SUCCESS(nt) && (!name->Length || name->Buffer) ? NR_OK : NR_ERROR;
}

static void job_run(struct nrwin_call *call)
{
    struct name_job *j = (struct name_job *)call;
    const UNICODE_STRING *name = &j->name.info.Name;
    struct nr_name_query *q;
    uint32_t protocol;
    size_t i, len;
    BOOL more = TRUE;
    int status;

    for (i = 0; more; i++) {
        status = query_one(j, j->values[i], &protocol);
        len = status == NR_OK ? name->Length / sizeof(WCHAR) : 0;
        if (!nrwin_call_enter(call))
            return;
        q = &j->q[i];
        /* Only the first can be past what is left: it alone may have
         * started with less room than the longest name. */
        if (len > j->cch - j->used)
            status = NR_TOO_SMALL;
        q->status = status;
        q->protocol = protocol;
        q->len = len;
        if (status == NR_OK) {
            q->name = j->names + j->used;
            if (len)
                CopyMemory(j->names + j->used, name->Buffer, len * sizeof(WCHAR));
            j->used += len;
        }
        /* The batch ends where no longest name would fit any more; the
         * caller asks again for the rest. */
        more = i + 1 < j->count && j->cch - j->used > NR_UNC_MAX;
        nrwin_call_leave(call, !more);
    }
}

static void job_release(struct nrwin_call *call)
{
    struct name_job *j = (struct name_job *)call;

    CloseHandle(j->process); /* no effect on GetCurrentProcess() */
    nrwin_free(j);
}

/* Every entry settled with one status. */
static size_t settle_all(struct nr_name_query *q, size_t count, int status)
{
    for (size_t i = 0; i < count; i++)
        q[i].status = status;
    return count;
}

/* Runs a batch over `process`, which the job takes over (closed with it). */
static size_t run_batch(HANDLE process, struct nr_name_query *q, size_t count, uint32_t timeout_ms,
                        nr_char *names, size_t cch)
{
    struct name_job *j;
    size_t i, steps = 0;
    int status;

    for (i = 0; i < count; i++) {
        q[i].status = NR_LIMIT;
        q[i].protocol = 0;
        q[i].name = NULL;
        q[i].len = 0;
    }
    if (!(j = nrwin_alloc(offsetof(struct name_job, values) + count * sizeof(j->values[0])))) {
        CloseHandle(process);
        return settle_all(q, count, NR_NOMEM);
    }
    j->call.run = job_run;
    j->call.release = job_release;
    j->process = process;
    j->q = q;
    j->names = names;
    j->cch = cch;
    j->count = count;
    for (i = 0; i < count; i++)
        j->values[i] = q[i].value;
    status = nrwin_call_bounded(&j->call, timeout_ms, &steps);
    if (status == NR_TIMEOUT) {
        q[steps].status = NR_TIMEOUT; /* the step that overran; j is the worker's now */
        return steps + 1;
    }
    if (status != NR_OK)
        return settle_all(q, count, status); /* j was released unrun */
    job_release(&j->call);
    return steps;
}

size_t nrwin_query_names(void *ctx, uint32_t pid, struct nr_name_query *q, size_t count,
                         uint32_t timeout_ms, nr_char *names, size_t cch)
{
    HANDLE process;
    int status;

    (void)ctx;
    if (!count)
        return 0;
    status = nrwin_open_process(pid, PROCESS_DUP_HANDLE, &process);
    if (status != NR_OK)
        return settle_all(q, count, status);
    return run_batch(process, q, count, timeout_ms, names, cch);
}

int nrwin_name_of(HANDLE handle, DWORD timeout_ms, nr_char *buf, size_t cch, size_t *len)
{
    struct nr_name_query q = { .value = (ULONG_PTR)handle };

    *len = 0;
    if (!cch)
        return NR_TOO_SMALL;
    run_batch(GetCurrentProcess(), &q, 1, timeout_ms, buf, cch - 1);
    *len = q.len;
    if (q.status == NR_OK)
        buf[q.len] = 0;
    return q.status;
}
