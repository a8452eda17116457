/* The ObjectTypeIndex of File objects, found at run time (it differs between
 * Windows versions): the row of a file handle of our own in a snapshot, so it
 * agrees with the snapshots it is compared against. Cached per process. */
#include "nrwin.h"

static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
static uint16_t file_index;

/* Our own module's file: one we know exists and may open. */
static HANDLE open_own_file(void)
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

/* Returns FALSE on failure, so that a later call tries again. */
static BOOL CALLBACK find(INIT_ONCE *init, void *param, void **context)
{
    const HANDLE file = open_own_file();
    const uint32_t pid = GetCurrentProcessId();
    struct nr_snapshot snap;
    BOOL found = FALSE;

    (void)init;
    (void)param;
    (void)context;
    if (file == INVALID_HANDLE_VALUE)
        return FALSE;
    if (nrwin_snapshot(NULL, &snap) == NR_OK) {
        for (size_t i = 0; i < snap.count && !found; i++) {
            if (snap.handles[i].pid == pid && snap.handles[i].value == (ULONG_PTR)file) {
                file_index = snap.handles[i].type_index;
                found = TRUE;
            }
        }
        nrwin_free_snapshot(NULL, &snap);
    }
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
