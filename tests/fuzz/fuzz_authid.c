/* The user name in an NPAddConnection4 auth buffer: nr_auth_user.
 *
 * Input: a control byte (bit 0: the buffer at an odd address; bit 1: the
 * user and domain pointers of an EXW buffer, taken as signed 32-bit offsets
 * from the buffer's start, made into pointers, so that a packed copy is
 * within reach and a pointer just before or past the buffer too), a 16-bit
 * little-endian output capacity (up to MAX_CCH - 1 units), then the buffer.
 *
 * The buffer and every output are exact heap allocations, so ASan sees a
 * read or a write past one. The answer is checked against authid.h's
 * contract, restated here from the two layouts: a name only from a buffer of
 * one of the two shapes whose user (and domain, when it has one) lies wholly
 * inside it, and then exactly "DOMAIN\user" or "user". */
#include "fuzz.h"
#include "netreclaim/authid.h"
#include "netreclaim/nrstr.h"

#define ODD_ADDRESS 0x1u
#define AIM_POINTERS 0x2u
#define MAX_CCH 1024
#define POISON 0xdeadu
#define FLIP 0xffu

/* Units at a byte offset of the buffer. */
struct span {
    size_t off, len;
};

struct names {
    struct span domain, user;
};

static uint32_t u32_at(const uint8_t *p, size_t off)
{
    uint32_t v;

    memcpy(&v, p + off, sizeof(v));
    return v;
}

static uint16_t u16_at(const uint8_t *p, size_t off)
{
    uint16_t v;

    memcpy(&v, p + off, sizeof(v));
    return v;
}

/* `bytes` at `off`, whole units, all within the first `limit` bytes. */
static bool span_of(size_t off, size_t bytes, size_t limit, struct span *s)
{
    if (bytes % sizeof(nr_char) || off > limit || bytes > limit - off)
        return false;
    s->off = off;
    s->len = bytes / sizeof(nr_char);
    return true;
}

static bool pointer_span(const uint8_t *buf, size_t size, const nr_char *p, uint32_t len,
                         struct span *s)
{
    const uintptr_t at = (uintptr_t)p, base = (uintptr_t)buf;

    return at >= base && span_of(at - base, (size_t)len * sizeof(nr_char), size, s);
}

static bool has_nul(const uint8_t *buf, struct span s)
{
    size_t i;

    for (i = 0; i < s.len; i++)
        if (!u16_at(buf, s.off + i * sizeof(nr_char)))
            return true;
    return false;
}

/* EX2: a header of at least NR_AUTH_EX2_SIZE, a structure length within the buffer,
 * the names within the structure. */
static bool ex2_names(const uint8_t *buf, size_t size, struct names *n)
{
    size_t total;

    if (size < NR_AUTH_EX2_SIZE)
        return false;
    total = u32_at(buf, NR_AUTH_EX2_STRUCTURE_LENGTH);
    if (u16_at(buf, NR_AUTH_EX2_HEADER_LENGTH) < NR_AUTH_EX2_SIZE || total < NR_AUTH_EX2_SIZE ||
        total > size)
        return false;
    return span_of(u32_at(buf, NR_AUTH_EX2_USER_OFFSET), u16_at(buf, NR_AUTH_EX2_USER_OFFSET + 4),
                   total, &n->user) &&
           (!u16_at(buf, NR_AUTH_EX2_DOMAIN_OFFSET + 4) ||
            span_of(u32_at(buf, NR_AUTH_EX2_DOMAIN_OFFSET),
                    u16_at(buf, NR_AUTH_EX2_DOMAIN_OFFSET + 4), total, &n->domain));
}

/* EXW: this build's size, Unicode, pointers to names within the buffer. */
static bool ex_names(const uint8_t *buf, size_t size, struct names *n)
{
    struct nr_auth_identity_ex id;

    if (size < sizeof(id))
        return false;
    memcpy(&id, buf, sizeof(id));
    return id.length == sizeof(id) && (id.flags & NR_AUTH_UNICODE) &&
           pointer_span(buf, size, id.user, id.user_length, &n->user) &&
           (!id.domain_length || pointer_span(buf, size, id.domain, id.domain_length, &n->domain));
}

