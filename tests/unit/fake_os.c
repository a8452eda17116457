/* The scripted OS seam. Lookups start where the last one ended, since the
 * planner walks the table in order: the 300k-handle tests stay linear. */

#include <stdlib.h>
#include <string.h>

#include "fake_os.h"
#include "netreclaim/nrstr.h"

static void *grow(void *array, size_t *cap, size_t count, size_t size)
{
    void *p;

    if (count < *cap)
        return array;
    *cap = *cap ? *cap * 2 : 64;
    if (!(p = realloc(array, *cap * size)))
        abort();
    return p;
}

/* Counts the call; true when this one is scripted to fail. */
static bool fail_now(struct fake_os *f, enum fake_fn fn, int *status)
{
    f->calls[fn]++;
    if (f->fail_at[fn] != f->calls[fn])
        return false;
    *status = f->fail_status[fn] ? f->fail_status[fn] : NR_ERROR;
    return true;
}

struct fake_proc *fake_find_proc(struct fake_os *f, uint32_t pid)
{
    size_t i, n;

    for (n = 0; n < f->proc_count; n++) {
        i = (f->proc_hint + n) % f->proc_count;
        if (f->procs[i].pid == pid) {
            f->proc_hint = i;
            return &f->procs[i];
        }
    }
    return NULL;
}

struct fake_handle *fake_find_handle(struct fake_os *f, uint32_t pid, uint64_t value)
{
    size_t i, n;

    for (n = 0; n < f->handle_count; n++) {
        i = (f->handle_hint + n) % f->handle_count;
        if (f->handles[i].h.pid == pid && f->handles[i].h.value == value && !f->handles[i].closed) {
            f->handle_hint = i;
            return &f->handles[i];
        }
    }
    return NULL;
}

static int fake_snapshot(void *ctx, struct nr_snapshot *snap)
{
    struct fake_os *f = ctx;
    size_t i, n = 0;
    int status;

    if (fail_now(f, FAKE_SNAPSHOT, &status))
        return status;
    if (!(snap->handles = malloc((f->handle_count + 1) * sizeof(*snap->handles))))
        return NR_NOMEM;
    for (i = 0; i < f->handle_count; i++)
        if (!f->handles[i].closed)
            snap->handles[n++] = f->handles[i].h;
    snap->count = n;
    f->snapshots_out++;
    return NR_OK;
}

static void fake_free_snapshot(void *ctx, struct nr_snapshot *snap)
{
    struct fake_os *f = ctx;

    f->calls[FAKE_FREE_SNAPSHOT]++;
    f->snapshots_out--;
    free(snap->handles);
    snap->handles = NULL;
}

static int fake_file_type_index(void *ctx, uint16_t *index)
{
    int status;

    if (fail_now(ctx, FAKE_FILE_TYPE_INDEX, &status))
        return status;
    *index = FAKE_FILE_TYPE;
    return NR_OK;
}

static int fake_caller_luid(void *ctx, uint64_t *luid)
{
    struct fake_os *f = ctx;
    int status;

    if (fail_now(f, FAKE_CALLER_LUID, &status))
        return status;
    *luid = f->caller_luid;
    return NR_OK;
}

static int fake_process_luid(void *ctx, uint32_t pid, uint64_t *luid)
{
    struct fake_os *f = ctx;
    struct fake_proc *p;
    int status;

    if (fail_now(f, FAKE_PROCESS_LUID, &status))
        return status;
    if (!(p = fake_find_proc(f, pid)))
        return NR_GONE;
    if (p->luid_status != NR_OK)
        return p->luid_status;
    *luid = p->luid;
    return NR_OK;
}

static int fake_process_strict(void *ctx, uint32_t pid, int *strict)
{
    struct fake_os *f = ctx;
    struct fake_proc *p;
    int status;

    if (fail_now(f, FAKE_PROCESS_STRICT, &status))
        return status;
    if (!(p = fake_find_proc(f, pid)))
        return NR_GONE;
    if (p->strict_status != NR_OK)
        return p->strict_status;
    *strict = p->strict;
    return NR_OK;
}

static int fake_process_image(void *ctx, uint32_t pid, nr_char *buf, size_t cch)
{
    struct fake_os *f = ctx;
    struct fake_proc *p;
    size_t len;
    int status;

    if (fail_now(f, FAKE_PROCESS_IMAGE, &status))
        return status;
    if (!(p = fake_find_proc(f, pid)))
        return NR_GONE;
    if (!p->image)
        return NR_ERROR;
    len = nr_strnlen(p->image, (size_t)-1);
    if (len >= cch)
        return NR_TOO_SMALL;
    memcpy(buf, p->image, (len + 1) * sizeof(nr_char));
    return NR_OK;
}

