/* Ledger operations in sequence, driven by the input, with the ledger's
 * invariants checked after every step.
 *
 * Input: a capacity byte (1..8: small, so that eviction comes soon), then
 * steps of an operation byte, a session byte and what the operation takes.
 * A name is a byte: 0x7f is NULL, below it an index into a table of
 * meaningful names, from 0x80 on the count (byte - 0x80) * 4 of UTF-16LE
 * units that follow. */
#include "fuzz.h"
#include "netreclaim/ledger.h"
#include "netreclaim/nrstr.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_CAPACITY 8
#define MAX_CONNS 12

enum op {
    OP_ADD,
    OP_CANCEL_LOCAL,
    OP_CANCEL_REMOTE,
    OP_FIND_LOCAL,
    OP_FIND_SERVER,
    OP_REBUILD,
    OP_CORRUPT,
    OP_COUNT
};

static const nr_char *const locals[] = {
    u"", u"Z:", u"z:", u"Y:", u"LPT1:", u"COM1", u":", u"Z:\\", u"ABCDEFGHIJKLMNOP:",
};
static const nr_char *const remotes[] = {
    u"\\\\srv\\share", u"\\\\SRV\\Share", u"\\\\srv\\other", u"\\\\srv2\\share\\dir",
    u"\\\\srv",        u"\\\\srv\\\\x",   u"\\srv\\share",   u"",
};
static const nr_char *const users[] = { u"", u"DOM\\alice", u"DOM\\Alice", u"bob@dom.example" };
static const uint64_t luids[] = { 0x3e7, 0x1234, 0x00ffffffffffffffu };

struct ledger {
    uint8_t *image;
    size_t size;
    uint32_t capacity;
};

/* A NUL-terminated heap copy (NULL stays NULL), exactly as long as needed. */
static nr_char *take_name(struct reader *r, const nr_char *const *table, size_t n)
{
    uint8_t pick = take_u8(r);
    nr_char units[512];
    size_t len = 0;

    if (pick == 0x7f)
        return NULL;
    if (pick < 0x7f)
        return dup_units(table[pick % n], nr_strnlen(table[pick % n], 64), 1);
    /* Up to 508 units: past every field's size. */
    while (len < (size_t)(pick - 0x80) * 4 && r->n)
        units[len++] = take_u16(r);
    return dup_units(units, len, 1);
}

static const struct nr_ledger_header *header(const uint8_t *image)
{
    return (const void *)image;
}

static const struct nr_ledger_entry *entries(const uint8_t *image)
{
    return (const void *)(image + sizeof(struct nr_ledger_header));
}

/* A field names `name`; NULL reads as "", as the ledger reads it. */
static int same(const nr_char *field, size_t cch, const nr_char *name)
{
    if (!name)
        name = u"";
    return nr_equal_nocase(field, nr_strnlen(field, cch), name, nr_strnlen(name, cch));
}

static size_t server_len(const nr_char *unc)
{
    size_t n = 0;

    while (unc[2 + n] && unc[2 + n] != '\\')
        n++;
    return n;
}

/* After every step: the image is valid, the summary agrees with the
 * entries, sequences are unique, a session has one live entry per device
 * and one live deviceless entry per remote name, and only a live entry
 * added, or rebuilt with a device, vouches. */
static void check_ledger(const struct ledger *l)
{
    const struct nr_ledger_header *hdr = header(l->image);
    const struct nr_ledger_entry *e = entries(l->image);
    struct nr_ledger_summary sum;
    uint32_t i, j, live = 0;

    CHECK(nr_ledger_validate(l->image, l->size, NULL) == NR_LEDGER_OK);
    CHECK(hdr->capacity == l->capacity && hdr->count <= l->capacity);
    for (i = 0; i < hdr->count; i++) {
        live += e[i].state == NR_LEDGER_LIVE;
        CHECK(nr_ledger_vouches(&e[i]) == (e[i].state == NR_LEDGER_LIVE &&
                                           (e[i].origin == NR_LEDGER_ADDED ||
                                            (e[i].origin == NR_LEDGER_REBUILT && e[i].local[0]))));
        for (j = 0; j < i; j++) {
            CHECK(e[i].sequence != e[j].sequence);
            if (e[i].state != NR_LEDGER_LIVE || e[j].state != NR_LEDGER_LIVE ||
                e[i].luid != e[j].luid || !same(e[i].local, NR_LEDGER_LOCAL_CCH, e[j].local))
                continue;
            CHECK(e[i].local[0] == 0);
            CHECK(!same(e[i].remote, NR_LEDGER_REMOTE_CCH, e[j].remote));
        }
    }
    CHECK(nr_ledger_summarize(l->image, l->size, 0, &sum) == NR_LEDGER_OK);
    CHECK(sum.count == hdr->count && sum.live == live && sum.sequence == hdr->sequence);
}

