/* Reading the user out of an NPAddConnection4 auth buffer (authid.h). Every
 * field is read with memcpy: the buffer need not be aligned. */
#include <stdint.h>
#include <string.h>
#include "netreclaim/authid.h"

static uint32_t u32_at(const unsigned char *p, size_t off)
{
    uint32_t v;

    memcpy(&v, p + off, sizeof(v));
    return v;
}

static uint16_t u16_at(const unsigned char *p, size_t off)
{
    uint16_t v;

    memcpy(&v, p + off, sizeof(v));
    return v;
}

/* A span of `len` units at byte `off`, inside `size` bytes. */
static bool inside(size_t size, size_t off, size_t len)
{
    return off <= size && len <= (size - off) / sizeof(nr_char);
}

/* A NUL among the `len` units at byte `off`: the name would come out cut
 * short ("DOM\0" would hide the user behind it), so it is not read. */
static bool holds_nul(const unsigned char *buf, size_t off, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (!u16_at(buf, off + i * sizeof(nr_char)))
            return true;
    return false;
}

/* "domain\user" from spans of buf; false if empty, holding a NUL, or it does
 * not fit. */
static bool compose(const unsigned char *buf, size_t domain_off, size_t domain_len, size_t user_off,
                    size_t user_len, nr_char *out, size_t cch)
{
    const size_t need = domain_len + (domain_len ? 1 : 0) + user_len + 1;
    size_t n = 0;

    if (!user_len || need > cch || holds_nul(buf, domain_off, domain_len) ||
        holds_nul(buf, user_off, user_len))
        return false;
    if (domain_len) {
        memcpy(out, buf + domain_off, domain_len * sizeof(nr_char));
        n = domain_len;
        out[n++] = '\\';
    }
    memcpy(out + n, buf + user_off, user_len * sizeof(nr_char));
    out[n + user_len] = 0;
    return true;
}

static bool read_ex2(const unsigned char *buf, size_t size, nr_char *out, size_t cch)
{
    size_t total, user_off, user_bytes, domain_off, domain_bytes;

    if (size < NR_AUTH_EX2_SIZE)
        return false;
    total = u32_at(buf, NR_AUTH_EX2_STRUCTURE_LENGTH);
    user_off = u32_at(buf, NR_AUTH_EX2_USER_OFFSET);
    user_bytes = u16_at(buf, NR_AUTH_EX2_USER_OFFSET + 4);
    domain_off = u32_at(buf, NR_AUTH_EX2_DOMAIN_OFFSET);
    domain_bytes = u16_at(buf, NR_AUTH_EX2_DOMAIN_OFFSET + 4);
    if (u16_at(buf, NR_AUTH_EX2_HEADER_LENGTH) < NR_AUTH_EX2_SIZE || total < NR_AUTH_EX2_SIZE ||
        total > size || user_bytes % sizeof(nr_char) || domain_bytes % sizeof(nr_char) ||
        !inside(total, user_off, user_bytes / sizeof(nr_char)) ||
        (domain_bytes && !inside(total, domain_off, domain_bytes / sizeof(nr_char))))
        return false;
    return compose(buf, domain_off, domain_bytes / sizeof(nr_char), user_off,
                   user_bytes / sizeof(nr_char), out, cch);
}

/* Offset of a pointer into buf, or SIZE_MAX if it points elsewhere. */
static size_t offset_of(const unsigned char *buf, size_t size, const nr_char *p)
{
    const uintptr_t at = (uintptr_t)p, base = (uintptr_t)buf;

    return at >= base && at - base <= size ? (size_t)(at - base) : SIZE_MAX;
}

static bool read_ex(const unsigned char *buf, size_t size, nr_char *out, size_t cch)
{
    struct nr_auth_identity_ex id;
    size_t user_off, domain_off = 0;

    if (size < sizeof(id))
        return false;
    memcpy(&id, buf, sizeof(id));
    if (id.length != sizeof(id) || !(id.flags & NR_AUTH_UNICODE) || !id.user)
        return false;
    user_off = offset_of(buf, size, id.user);
    if (user_off == SIZE_MAX || !inside(size, user_off, id.user_length))
        return false;
    if (id.domain_length) {
        domain_off = offset_of(buf, size, id.domain);
        if (!id.domain || domain_off == SIZE_MAX || !inside(size, domain_off, id.domain_length))
            return false;
    }
    return compose(buf, domain_off, id.domain_length, user_off, id.user_length, out, cch);
}

bool nr_auth_user(const void *buf, size_t size, nr_char *user, size_t cch)
{
    const unsigned char *p = buf;
    bool ok = false;

    if (!user || !cch)
        return false;
    user[0] = 0;
    if (!p || size < 2 * sizeof(uint32_t))
        return false;
    if (u32_at(p, 0) == NR_AUTH_EX2_VERSION)
        ok = read_ex2(p, size, user, cch);
    else if (u32_at(p, 0) == NR_AUTH_EX_VERSION)
        ok = read_ex(p, size, user, cch);
    if (!ok)
        user[0] = 0;
    return ok;
}
