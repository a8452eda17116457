/* Reading the model's call log back (logread.h). */
#include <stdlib.h>
#include <string.h>

#include "logread.h"
#include "share.h"

#define ENTRY_NAME(field, export) #export,
const char *const nrmodel_entries[NRMODEL_ENTRIES] = { NRP_ENTRIES(ENTRY_NAME)
                                                           NRP_THUNKED(ENTRY_NAME) };
#undef ENTRY_NAME

ULONGLONG nrmodel_log_size(void)
{
    WIN32_FILE_ATTRIBUTE_DATA data;

    if (!GetFileAttributesExW(NRMODEL_LOG, GetFileExInfoStandard, &data))
        return 0;
    return ((ULONGLONG)data.nFileSizeHigh << 32) | data.nFileSizeLow;
}

static void count_line(const char *line, const char *end, DWORD pid, struct nrmodel_counts *c)
{
    char *name;
    const char *stop;
    const unsigned long who = strtoul(line, &name, 10);
    size_t e, len;

    if (who != pid || *name != ' ')
        return;
    name++;
    for (stop = name; stop < end && *stop != ' '; stop++)
        ;
    len = (size_t)(stop - name);
    if (len == 1 && *name == '#')
        return;
    for (e = 0; e < NRMODEL_ENTRIES; e++)
        if (strlen(nrmodel_entries[e]) == len && !memcmp(nrmodel_entries[e], name, len))
            break;
    if (e < NRMODEL_ENTRIES)
        c->n[e]++;
    else
        c->unknown++;
}

BOOL nrmodel_log_count(ULONGLONG from, DWORD pid, struct nrmodel_counts *c)
{
    const ULONGLONG size = nrmodel_log_size();
    HANDLE file = INVALID_HANDLE_VALUE;
    char *text = NULL, *line, *end;
    LARGE_INTEGER at;
    DWORD got = 0;
    BOOL ok = FALSE;

    memset(c, 0, sizeof(*c));
    if (size <= from)
        return TRUE;
    if (size - from > 16u << 20)
        return FALSE;
    file = CreateFileW(NRMODEL_LOG, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                       OPEN_EXISTING, 0, NULL);
    text = HeapAlloc(GetProcessHeap(), 0, (SIZE_T)(size - from) + 1);
    at.QuadPart = (LONGLONG)from;
    if (file == INVALID_HANDLE_VALUE || !text || !SetFilePointerEx(file, at, NULL, FILE_BEGIN) ||
        !ReadFile(file, text, (DWORD)(size - from), &got, NULL))
        goto done;
    text[got] = 0;
    for (line = text; *line; line = *end ? end + 1 : end) {
        if (!(end = strchr(line, '\n')))
            end = line + strlen(line);
        count_line(line, end, pid, c);
    }
    ok = TRUE;
done:
    if (file != INVALID_HANDLE_VALUE)
        CloseHandle(file);
    HeapFree(GetProcessHeap(), 0, text);
    return ok;
}
