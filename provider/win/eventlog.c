/* Event Log records under source "NetReclaim" (texts in messages.mc; the
 * installer registers the source), each mirrored on OutputDebugStringW. Wine 8
 * prints the record on its +eventlog channel and the debug string on warn+seh. */
#include "nrwin.h"
#include "messages.h"

/* messages.mc has a message for every outcome, under the outcome's id
 * (netreclaim/events.h): a message missing or numbered otherwise stops the
 * build here. */
#define CHECK_MESSAGE(name, id, level)                                                             \
    _Static_assert(NR_MSG_##name == (id), "messages.mc: NR_MSG_" #name " must be " #id);
NR_EVENTS(CHECK_MESSAGE)

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

/* Each line of the text as one more insertion string after the whole text:
 * the messages show only %1, so Event Viewer is unchanged, while what reads
 * the strings one by one (XML view, log collectors, Wine's +eventlog trace,
 * which cuts each string at about 300 characters) gets one line each. The
 * lines live in one copy of the text, split in place; bounded, and a last
 * string says so when lines were left out. */
#define LINE_STRINGS_MAX 64
#define LINE_UNITS_MAX 8192

static WORD split_lines(const WCHAR *text, WCHAR *copy, const WCHAR **strings, WORD max)
{
    WORD n = 0;
    WCHAR *p = copy;

    lstrcpynW(copy, text, LINE_UNITS_MAX);
    while (*p && n < max - 1) {
        strings[n++] = p;
        while (*p && *p != L'\r' && *p != L'\n')
            p++;
        while (*p == L'\r' || *p == L'\n')
            *p++ = 0;
    }
    if (*p || lstrlenW(text) >= LINE_UNITS_MAX)
        strings[n++] = L"(more lines in the record's full text)";
    return n;
}

void nrwin_log(enum nr_event event, const WCHAR *text)
{
    static const WORD types[] = {
        [NR_INFO] = EVENTLOG_INFORMATION_TYPE,
        [NR_WARNING] = EVENTLOG_WARNING_TYPE,
        [NR_FAILURE] = EVENTLOG_ERROR_TYPE,
    };
    const DWORD_PTR args[1] = { (DWORD_PTR)text };
    const enum nr_severity severity = nr_event_severity(event);
    const WORD type = (unsigned)severity < ARRAYSIZE(types) ? types[severity] : EVENTLOG_ERROR_TYPE;
    const WCHAR *strings[1 + LINE_STRINGS_MAX];
    WCHAR line[1024], *copy;
    WORD count = 1;

    nrwin_format(line, ARRAYSIZE(line), L"netreclaim: %1\n", args);
    OutputDebugStringW(line);

    InitOnceExecuteOnce(&source_once, register_source, NULL, NULL);
    if (!source)
        return;
    strings[0] = text;
    copy = nrwin_alloc(LINE_UNITS_MAX * sizeof(WCHAR));
    if (copy)
        count += split_lines(text, copy, strings + 1, LINE_STRINGS_MAX);
    ReportEventW(source, type, 0, (DWORD)event, NULL, count, 0, strings, NULL);
    nrwin_free(copy);
}
