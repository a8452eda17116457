/* The ledger validator on arbitrary bytes, then every operation on an image
 * it accepts: finds must agree with the entries, and an operation must leave
 * the image valid, or untouched when it fails.
 *
 * Input: the image, copied to an 8-byte aligned buffer of its exact size. A
 * checksum field of 0 is replaced by the right checksum when the header says
 * how far it reaches, so that the fuzzer gets past it to the entries; any
 * other value is kept and checked. */
#include "fuzz.h"
#include "netreclaim/ledger.h"
#include "netreclaim/nrstr.h"

#define HEADER sizeof(struct nr_ledger_header)
#define ENTRY sizeof(struct nr_ledger_entry)
#define CHECKSUM_AT 32
#define TIME 0x01d9000000000000u

static const nr_char new_local[] = u"Q:";
static const nr_char new_remote[] = u"\\\\fuzz\\share";
static const nr_char new_user[] = u"DOM\\fuzz";

/* FNV-1a 32, restated from ledger.h rather than borrowed from the core. */
static uint32_t fnv1a(uint32_t hash, const uint8_t *p, size_t size)
{
    while (size--) {
        hash ^= *p++;
        hash *= 16777619u;
    }
    return hash;
}

static void fill_checksum(uint8_t *image, size_t size)
{
    struct nr_ledger_header hdr;
    uint32_t sum;

    if (size < HEADER)
        return;
    memcpy(&hdr, image, HEADER);
    if (hdr.checksum || hdr.count > hdr.capacity || hdr.capacity > NR_LEDGER_CAPACITY ||
        size < nr_ledger_size(hdr.capacity))
        return;
    sum = fnv1a(fnv1a(2166136261u, image, HEADER), image + HEADER, (size_t)hdr.count * ENTRY);
    memcpy(image + CHECKSUM_AT, &sum, sizeof(sum));
}

static int count_visit(void *ctx, const struct nr_ledger_entry *entry)
{
    (void)entry;
    ++*(uint32_t *)ctx;
    return 0;
}

/* Read-only operations: they agree with the entries and write nothing. */
static void check_finds(uint8_t *image, size_t size)
{
    const struct nr_ledger_header *hdr = (const void *)image;
    const struct nr_ledger_entry *entries = (const void *)(image + HEADER);
    struct nr_ledger_summary sum;
    struct nr_ledger_entry found, *all;
    uint8_t *snapshot = malloc(size);
    uint32_t i, visits = 0;
    size_t n, again;

    CHECK(snapshot);
    memcpy(snapshot, image, size);
    CHECK(nr_ledger_summarize(image, size, hdr->count ? entries[0].luid : 0, &sum) == NR_LEDGER_OK);
    CHECK(sum.count == hdr->count && sum.capacity == hdr->capacity &&
          sum.live + sum.cancelled == sum.count && sum.live_in_session <= sum.live);
    CHECK(nr_ledger_walk(image, size, count_visit, &visits) == NR_LEDGER_OK);
    CHECK(visits == hdr->count);

    for (i = 0; i < hdr->count; i++) {
        const struct nr_ledger_entry *e = &entries[i];

        /* Only a live entry vouches, and a rebuilt one only with a device. */
        CHECK(e->origin == NR_LEDGER_ADDED || e->origin == NR_LEDGER_REBUILT);
        CHECK(nr_ledger_vouches(e) ==
              (e->state == NR_LEDGER_LIVE && (e->origin == NR_LEDGER_ADDED || e->local[0])));
        if (e->state != NR_LEDGER_LIVE)
            continue;
        if (e->local[0]) {
            CHECK(nr_ledger_find_local(image, size, e->luid, e->local, &found) == NR_LEDGER_OK);
            CHECK(found.state == NR_LEDGER_LIVE && found.luid == e->luid &&
                  nr_equal_nocase(found.local, nr_strnlen(found.local, NR_LEDGER_LOCAL_CCH),
                                  e->local, nr_strnlen(e->local, NR_LEDGER_LOCAL_CCH)));
        }
        CHECK(nr_ledger_find_server(image, size, e->luid, e->remote, NULL, 0, &n) == NR_LEDGER_OK);
        CHECK(n >= 1 && n <= sum.live);
        all = malloc(n * sizeof(*all));
        CHECK(all);
        CHECK(nr_ledger_find_server(image, size, e->luid, e->remote, all, n, &again) ==
              NR_LEDGER_OK);
        CHECK(again == n);
        while (again--)
            CHECK(all[again].state == NR_LEDGER_LIVE && all[again].luid == e->luid);
        free(all);
    }
    CHECK(!memcmp(snapshot, image, size));
    free(snapshot);
}

/* A failed operation wrote nothing; a successful one left the image valid. */
static void check_mutation(int ret, const uint8_t *image, const uint8_t *before, size_t size)
{
    if (ret < 0)
        CHECK(!memcmp(image, before, size));
    else
        CHECK(nr_ledger_validate(image, size, NULL) == NR_LEDGER_OK);
}

/* Cancel and re-add one entry's connection (a copy: the operations rewrite
 * the image it came from), then add one of our own. */
static void check_mutations(uint8_t *image, size_t size, const struct nr_ledger_entry *e)
{
    uint8_t *before = malloc(size);
    struct nr_ledger_entry found;

    CHECK(before);
    if (e) {
        memcpy(before, image, size);
        check_mutation(nr_ledger_cancel_local(image, size, e->luid, e->local, TIME), image, before,
                       size);
        memcpy(before, image, size);
        check_mutation(nr_ledger_cancel_remote(image, size, e->luid, e->remote, TIME), image,
                       before, size);
        memcpy(before, image, size);
        check_mutation(nr_ledger_add(image, size, e->luid, e->local, e->remote, e->user, TIME),
                       image, before, size);
    }
    memcpy(before, image, size);
    check_mutation(nr_ledger_add(image, size, 0, new_local, new_remote, new_user, TIME), image,
                   before, size);
    /* What an add records, it saw: origin added, whatever was there before. */
    if (nr_ledger_find_local(image, size, 0, new_local, &found) == NR_LEDGER_OK)
        CHECK(found.origin == NR_LEDGER_ADDED && nr_ledger_vouches(&found));
    check_finds(image, size);
    free(before);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *image = malloc(size);
    enum nr_ledger_fault fault;
    struct nr_ledger_entry first;
    int ret;

    CHECK(image && (uintptr_t)image % 8 == 0);
    if (size)
        memcpy(image, data, size);
    fill_checksum(image, size);

    ret = nr_ledger_validate(image, size, &fault);
    CHECK((ret == NR_LEDGER_OK) == (fault == NR_LEDGER_FAULT_NONE));
    CHECK(fault >= NR_LEDGER_FAULT_NONE && fault <= NR_LEDGER_FAULT_ORIGIN);
    if (size > 1) {
        CHECK(nr_ledger_validate(image + 1, size - 1, &fault) == NR_LEDGER_E_CORRUPT);
        CHECK(fault == NR_LEDGER_FAULT_ALIGN || fault == NR_LEDGER_FAULT_SIZE);
    }
    if (ret == NR_LEDGER_OK) {
        uint32_t count = ((const struct nr_ledger_header *)(const void *)image)->count;

        check_finds(image, size);
        if (count)
            memcpy(&first, image + HEADER, ENTRY);
        check_mutations(image, size, count ? &first : NULL);
    }
    free(image);
    return 0;
}
