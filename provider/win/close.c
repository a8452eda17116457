/* Closing a handle in another process: DuplicateHandle into our process with
 * DUPLICATE_CLOSE_SOURCE, after checking, through the one process handle the
 * close uses, that the process is still in the planned logon session (its
 * pid may have been reused since the plan), and that the value still names
 * the object planned for (it may have been closed and reused since the
 * snapshot). What remains is the short window between the name check and
 * the close, which user mode cannot shut. */
#include <string.h>
#include "nrwin.h"

int nrwin_close_handle(void *ctx, uint32_t pid, uint64_t luid, uint64_t value, const nr_char *name,
                       size_t name_len, uint32_t timeout_ms)
{
    const HANDLE self = GetCurrentProcess();
    const HANDLE source = (HANDLE)(ULONG_PTR)value;
    HANDLE process, copy = NULL, closed;
    nr_char *now = NULL;
    uint64_t session;
    size_t len;
    int status;

    (void)ctx;
    status =
        nrwin_open_process(pid, PROCESS_DUP_HANDLE | PROCESS_QUERY_LIMITED_INFORMATION, &process);
    if (status != NR_OK)
        return status;
    /* The handle pins the process: what is checked is what is closed in. */
    status = nrwin_luid_of_process(process, &session);
    if (status == NR_OK && session != luid)
        status = NR_GONE;
    if (status != NR_OK)
        goto done;
    /* A copy to look at, leaving the source open. */
    if (!DuplicateHandle(process, source, self, &copy, 0, FALSE, DUPLICATE_SAME_ACCESS)) {
        copy = NULL;
        status = nrwin_status(GetLastError());
        goto done;
    }
    now = nrwin_alloc((name_len + 1) * sizeof(*now));
    if (!now) {
        status = NR_NOMEM;
        goto done;
    }
    status = nrwin_name_of(copy, timeout_ms, now, name_len + 1, &len);
    if (status == NR_TOO_SMALL ||
        (status == NR_OK && (len != name_len || memcmp(now, name, len * sizeof(*now)))))
        status = NR_CHANGED;
    if (status != NR_OK)
        goto done;
    if (!DuplicateHandle(process, source, self, &closed, 0, FALSE,
                         DUPLICATE_CLOSE_SOURCE | DUPLICATE_SAME_ACCESS)) {
        status = nrwin_status(GetLastError());
        goto done;
    }
    CloseHandle(closed);
done:
    nrwin_free(now);
    if (copy)
        CloseHandle(copy);
    CloseHandle(process);
    return status;
}
