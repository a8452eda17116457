/* Operations on a ledger image (layout and eviction rule in ledger.h). The
 * Windows layer calls them with the session's mutex held; each validates
 * the whole image first, so none acts on bytes it has not checked. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "netreclaim/nrstr.h"
#include "ledger_check.h"

/* Measures and checks a caller's string once. NULL reads as "": a
 * deviceless connection, an unknown user. */
static int take_name(const nr_char *s, size_t cch, int (*shape_ok)(const nr_char *, size_t),
                     struct nr_str *out)
{
    static const nr_char empty[1];

    out->str = s ? s : empty;
    out->len = nr_strnlen(out->str, cch);
    if (out->len == cch)
        return NR_LEDGER_E_TOO_LONG;
    return shape_ok(out->str, out->len) ? NR_LEDGER_OK : NR_LEDGER_E_ARG;
}

/* A live entry of the session that is the connection's. */
static int matches(const struct nr_ledger_entry *e, uint64_t luid, const nr_char *local,
                   const nr_char *remote)
{
    return e->state == NR_LEDGER_LIVE && e->luid == luid && nr_ledger_entry_names(e, local, remote);
}

static struct nr_ledger_header *ledger_header(void *image)
{
    return image;
}

static struct nr_ledger_entry *ledger_entries(void *image)
{
    return (struct nr_ledger_entry *)((unsigned char *)image + sizeof(struct nr_ledger_header));
}

static void seal(void *image)
{
    ledger_header(image)->checksum = ledger_checksum(image);
}

/* Marks the matching entries cancelled; returns how many there were. */
static uint32_t cancel_where(void *image, uint64_t luid, const nr_char *local,
                             const nr_char *remote, uint64_t time)
{
    struct nr_ledger_entry *entries = ledger_entries(image);
    uint32_t i, n = 0;

    for (i = 0; i < ledger_header(image)->count; i++) {
        if (!matches(&entries[i], luid, local, remote))
            continue;
        entries[i].state = NR_LEDGER_CANCELLED;
        entries[i].time_cancelled = time;
        n++;
    }
    return n;
}

/* Cancelled entries go before live ones, older before newer. */
static int better_victim(const struct nr_ledger_entry *a, const struct nr_ledger_entry *b)
{
    if (a->state != b->state)
        return a->state == NR_LEDGER_CANCELLED;
    return a->sequence < b->sequence;
}

static struct nr_ledger_entry *pick_slot(void *image, int *evicted)
{
    struct nr_ledger_header *hdr = ledger_header(image);
    struct nr_ledger_entry *entries = ledger_entries(image);
    uint32_t i, victim = 0;

    *evicted = 0;
    if (hdr->count < hdr->capacity)
        return &entries[hdr->count++];
    for (i = 1; i < hdr->count; i++)
        if (better_victim(&entries[i], &entries[victim]))
            victim = i;
    *evicted = entries[victim].state == NR_LEDGER_LIVE;
    return &entries[victim];
}

int nr_ledger_init(void *image, size_t size, uint32_t capacity)
{
    struct nr_ledger_header *hdr = image;

    if (!image || (uintptr_t)image % LEDGER_ALIGN || !capacity || capacity > NR_LEDGER_CAPACITY ||
        size < nr_ledger_size(capacity))
        return NR_LEDGER_E_ARG;
    memset(image, 0, nr_ledger_size(capacity));
    hdr->magic = NR_LEDGER_MAGIC;
    hdr->version = NR_LEDGER_VERSION;
    hdr->header_size = sizeof(struct nr_ledger_header);
    hdr->entry_size = sizeof(struct nr_ledger_entry);
    hdr->capacity = capacity;
    seal(image);
    return NR_LEDGER_OK;
}

/* nr_ledger_add, with the origin the caller knows. */
static int record(void *image, size_t size, uint64_t luid, const nr_char *local,
                  const nr_char *remote, const nr_char *user, uint64_t time,
                  enum nr_ledger_origin origin)
{
    struct nr_str l, r, u;
    struct nr_ledger_entry *e;
    int ret, evicted;

