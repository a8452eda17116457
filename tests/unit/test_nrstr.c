/* nrstr.c: lengths and case folding. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "netreclaim/nrstr.h"

static void test_strnlen(void **state)
{
    static const nr_char s[] = u"abc";

    (void)state;
    assert_int_equal(nr_strnlen(s, 10), 3);
    assert_int_equal(nr_strnlen(s, 3), 3);
    assert_int_equal(nr_strnlen(s, 2), 2);
    assert_int_equal(nr_strnlen(s, 0), 0);
    assert_int_equal(nr_strnlen(u"", 5), 0);
}

static void test_upcase(void **state)
{
    static const struct {
        nr_char in, out;
    } table[] = {
        { 'a', 'A' },     { 'z', 'Z' },       { 'A', 'A' },     { '0', '0' },     { '{', '{' },
        { '`', '`' },     { 0xe0, 0xc0 },     { 0xe9, 0xc9 },   { 0xfe, 0xde },   { 0xf7, 0xf7 },
        { 0xff, 0x178 },  { 0xdf, 0xdf },     { 0xb5, 0xb5 },   { 0x3b1, 0x391 }, { 0x3c9, 0x3a9 },
        { 0x3c2, 0x3c2 }, { 0x430, 0x410 },   { 0x44f, 0x42f }, { 0x451, 0x401 }, { 0x45f, 0x40f },
        { 0x410, 0x410 }, { 0x4e00, 0x4e00 }, { 0, 0 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (nr_upcase(table[i].in) != table[i].out)
            fail_msg("upcase of U+%04x gave U+%04x", table[i].in, nr_upcase(table[i].in));
}

static void test_equal_nocase(void **state)
{
    (void)state;
    assert_true(nr_equal_nocase(u"Server", 6, u"sERVER", 6));
    assert_true(nr_equal_nocase(u"\u00e9t\u00e9", 3, u"\u00c9T\u00c9", 3));
    assert_true(nr_equal_nocase(u"", 0, u"", 0));
    assert_false(nr_equal_nocase(u"share", 5, u"share2", 6));
    assert_false(nr_equal_nocase(u"share", 5, u"shari", 5));
    assert_false(nr_equal_nocase(u"a", 1, u"\u00e1", 1));
}

static void test_equal_ascii_nocase(void **state)
{
    (void)state;
    assert_true(nr_equal_ascii_nocase(u"AuDiT", 5, "audit"));
    assert_true(nr_equal_ascii_nocase(u"", 0, ""));
    assert_false(nr_equal_ascii_nocase(u"audi", 4, "audit"));
    assert_false(nr_equal_ascii_nocase(u"audits", 6, "audit"));
    assert_false(nr_equal_ascii_nocase(u"aud\0t", 5, "audit"));
}

static void test_list_append(void **state)
{
    nr_char list[12] = u"";
    nr_char full[4] = { 'a', 'b', 'c', 'd' };
    nr_char exact[4] = u"";

    (void)state;
    nr_list_append(list, 12, u"abc");
    assert_memory_equal(list, u"abc", 4 * sizeof(nr_char));
    nr_list_append(list, 12, u"def");
    assert_memory_equal(list, u"abc; def", 9 * sizeof(nr_char));
    /* "; gh" would need 13 units with the NUL: left out whole. */
    nr_list_append(list, 12, u"ghi");
    assert_memory_equal(list, u"abc; def", 9 * sizeof(nr_char));
    nr_list_append(list, 12, u"g");
    assert_memory_equal(list, u"abc; def; g", 12 * sizeof(nr_char));
    /* An unterminated list is left alone. */
    nr_list_append(full, 4, u"x");
    assert_memory_equal(full, u"abcd", 4 * sizeof(nr_char));
    /* Exactly fitting, NUL included; then full. */
    nr_list_append(exact, 4, u"abc");
    assert_memory_equal(exact, u"abc", 4 * sizeof(nr_char));
    nr_list_append(exact, 4, u"d");
    assert_memory_equal(exact, u"abc", 4 * sizeof(nr_char));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strnlen),      cmocka_unit_test(test_upcase),
        cmocka_unit_test(test_equal_nocase), cmocka_unit_test(test_equal_ascii_nocase),
        cmocka_unit_test(test_list_append),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
