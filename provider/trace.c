/* The trace: off by default, switched on by HKLM\SOFTWARE\NetReclaim value
 * Trace (REG_DWORD, non-zero), read once per process (restart the process
 * after changing it). Each NP entry and exit becomes one line on
 * OutputDebugStringW, where DebugView or a debugger reads it (under Wine:
 * WINEDEBUG=warn+seh). A thunked entry (entries.h, NRP_THUNKED; thunk.c) is
 * the exception: its entry line carries no arguments, since no public
 * prototype says what they are, and once it reaches the stock provider it
 * has no exit line, since the thunk jumps to the stock entry, which returns
 * straight to the caller. A cancel also traces the end of each of its steps,
 * with the microseconds since its entry began. The same lines go to the ETW
 * provider while a session listens (etw.c), whatever the registry says. It
 * is for engineers; what an admin must see goes to the Event Log. Passwords
 * are never passed in. */
#include "nrprov.h"

#define LINE_CCH 1024u

static INIT_ONCE trace_once = INIT_ONCE_STATIC_INIT;
static BOOL trace_on;
/* When the thread's current entry began (QueryPerformanceCounter), for the
 * step lines: tests/bench/run.sh --steps reads them. */
static __thread LONGLONG entry_start;

static BOOL CALLBACK read_switch(INIT_ONCE *once, void *param, void **context)
{
    struct nrwin_value v;

    (void)once;
    (void)param;
    (void)context;
    if (nrwin_reg_value(HKEY_LOCAL_MACHINE, NRWIN_SETTINGS_KEY, L"Trace", &v) == NR_OK) {
        trace_on = v.type == REG_DWORD && v.size == sizeof(DWORD) && *(const DWORD *)v.data;
        nrwin_free(v.data);
    }
    return TRUE;
}

BOOL nrp_tracing(void)
{
    const DWORD error = GetLastError();
    BOOL on;

    InitOnceExecuteOnce(&trace_once, read_switch, NULL, NULL);
    on = trace_on || nrp_etw_listening();
    SetLastError(error);
    return on;
}

/* One line to whoever listens: the debug channel when the registry says so,
 * an ETW session when one is there. */
static void emit(const WCHAR *line)
{
    if (trace_on)
        OutputDebugStringW(line);
    nrp_etw_write(line);
}

const WCHAR *nrp_str(const WCHAR *s)
{
    return s ? s : L"(null)";
}

static LONGLONG now_ticks(void)
{
    LARGE_INTEGER t;

    QueryPerformanceCounter(&t);
    return t.QuadPart;
}

void nrp_trace_step(const char *step)
{
    const DWORD error = GetLastError();
    LARGE_INTEGER freq;
    DWORD_PTR args[2];
    WCHAR line[128];

    if (nrp_tracing() && QueryPerformanceFrequency(&freq)) {
        args[0] = (DWORD_PTR)step;
        args[1] = (DWORD)((now_ticks() - entry_start) * 1000000 / freq.QuadPart);
        nrwin_format(line, ARRAYSIZE(line), L"netreclaim: step %1!hs! at %2!lu! us", args);
        emit(line);
    }
    SetLastError(error);
}

void nrp_trace_in(const char *entry, const WCHAR *fmt, const DWORD_PTR *args)
{
    const DWORD error = GetLastError();
    WCHAR line[LINE_CCH], what[LINE_CCH - 64];
    DWORD_PTR both[2];

    if (!nrp_tracing())
        return;
    nrwin_format(what, ARRAYSIZE(what), fmt, args);
    entry_start = now_ticks();
    both[0] = (DWORD_PTR)entry;
    both[1] = (DWORD_PTR)what;
    nrwin_format(line, ARRAYSIZE(line), L"netreclaim: %1!hs!(%2)", both);
    emit(line);
    SetLastError(error);
}

DWORD nrp_trace_out(const char *entry, DWORD result)
{
    const DWORD error = GetLastError();
    const DWORD_PTR args[3] = { (DWORD_PTR)entry, result, error };
    WCHAR line[128];

    if (nrp_tracing()) {
        nrwin_format(line, ARRAYSIZE(line), L"netreclaim: %1!hs! -> %2!lu! (last error %3!lu!)",
                     args);
        emit(line);
    }
    SetLastError(error);
    return result;
}
