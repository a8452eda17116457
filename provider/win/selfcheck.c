/* The self-checks on this machine (netreclaim/selfcheck.h), on objects of
 * our own: our module's file, a copy of its handle, and an event. They run
 * once per process, at the first plan, before anything can be closed; what
 * they find stands for the life of the process, and a result that forbids
 * closing, or a volume-name that answered wrongly, is told in one record
 * (event 70). netreclaim doctor runs the same checks and shows each.
 *
 * And the device prefilter they prove: FileVolumeNameInformation (class 58)
 * on a copy of the handle. psutil (proc_handles.c) names it as never
 * blocking, since it reads the file object's device and not the file; the
 * planner runs it inline, and only where volume-name passed. */
#include "nrwin_snapshot.h"
#include "ntapi.h"
#include "messages.h"

#define NAME_TIMEOUT_MS 1000
#define NAME_UNITS (NR_UNC_MAX + 1)
#define FileVolumeNameInformation ((FILE_INFORMATION_CLASS)58)

/* TEST HOOK: NETRECLAIM_TEST_SELFCHECK=<check name> makes that check fail
 * after it ran, so the Wine tests can show what a failure does. It can only
 * make a process close less (an audit) or name more (no prefilter), and the
 * record says so. */
#define TEST_HOOK L"NETRECLAIM_TEST_SELFCHECK"

/* FILE_VOLUME_NAME_INFORMATION (Windows 10 and later): the device name of
 * the file's volume, DeviceNameLength bytes. */
union volume_info {
    struct {
        ULONG length;
        WCHAR name[1];
    } info;
    BYTE bytes[sizeof(ULONG) + 1024 * sizeof(WCHAR)];
};

/* Class 58 where this Windows does not know it (Wine 8: not implemented). */
static BOOL unknown_class(NTSTATUS nt)
{
    return nt == STATUS_NOT_IMPLEMENTED || nt == STATUS_INVALID_INFO_CLASS ||
           nt == (NTSTATUS)STATUS_INVALID_PARAMETER;
}

static NTSTATUS volume_of(HANDLE file, union volume_info *v, size_t *len)
{
    IO_STATUS_BLOCK io;
    NTSTATUS nt;

    nt = NtQueryInformationFile(file, &io, v, sizeof(*v), FileVolumeNameInformation);
    *len = NT_SUCCESS(nt) && v->info.length <= sizeof(*v) - sizeof(ULONG)
               ? v->info.length / sizeof(WCHAR)
               : 0;
    return nt;
}

int nrwin_file_device(void *ctx, uint32_t pid, uint64_t value, int *remote)
{
    union volume_info v;
    HANDLE copy;
    size_t len;
    int status;

    (void)ctx;
    if ((status = nrwin_copy_of(pid, value, &copy)) != NR_OK)
        return status;
    if (NT_SUCCESS(volume_of(copy, &v, &len)) && len)
        *remote = nr_volume_is_mup(v.info.name, len);
    else
        status = NR_ERROR; /* unknown: the name is queried */
    CloseHandle(copy);
    return status;
}

static enum nr_check_result check_table(HANDLE file, HANDLE other)
{
    PUBLIC_OBJECT_BASIC_INFORMATION basic;
    struct nr_own_handles own;
    struct nr_snapshot snap;
    enum nr_check_result result = NR_CHECK_FAILED;
    uint16_t type, planned;

    if (!NT_SUCCESS(NtQueryObject(file, ObjectBasicInformation, &basic, sizeof(basic), NULL)) ||
        nrwin_own_rows(file, &snap) != NR_OK)
        return NR_CHECK_FAILED;
    own.pid = GetCurrentProcessId();
    own.file = (ULONG_PTR)file;
    own.file_access = basic.GrantedAccess;
    own.other = (ULONG_PTR)other;
    /* And the index the planner compares rows with is this one. */
    if (nr_check_rows(snap.handles, snap.count, &own, &type) == NR_CHECK_PASSED &&
        nrwin_file_type_index(NULL, &planned) == NR_OK && planned == type)
        result = NR_CHECK_PASSED;
    nrwin_free(snap.handles);
    return result;
}

/* The name as the planner parses it: with the registry's redirector
 * prefixes (the stock provider's DeviceName). */
static enum nr_check_result check_name(const nr_char *name, size_t len)
{
    const nr_char *array[1];
    struct nr_str prefixes[1];
    WCHAR *multi = NULL;
    size_t count = 0, i;
    enum nr_check_result result = NR_CHECK_FAILED;