/* An operation on a corrupt image answers so and writes nothing. */
static void check_corrupt(struct ledger *l, const uint8_t *before)
{
    static const nr_char local[] = u"Z:", remote[] = u"\\\\srv\\share";
    struct nr_ledger_entry found;
    struct nr_ledger_summary sum;
    size_t n;

    CHECK(nr_ledger_add(l->image, l->size, 0, local, remote, NULL, 1) == NR_LEDGER_E_CORRUPT);
    CHECK(nr_ledger_cancel_local(l->image, l->size, 0, local, 1) == NR_LEDGER_E_CORRUPT);
    CHECK(nr_ledger_cancel_remote(l->image, l->size, 0, remote, 1) == NR_LEDGER_E_CORRUPT);
    CHECK(nr_ledger_find_local(l->image, l->size, 0, local, &found) == NR_LEDGER_E_CORRUPT);
    CHECK(nr_ledger_find_server(l->image, l->size, 0, remote, NULL, 0, &n) == NR_LEDGER_E_CORRUPT);
    CHECK(nr_ledger_summarize(l->image, l->size, 0, &sum) == NR_LEDGER_E_CORRUPT);
    CHECK(!memcmp(l->image, before, l->size));
}

static void step_add(struct ledger *l, struct reader *r, uint64_t luid, uint64_t time,
                     const uint8_t *before)
{
    nr_char *local = take_name(r, locals, ARRAY_SIZE(locals));
    nr_char *remote = take_name(r, remotes, ARRAY_SIZE(remotes));
    nr_char *user = take_name(r, users, ARRAY_SIZE(users));
    const struct nr_ledger_header *hdr = header(l->image), *old = header(before);
    const struct nr_ledger_entry *e = entries(l->image);
    struct nr_ledger_entry found;
    uint32_t i, live_before = 0;
    size_t n;
    int ret = nr_ledger_add(l->image, l->size, luid, local, remote, user, time);

    CHECK(ret == NR_LEDGER_OK || ret == NR_LEDGER_EVICTED || ret == NR_LEDGER_E_ARG ||
          ret == NR_LEDGER_E_TOO_LONG);
    if (ret < 0) {
        CHECK(!memcmp(l->image, before, l->size));
        goto out;
    }
    CHECK(hdr->sequence == old->sequence + 1);
    for (i = 0; i < old->count; i++)
        live_before += entries(before)[i].state == NR_LEDGER_LIVE;
    /* Eviction only when every slot held a live entry. */
    CHECK(ret != NR_LEDGER_EVICTED || live_before == l->capacity);
    for (i = 0; i < hdr->count && e[i].sequence != hdr->sequence; i++)
        ;
    CHECK(i < hdr->count);
    CHECK(e[i].state == NR_LEDGER_LIVE && e[i].origin == NR_LEDGER_ADDED && e[i].luid == luid &&
          e[i].time_added == time && same(e[i].local, NR_LEDGER_LOCAL_CCH, local) &&
          same(e[i].remote, NR_LEDGER_REMOTE_CCH, remote) &&
          same(e[i].user, NR_LEDGER_USER_CCH, user));
    if (local && local[0]) {
        CHECK(nr_ledger_find_local(l->image, l->size, luid, local, &found) == NR_LEDGER_OK);
        CHECK(found.sequence == hdr->sequence);
    } else {
        CHECK(nr_ledger_find_server(l->image, l->size, luid, remote, NULL, 0, &n) == NR_LEDGER_OK);
        CHECK(n >= 1);
    }
out:
    free(local);
    free(remote);
    free(user);
}

static void step_cancel(struct ledger *l, struct reader *r, enum op op, uint64_t luid,
                        uint64_t time, const uint8_t *before)
{
    nr_char *name = op == OP_CANCEL_LOCAL ? take_name(r, locals, ARRAY_SIZE(locals))
                                          : take_name(r, remotes, ARRAY_SIZE(remotes));
    const struct nr_ledger_header *hdr = header(l->image);
    const struct nr_ledger_entry *e = entries(l->image);
    struct nr_ledger_entry found;
    uint32_t i;
    int ret = op == OP_CANCEL_LOCAL ? nr_ledger_cancel_local(l->image, l->size, luid, name, time)
                                    : nr_ledger_cancel_remote(l->image, l->size, luid, name, time);

    CHECK(ret == NR_LEDGER_OK || ret == NR_LEDGER_E_NOT_FOUND || ret == NR_LEDGER_E_ARG ||
          ret == NR_LEDGER_E_TOO_LONG);
    if (ret < 0)
        CHECK(!memcmp(l->image, before, l->size));
    else if (op == OP_CANCEL_LOCAL)
        CHECK(nr_ledger_find_local(l->image, l->size, luid, name, &found) == NR_LEDGER_E_NOT_FOUND);
    else
        for (i = 0; i < hdr->count; i++)
            CHECK(e[i].state != NR_LEDGER_LIVE || e[i].luid != luid || e[i].local[0] ||
                  !same(e[i].remote, NR_LEDGER_REMOTE_CCH, name));
    free(name);
}