    if (nr_ledger_validate(image, size, NULL))
        return NR_LEDGER_E_CORRUPT;
    /* The validator refuses UINT64_MAX: an image that has handed out the
     * last sequence below it is spent, and the caller rebuilds it. */
    if (ledger_header(image)->sequence >= UINT64_MAX - 1)
        return NR_LEDGER_E_CORRUPT;
    if ((ret = take_name(local, NR_LEDGER_LOCAL_CCH, ledger_local_ok, &l)) ||
        (ret = take_name(remote, NR_LEDGER_REMOTE_CCH, ledger_remote_ok, &r)) ||
        (ret = take_name(user, NR_LEDGER_USER_CCH, ledger_user_ok, &u)))
        return ret;

    /* A device has one connection; so has a remote name without a device. */
    cancel_where(image, luid, l.str, r.str, time);
    e = pick_slot(image, &evicted);
    memset(e, 0, sizeof(*e));
    e->luid = luid;
    e->sequence = ++ledger_header(image)->sequence;
    e->time_added = time;
    e->state = NR_LEDGER_LIVE;
    e->origin = origin;
    memcpy(e->local, l.str, l.len * sizeof(nr_char));
    memcpy(e->remote, r.str, r.len * sizeof(nr_char));
    memcpy(e->user, u.str, u.len * sizeof(nr_char));
    seal(image);
    return evicted ? NR_LEDGER_EVICTED : NR_LEDGER_OK;
}

int nr_ledger_add(void *image, size_t size, uint64_t luid, const nr_char *local,
                  const nr_char *remote, const nr_char *user, uint64_t time)
{
    return record(image, size, luid, local, remote, user, time, NR_LEDGER_ADDED);
}

/* Marks cancelled the live entries of luid with local name `name`, or
 * (local false) the deviceless ones with remote name `name`. */
static int cancel_named(void *image, size_t size, uint64_t luid, const nr_char *name, bool local,
                        uint64_t time)
{
    struct nr_str n;
    int ret;

    if (nr_ledger_validate(image, size, NULL))
        return NR_LEDGER_E_CORRUPT;
    ret = local ? take_name(name, NR_LEDGER_LOCAL_CCH, ledger_local_ok, &n)
                : take_name(name, NR_LEDGER_REMOTE_CCH, ledger_remote_ok, &n);
    if (ret)
        return ret;
    if (local && !n.len)
        return NR_LEDGER_E_ARG;
    if (!cancel_where(image, luid, local ? n.str : NULL, local ? NULL : n.str, time))
        return NR_LEDGER_E_NOT_FOUND;
    seal(image);
    return NR_LEDGER_OK;
}

int nr_ledger_cancel_local(void *image, size_t size, uint64_t luid, const nr_char *local,
                           uint64_t time)
{
    return cancel_named(image, size, luid, local, true, time);
}

int nr_ledger_cancel_remote(void *image, size_t size, uint64_t luid, const nr_char *remote,
                            uint64_t time)
{
    return cancel_named(image, size, luid, remote, false, time);
}

int nr_ledger_find_local(const void *image, size_t size, uint64_t luid, const nr_char *local,
                         struct nr_ledger_entry *out)
{
    const struct nr_ledger_header *hdr = image;
    const struct nr_ledger_entry *entries;
    struct nr_str l;
    uint32_t i;
    int ret;

    if (nr_ledger_validate(image, size, NULL))
        return NR_LEDGER_E_CORRUPT;
    if ((ret = take_name(local, NR_LEDGER_LOCAL_CCH, ledger_local_ok, &l)))
        return ret;
    if (!l.len || !out)
        return NR_LEDGER_E_ARG;
    entries = ledger_const_entries(image);
    for (i = 0; i < hdr->count; i++) {
        if (!matches(&entries[i], luid, l.str, NULL))
            continue;
        *out = entries[i];
        return NR_LEDGER_OK;
    }
    return NR_LEDGER_E_NOT_FOUND;
}

int nr_ledger_find_server(const void *image, size_t size, uint64_t luid, const nr_char *unc,
                          struct nr_ledger_entry *out, size_t max, size_t *found)
{
    const struct nr_ledger_header *hdr = image;
    const struct nr_ledger_entry *entries;
    size_t server_len, n = 0;
    uint32_t i;

