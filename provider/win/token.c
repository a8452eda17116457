/* Who a caller or a process is: the logon session (AuthenticationId) of its
 * token, and the base name of a process's image. */
#include "nrwin.h"

/* QueryFullProcessImageNameW takes at most this many WCHARs (NUL included). */
#define IMAGE_CCH 32768u

static int token_luid(HANDLE token, uint64_t *luid)
{
    TOKEN_STATISTICS stats;
    DWORD size;

    if (!GetTokenInformation(token, TokenStatistics, &stats, sizeof(stats), &size))
        return nrwin_status(GetLastError());
    *luid =
        (uint64_t)(uint32_t)stats.AuthenticationId.HighPart << 32 | stats.AuthenticationId.LowPart;
    return NR_OK;
}

int nrwin_caller_luid(void *ctx, uint64_t *luid)
{
    HANDLE token;
    int status;

    (void)ctx;
    /* OpenAsSelf: open the thread's token with our process's rights, since
     * the impersonated client need not be allowed to open it. */
    if (!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token)) {
        if (GetLastError() != ERROR_NO_TOKEN)
            return nrwin_status(GetLastError());
        if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
            return nrwin_status(GetLastError());
    }
    status = token_luid(token, luid);
    CloseHandle(token);
    return status;
}

int nrwin_luid_of_process(HANDLE process, uint64_t *luid)
{
    HANDLE token;
    int status;

    if (!OpenProcessToken(process, TOKEN_QUERY, &token))
        return nrwin_status(GetLastError());
    status = token_luid(token, luid);
    CloseHandle(token);
    return status;
}

static int luid_question(HANDLE process, void *out)
{
    return nrwin_luid_of_process(process, out);
}

int nrwin_process_luid(void *ctx, uint32_t pid, uint64_t *luid)
{
    (void)ctx;
    return nrwin_ask_process(pid, luid_question, luid);
}

int nrwin_process_image(void *ctx, uint32_t pid, nr_char *buf, size_t cch)
{
    WCHAR *path = NULL;
    const WCHAR *base;
    HANDLE process;
    DWORD len = IMAGE_CCH;
    int status;

    (void)ctx;
    status = nrwin_open_process(pid, PROCESS_QUERY_LIMITED_INFORMATION, &process);
    if (status != NR_OK)
        return status;
    path = nrwin_alloc(IMAGE_CCH * sizeof(*path));
    if (!path) {
        status = NR_NOMEM;
        goto done;
    }
    if (!QueryFullProcessImageNameW(process, 0, path, &len)) {
        status = nrwin_status(GetLastError());
        goto done;
    }
    base = path;
    for (const WCHAR *p = path; *p; p++)
        if (*p == L'\\' || *p == L'/')
            base = p + 1;
    len = (DWORD)lstrlenW(base);
    if (len >= cch) {
        status = NR_TOO_SMALL;
        goto done;
    }
    CopyMemory(buf, base, (len + 1) * sizeof(*base));
done:
    nrwin_free(path);
    CloseHandle(process);
    return status;
}

/* GetProcessMitigationPolicy (Windows 8 and later, resolved at run time;
 * Microsoft's PROCESS_MITIGATION_STRICT_HANDLE_CHECK_POLICY documentation):
 * policy 3 is ProcessStrictHandleCheckPolicy, whose Flags bit 0,
 * RaiseExceptionOnInvalidHandleReference, makes the process raise on its
 * next use of a handle we closed. Windows 7 has no such mitigation. Wine 8's
 * stub answers TRUE and writes nothing: the flags stay zero. */
typedef BOOL(WINAPI *get_mitigation_fn)(HANDLE process, int policy, void *buffer, SIZE_T size);
#define STRICT_HANDLE_CHECK_POLICY 3
#define RAISE_ON_INVALID_HANDLE 0x1u

static get_mitigation_fn get_mitigation(void)
{
    static struct nrwin_proc proc = NRWIN_PROC(L"kernel32.dll", "GetProcessMitigationPolicy");

    return (get_mitigation_fn)nrwin_proc(&proc);
}

int nrwin_process_strict(void *ctx, uint32_t pid, int *strict)
{
    const get_mitigation_fn fn = get_mitigation();
    DWORD flags = 0;
    HANDLE process;
    int status;

    (void)ctx;
    *strict = 0;
    if (!fn)
        return NR_OK;
    status = nrwin_open_process(pid, PROCESS_QUERY_INFORMATION, &process);
    if (status != NR_OK)
        return status;
    if (fn(process, STRICT_HANDLE_CHECK_POLICY, &flags, sizeof(flags)))
        *strict = (flags & RAISE_ON_INVALID_HANDLE) != 0;
    else
        status = nrwin_status(GetLastError());
    CloseHandle(process);
    return status;
}