static void step_find(struct ledger *l, struct reader *r, enum op op, uint64_t luid,
                      const uint8_t *before)
{
    nr_char *name = op == OP_FIND_LOCAL ? take_name(r, locals, ARRAY_SIZE(locals))
                                        : take_name(r, remotes, ARRAY_SIZE(remotes));
    const struct nr_ledger_header *hdr = header(l->image);
    const struct nr_ledger_entry *e = entries(l->image);
    struct nr_ledger_entry found[MAX_CAPACITY];
    size_t i, n = 0, expect = 0;
    int ret;

    if (op == OP_FIND_LOCAL) {
        ret = nr_ledger_find_local(l->image, l->size, luid, name, found);
        CHECK(ret == NR_LEDGER_OK || ret == NR_LEDGER_E_NOT_FOUND || ret == NR_LEDGER_E_ARG ||
              ret == NR_LEDGER_E_TOO_LONG);
        CHECK(ret || (found[0].state == NR_LEDGER_LIVE && found[0].luid == luid &&
                      same(found[0].local, NR_LEDGER_LOCAL_CCH, name)));
        for (i = 0; ret == NR_LEDGER_E_NOT_FOUND && i < hdr->count; i++)
            CHECK(e[i].state != NR_LEDGER_LIVE || e[i].luid != luid ||
                  !same(e[i].local, NR_LEDGER_LOCAL_CCH, name));
    } else {
        ret = nr_ledger_find_server(l->image, l->size, luid, name, found, MAX_CAPACITY, &n);
        CHECK(ret == NR_LEDGER_OK || ret == NR_LEDGER_E_ARG || ret == NR_LEDGER_E_TOO_LONG);
        for (i = 0; !ret && i < hdr->count; i++)
            expect += e[i].state == NR_LEDGER_LIVE && e[i].luid == luid &&
                      nr_equal_nocase(e[i].remote + 2, server_len(e[i].remote), name + 2,
                                      server_len(name));
        CHECK(ret || n == expect);
    }
    CHECK(!memcmp(l->image, before, l->size));
    free(name);
}

static void step_rebuild(struct ledger *l, struct reader *r, uint64_t luid, uint64_t time)
{
    struct nr_ledger_conn conns[MAX_CONNS];
    struct nr_ledger_summary sum;
    size_t n = take_u8(r) % (MAX_CONNS + 1), skipped, i;

    for (i = 0; i < n; i++) {
        conns[i].local = take_name(r, locals, ARRAY_SIZE(locals));
        conns[i].remote = take_name(r, remotes, ARRAY_SIZE(remotes));
        conns[i].user = take_name(r, users, ARRAY_SIZE(users));
    }
    CHECK(nr_ledger_rebuild(l->image, l->size, l->capacity, luid, conns, n, time, &skipped) ==
          NR_LEDGER_OK);
    CHECK(nr_ledger_summarize(l->image, l->size, luid, &sum) == NR_LEDGER_OK);
    CHECK(skipped <= n && sum.live == sum.live_in_session && sum.live <= n - skipped);
    /* Every entry rebuilt: the enumeration cannot say which were added. */
    for (i = 0; i < header(l->image)->count; i++)
        CHECK(entries(l->image)[i].origin == NR_LEDGER_REBUILT);
    for (i = 0; i < n; i++) {
        free((void *)conns[i].local);
        free((void *)conns[i].remote);
        free((void *)conns[i].user);
    }
}

/* One byte changed anywhere: either still valid (an unused slot) or
 * refused by every operation, then rebuilt empty. */
static void step_corrupt(struct ledger *l, struct reader *r, uint64_t luid, uint64_t time,
                         uint8_t *scratch)
{
    size_t at = take_u16(r) % l->size;

    l->image[at] ^= take_u8(r) | 1;
    if (nr_ledger_validate(l->image, l->size, NULL) == NR_LEDGER_OK)
        return;
    memcpy(scratch, l->image, l->size);
    check_corrupt(l, scratch);
    CHECK(nr_ledger_rebuild(l->image, l->size, l->capacity, luid, NULL, 0, time, NULL) ==
          NR_LEDGER_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct reader r = { data, size };
    struct ledger l;
    uint8_t *before;
    uint64_t time = 0;

    l.capacity = 1 + take_u8(&r) % MAX_CAPACITY;
    l.size = nr_ledger_size(l.capacity);
    l.image = malloc(l.size);
    before = malloc(l.size);
    CHECK(l.image && before);
    CHECK(nr_ledger_init(l.image, l.size, l.capacity) == NR_LEDGER_OK);
    check_ledger(&l);
    while (r.n) {
        int op = take_u8(&r) % OP_COUNT;
        uint64_t luid = luids[take_u8(&r) % ARRAY_SIZE(luids)];

        time++;
        memcpy(before, l.image, l.size);
        switch (op) {
        case OP_ADD:
            step_add(&l, &r, luid, time, before);
            break;
        case OP_CANCEL_LOCAL:
        case OP_CANCEL_REMOTE:
            step_cancel(&l, &r, op, luid, time, before);
            break;
        case OP_FIND_LOCAL:
        case OP_FIND_SERVER:
            step_find(&l, &r, op, luid, before);
            break;
        case OP_REBUILD:
            step_rebuild(&l, &r, luid, time);
            break;
        case OP_CORRUPT:
            step_corrupt(&l, &r, luid, time, before);
            break;
        }
        check_ledger(&l);
    }
    free(before);
    free(l.image);
    return 0;
}
