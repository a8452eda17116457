/* Closing a handle in another process: DuplicateHandle into our process with
 * DUPLICATE_CLOSE_SOURCE, after checking that the value still names the
 * object planned for (it may have been closed and reused since the snapshot).
 * What remains is the short window between that check and the close, which
 * user mode cannot shut. */
#include <string.h>
#include "nrwin.h"

int nrwin_close_handle(void *ctx, uint32_t pid, uint64_t value, const nr_char *name,
                       size_t name_len, uint32_t timeout_ms)
{
    const HANDLE self = GetCurrentProcess();
    const HANDLE source = (HANDLE)(ULONG_PTR)value;
    HANDLE process, copy = NULL, closed;
    nr_char *now = NULL;
    size_t len;
    int status;

    (void)ctx;
    status = nrwin_open_process(pid, PROCESS_DUP_HANDLE, &process);
    if (status != NR_OK)
        return status;
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
