/* authid.c: the user of an NPAddConnection4 auth buffer, from the two shapes
 * read, and nothing from anything else (truncated, stray pointers, odd
 * lengths, other versions). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "netreclaim/authid.h"

static int equals(const nr_char *a, const nr_char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* An EX2 buffer: header, then domain, user and a password. */
static size_t make_ex2(unsigned char *buf, const nr_char *domain, const nr_char *user)
{
    const uint32_t version = 0x201, flags = 0x2;
    const uint16_t header = 48, dlen = (uint16_t)(2 * (domain ? 3 : 0)), ulen = 10;
    uint32_t doff = 48, uoff = 48 + dlen, poff = uoff + ulen, total = poff + 4;
    const uint16_t plen = 4;

    memset(buf, 0, 128);
    memcpy(buf + 0, &version, 4);
    memcpy(buf + 4, &header, 2);
    memcpy(buf + 8, &total, 4);
    memcpy(buf + 12, &uoff, 4);
    memcpy(buf + 16, &ulen, 2);
    memcpy(buf + 20, &doff, 4);
    memcpy(buf + 24, &dlen, 2);
    memcpy(buf + 28, &poff, 4);
    memcpy(buf + 32, &plen, 2);
    memcpy(buf + 36, &flags, 4);
    if (domain)
        memcpy(buf + doff, domain, dlen);
    memcpy(buf + uoff, user, ulen);
    memcpy(buf + poff, u"pw", 4);
    return total;
}

static void ex2_user_and_domain(void **state)
{
    unsigned char buf[128];
    nr_char out[64];
    size_t n = make_ex2(buf, u"DOM", u"alice");

    (void)state;
    assert_true(nr_auth_user(buf, n, out, 64));
    assert_true(equals(out, u"DOM\\alice"));
    n = make_ex2(buf, NULL, u"alice");
    assert_true(nr_auth_user(buf, n, out, 64));
    assert_true(equals(out, u"alice"));
}

static void ex2_refused_when_out_of_bounds(void **state)
{
    unsigned char buf[128];
    nr_char out[64];
    size_t n = make_ex2(buf, u"DOM", u"alice");
    uint32_t far = 1000;
    uint16_t odd = 9;

    (void)state;
    assert_false(nr_auth_user(buf, n - 1, out, 64)); /* structure longer than the buffer */
    assert_int_equal(out[0], 0);
    assert_false(nr_auth_user(buf, 40, out, 64)); /* shorter than the header */
    assert_false(nr_auth_user(buf, n, out, 9));   /* "DOM\alice" does not fit */
    memcpy(buf + 12, &far, 4);
    assert_false(nr_auth_user(buf, n, out, 64));
    make_ex2(buf, u"DOM", u"alice");
    memcpy(buf + 16, &odd, 2);
    assert_false(nr_auth_user(buf, n, out, 64));
}

/* A length that takes in a NUL: "DO\0" as the domain once gave "DO", the user
 * lost behind it (fuzz_authid, regressions/authid/nul_in_user). */
static void ex2_nul_inside_a_name_refused(void **state)
{
    unsigned char buf[128];
    nr_char out[64];
    size_t n = make_ex2(buf, u"DO", u"alice");

    (void)state;
    assert_false(nr_auth_user(buf, n, out, 64));
    assert_int_equal(out[0], 0);
    n = make_ex2(buf, u"DOM", u"al\0ce");
    assert_false(nr_auth_user(buf, n, out, 64));
    assert_int_equal(out[0], 0);
}

struct packed_ex {
    struct nr_auth_identity_ex id;
    nr_char strings[32];
};

static void ex_packed_pointers_inside(void **state)
{
    struct packed_ex b;
    nr_char out[64];

    (void)state;
    memset(&b, 0, sizeof(b));
    memcpy(b.strings, u"DOM\0bob\0pw", 22);
    b.id.version = 0x200;
    b.id.length = sizeof(b.id);
    b.id.flags = 0x2;
    b.id.domain = b.strings;
    b.id.domain_length = 3;
    b.id.user = b.strings + 4;
    b.id.user_length = 3;
    b.id.password = b.strings + 8;
    b.id.password_length = 2;
    assert_true(nr_auth_user(&b, sizeof(b), out, 64));
    assert_true(equals(out, u"DOM\\bob"));

    /* A pointer outside the buffer is never followed. */
    b.id.user = u"eve";
    assert_false(nr_auth_user(&b, sizeof(b), out, 64));
    b.id.user = b.strings + 4;
    b.id.user_length = 40;
    assert_false(nr_auth_user(&b, sizeof(b), out, 64));
    b.id.user_length = 3;
    b.id.domain_length = 4; /* "DOM\0" */
    assert_false(nr_auth_user(&b, sizeof(b), out, 64));
    b.id.domain_length = 3;
    b.id.flags = 0x1; /* ANSI */
    assert_false(nr_auth_user(&b, sizeof(b), out, 64));
}

static void other_shapes_are_opaque(void **state)
{
    unsigned char buf[64];
    nr_char out[8] = { 'x' };

    (void)state;
    memset(buf, 0xa5, sizeof(buf));
    assert_false(nr_auth_user(buf, sizeof(buf), out, 8));
    assert_int_equal(out[0], 0);
    assert_false(nr_auth_user(NULL, 0, out, 8));
    assert_false(nr_auth_user(buf, 4, out, 8));
    assert_false(nr_auth_user(buf, sizeof(buf), NULL, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ex2_user_and_domain),
        cmocka_unit_test(ex2_refused_when_out_of_bounds),
        cmocka_unit_test(ex2_nul_inside_a_name_refused),
        cmocka_unit_test(ex_packed_pointers_inside),
        cmocka_unit_test(other_shapes_are_opaque),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
