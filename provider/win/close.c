/* Closing a handle in another process: DuplicateHandle with
 * DUPLICATE_CLOSE_SOURCE and no target process, after checking, through the
 * one process handle the close uses, that the process is still in the
 * planned logon session (its pid may have been reused since the plan), and
 * that the value still names the object planned for (it may have been
 * closed and reused since the snapshot). What remains is the short window
 * between the name check and the close, which user mode cannot shut.
 *
 * The source is closed whatever DuplicateHandle returns (Microsoft's
 * DuplicateHandle documentation: DUPLICATE_CLOSE_SOURCE "closes the source
 * handle ... regardless of any error status returned"), so the answer alone
 * does not say whether the close happened: a failed call is followed by a
 * look at the source value, and only a value that still opens counts as a
 * failed close. With a NULL target nothing is duplicated, so no failure of
 * a duplicate into our own process can pass for a failed close. Wine 8
 * differs (measured by provider/win/tests/seam_test.c in a child process,
 * docs/wine-notes.md): it answers FALSE, ERROR_INVALID_HANDLE, and leaves
 * the source open; there the name is checked again and the handle closed by
 * a duplicate into our own process, which Wine honours.
 *
 * The closing call itself runs on the bounded worker (worker.c): under Wine 8
 * a DuplicateHandle that closes a handle of another process is an APC run
 * in that process, which the caller waits for without a timeout, and one
 * lost APC hung a cancel for good (wine-faults under load; the
 * wait is server_queue_process_apc's in Wine's dlls/ntdll/unix/server.c,
 * seen in a winedbg backtrace of the hung cancel, docs/wine-notes.md). A
 * close that overruns the timeout is reported as such, never waited for.
 *
 * Where CompareObjectHandles exists (Windows 10 and later, resolved at run
 * time; Microsoft's CompareObjectHandles documentation), the planner keeps
 * a duplicate of each handle it means to close (nrwin_keep_object), and the
 * close proves the value still refers to that very object: a document
 * reopened under the same name at the same value is another object, which
 * the name alone cannot tell. Elsewhere the name re-check stands alone. */
#include <string.h>
#include "nrwin_snapshot.h"

typedef BOOL(WINAPI *compare_fn)(HANDLE first, HANDLE second);

static compare_fn compare_objects(void)
{
    static struct nrwin_proc proc = NRWIN_PROC(L"kernelbase.dll", "CompareObjectHandles");

    return (compare_fn)nrwin_proc(&proc);
}

int nrwin_compare_objects(HANDLE first, HANDLE second)
{
    const compare_fn compare = compare_objects();

    if (!compare)
        return NR_ERROR;
    return compare(first, second) ? NR_OK : NR_CHANGED;
}

int nrwin_copy_of(uint32_t pid, uint64_t value, HANDLE *copy)
{
    HANDLE process;
    int status;

    *copy = NULL;
    status = nrwin_open_process(pid, PROCESS_DUP_HANDLE, &process);
    if (status != NR_OK)
        return status;
    if (!DuplicateHandle(process, (HANDLE)(ULONG_PTR)value, GetCurrentProcess(), copy, 0, FALSE,
                         DUPLICATE_SAME_ACCESS)) {
        *copy = NULL;
        status = nrwin_status(GetLastError());
    }
    CloseHandle(process);
    return status;
}

int nrwin_keep_object(void *ctx, uint32_t pid, uint64_t value, uint64_t *kept)
{
    HANDLE copy;
    int status;

    (void)ctx;
    *kept = 0;
    if (!compare_objects())
        return NR_ERROR; /* nothing to prove it with: the name stands alone */
    status = nrwin_copy_of(pid, value, &copy);
    if (status == NR_OK)
        *kept = (uint64_t)(ULONG_PTR)copy;
    return status;
}

void nrwin_drop_object(void *ctx, uint64_t kept)
{
    (void)ctx;
    CloseHandle((HANDLE)(ULONG_PTR)kept);
}

/* Whether the value still refers to the object planned for: a copy to look
 * at, leaving the source open, compared with the kept object where there is
 * one, else by its name. NR_OK, NR_CHANGED, or why it cannot be told. */
static int same_object(HANDLE process, HANDLE source, uint64_t kept, const nr_char *name,
                       size_t name_len, uint32_t timeout_ms)
{
    const HANDLE self = GetCurrentProcess();
    nr_char *now = NULL;
    HANDLE copy;
    size_t len;
    int status;

    if (!DuplicateHandle(process, source, self, &copy, 0, FALSE, DUPLICATE_SAME_ACCESS))
        return nrwin_status(GetLastError());
    if (kept && (status = nrwin_compare_objects(copy, (HANDLE)(ULONG_PTR)kept)) != NR_ERROR)
        goto done;
    if (!(now = nrwin_alloc((name_len + 1) * sizeof(*now)))) {
        status = NR_NOMEM;
        goto done;
    }
    status = nrwin_name_of(copy, timeout_ms, now, name_len + 1, &len);
    if (status == NR_TOO_SMALL ||
        (status == NR_OK && (len != name_len || memcmp(now, name, len * sizeof(*now)))))
        status = NR_CHANGED;
done:
    nrwin_free(now);
    CloseHandle(copy);
    return status;
}

