/* The session ledger's named section and mutex (see nrwin_ledger.h). The first
 * session a process uses keeps its objects open for the life of the process,
 * so the image lives as long as any process of the session has netreclaim
 * loaded; another session (an impersonating caller) opens them per use. A
 * process that only reads (Explorer browsing) keeps them through
 * nrwin_ledger_keep, without creating or rebuilding anything. */
#include "nrwin_ledger.h"

struct nrwin_ledger_objects {
    uint64_t luid;
    HANDLE mutex, section;
    void *view;
};

static SRWLOCK cache_lock = SRWLOCK_INIT;
static struct nrwin_ledger_objects cache; /* mutex NULL until opened */

uint64_t nrwin_ledger_now(void)
{
    FILETIME ft;

    GetSystemTimeAsFileTime(&ft);
    return (uint64_t)ft.dwHighDateTime << 32 | ft.dwLowDateTime;
}

void nrwin_ledger_names(uint64_t luid, WCHAR *section, WCHAR *mutex, DWORD cch)
{
    const DWORD_PTR args[2] = { (DWORD)(luid >> 32), (DWORD)luid };

    nrwin_format(section, cch, L"Local\\NetReclaim.Ledger.%1!08lX!%2!08lX!", args);
    nrwin_format(mutex, cch, L"Local\\NetReclaim.Ledger.%1!08lX!%2!08lX!.Lock", args);
}

static void close_objects(struct nrwin_ledger_objects *o)
{
    if (o->view)
        UnmapViewOfFile(o->view);
    if (o->section)
        CloseHandle(o->section);
    if (o->mutex)
        CloseHandle(o->mutex);
    ZeroMemory(o, sizeof(*o));
}

static int open_objects(uint64_t luid, BOOL create, struct nrwin_ledger_objects *o)
{
    union nrwin_caller_user token;
    struct nrwin_owner_sd mutex_sd, section_sd;
    SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, FALSE };
    WCHAR section_name[NRWIN_LEDGER_NAME_CCH], mutex_name[NRWIN_LEDGER_NAME_CCH];
    const DWORD size = (DWORD)nr_ledger_size(NR_LEDGER_CAPACITY);
    int status;

    ZeroMemory(o, sizeof(*o));
    o->luid = luid;
    if ((status = nrwin_caller_user(&token)) != NR_OK)
        return status;
    nrwin_ledger_names(luid, section_name, mutex_name, NRWIN_LEDGER_NAME_CCH);
    if (create) {
        if (!nrwin_owner_only(&mutex_sd, token.user.User.Sid, MUTEX_ALL_ACCESS) ||
            !nrwin_owner_only(&section_sd, token.user.User.Sid, SECTION_ALL_ACCESS)) {
            status = nrwin_status(GetLastError());
            goto done;
        }
        sa.lpSecurityDescriptor = &mutex_sd.sd;
        o->mutex = CreateMutexW(&sa, FALSE, mutex_name);
        sa.lpSecurityDescriptor = &section_sd.sd;
        if (o->mutex)
            o->section = CreateFileMappingW(INVALID_HANDLE_VALUE, &sa, PAGE_READWRITE, 0, size,
                                            section_name);
    } else {
        o->mutex = OpenMutexW(SYNCHRONIZE | MUTEX_MODIFY_STATE | READ_CONTROL, FALSE, mutex_name);
        if (o->mutex)
            o->section = OpenFileMappingW(FILE_MAP_READ | FILE_MAP_WRITE | READ_CONTROL, FALSE,
                                          section_name);
    }
    if (!o->mutex || !o->section) {
        status = nrwin_status(GetLastError());
        goto done;
    }
    if ((status = nrwin_check_owner(o->mutex, token.user.User.Sid)) != NR_OK ||
        (status = nrwin_check_owner(o->section, token.user.User.Sid)) != NR_OK)
        goto done;
    /* Fails if an existing section is smaller than this build's image. */
    if (!(o->view = MapViewOfFile(o->section, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, size)))
        status = nrwin_status(GetLastError());
done:
    if (status != NR_OK)
        close_objects(o);
    return status;
}

/* The cached objects if they are this session's, else fresh ones in *temp. */
static int get_objects(uint64_t luid, BOOL create, struct nrwin_ledger_objects *temp,
                       struct nrwin_ledger_objects **out)
{
    int status = NR_OK;

    AcquireSRWLockExclusive(&cache_lock);
    if (!cache.mutex && create)
        status = open_objects(luid, TRUE, &cache);
    if (status != NR_OK)
        *out = NULL;
    else if (cache.mutex && cache.luid == luid)
        *out = &cache;
    else if ((status = open_objects(luid, create, temp)) == NR_OK)
        *out = temp;
    ReleaseSRWLockExclusive(&cache_lock);
    return status;
}

static BOOL never_written(const void *image)
{
    const BYTE *p = image;

    for (size_t i = 0; i < sizeof(struct nr_ledger_header); i++)
        if (p[i])
            return FALSE;
    return TRUE;
}

