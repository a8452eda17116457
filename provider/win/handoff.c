/* The real seam of the WOW64 hand-off (netreclaim/handoff.h, docs/wow64.md):
 * whether this process runs under WOW64, the netreclaim.exe the installer
 * recorded, whether it is a native program, and its run with a bounded
 * wait. A program that outlives the wait is left to finish: ending it
 * could stop it between a close and its record (docs/design.md rule 6). */
#include "nrwin.h"

/* Where "netreclaim install" records the program (installer/cli.h, KEY_RECORD). */
#define RECORD_KEY NRWIN_SETTINGS_KEY L"\\Install"
#define RECORD_VALUE L"ExePath"

/* TEST HOOK: NETRECLAIM_TEST_WOW64=1 takes this process for a WOW64 one,
 * =0 for a native one, so that wine64 (no wine32 here) runs the hand-off
 * through the x64 build. Either way it only chooses between two paths that
 * both keep every rule; each process it applies to says so once. */
#define TEST_HOOK L"NETRECLAIM_TEST_WOW64"

#ifndef IMAGE_FILE_MACHINE_ARM64
#define IMAGE_FILE_MACHINE_ARM64 0xaa64
#endif

/* IsWow64Process2 (Windows 10 1709 and later) also names the native
 * machine; IsWow64Process (XP SP2 and later) only says yes or no. Both
 * resolved at run time: https://learn.microsoft.com/windows/win32/api/
 * wow64apiset/nf-wow64apiset-iswow64process2 and -iswow64process. */
typedef BOOL(WINAPI *wow64_process2_fn)(HANDLE process, USHORT *process_machine,
                                        USHORT *native_machine);
typedef BOOL(WINAPI *wow64_process_fn)(HANDLE process, BOOL *wow64);
static struct nrwin_proc wow64_process2 = NRWIN_PROC(L"kernel32.dll", "IsWow64Process2");
static struct nrwin_proc wow64_process = NRWIN_PROC(L"kernel32.dll", "IsWow64Process");

static struct nr_handoff_told told;
static volatile LONG hook_told;

/* -1: no hook; else the answer it forces. */
static int hook(void)
{
    WCHAR value[8];
    const DWORD n = GetEnvironmentVariableW(TEST_HOOK, value, ARRAYSIZE(value));
    const int answer = n == 1 && (value[0] == L'0' || value[0] == L'1') ? value[0] - L'0' : -1;

    if (answer >= 0 && !InterlockedExchange(&hook_told, 1))
        nrwin_log(NR_EVENT_HANDOFF_TEST_HOOK,
                  answer ? L"Test hook " TEST_HOOK L"=1: this process is taken for a WOW64 one."
                         : L"Test hook " TEST_HOOK L"=0: this process is taken for a native one.");
    return answer;
}

static int real_wow64(void *ctx)
{
    wow64_process2_fn is2 = (wow64_process2_fn)nrwin_proc(&wow64_process2);
    wow64_process_fn is1 = (wow64_process_fn)nrwin_proc(&wow64_process);
    USHORT process = IMAGE_FILE_MACHINE_UNKNOWN, native = IMAGE_FILE_MACHINE_UNKNOWN;
    BOOL wow64 = FALSE;
    const int forced = hook();

    (void)ctx;
    if (forced >= 0)
        return forced;
    /* Unknown counts as native: the in-process path checks the table's
     * layout itself and says so when it cannot read it. */
    if (is2)
        return is2(GetCurrentProcess(), &process, &native) && process != IMAGE_FILE_MACHINE_UNKNOWN;
    return is1 && is1(GetCurrentProcess(), &wow64) && wow64;
}

/* The machine native processes run as: the program must be one of them. */
static USHORT native_machine(void)
{
    wow64_process2_fn is2 = (wow64_process2_fn)nrwin_proc(&wow64_process2);
    USHORT process, native = IMAGE_FILE_MACHINE_UNKNOWN;
    SYSTEM_INFO info;

    if (is2 && is2(GetCurrentProcess(), &process, &native) && native)
        return native;
    GetNativeSystemInfo(&info);
    switch (info.wProcessorArchitecture) {
    case PROCESSOR_ARCHITECTURE_AMD64:
        return IMAGE_FILE_MACHINE_AMD64;
    case PROCESSOR_ARCHITECTURE_INTEL:
        return IMAGE_FILE_MACHINE_I386;
    default:
        return IMAGE_FILE_MACHINE_UNKNOWN;
    }
}

