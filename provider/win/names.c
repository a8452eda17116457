/* NT names of handles (NtQueryObject, ObjectNameInformation), queried on the
 * bounded worker of worker.c because the query can block. The planner has
 * already ruled out the pipe ends it can tell by their access mask. A name
 * under \Device\Mup may be any UNC provider's (SMB, WebDAV, RDP, NFS...):
 * the same worker call asks the handle's remote protocol
 * (GetFileInformationByHandleEx, FileRemoteProtocolInfo; Windows Vista and
 * later, per Microsoft's FILE_REMOTE_PROTOCOL_INFO documentation), which can
 * block on the same file object. */
#include "nrwin.h"
#include "ntapi.h"

/* A name query in flight: owns its copy of the handle and its buffer, for as
 * long as the query runs, even after the caller gave up on it. */
struct name_call {
    struct nrwin_call call; /* first: worker.c hands us back &call */
    HANDLE handle;
    NTSTATUS status;
    uint32_t protocol; /* 0: not asked, or unknown */
    union {
        OBJECT_NAME_INFORMATION info;
        /* Room for the longest UNICODE_STRING: the query never overflows. */
        BYTE bytes[sizeof(OBJECT_NAME_INFORMATION) + 0x10000];
    } name;
};

static BOOL under_mup(const UNICODE_STRING *name)
{
    static const WCHAR mup[] = L"\\Device\\Mup\\";
    const int n = ARRAYSIZE(mup) - 1;

    return name->Buffer && name->Length / sizeof(WCHAR) > (USHORT)n &&
           CompareStringOrdinal(name->Buffer, n, mup, n, TRUE) == CSTR_EQUAL;
}

static void name_run(struct nrwin_call *call)
{
    struct name_call *c = (struct name_call *)call;
    FILE_REMOTE_PROTOCOL_INFO info;

    c->status = NtQueryObject(c->handle, ObjectNameInformation, &c->name, sizeof(c->name), NULL);
    if (NT_SUCCESS(c->status) && under_mup(&c->name.info.Name) &&
        GetFileInformationByHandleEx(c->handle, FileRemoteProtocolInfo, &info, sizeof(info)))
        c->protocol = info.Protocol;
}

static void name_release(struct nrwin_call *call)
{
    struct name_call *c = (struct name_call *)call;

    CloseHandle(c->handle);
    nrwin_free(c);
}

/* The name of a handle of our own, which the call takes over: it is closed
 * with the call, also when the call is abandoned. */
static int name_of_owned(HANDLE handle, DWORD timeout_ms, nr_char *buf, size_t cch, size_t *len,
                         uint32_t *protocol)
{
    struct name_call *c;
    const UNICODE_STRING *name;
    int status;

    *len = 0;
    *protocol = 0;
    c = nrwin_alloc(sizeof(*c));
    if (!c) {
        CloseHandle(handle);
        return NR_NOMEM;
    }
    c->handle = handle;
    c->call.run = name_run;
    c->call.release = name_release;
    status = nrwin_call_bounded(&c->call, timeout_ms);
    if (status != NR_OK)
        return status; /* c is no longer ours */
    name = &c->name.info.Name;
    /* Wine answers an unnamed object with Length 0 and Buffer NULL. */
    if (!NT_SUCCESS(c->status) || (name->Length && !name->Buffer)) {
        status = NR_ERROR;
    } else {
        *len = name->Length / sizeof(WCHAR);
        if (*len >= cch) {
            status = NR_TOO_SMALL;
        } else {
            if (*len)
                CopyMemory(buf, name->Buffer, *len * sizeof(WCHAR));
            buf[*len] = 0;
            *protocol = c->protocol;
        }
    }
    name_release(&c->call);
    return status;
}

int nrwin_name_of(HANDLE handle, DWORD timeout_ms, nr_char *buf, size_t cch, size_t *len)
{
    const HANDLE self = GetCurrentProcess();
    uint32_t protocol;
    HANDLE copy;

    *len = 0;
    if (!DuplicateHandle(self, handle, self, &copy, 0, FALSE, DUPLICATE_SAME_ACCESS))
        return nrwin_status(GetLastError());
    return name_of_owned(copy, timeout_ms, buf, cch, len, &protocol);
}

/* The process of the last query, kept open for the next: the planner asks
 * for one process's handles in a row, and opening it for each cost as much
 * as the query itself (tests/bench, docs/performance.md). One entry, owned
 * by the thread that filled it (other threads open and close their own),
 * closed when that thread frees its snapshot (nrwin_names_end). Holding the
 * handle keeps the pid from being reused, so the entry never names another
 * process. */
static SRWLOCK cache_lock = SRWLOCK_INIT;
static DWORD cache_tid;
static uint32_t cache_pid;
static HANDLE cache_process;

/* *cached is TRUE when *process belongs to the cache (not to be closed). */
static int open_source(uint32_t pid, HANDLE *process, BOOL *cached)
{
    const DWORD tid = GetCurrentThreadId();
    int status;

    *cached = FALSE;
    AcquireSRWLockExclusive(&cache_lock);
    if (cache_tid == tid && cache_pid == pid) {
        *process = cache_process;
        *cached = TRUE;
        ReleaseSRWLockExclusive(&cache_lock);
        return NR_OK;
    }
    status = nrwin_open_process(pid, PROCESS_DUP_HANDLE, process);
    if (status == NR_OK && (!cache_tid || cache_tid == tid)) {
        if (cache_tid)
            CloseHandle(cache_process);
        cache_tid = tid;
        cache_pid = pid;
        cache_process = *process;
        *cached = TRUE;
    }
    ReleaseSRWLockExclusive(&cache_lock);
    return status;
}

void nrwin_names_end(void)
{
    AcquireSRWLockExclusive(&cache_lock);
    if (cache_tid == GetCurrentThreadId()) {
        CloseHandle(cache_process);
        cache_tid = 0;
        cache_process = NULL;
    }
    ReleaseSRWLockExclusive(&cache_lock);
}

int nrwin_query_name(void *ctx, uint32_t pid, uint64_t value, uint32_t timeout_ms, nr_char *buf,
                     size_t cch, size_t *len, uint32_t *protocol)
{
    HANDLE process, handle;
    BOOL cached;
    int status;

    (void)ctx;
    *len = 0;
    *protocol = 0;
    status = open_source(pid, &process, &cached);
    if (status != NR_OK)
        return status;
    /* The copy is the worker's to query and to close. */
    if (DuplicateHandle(process, (HANDLE)(ULONG_PTR)value, GetCurrentProcess(), &handle, 0, FALSE,
                        DUPLICATE_SAME_ACCESS))
        status = name_of_owned(handle, timeout_ms, buf, cch, len, protocol);
    else
        status = nrwin_status(GetLastError());
    if (!cached)
        CloseHandle(process);
    return status;
}