    if (nrwin_smb_prefixes(&multi, &count) == NR_OK) {
        count = nrwin_split_multi(multi, array, ARRAYSIZE(array));
        for (i = 0; i < count; i++) {
            prefixes[i].str = array[i];
            prefixes[i].len = lstrlenW(array[i]);
        }
        result = nr_check_local_name(name, len, prefixes, count);
    }
    nrwin_free(multi);
    return result;
}

static enum nr_check_result check_same(HANDLE file, HANDLE other)
{
    enum nr_check_result result = NR_CHECK_FAILED;
    HANDLE copy;
    int same;

    if (!DuplicateHandle(GetCurrentProcess(), file, GetCurrentProcess(), &copy, 0, FALSE,
                         DUPLICATE_SAME_ACCESS))
        return NR_CHECK_FAILED;
    same = nrwin_compare_objects(file, copy);
    if (same == NR_ERROR)
        result = NR_CHECK_ABSENT;
    else if (same == NR_OK && nrwin_compare_objects(file, other) == NR_CHANGED)
        result = NR_CHECK_PASSED;
    CloseHandle(copy);
    return result;
}

static enum nr_check_result check_volume(HANDLE file, const nr_char *name, size_t len,
                                         uint32_t *detail)
{
    union volume_info v;
    size_t vlen;
    NTSTATUS nt = volume_of(file, &v, &vlen);

    if (!NT_SUCCESS(nt)) {
        *detail = (uint32_t)nt;
        return unknown_class(nt) ? NR_CHECK_ABSENT : NR_CHECK_FAILED;
    }
    return nr_check_volume(v.info.name, vlen, name, len);
}

static void apply_hook(struct nr_selfcheck *checks)
{
    WCHAR value[32];
    const DWORD n = GetEnvironmentVariableW(TEST_HOOK, value, ARRAYSIZE(value));
    const enum nr_check c = n && n < ARRAYSIZE(value) ? nr_check_by_name(value, n) : NR_CHECK_COUNT;

    if (c == NR_CHECK_COUNT)
        return;
    checks->result[c] = NR_CHECK_FAILED;
    checks->forced = 1;
}

void nrwin_self_checks(struct nr_selfcheck *checks)
{
    const HANDLE file = nrwin_open_own_file();
    const HANDLE other = CreateEventW(NULL, TRUE, FALSE, NULL);
    nr_char *name = nrwin_alloc(NAME_UNITS * sizeof(nr_char));
    size_t len = 0;

    ZeroMemory(checks, sizeof(*checks));
    /* Anything missing leaves the checks untried: they count as failed. */
    if (file == INVALID_HANDLE_VALUE || !other || !name)
        goto done;
    checks->result[NR_CHECK_HANDLE_TABLE] = check_table(file, other);
    checks->result[NR_CHECK_LOCAL_NAME] = NR_CHECK_FAILED;
    if (nrwin_name_of(file, NAME_TIMEOUT_MS, name, NAME_UNITS, &len) == NR_OK)
        checks->result[NR_CHECK_LOCAL_NAME] = check_name(name, len);
    checks->result[NR_CHECK_SAME_OBJECT] = check_same(file, other);
    checks->result[NR_CHECK_VOLUME_NAME] =
        checks->result[NR_CHECK_LOCAL_NAME] == NR_CHECK_PASSED
            ? check_volume(file, name, len, &checks->detail[NR_CHECK_VOLUME_NAME])
            : NR_CHECK_FAILED;
done:
    apply_hook(checks);
    nrwin_free(name);
    if (other)
        CloseHandle(other);
    if (file != INVALID_HANDLE_VALUE)
        CloseHandle(file);
}

static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
static struct nr_selfcheck proven;

static BOOL CALLBACK run_once(INIT_ONCE *init, void *param, void **context)
{
    nr_char text[2048];

    (void)init;
    (void)param;
    (void)context;
    nrwin_self_checks(&proven);
    if (nr_selfcheck_refusal(&proven) != NR_CHECK_COUNT ||
        proven.result[NR_CHECK_VOLUME_NAME] == NR_CHECK_FAILED || proven.forced) {
        nr_selfcheck_format(&proven, text, ARRAYSIZE(text));
        nrwin_log(NR_EVENT_SELF_CHECK_FAILED, text);
    }
    return TRUE;
}

void nrwin_self_check(void *ctx, struct nr_selfcheck *checks)
{
    (void)ctx;
    if (InitOnceExecuteOnce(&once, run_once, NULL, NULL))
        *checks = proven;
    else
        ZeroMemory(checks, sizeof(*checks)); /* untried: nothing is closed */
}