/* One entry of a batch: its status, and its name at names[*used]. */
static void fake_query_one(struct fake_os *f, uint32_t pid, struct nr_name_query *q, nr_char *names,
                           size_t cch, size_t *used)
{
    struct fake_handle *h;
    size_t len;

    if (fail_now(f, FAKE_QUERY_NAME, &q->status))
        return;
    if (!(h = fake_find_handle(f, pid, q->value))) {
        q->status = NR_GONE;
        return;
    }
    h->queries++;
    if (h->blocks) {
        if (++f->stuck > f->stuck_max)
            f->stuck_max = f->stuck;
        q->status = NR_TIMEOUT;
        return;
    }
    if ((q->status = h->query_status) != NR_OK)
        return;
    q->protocol = h->protocol;
    q->name = names + *used;
    if (h->bogus_len) {
        q->len = h->bogus_len;
        return;
    }
    len = h->name ? nr_strnlen(h->name, (size_t)-1) : 0;
    if (len > cch - *used) {
        /* Past what is left: the batch ends before it, unless it is the
         * first, which had the whole buffer. */
        q->status = *used ? NR_LIMIT : NR_TOO_SMALL;
        *used = cch + 1;
        return;
    }
    if (len)
        memcpy(names + *used, h->name, len * sizeof(nr_char));
    q->len = len;
    *used += len;
}

/* As names.c: in order, stopping after a timeout; with the bound of workers
 * stuck (a query that blocks leaves its worker stuck for good), every entry
 * is refused before it runs. */
static size_t fake_query_names(void *ctx, uint32_t pid, struct nr_name_query *q, size_t count,
                               uint32_t timeout_ms, nr_char *names, size_t cch)
{
    struct fake_os *f = ctx;
    size_t i, used = 0;

    (void)timeout_ms;
    f->batches++;
    for (i = 0; i < count; i++) {
        q[i].status = NR_LIMIT;
        q[i].protocol = 0;
        q[i].name = NULL;
        q[i].len = 0;
    }
    if (f->stuck >= NR_MAX_STUCK_QUERIES)
        return count;
    for (i = 0; i < count; i++) {
        fake_query_one(f, pid, &q[i], names, cch, &used);
        if (used > cch)
            return i ? i : 1; /* ended before entry i, or the first too long */
        if (q[i].status == NR_TIMEOUT)
            return i + 1;
    }
    return count;
}

/* The object a handle refers to, as CompareObjectHandles would compare it. */
static int fake_keep_object(void *ctx, uint32_t pid, uint64_t value, uint64_t *kept)
{
    struct fake_os *f = ctx;
    const struct fake_handle *h;
    int status;

    if (fail_now(f, FAKE_KEEP_OBJECT, &status))
        return status;
    if (!(h = fake_find_handle(f, pid, value)))
        return NR_GONE;
    *kept = h->object;
    f->kept_out++;
    return NR_OK;
}

static void fake_drop_object(void *ctx, uint64_t kept)
{
    struct fake_os *f = ctx;

    (void)kept;
    f->kept_out--;
}

/* As the real seam: re-check the process's session and the object (kept)
 * or the name, refuse protect-from-close. */
static int fake_close_handle(void *ctx, uint32_t pid, uint64_t luid, uint64_t value, uint64_t kept,
                             const nr_char *name, size_t name_len, uint32_t timeout_ms)
{
    struct fake_os *f = ctx;
    const struct fake_proc *p;
    struct fake_handle *h;
    int status;

    (void)timeout_ms;
    if (fail_now(f, FAKE_CLOSE_HANDLE, &status))
        return status;
    if (!(p = fake_find_proc(f, pid)) || p->luid != luid || !(h = fake_find_handle(f, pid, value)))
        return NR_GONE;
    if (kept && h->object != kept)
        return NR_CHANGED;
    if (!h->name || nr_strnlen(h->name, (size_t)-1) != name_len ||
        memcmp(h->name, name, name_len * sizeof(nr_char)))
        return NR_CHANGED;
    if (h->h.attributes & NR_HANDLE_PROTECT_FROM_CLOSE)
        return NR_ERROR;
    h->closed = true;
    f->closed = grow(f->closed, &f->closed_cap, f->closed_count, sizeof(*f->closed));
    f->closed[f->closed_count].pid = pid;
    f->closed[f->closed_count++].value = value;
    return NR_OK;
}

