/* The handle tables the planner reads (docs/design.md rule 3 step 1 and the
 * "Remote Desktop Session Hosts" and "WOW64" facts): a handle of our own,
 * opened with a known access, must be found at its value with that access
 * and the type of our other File handle, not of our Event's. Through the
 * system table (SystemExtendedHandleInformation), our own table
 * (ProcessHandleInformation) and the per-session path. */
#include <stdio.h>
#include "win/ntapi.h"
#include "win/nrwin_snapshot.h"
#include "nrconform.h"

/* Asked without generic bits, so nothing is mapped; CreateFile adds
 * SYNCHRONIZE and FILE_READ_ATTRIBUTES to every open (Wine's kernelbase
 * does, as Windows's). */
#define KNOWN_ACCESS FILE_READ_DATA
#define KNOWN_GRANTED (FILE_READ_DATA | SYNCHRONIZE | FILE_READ_ATTRIBUTES)

struct known {
    HANDLE file, other, event;
};

static const struct nr_handle *row_of(const struct nr_snapshot *snap, HANDLE h)
{
    const uint32_t pid = GetCurrentProcessId();

    for (size_t i = 0; i < snap->count; i++)
        if (snap->handles[i].pid == pid && snap->handles[i].value == (ULONG_PTR)h)
            return &snap->handles[i];
    return NULL;
}

/* Whether the rows show our known handles as they are; the answer in buf. */
static BOOL rows_right(const struct nr_snapshot *snap, const struct known *k, char *buf,
                       size_t size)
{
    const struct nr_handle *file = row_of(snap, k->file), *other = row_of(snap, k->other),
                           *event = row_of(snap, k->event);

    if (!file || !other || !event) {
        snprintf(buf, size, "%zu rows; our file %s, other file %s, event %s", snap->count,
                 file ? "found" : "missing", other ? "found" : "missing",
                 event ? "found" : "missing");
        return FALSE;
    }
    snprintf(buf, size,
             "%zu rows; our file at 0x%llx: access 0x%08x (granted 0x%08lx), type %u "
             "(other file %u, event %u)",
             snap->count, (unsigned long long)file->value, file->access,
             (unsigned long)KNOWN_GRANTED, file->type_index, other->type_index, event->type_index);
    return file->access == KNOWN_GRANTED && file->type_index == other->type_index &&
           file->type_index != event->type_index;
}

/* One path's answer: ok when its rows are right, skipped when the class is
 * missing here (the seam then takes the next path). */
static void judge(const char *id, int status, int missing, struct nr_snapshot *snap,
                  const struct known *k, BOOL informative, const char *classes)
{
    char answer[400];
    BOOL right;

    if (status != NR_OK) {
        nrc_check(id, missing ? NRC_SKIPPED : NRC_FAILED, "%s (status %d; %s)",
                  missing ? "the information class is not answered here" : "the read failed",
                  status, classes);
        return;
    }
    right = rows_right(snap, k, answer, sizeof(answer));
    nrwin_free_snapshot(NULL, snap);
    nrc_check(id, right || informative ? NRC_OK : NRC_FAILED, "%s%s", answer,
              informative ? (right ? " (rows right)" : " (rows wrong: the hand-off is needed)")
                          : "");
}

/* What the per-process and per-session classes answer a first question
 * too small for any answer: STATUS_INFO_LENGTH_MISMATCH (0xc0000004) means
 * the class exists here. */
static void class_answers(char *buf, size_t size)
{
    ULONG small[4], len = 0;
    DWORD session = 0;
    SYSTEM_SESSION_PROCESS_INFORMATION s = { .SizeOfBuf = sizeof(small), .Buffer = small };
    const NTSTATUS process = NtQueryInformationProcess(
        GetCurrentProcess(), NRWIN_PROCESS_HANDLE_CLASS, small, sizeof(small), &len);

    ProcessIdToSessionId(GetCurrentProcessId(), &session);
    s.SessionId = session;
    snprintf(
        buf, size, "class 51 answers 0x%08lx, class 53 0x%08lx", (unsigned long)process,
        (unsigned long)NtQuerySystemInformation(NRWIN_SESSION_PROCESS_CLASS, &s, sizeof(s), &len));
}

static BOOL open_known(struct known *k)
{
    WCHAR self[MAX_PATH];

    memset(k, 0, sizeof(*k));
    if (!GetModuleFileNameW(NULL, self, MAX_PATH))
        return FALSE;
    k->file = CreateFileW(self, KNOWN_ACCESS, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                          OPEN_EXISTING, 0, NULL);
    k->other = CreateFileW(self, FILE_READ_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, 0, NULL);
    k->event = CreateEventW(NULL, TRUE, FALSE, NULL);
    return k->file != INVALID_HANDLE_VALUE && k->other != INVALID_HANDLE_VALUE && k->event;
}

static void close_known(struct known *k)
{
    HANDLE *all[] = { &k->file, &k->other, &k->event };

    for (size_t i = 0; i < ARRAYSIZE(all); i++)
        if (*all[i] && *all[i] != INVALID_HANDLE_VALUE)
            CloseHandle(*all[i]);
}

void nrc_tables(void)
{
    struct nrwin_session_api api;
    struct nr_snapshot snap;
    struct known k;
    char classes[128];
    BOOL wow64 = FALSE;
    int status, missing;

    if (!open_known(&k)) {
        nrc_check("tables", NRC_FAILED, "our known handles do not open: error %lu", GetLastError());
        close_known(&k);
        return;
    }
    nrwin_session_api_real(&api);
    class_answers(classes, sizeof(classes));
    IsWow64Process(GetCurrentProcess(), &wow64);
    /* A 32-bit build under WOW64 gets the table through WOW64's conversion:
     * its answer is recorded, the x86 provider hands reclaims to the native
     * netreclaim.exe whatever it is (docs/wow64.md). */
    status = nrwin_snapshot_from(NtQuerySystemInformation, &snap);
    judge(wow64 ? "tables.wow64_system_table_rows" : "tables.system_table_finds_own_handle", status,
          0, &snap, &k, wow64, classes);
    status = nrwin_process_snapshot_from(&api, GetCurrentProcess(), GetCurrentProcessId(), &snap,
                                         &missing);
    judge("tables.process_class_51_finds_own_handle", status, missing, &snap, &k, FALSE, classes);
    status = nrwin_session_snapshot_from(&api, &snap, &missing);
    judge("tables.session_path_finds_own_handle", status, missing, &snap, &k, FALSE, classes);
    close_known(&k);
}
