/* The ObjectTypeIndex of File objects, found at run time (it differs between
 * Windows versions), once per process (InitOnce): the row of a file handle
 * of our own, so it agrees with the rows it is compared against by
 * construction. Read from our own process's table (ProcessHandleInformation,
 * Windows 8 and later: a few hundred rows, no system snapshot), else from
 * the system table (Windows 7, Wine).
 * Not from the list of object types (NtQueryObject(NULL,
 * ObjectTypesInformation), TypeIndex since Windows 8.1, position + 2 before:
 * System Informer's PhGetObjectTypeNumber): Wine 8 answers there an index
 * 2 above the one its handle rows carry (19 and 17 for File, measured by
 * seam_test), and where class 51 is missing nothing cheap tells Windows 7,
 * where the list is right, from Wine, where it is not. */
#include "nrwin_snapshot.h"

static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
static uint16_t file_index;

HANDLE nrwin_open_own_file(void)
{
    WCHAR *path = nrwin_alloc(32768 * sizeof(WCHAR));
    HANDLE file = INVALID_HANDLE_VALUE;
    DWORD cch;

    if (!path)
        return file;
    cch = GetModuleFileNameW(nrwin_module(), path, 32768);
    if (cch && cch < 32768)
        file = CreateFileW(path, FILE_READ_ATTRIBUTES,
                           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_EXISTING, 0, NULL);
    nrwin_free(path);
    return file;
}

/* Our file's row in snap, if there. */
static BOOL own_row(const struct nr_snapshot *snap, HANDLE file, uint16_t *index)
{
    const uint32_t pid = GetCurrentProcessId();

    for (size_t i = 0; i < snap->count; i++) {
        if (snap->handles[i].pid == pid && snap->handles[i].value == (ULONG_PTR)file) {
            *index = snap->handles[i].type_index;
            return TRUE;
        }
    }
    return FALSE;
}

/* Our own table first; the system table (not the per-session path: an
 * impersonated caller's session need not hold our process) where that
 * is missing, fails or lacks the file's row. */
int nrwin_own_rows(HANDLE file, struct nr_snapshot *snap)
{
    struct nrwin_session_api api;
    uint16_t index;
    int missing;

    nrwin_session_api_real(&api);
    if (nrwin_process_snapshot_from(&api, GetCurrentProcess(), GetCurrentProcessId(), snap,
                                    &missing) == NR_OK) {
        if (own_row(snap, file, &index))
            return NR_OK;
        nrwin_free(snap->handles);
    }
    return nrwin_snapshot_from(NtQuerySystemInformation, snap);
}

static BOOL find_index(HANDLE file, uint16_t *index)
{
    struct nr_snapshot snap;
    BOOL found = FALSE;

    if (nrwin_own_rows(file, &snap) == NR_OK) {
        found = own_row(&snap, file, index);
        nrwin_free(snap.handles);
    }
    return found;
}

/* Returns FALSE on failure, so that a later call tries again. */
static BOOL CALLBACK find(INIT_ONCE *init, void *param, void **context)
{
    const HANDLE file = nrwin_open_own_file();
    uint16_t index;
    BOOL found;

    (void)init;
    (void)param;
    (void)context;
    if (file == INVALID_HANDLE_VALUE)
        return FALSE;
    if ((found = find_index(file, &index)))
        file_index = index;
    CloseHandle(file);
    return found;
}

int nrwin_file_type_index(void *ctx, uint16_t *index)
{
    (void)ctx;
    if (!InitOnceExecuteOnce(&once, find, NULL, NULL))
        return NR_ERROR;
    *index = file_index;
    return NR_OK;
}
