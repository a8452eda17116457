/* Which queries block (docs/design.md rule 6 and the "Which queries hang"
 * fact): the name of a synchronous pipe with a read pending in another
 * process (why names are queried on a bounded worker), and
 * FileVolumeNameInformation on the same handle, said never to block and to
 * answer \Device\Mup for network files (the prefilter it would allow). */
#include <stdio.h>
#include "nrconform.h"

#define VOLUME_CLASS ((FILE_INFORMATION_CLASS)58) /* FileVolumeNameInformation */
#define VOLUME_CCH 512

/* A volume-name query on the bounded worker; its results are the job's. */
struct volume_job {
    struct nrwin_call call; /* first: worker.c hands us back &call */
    HANDLE file;
    NTSTATUS nt;
    WCHAR name[VOLUME_CCH];
    size_t len;
};

static void volume_run(struct nrwin_call *call)
{
    struct volume_job *j = (struct volume_job *)call;
    union {
        struct {
            ULONG length; /* bytes */
            WCHAR name[VOLUME_CCH];
        } info;
        BYTE raw[sizeof(ULONG) + VOLUME_CCH * sizeof(WCHAR)];
    } buf;
    IO_STATUS_BLOCK io;
    NTSTATUS nt = NtQueryInformationFile(j->file, &io, &buf, sizeof(buf), VOLUME_CLASS);

    if (!nrwin_call_enter(call))
        return;
    j->nt = nt;
    if (NT_SUCCESS(nt)) {
        j->len = buf.info.length / sizeof(WCHAR) < VOLUME_CCH ? buf.info.length / sizeof(WCHAR)
                                                              : VOLUME_CCH;
        memcpy(j->name, buf.info.name, j->len * sizeof(WCHAR));
    }
    nrwin_call_leave(call, TRUE);
}

static void volume_release(struct nrwin_call *call)
{
    struct volume_job *j = (struct volume_job *)call;

    CloseHandle(j->file);
    nrwin_free(j);
}

/* The volume name of `file` (which the job takes over), bounded: NR_OK with
 * *nt and name, NR_TIMEOUT, or a failure. *ms: how long it took. */
static int volume_name(HANDLE file, NTSTATUS *nt, WCHAR *name, size_t *len, ULONGLONG *ms)
{
    struct volume_job *j = nrwin_alloc(sizeof(*j));
    const ULONGLONG start = GetTickCount64();
    int status;

    if (!j) {
        CloseHandle(file);
        return NR_NOMEM;
    }
    j->call.run = volume_run;
    j->call.release = volume_release;
    j->file = file;
    status = nrwin_call_bounded(&j->call, NRC_TIMEOUT_MS, NULL);
    *ms = GetTickCount64() - start;
    if (status == NR_OK) {
        *nt = j->nt;
        *len = j->len;
        memcpy(name, j->name, j->len * sizeof(WCHAR));
        volume_release(&j->call);
    }
    return status;
}

/* Not answered here at all: the check has nothing to say. */
static BOOL not_answered(NTSTATUS nt)
{
    return nt == (NTSTATUS)0xC0000002L /* STATUS_NOT_IMPLEMENTED */ ||
           nt == (NTSTATUS)0xC0000003L /* STATUS_INVALID_INFO_CLASS */;
}

static void pipe_checks(void)
{
    const WCHAR *paths[1] = { L"pipe" };
    nr_char name[NRC_NAME_CCH];
    WCHAR volume[VOLUME_CCH];
    struct nrc_child c;
    HANDLE process = NULL, copy = NULL;
    ULONGLONG start, ms;
    uint32_t protocol;
    size_t len;
    NTSTATUS nt = 0;
    int status;

    if (!nrc_child_start(&c, 1, paths) || c.error[0] || nrc_child_holds(&c, 0) != 1) {
        nrc_check("blocking.name_query_bounded", NRC_FAILED,
                  "the second process does not hold a pipe with a read pending");
        nrc_child_end(&c);
        return;
    }
    start = GetTickCount64();
    status = nrc_name_in(c.pi.dwProcessId, c.value[0], name, NRC_NAME_CCH, &len, &protocol);
    ms = GetTickCount64() - start;
    /* Bounded means it returned, answered or given up; a hang stops the whole
     * program, which its caller's time-out reports. The time is information. */
    nrc_expect("blocking.name_query_bounded", status == NR_OK || status == NR_TIMEOUT,
               "%s after %llu ms (bound %u ms)",
               status == NR_TIMEOUT ? "blocked: the query timed out"
               : status == NR_OK    ? "answered"
                                    : "failed",
               ms, NRC_TIMEOUT_MS);
    if ((process = OpenProcess(PROCESS_DUP_HANDLE, FALSE, c.pi.dwProcessId)) &&
        DuplicateHandle(process, (HANDLE)(ULONG_PTR)c.value[0], GetCurrentProcess(), &copy, 0,
                        FALSE, DUPLICATE_SAME_ACCESS)) {
        status = volume_name(copy, &nt, volume, &len, &ms);
        if (status == NR_OK && not_answered(nt))
            nrc_check("blocking.volume_name_answers_at_once", NRC_SKIPPED,
                      "FileVolumeNameInformation is not answered: status 0x%08lx", nt);
        else
            nrc_expect("blocking.volume_name_answers_at_once", status == NR_OK,
                       "%s after %llu ms, status 0x%08lx", status == NR_OK ? "answered" : "blocked",
                       ms, status == NR_OK ? nt : 0);
    } else {
        nrc_check("blocking.volume_name_answers_at_once", NRC_FAILED,
                  "the pipe's handle does not duplicate: error %lu", GetLastError());
    }
    if (process)
        CloseHandle(process);
    nrc_child_end(&c);
}

static void network_volume(const struct nrc_env *env)
{
    const char *id = "blocking.volume_name_network_is_mup";
    WCHAR path[MAX_PATH], volume[VOLUME_CCH];
    ULONGLONG ms;
    NTSTATUS nt = 0;
    size_t len = 0;
    HANDLE file;
    int status;

    if (!env->share[0]) {
        nrc_check(id, NRC_SKIPPED, "no share: run with --setup (elevated) or --share");
        return;
    }
    nrc_unc(path, ARRAYSIZE(path), env->servers[1], env->share, L"f.txt");
    file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                       0, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        nrc_check(id, NRC_FAILED, "%s does not open: error %lu", nrc_u8(path, wcslen(path)),
                  GetLastError());
        return;
    }
    status = volume_name(file, &nt, volume, &len, &ms);
    if (status == NR_OK && not_answered(nt))
        nrc_check(id, NRC_SKIPPED, "FileVolumeNameInformation is not answered: status 0x%08lx", nt);
    else
        nrc_expect(
            id,
            status == NR_OK && NT_SUCCESS(nt) &&
                CompareStringOrdinal(volume, (int)len, L"\\Device\\Mup", -1, TRUE) == CSTR_EQUAL,
            "status %d, NTSTATUS 0x%08lx, after %llu ms: %s", status, nt, ms, nrc_u8(volume, len));
}

void nrc_blocking(const struct nrc_env *env)
{
    pipe_checks();
    network_volume(env);
}