static int real_recorded_exe(void *ctx, nr_char *path, size_t cch)
{
    struct nrwin_value v;
    int status;
    DWORD n;

    (void)ctx;
    path[0] = 0;
    if ((status = nrwin_reg_value(HKEY_LOCAL_MACHINE, RECORD_KEY, RECORD_VALUE, &v)) != NR_OK)
        return status;
    if (v.type == REG_SZ) {
        status = lstrlenW((const WCHAR *)v.data) < (int)cch ? NR_OK : NR_TOO_SMALL;
        if (status == NR_OK)
            lstrcpynW(path, (const WCHAR *)v.data, (int)cch);
    } else if (v.type == REG_EXPAND_SZ) {
        n = ExpandEnvironmentStringsW((const WCHAR *)v.data, path, (DWORD)cch);
        status = n && n <= cch ? NR_OK : NR_TOO_SMALL;
    } else {
        status = NR_ERROR;
    }
    nrwin_free(v.data);
    return status;
}

/* A PE program (not a DLL) built for the native machine. The recorded path
 * lies under Program Files, which the WOW64 file system redirector leaves
 * alone (only System32 is redirected: docs/wow64.md). */
static int real_exe_native(void *ctx, const nr_char *path)
{
    IMAGE_FILE_HEADER header;
    const int status = nrwin_pe_header(path, &header);

    (void)ctx;
    if (status != NR_OK)
        return status;
    return (header.Characteristics & IMAGE_FILE_EXECUTABLE_IMAGE) &&
                   !(header.Characteristics & IMAGE_FILE_DLL) && header.Machine == native_machine()
               ? NR_OK
               : NR_ERROR;
}

/* No handle of the caller is inherited, no window shows, and the working
 * folder is a local one: the caller's may lie on the share being
 * reclaimed. */
static int real_run(void *ctx, const nr_char *path, const nr_char *cmdline, uint32_t wait_ms,
                    uint32_t *exit_code)
{
    STARTUPINFOW si = { .cb = sizeof(si) };
    PROCESS_INFORMATION pi;
    WCHAR folder[MAX_PATH], *line;
    DWORD wait, code = 0;
    int status;
    UINT n;

    (void)ctx;
    if (!(line = nrwin_alloc(((size_t)lstrlenW(cmdline) + 1) * sizeof(WCHAR))))
        return NR_NOMEM;
    lstrcpyW(line, cmdline); /* CreateProcessW may write to it */
    n = GetSystemDirectoryW(folder, ARRAYSIZE(folder));
    if (!CreateProcessW(path, line, NULL, NULL, FALSE, CREATE_NO_WINDOW, NULL,
                        n && n < ARRAYSIZE(folder) ? folder : NULL, &si, &pi)) {
        nrwin_free(line);
        return nrwin_status(GetLastError());
    }
    nrwin_free(line);
    wait = WaitForSingleObject(pi.hProcess, wait_ms);
    if (wait == WAIT_OBJECT_0)
        status = GetExitCodeProcess(pi.hProcess, &code) ? NR_OK : nrwin_status(GetLastError());
    else
        status = wait == WAIT_TIMEOUT ? NR_TIMEOUT : NR_ERROR;
    *exit_code = code;
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess); /* never TerminateProcess: it finishes on its own */
    return status;
}

static int real_caller_luid(void *ctx, uint64_t *luid)
{
    return nrwin_caller_luid(ctx, luid);
}

void nrwin_handoff_os(struct nr_handoff_os *os)
{
    os->ctx = NULL;
    os->wow64 = real_wow64;
    os->recorded_exe = real_recorded_exe;
    os->exe_native = real_exe_native;
    os->caller_luid = real_caller_luid;
    os->run = real_run;
    os->report = nrwin_report;
}

enum nr_route nrwin_handoff(const WCHAR *target, uint32_t timeout_ms)
{
    struct nr_handoff_os os;

    nrwin_handoff_os(&os);
    return nr_handoff_route(&os, target, nr_handoff_wait_ms(timeout_ms), &told);
}