/* One closing DuplicateHandle on the worker: with no target, or into our
 * own process (the duplicate closed at once). It owns a copy of the process
 * handle for as long as it runs. */
struct close_call {
    struct nrwin_call call; /* first: worker.c hands us back &call */
    HANDLE process, source;
    BOOL into_self, ok;
    DWORD error;
};

static void close_run(struct nrwin_call *call)
{
    struct close_call *c = (struct close_call *)call;
    const HANDLE self = GetCurrentProcess();
    HANDLE dup = NULL;

    c->ok = c->into_self ? DuplicateHandle(c->process, c->source, self, &dup, 0, FALSE,
                                           DUPLICATE_CLOSE_SOURCE | DUPLICATE_SAME_ACCESS)
                         : DuplicateHandle(c->process, c->source, NULL, NULL, 0, FALSE,
                                           DUPLICATE_CLOSE_SOURCE);
    c->error = c->ok ? 0 : GetLastError();
    if (dup)
        CloseHandle(dup);
}

static void close_release(struct nrwin_call *call)
{
    struct close_call *c = (struct close_call *)call;

    CloseHandle(c->process);
    nrwin_free(c);
}

/* NR_OK when DuplicateHandle answered TRUE, else its error as a status;
 * NR_TIMEOUT when it overran (left to the worker), NR_LIMIT when refused. */
static int close_bounded(HANDLE process, HANDLE source, BOOL into_self, uint32_t timeout_ms)
{
    const HANDLE self = GetCurrentProcess();
    struct close_call *c = nrwin_alloc(sizeof(*c));
    int status;

    if (!c)
        return NR_NOMEM;
    if (!DuplicateHandle(self, process, self, &c->process, 0, FALSE, DUPLICATE_SAME_ACCESS)) {
        status = nrwin_status(GetLastError());
        nrwin_free(c);
        return status;
    }
    c->call.run = close_run;
    c->call.release = close_release;
    c->source = source;
    c->into_self = into_self;
    status = nrwin_call_bounded(&c->call, timeout_ms, NULL);
    if (status != NR_OK)
        return status; /* c is no longer ours */
    status = c->ok ? NR_OK : nrwin_status(c->error);
    close_release(&c->call);
    return status;
}

/* Where the call with no target failed: closed anyway (the value no longer
 * opens), or, as Wine 8 does, refused with ERROR_INVALID_HANDLE and left
 * open; then, once the name is checked again, closed by a duplicate into
 * our own process, which Wine honours. */
static int close_refused(HANDLE process, HANDLE source, uint64_t kept, const nr_char *name,
                         size_t name_len, uint32_t timeout_ms)
{
    const int status = same_object(process, source, kept, name, name_len, timeout_ms);

    if (status == NR_GONE)
        return NR_OK; /* the value no longer opens: closed */
    if (status != NR_OK)
        return status;
    return close_bounded(process, source, TRUE, timeout_ms);
}

int nrwin_close_in(const struct nrwin_session_api *api, uint32_t pid, uint64_t luid, uint64_t value,
                   uint64_t kept, const nr_char *name, size_t name_len, uint32_t timeout_ms)
{
    const HANDLE source = (HANDLE)(ULONG_PTR)value;
    uint64_t session;
    HANDLE process;
    int status;

    status =
        api->open(api->ctx, pid, PROCESS_DUP_HANDLE | PROCESS_QUERY_LIMITED_INFORMATION, &process);
    if (status != NR_OK)
        return status;
    /* The handle pins the process: what is checked is what is closed in. */
    status = api->luid(api->ctx, process, &session);
    if (status == NR_OK && session != luid)
        status = NR_GONE;
    if (status == NR_OK)
        status = same_object(process, source, kept, name, name_len, timeout_ms);
    if (status == NR_OK) {
        status = close_bounded(process, source, FALSE, timeout_ms);
        /* Overran or refused: what became of the handle is not known now,
         * and a second close must not follow the first. */
        if (status != NR_OK && status != NR_TIMEOUT && status != NR_LIMIT)
            status = close_refused(process, source, kept, name, name_len, timeout_ms);
    }
    api->close(api->ctx, process);
    return status;
}

int nrwin_close_handle(void *ctx, uint32_t pid, uint64_t luid, uint64_t value, uint64_t kept,
                       const nr_char *name, size_t name_len, uint32_t timeout_ms)
{
    struct nrwin_session_api api;

    (void)ctx;
    nrwin_session_api_real(&api);
    return nrwin_close_in(&api, pid, luid, value, kept, name, name_len, timeout_ms);
}