static void tell(const struct nrwin_ledger *l, BOOL fresh)
{
    const DWORD_PTR args[1] = { (DWORD_PTR)l->fault };
    WCHAR text[256];

    if (l->abandoned) {
        nrwin_format(text, ARRAYSIZE(text),
                     l->rebuilt ? L"A process ended while holding the session ledger's lock; "
                                  L"the image failed validation (fault %1!lu!) and was rebuilt."
                                : L"A process ended while holding the session ledger's lock; "
                                  L"the image is valid.",
                     args);
        nrwin_log(NR_EVENT_LEDGER_ABANDONED, text);
    } else if (l->rebuilt && !fresh) {
        nrwin_format(text, ARRAYSIZE(text),
                     L"The session ledger failed validation (fault %1!lu!) and was rebuilt "
                     L"from the stock provider's connections.",
                     args);
        nrwin_log(NR_EVENT_LEDGER_REBUILT, text);
    }
}

int nrwin_ledger_keep(void)
{
    uint64_t luid;
    int status;

    if ((status = nrwin_caller_luid(NULL, &luid)) != NR_OK)
        return status;
    AcquireSRWLockExclusive(&cache_lock);
    /* Open only: an image nobody made is rebuilt by its first real use,
     * and a missing one is no business of a process that only reads. */
    if (!cache.mutex)
        status = open_objects(luid, FALSE, &cache);
    else if (cache.luid != luid)
        status = NR_ERROR; /* the process keeps another session's already */
    ReleaseSRWLockExclusive(&cache_lock);
    return status;
}

int nrwin_ledger_acquire(struct nrwin_ledger *l, nrwin_ledger_rebuild_fn rebuild, void *ctx)
{
    struct nrwin_ledger_objects temp, *o = NULL;
    BOOL fresh = FALSE;
    DWORD wait;
    int status;

    ZeroMemory(l, sizeof(*l));
    if ((status = nrwin_caller_luid(NULL, &l->luid)) != NR_OK ||
        (status = get_objects(l->luid, rebuild != NULL, &temp, &o)) != NR_OK)
        return status;
    if (o == &temp) {
        if (!(o = nrwin_alloc(sizeof(*o)))) {
            close_objects(&temp);
            return NR_NOMEM;
        }
        *o = temp;
    }
    l->objects = o;
    wait = WaitForSingleObject(o->mutex, NRWIN_LEDGER_WAIT_MS);
    if (wait == WAIT_ABANDONED) {
        l->abandoned = TRUE; /* the image may be half written: validated below */
    } else if (wait != WAIT_OBJECT_0) {
        status = wait == WAIT_TIMEOUT ? NR_TIMEOUT : nrwin_status(GetLastError());
        goto fail;
    }
    l->image = o->view;
    l->size = nr_ledger_size(NR_LEDGER_CAPACITY);
    if (nr_ledger_validate(l->image, l->size, &l->fault) != NR_LEDGER_OK) {
        fresh = never_written(l->image);
        if (!rebuild ||
            (status = rebuild(ctx, l->image, l->size, l->luid, nrwin_ledger_now())) != NR_OK) {
            status = rebuild ? status : NR_ERROR;
            ReleaseMutex(o->mutex);
            goto fail;
        }
        l->rebuilt = TRUE;
    }
    tell(l, fresh);
    return NR_OK;
fail:
    l->image = NULL;
    if (o != &cache) {
        close_objects(o);
        nrwin_free(o);
    }
    l->objects = NULL;
    return status;
}

void nrwin_ledger_release(struct nrwin_ledger *l)
{
    struct nrwin_ledger_objects *o = l->objects;

    if (!o)
        return;
    ReleaseMutex(o->mutex);
    if (o != &cache) {
        close_objects(o);
        nrwin_free(o);
    }
    l->objects = NULL;
    l->image = NULL;
}

struct mark {
    struct nr_conn *conns;
    size_t count;
    uint64_t luid;
};

static void clear_live(struct nr_conn *conns, size_t count)
{
    for (size_t i = 0; i < count; i++)
        conns[i].live = false;
}

/* A live entry of the session that vouches (nr_ledger_vouches: not a
 * deviceless one rebuilt from the stock list, which may be an implicit
 * connection) is a listed connection's (nr_ledger_entry_names). */
static int mark_one(void *ctx, const struct nr_ledger_entry *e)
{
    const struct mark *m = ctx;

    if (!nr_ledger_vouches(e) || e->luid != m->luid)
        return 0;
    for (size_t i = 0; i < m->count; i++)
        if (nr_ledger_entry_names(e, m->conns[i].local, m->conns[i].remote))
            m->conns[i].live = true;
    return 0;
}

int nrwin_ledger_mark_live(const struct nrwin_ledger *l, struct nr_conn *conns, size_t count)
{
    struct mark m = { conns, count, l->luid };

    clear_live(conns, count);
    if (nr_ledger_walk(l->image, l->size, mark_one, &m) == NR_LEDGER_OK)
        return NR_OK;
    clear_live(conns, count);
    return NR_ERROR;
}