/* The names authid.h promises to return; false when it promises failure. A
 * name holding a NUL would not come out as "DOMAIN\user", nor would an empty
 * user name a user. */
static bool expected_names(const uint8_t *buf, size_t size, struct names *n)
{
    bool shaped = false;

    memset(n, 0, sizeof(*n));
    if (size >= sizeof(uint32_t) && u32_at(buf, 0) == NR_AUTH_EX2_VERSION)
        shaped = ex2_names(buf, size, n);
    else if (size >= sizeof(uint32_t) && u32_at(buf, 0) == NR_AUTH_EX_VERSION)
        shaped = ex_names(buf, size, n);
    return shaped && n->user.len && !has_nul(buf, n->user) && !has_nul(buf, n->domain);
}

static void aim_pointer(uint8_t *buf, size_t field)
{
    int32_t off;
    const nr_char *p;

    memcpy(&off, buf + field, sizeof(off));
    p = (const nr_char *)((uintptr_t)buf + (uintptr_t)(intptr_t)off);
    memcpy(buf + field, &p, sizeof(p));
}

static void aim_pointers(uint8_t *buf, size_t size)
{
    if (size < sizeof(struct nr_auth_identity_ex) || u32_at(buf, 0) != NR_AUTH_EX_VERSION)
        return;
    aim_pointer(buf, offsetof(struct nr_auth_identity_ex, user));
    aim_pointer(buf, offsetof(struct nr_auth_identity_ex, domain));
}

static void mark(uint8_t *mask, size_t size, size_t off, size_t bytes)
{
    while (bytes-- && off < size)
        mask[off++] = 1;
}

static void mark_pointer(uint8_t *mask, const uint8_t *buf, size_t size, const nr_char *p,
                         uint32_t len)
{
    if ((uintptr_t)p >= (uintptr_t)buf)
        mark(mask, size, (uintptr_t)p - (uintptr_t)buf, (size_t)len * sizeof(nr_char));
}

/* What nr_auth_user has reason to read: the version, the fields of its
 * shape that place the names, and the names. Never the password. */
static void mark_read(uint8_t *mask, const uint8_t *buf, size_t size)
{
    struct nr_auth_identity_ex id;

    mark(mask, size, 0, sizeof(uint32_t));
    if (size >= NR_AUTH_EX2_SIZE && u32_at(buf, 0) == NR_AUTH_EX2_VERSION) {
        mark(mask, size, NR_AUTH_EX2_HEADER_LENGTH, sizeof(uint16_t));
        mark(mask, size, NR_AUTH_EX2_STRUCTURE_LENGTH, sizeof(uint32_t));
        mark(mask, size, NR_AUTH_EX2_USER_OFFSET, sizeof(uint32_t) + sizeof(uint16_t));
        mark(mask, size, NR_AUTH_EX2_DOMAIN_OFFSET, sizeof(uint32_t) + sizeof(uint16_t));
        mark(mask, size, u32_at(buf, NR_AUTH_EX2_USER_OFFSET),
             u16_at(buf, NR_AUTH_EX2_USER_OFFSET + 4));
        mark(mask, size, u32_at(buf, NR_AUTH_EX2_DOMAIN_OFFSET),
             u16_at(buf, NR_AUTH_EX2_DOMAIN_OFFSET + 4));
    } else if (size >= sizeof(id) && u32_at(buf, 0) == NR_AUTH_EX_VERSION) {
        memcpy(&id, buf, sizeof(id));
        mark(mask, size, offsetof(struct nr_auth_identity_ex, length), sizeof(id.length));
        mark(mask, size, offsetof(struct nr_auth_identity_ex, user), sizeof(id.user));
        mark(mask, size, offsetof(struct nr_auth_identity_ex, user_length), sizeof(id.user_length));
        mark(mask, size, offsetof(struct nr_auth_identity_ex, domain), sizeof(id.domain));
        mark(mask, size, offsetof(struct nr_auth_identity_ex, domain_length),
             sizeof(id.domain_length));
        mark(mask, size, offsetof(struct nr_auth_identity_ex, flags), sizeof(id.flags));
        mark_pointer(mask, buf, size, id.user, id.user_length);
        mark_pointer(mask, buf, size, id.domain, id.domain_length);
    }
}

