/* Validation of a ledger image and the name rules behind it. The image comes
 * from a section any process of the session can write, so nothing in it is
 * read before the bytes holding it are known to be inside `size`. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "netreclaim/nrstr.h"
#include "ledger_check.h"

_Static_assert(sizeof(struct nr_ledger_header) == 64, "header layout");
_Static_assert(offsetof(struct nr_ledger_header, checksum) == 32, "header layout");
_Static_assert(offsetof(struct nr_ledger_entry, state) == 32, "entry layout");
_Static_assert(offsetof(struct nr_ledger_entry, origin) == 36, "entry layout");
_Static_assert(offsetof(struct nr_ledger_entry, local) == 40, "entry layout");
_Static_assert(offsetof(struct nr_ledger_entry, remote) == 72, "entry layout");
_Static_assert(offsetof(struct nr_ledger_entry, user) == 752, "entry layout");
_Static_assert(sizeof(struct nr_ledger_entry) == 1312, "entry layout");

static int is_alnum(nr_char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* "" (deviceless), or a device name: "Z:", "LPT1:", "LPT1". */
int ledger_local_ok(const nr_char *s, size_t len)
{
    size_t i, body = (len && s[len - 1] == ':') ? len - 1 : len;

    if (!len)
        return 1;
    if (!body || len >= NR_LEDGER_LOCAL_CCH)
        return 0;
    for (i = 0; i < body; i++)
        if (!is_alnum(s[i]))
            return 0;
    return 1;
}

size_t ledger_server_len(const nr_char *unc, size_t len)
{
    size_t i = 2;

    if (len < 3 || unc[0] != '\\' || unc[1] != '\\')
        return 0;
    while (i < len && unc[i] != '\\')
        i++;
    return i - 2;
}

/* \\server\share, optionally followed by \path components; no empty
 * component, no control character. */
int ledger_remote_ok(const nr_char *s, size_t len)
{
    size_t i, components = 0, start = 2;

    if (len >= NR_LEDGER_REMOTE_CCH || !ledger_server_len(s, len))
        return 0;
    for (i = 2; i <= len; i++) {
        if (i < len && s[i] < 0x20)
            return 0;
        if (i < len && s[i] != '\\')
            continue;
        if (i == start)
            return 0;
        components++;
        start = i + 1;
    }
    return components >= 2;
}

int ledger_user_ok(const nr_char *s, size_t len)
{
    size_t i;

    if (len >= NR_LEDGER_USER_CCH)
        return 0;
    for (i = 0; i < len; i++)
        if (s[i] < 0x20)
            return 0;
    return 1;
}

/* A string field: NUL-terminated, zero to its end, of the right shape. */
static int field_ok(const nr_char *field, size_t cch, int (*shape_ok)(const nr_char *, size_t))
{
    size_t i, len = nr_strnlen(field, cch);

    if (len == cch)
        return 0;
    for (i = len; i < cch; i++)
        if (field[i])
            return 0;
    return shape_ok(field, len);
}

static uint32_t fnv1a(uint32_t hash, const void *data, size_t size)
{
    const unsigned char *p = data;
    size_t i;

    for (i = 0; i < size; i++) {
        hash ^= p[i];
        hash *= 16777619u;
    }
    return hash;
}

uint32_t ledger_checksum(const void *image)
{
    struct nr_ledger_header hdr;

    memcpy(&hdr, image, sizeof(hdr));
    hdr.checksum = 0;
    return fnv1a(fnv1a(2166136261u, &hdr, sizeof(hdr)), ledger_const_entries(image),
                 (size_t)hdr.count * sizeof(struct nr_ledger_entry));
}

static enum nr_ledger_fault check_header(const struct nr_ledger_header *hdr, size_t size)
{
    size_t i;

    if (hdr->magic != NR_LEDGER_MAGIC)
        return NR_LEDGER_FAULT_MAGIC;
    if (hdr->version != NR_LEDGER_VERSION)
        return NR_LEDGER_FAULT_VERSION;
    if (hdr->header_size != sizeof(struct nr_ledger_header) ||
        hdr->entry_size != sizeof(struct nr_ledger_entry))
        return NR_LEDGER_FAULT_LAYOUT;
    if (!hdr->capacity || hdr->capacity > NR_LEDGER_CAPACITY)
        return NR_LEDGER_FAULT_CAPACITY;
    if (size < nr_ledger_size(hdr->capacity))
        return NR_LEDGER_FAULT_SIZE;
    if (hdr->count > hdr->capacity)
        return NR_LEDGER_FAULT_COUNT;
    /* Reserved: the next add would hand out sequence 0 (nr_ledger_add stops
     * one short of it). */
    if (hdr->sequence == UINT64_MAX)
        return NR_LEDGER_FAULT_SEQUENCE;
    for (i = 0; i < sizeof(hdr->reserved) / sizeof(hdr->reserved[0]); i++)
        if (hdr->reserved[i])
            return NR_LEDGER_FAULT_RESERVED;
    return NR_LEDGER_FAULT_NONE;
}

static enum nr_ledger_fault check_entry(const struct nr_ledger_entry *e, uint64_t sequence)
{
    if (e->state != NR_LEDGER_LIVE && e->state != NR_LEDGER_CANCELLED)
        return NR_LEDGER_FAULT_STATE;
    if (e->state == NR_LEDGER_LIVE && e->time_cancelled)
        return NR_LEDGER_FAULT_STATE;
    if (!e->sequence || e->sequence > sequence)
        return NR_LEDGER_FAULT_SEQUENCE;
    /* Whether an entry vouches hangs on it: nothing but the two known. */
    if (e->origin != NR_LEDGER_ADDED && e->origin != NR_LEDGER_REBUILT)
        return NR_LEDGER_FAULT_ORIGIN;
    if (!field_ok(e->local, NR_LEDGER_LOCAL_CCH, ledger_local_ok) ||
        !field_ok(e->remote, NR_LEDGER_REMOTE_CCH, ledger_remote_ok) ||
        !field_ok(e->user, NR_LEDGER_USER_CCH, ledger_user_ok))
        return NR_LEDGER_FAULT_STRING;
    return NR_LEDGER_FAULT_NONE;
}

static enum nr_ledger_fault check_image(const void *image, size_t size)
{
    const struct nr_ledger_header *hdr = image;
    enum nr_ledger_fault fault;
    uint32_t i;

    if (!image || size < sizeof(*hdr))
        return NR_LEDGER_FAULT_SIZE;
    if ((uintptr_t)image % LEDGER_ALIGN)
        return NR_LEDGER_FAULT_ALIGN;
    if ((fault = check_header(hdr, size)))
        return fault;
    for (i = 0; i < hdr->count; i++)
        if ((fault = check_entry(&ledger_const_entries(image)[i], hdr->sequence)))
            return fault;
    if (hdr->checksum != ledger_checksum(image))
        return NR_LEDGER_FAULT_CHECKSUM;
    return NR_LEDGER_FAULT_NONE;
}

size_t nr_ledger_size(uint32_t capacity)
{
    return sizeof(struct nr_ledger_header) + (size_t)capacity * sizeof(struct nr_ledger_entry);
}

int nr_ledger_validate(const void *image, size_t size, enum nr_ledger_fault *fault)
{
    enum nr_ledger_fault found = check_image(image, size);

    if (fault)
        *fault = found;
    return found == NR_LEDGER_FAULT_NONE ? NR_LEDGER_OK : NR_LEDGER_E_CORRUPT;
}