    if (nr_ledger_validate(image, size, NULL))
        return NR_LEDGER_E_CORRUPT;
    if (!unc || !found || (max && !out))
        return NR_LEDGER_E_ARG;
    /* Only the server component is read; a path after it may be any length. */
    server_len = ledger_server_len(unc, nr_strnlen(unc, NR_LEDGER_REMOTE_CCH));
    if (!server_len)
        return NR_LEDGER_E_ARG;
    if (2 + server_len == NR_LEDGER_REMOTE_CCH)
        return NR_LEDGER_E_TOO_LONG;
    entries = ledger_const_entries(image);
    for (i = 0; i < hdr->count; i++) {
        const struct nr_ledger_entry *e = &entries[i];
        /* Validated remote names all have a server component. */
        size_t e_len = ledger_server_len(e->remote, nr_strnlen(e->remote, NR_LEDGER_REMOTE_CCH));

        if (e->state != NR_LEDGER_LIVE || e->luid != luid ||
            !nr_equal_nocase(e->remote + 2, e_len, unc + 2, server_len))
            continue;
        if (n < max)
            out[n] = *e;
        n++;
    }
    *found = n;
    return NR_LEDGER_OK;
}

int nr_ledger_walk(const void *image, size_t size, nr_ledger_visit visit, void *ctx)
{
    const struct nr_ledger_header *hdr = image;
    const struct nr_ledger_entry *entries;
    uint32_t i;

    if (nr_ledger_validate(image, size, NULL))
        return NR_LEDGER_E_CORRUPT;
    if (!visit)
        return NR_LEDGER_E_ARG;
    entries = ledger_const_entries(image);
    for (i = 0; i < hdr->count; i++)
        if (visit(ctx, &entries[i]))
            break;
    return NR_LEDGER_OK;
}

int nr_ledger_rebuild(void *image, size_t size, uint32_t capacity, uint64_t luid,
                      const struct nr_ledger_conn *conns, size_t n, uint64_t time, size_t *skipped)
{
    size_t i, bad = 0;
    int ret;

    if (n && !conns)
        return NR_LEDGER_E_ARG;
    if ((ret = nr_ledger_init(image, size, capacity)))
        return ret;
    /* Rebuilt, not added: the enumeration cannot tell an implicit
     * connection from one made on purpose (nr_ledger_vouches). */
    for (i = 0; i < n; i++)
        if (record(image, size, luid, conns[i].local, conns[i].remote, conns[i].user, time,
                   NR_LEDGER_REBUILT) < 0)
            bad++;
    if (skipped)
        *skipped = bad;
    return NR_LEDGER_OK;
}

bool nr_ledger_vouches(const struct nr_ledger_entry *entry)
{
    return entry->state == NR_LEDGER_LIVE &&
           (entry->origin == NR_LEDGER_ADDED || entry->local[0] != 0);
}

/* One past the field: a longer name fills it and matches nothing. */
static size_t name_len(const nr_char *s, size_t cch)
{
    return s ? nr_strnlen(s, cch + 1) : 0;
}

bool nr_ledger_entry_names(const struct nr_ledger_entry *entry, const nr_char *local,
                           const nr_char *remote)
{
    const size_t entry_local = nr_strnlen(entry->local, NR_LEDGER_LOCAL_CCH);
    const size_t conn_local = name_len(local, NR_LEDGER_LOCAL_CCH);

    if (entry_local || conn_local)
        return nr_equal_nocase(entry->local, entry_local, local, conn_local);
    return remote && nr_equal_nocase(entry->remote, nr_strnlen(entry->remote, NR_LEDGER_REMOTE_CCH),
                                     remote, name_len(remote, NR_LEDGER_REMOTE_CCH));
}

struct summary {
    uint64_t luid;
    struct nr_ledger_summary sum;
};

static int count_entry(void *ctx, const struct nr_ledger_entry *e)
{
    struct summary *s = ctx;

    if (e->state != NR_LEDGER_LIVE) {
        s->sum.cancelled++;
        return 0;
    }
    s->sum.live++;
    if (e->luid == s->luid)
        s->sum.live_in_session++;
    return 0;
}

int nr_ledger_summarize(const void *image, size_t size, uint64_t luid,
                        struct nr_ledger_summary *out)
{
    const struct nr_ledger_header *hdr = image;
    struct summary s = { .luid = luid };
    int ret;

    if ((ret = nr_ledger_walk(image, size, out ? count_entry : NULL, &s)))
        return ret;
    s.sum.capacity = hdr->capacity;
    s.sum.count = hdr->count;
    s.sum.sequence = hdr->sequence;
    *out = s.sum;
    return NR_LEDGER_OK;
}