static int fake_process_started(void *ctx, uint32_t pid, uint64_t *started)
{
    struct fake_os *f = ctx;
    const struct fake_proc *p;
    int status;

    if (fail_now(f, FAKE_PROCESS_STARTED, &status))
        return status;
    if (!(p = fake_find_proc(f, pid)))
        return NR_GONE;
    *started = p->started;
    return NR_OK;
}

static bool fake_was_blocked(void *ctx, const struct nr_blocked_key *key)
{
    return nr_blocked_has(&((struct fake_os *)ctx)->memory, key);
}

static void fake_remember_blocked(void *ctx, const struct nr_blocked_key *key)
{
    nr_blocked_add(&((struct fake_os *)ctx)->memory, key);
}

static void fake_report(void *ctx, enum nr_event event, const nr_char *text)
{
    struct fake_os *f = ctx;
    size_t len = nr_strnlen(text, (size_t)-1);

    f->calls[FAKE_REPORT]++;
    free(f->report);
    if (!(f->report = malloc((len + 1) * sizeof(nr_char))))
        abort();
    memcpy(f->report, text, (len + 1) * sizeof(nr_char));
    f->report_event = event;
}

static void fake_self_check(void *ctx, struct nr_selfcheck *checks)
{
    struct fake_os *f = ctx;

    f->calls[FAKE_SELF_CHECK]++;
    *checks = f->checks;
}

void fake_init(struct fake_os *f, uint64_t caller_luid)
{
    memset(f, 0, sizeof(*f));
    f->caller_luid = caller_luid;
    for (int c = 0; c < NR_CHECK_COUNT; c++)
        f->checks.result[c] = NR_CHECK_PASSED;
    f->os.self_check = fake_self_check;
    f->os.ctx = f;
    f->os.snapshot = fake_snapshot;
    f->os.free_snapshot = fake_free_snapshot;
    f->os.file_type_index = fake_file_type_index;
    f->os.caller_luid = fake_caller_luid;
    f->os.process_luid = fake_process_luid;
    f->os.process_image = fake_process_image;
    f->os.query_names = fake_query_names;
    f->os.close_handle = fake_close_handle;
    f->os.report = fake_report;
    f->os.process_strict = fake_process_strict;
    f->os.keep_object = fake_keep_object;
    f->os.drop_object = fake_drop_object;
    f->os.process_started = fake_process_started;
    f->os.was_blocked = fake_was_blocked;
    f->os.remember_blocked = fake_remember_blocked;
}

void fake_free(struct fake_os *f)
{
    free(f->procs);
    free(f->handles);
    free(f->closed);
    free(f->report);
    memset(f, 0, sizeof(*f));
}

void fake_add_proc(struct fake_os *f, uint32_t pid, uint64_t luid, const nr_char *image)
{
    struct fake_proc *p;

    f->procs = grow(f->procs, &f->proc_cap, f->proc_count, sizeof(*f->procs));
    p = &f->procs[f->proc_count++];
    p->pid = pid;
    p->luid = luid;
    p->image = image;
    p->started = 1000u * pid + 1;
    p->luid_status = NR_OK;
    p->strict = 0;
    p->strict_status = NR_OK;
}

struct fake_handle *fake_add_handle(struct fake_os *f, uint32_t pid, uint64_t value,
                                    const nr_char *name)
{
    struct fake_handle *h;

    f->handles = grow(f->handles, &f->handle_cap, f->handle_count, sizeof(*f->handles));
    h = &f->handles[f->handle_count++];
    memset(h, 0, sizeof(*h));
    h->h.pid = pid;
    h->h.value = value;
    h->h.access = 0x120089;
    h->h.type_index = FAKE_FILE_TYPE;
    h->name = name;
    h->query_status = NR_OK;
    /* A file on a share, as the SMB redirector reports it; tests of other
     * redirectors set their own. */
    h->protocol = NR_PROTOCOL_SMB;
    h->object = 0x1000 + f->handle_count; /* distinct, never 0 */
    return h;
}

bool fake_was_closed(const struct fake_os *f, uint32_t pid, uint64_t value)
{
    size_t i;

    for (i = 0; i < f->closed_count; i++)
        if (f->closed[i].pid == pid && f->closed[i].value == value)
            return true;
    return false;
}

bool fake_report_has(const struct fake_os *f, const char *ascii)
{
    size_t len = strlen(ascii), i, j;

    if (!f->report)
        return false;
    for (i = 0; f->report[i]; i++) {
        for (j = 0; j < len && f->report[i + j] == (unsigned char)ascii[j]; j++)
            ;
        if (j == len)
            return true;
    }
    return false;
}