static void poison(nr_char *out, size_t cch)
{
    while (cch)
        out[--cch] = POISON;
}

/* One call into a poisoned output of exactly `cch` units: "" after a
 * failure (when there is room for it), a name NUL-terminated within `cch`
 * after a success. */
static bool ask(const uint8_t *buf, size_t size, nr_char *out, size_t cch)
{
    bool ok;

    poison(out, cch);
    ok = nr_auth_user(buf, size, out, cch);
    if (ok)
        CHECK(cch && nr_strnlen(out, cch) < cch);
    else
        CHECK(!cch || !out[0]);
    return ok;
}

/* A success is exactly "DOMAIN\user" (or "user") from the expected names. */
static void check_names(const uint8_t *buf, const struct names *n, const nr_char *name, size_t cch)
{
    const size_t prefix = n->domain.len + (n->domain.len ? 1 : 0);

    CHECK(nr_strnlen(name, cch) == prefix + n->user.len);
    CHECK(!memcmp(name, buf + n->domain.off, n->domain.len * sizeof(nr_char)));
    CHECK(!n->domain.len || name[n->domain.len] == '\\');
    CHECK(!memcmp(name + prefix, buf + n->user.off, n->user.len * sizeof(nr_char)));
}

/* Through `cch` units: the same name when it fits, a failure with "" (no
 * truncated name) when it does not, a failure when there is none. */
static void check_capacity(const uint8_t *buf, size_t size, bool named, const nr_char *name,
                           size_t name_cch, size_t cch)
{
    nr_char *out = malloc(cch * sizeof(nr_char));
    const size_t len = named ? nr_strnlen(name, name_cch) : 0;
    bool ok;

    CHECK(out || !cch);
    ok = ask(buf, size, out, cch);
    CHECK(ok == (named && cch > len));
    if (ok)
        CHECK(!memcmp(out, name, (len + 1) * sizeof(nr_char)));
    free(out);
}

/* Every byte nr_auth_user has no reason to read inverted, in place (so this
 * comes last): the answer, and all it wrote, stay the same. */
static void check_unread(uint8_t *buf, size_t size, bool named, const nr_char *name, size_t cch)
{
    uint8_t *mask = calloc(size + 1, 1);
    nr_char *out = malloc(cch * sizeof(nr_char));
    size_t i;

    CHECK(mask && out);
    mark_read(mask, buf, size);
    for (i = 0; i < size; i++)
        if (!mask[i])
            buf[i] ^= FLIP;
    CHECK(ask(buf, size, out, cch) == named);
    CHECK(!memcmp(out, name, cch * sizeof(nr_char)));
    free(mask);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct reader r = { data, size };
    const uint8_t control = take_u8(&r);
    const size_t cch = take_u16(&r) % MAX_CCH;
    const size_t shift = control & ODD_ADDRESS ? 1 : 0;
    /* Room for any name: two spans of at most half the buffer each, the
     * '\' and the NUL. */
    const size_t roomy = r.n + 2;
    uint8_t *block = malloc(shift + r.n);
    uint8_t *buf = block + shift;
    nr_char *name = malloc(roomy * sizeof(nr_char));
    nr_char *again = malloc(roomy * sizeof(nr_char));
    struct names expected;
    bool named, expect;
    size_t len;

    CHECK(block && name && again);
    if (r.n)
        memcpy(buf, r.p, r.n);
    if (control & AIM_POINTERS)
        aim_pointers(buf, r.n);

    expect = expected_names(buf, r.n, &expected);
    named = ask(buf, r.n, name, roomy);
    CHECK(named == expect);
    if (named)
        check_names(buf, &expected, name, roomy);

    CHECK(ask(buf, r.n, again, roomy) == named);
    CHECK(!memcmp(again, name, roomy * sizeof(nr_char)));

    check_capacity(buf, r.n, named, name, roomy, cch);
    if (named) {
        len = nr_strnlen(name, roomy);
        check_capacity(buf, r.n, named, name, roomy, len);
        check_capacity(buf, r.n, named, name, roomy, len + 1);
    }
    check_unread(buf, r.n, named, name, roomy);

    free(block);
    free(name);
    free(again);
    return 0;
}
