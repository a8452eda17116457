/* Event Log records under source "NetReclaim" (texts in messages.mc; the
 * installer registers the source), each mirrored on OutputDebugStringW. Wine 8
 * prints the record on its +eventlog channel and the debug string on warn+seh. */
#include "nrwin.h"

static INIT_ONCE source_once = INIT_ONCE_STATIC_INIT;
static HANDLE source; /* NULL when the source could not be registered */

static BOOL CALLBACK register_source(INIT_ONCE *once, void *param, void **context)
{
    (void)once;
    (void)param;
    (void)context;
    /* Kept for the life of the process. */
    source = RegisterEventSourceW(NULL, L"NetReclaim");
    return TRUE;
}

void nrwin_log(enum nr_severity severity, DWORD event_id, const WCHAR *text)
{
    static const WORD types[] = {
        [NR_INFO] = EVENTLOG_INFORMATION_TYPE,
        [NR_WARNING] = EVENTLOG_WARNING_TYPE,
        [NR_FAILURE] = EVENTLOG_ERROR_TYPE,
    };
    const DWORD_PTR args[1] = { (DWORD_PTR)text };
    const WORD type = (unsigned)severity < ARRAYSIZE(types) ? types[severity] : EVENTLOG_ERROR_TYPE;
    WCHAR line[1024];

    nrwin_format(line, ARRAYSIZE(line), L"netreclaim: %1\n", args);
    OutputDebugStringW(line);

    InitOnceExecuteOnce(&source_once, register_source, NULL, NULL);
    if (source)
        ReportEventW(source, type, 0, event_id, NULL, 1, 0, &text, NULL);
}
