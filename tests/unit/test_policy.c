/* policy.c: raw registry values, right and wrong. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "netreclaim/policy.h"

/* A string literal as registry bytes: with its NUL, or cut to `units`. */
#define SZ(s) (s), sizeof(s)
#define UNITS(s, units) (s), (units) * sizeof(nr_char)

static const unsigned char dword_300[] = { 0x2c, 0x01, 0, 0 };

static int name_is(const nr_char *name, const nr_char *expect)
{
    size_t len = nr_strnlen(expect, 1000);

    return nr_strnlen(name, NR_EXCLUDED_NAME_MAX) == len &&
           !memcmp(name, expect, len * sizeof(nr_char));
}

static void test_defaults(void **state)
{
    struct nr_policy p;

    (void)state;
    memset(&p, 0xa5, sizeof(p));
    nr_policy_init(&p);
    assert_int_equal(p.mode, NR_MODE_ENFORCE);
    assert_int_equal(p.timeout_ms, 200);
    assert_int_equal(p.excluded_count, 0);
    assert_false(p.allow_service_sessions);
}

static void test_value_names(void **state)
{
    (void)state;
    assert_true(name_is(nr_policy_value_name(NR_POLICY_MODE), u"Mode"));
    assert_true(name_is(nr_policy_value_name(NR_POLICY_TIMEOUT), u"NameQueryTimeoutMs"));
    assert_true(name_is(nr_policy_value_name(NR_POLICY_EXCLUDED), u"ExcludedProcesses"));
    assert_true(name_is(nr_policy_value_name(NR_POLICY_SERVICE), u"AllowServiceSessions"));
    assert_null(nr_policy_value_name(NR_POLICY_VALUE_COUNT));
}

static void test_mode(void **state)
{
    static const struct {
        const nr_char *data;
        size_t size;
        uint32_t type;
        enum nr_policy_issue issue;
        enum nr_mode mode; /* starting from audit */
    } table[] = {
        { SZ(u"enforce"), NR_REG_SZ, NR_POLICY_OK, NR_MODE_ENFORCE },
        { SZ(u"ENFORCE"), NR_REG_SZ, NR_POLICY_OK, NR_MODE_ENFORCE },
        { SZ(u"Off"), NR_REG_SZ, NR_POLICY_OK, NR_MODE_OFF },
        { SZ(u"off"), NR_REG_EXPAND_SZ, NR_POLICY_OK, NR_MODE_OFF },
        { UNITS(u"off", 3), NR_REG_SZ, NR_POLICY_OK, NR_MODE_OFF },     /* no NUL */
        { UNITS(u"offline", 3), NR_REG_SZ, NR_POLICY_OK, NR_MODE_OFF }, /* cut by size */
        { SZ(u"off\0garbage"), NR_REG_SZ, NR_POLICY_OK, NR_MODE_OFF },  /* ends at NUL */
        { SZ(u"offline"), NR_REG_SZ, NR_POLICY_INVALID, NR_MODE_AUDIT },
        { SZ(u" off"), NR_REG_SZ, NR_POLICY_INVALID, NR_MODE_AUDIT },
        { SZ(u"enforcement"), NR_REG_SZ, NR_POLICY_INVALID, NR_MODE_AUDIT },
        { SZ(u""), NR_REG_SZ, NR_POLICY_INVALID, NR_MODE_AUDIT },
        { UNITS(u"off", 0), NR_REG_SZ, NR_POLICY_INVALID, NR_MODE_AUDIT },
        { (const nr_char *)u"off", 5, NR_REG_SZ, NR_POLICY_BAD_SIZE, NR_MODE_AUDIT },
        { SZ(u"off"), NR_REG_MULTI_SZ, NR_POLICY_WRONG_TYPE, NR_MODE_AUDIT },
        { SZ(u"off"), NR_REG_DWORD, NR_POLICY_WRONG_TYPE, NR_MODE_AUDIT },
        { NULL, 8, NR_REG_SZ, NR_POLICY_BAD_SIZE, NR_MODE_AUDIT },
    };
    struct nr_policy p;
    size_t i;
    enum nr_policy_issue issue;

    (void)state;
    for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        nr_policy_init(&p);
        p.mode = NR_MODE_AUDIT;
        issue = nr_policy_apply(&p, NR_POLICY_MODE, table[i].type, table[i].data, table[i].size);
        if (issue != table[i].issue || p.mode != table[i].mode)
            fail_msg("entry %zu: issue %d mode %d", i, issue, p.mode);
    }
}

/* Registry data comes at any alignment. */
static void test_mode_unaligned(void **state)
{
    unsigned char raw[16];
    struct nr_policy p;

    (void)state;
    nr_policy_init(&p);
    memcpy(raw + 1, u"audit", 12);
    assert_int_equal(nr_policy_apply(&p, NR_POLICY_MODE, NR_REG_SZ, raw + 1, 12), NR_POLICY_OK);
    assert_int_equal(p.mode, NR_MODE_AUDIT);
}

static void test_timeout(void **state)
{
    static const struct {
        uint32_t type;
        unsigned char bytes[8];
        size_t size;
        enum nr_policy_issue issue;
        uint32_t ms; /* starting from 1234 */
    } table[] = {
        { NR_REG_DWORD, { 0x2c, 0x01, 0, 0 }, 4, NR_POLICY_OK, 300 },
        { NR_REG_DWORD, { 10, 0, 0, 0 }, 4, NR_POLICY_OK, 10 },
        { NR_REG_DWORD, { 0x88, 0x13, 0, 0 }, 4, NR_POLICY_OK, 5000 },
        { NR_REG_DWORD, { 9, 0, 0, 0 }, 4, NR_POLICY_CLAMPED, 10 },
        { NR_REG_DWORD, { 0, 0, 0, 0 }, 4, NR_POLICY_CLAMPED, 10 },
        { NR_REG_DWORD, { 0x89, 0x13, 0, 0 }, 4, NR_POLICY_CLAMPED, 5000 },
        { NR_REG_DWORD, { 0xff, 0xff, 0xff, 0xff }, 4, NR_POLICY_CLAMPED, 5000 },
        { NR_REG_DWORD, { 0x2c, 0x01, 0 }, 3, NR_POLICY_BAD_SIZE, 1234 },
        { NR_REG_DWORD, { 0x2c, 0x01, 0, 0, 0, 0, 0, 0 }, 8, NR_POLICY_BAD_SIZE, 1234 },
        { NR_REG_DWORD, { 0 }, 0, NR_POLICY_BAD_SIZE, 1234 },
        { 11 /* REG_QWORD */, { 0x2c, 0x01, 0, 0, 0, 0, 0, 0 }, 8, NR_POLICY_WRONG_TYPE, 1234 },
        { 5 /* REG_DWORD_BIG_ENDIAN */, { 0, 0, 0x01, 0x2c }, 4, NR_POLICY_WRONG_TYPE, 1234 },
        { NR_REG_SZ, { '3', 0, '0', 0, '0', 0, 0, 0 }, 8, NR_POLICY_WRONG_TYPE, 1234 },
    };
    struct nr_policy p;
    size_t i;
    enum nr_policy_issue issue;

    (void)state;
    for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        nr_policy_init(&p);
        p.timeout_ms = 1234;
        issue =
            nr_policy_apply(&p, NR_POLICY_TIMEOUT, table[i].type, table[i].bytes, table[i].size);
        if (issue != table[i].issue || p.timeout_ms != table[i].ms)
            fail_msg("entry %zu: issue %d timeout %u", i, issue, p.timeout_ms);
    }
}

static void test_excluded(void **state)
{
    static const nr_char list[] = u"explorer.exe\0SearchIndexer.exe\0\0";
    struct nr_policy p;

    (void)state;
    nr_policy_init(&p);
    assert_int_equal(nr_policy_apply(&p, NR_POLICY_EXCLUDED, NR_REG_MULTI_SZ, SZ(list)),
                     NR_POLICY_OK);
    assert_int_equal(p.excluded_count, 2);
    assert_true(name_is(p.excluded[0], u"explorer.exe"));
    assert_true(name_is(p.excluded[1], u"SearchIndexer.exe"));

    /* Without its terminators, the last entry still counts. */
    assert_int_equal(nr_policy_apply(&p, NR_POLICY_EXCLUDED, NR_REG_MULTI_SZ, UNITS(list, 16)),
                     NR_POLICY_OK);
    assert_int_equal(p.excluded_count, 2);
    assert_true(name_is(p.excluded[1], u"Sea"));

    /* An empty entry ends the list. */
    assert_int_equal(
        nr_policy_apply(&p, NR_POLICY_EXCLUDED, NR_REG_MULTI_SZ, SZ(u"a.exe\0\0b.exe\0")),
        NR_POLICY_OK);
    assert_int_equal(p.excluded_count, 1);

    /* REG_SZ: one name. */
    assert_int_equal(nr_policy_apply(&p, NR_POLICY_EXCLUDED, NR_REG_SZ, SZ(u"x.exe\0y.exe")),
                     NR_POLICY_OK);
    assert_int_equal(p.excluded_count, 1);
    assert_true(name_is(p.excluded[0], u"x.exe"));

    /* An empty list is a list: it clears. */
    assert_int_equal(nr_policy_apply(&p, NR_POLICY_EXCLUDED, NR_REG_MULTI_SZ, SZ(u"")),
                     NR_POLICY_OK);
    assert_int_equal(p.excluded_count, 0);
}

static void test_excluded_rejects(void **state)
{
    struct nr_policy p;

    (void)state;
    nr_policy_init(&p);
    assert_int_equal(nr_policy_apply(&p, NR_POLICY_EXCLUDED, NR_REG_MULTI_SZ, SZ(u"keep.exe\0")),
                     NR_POLICY_OK);
    assert_int_equal(nr_policy_apply(&p, NR_POLICY_EXCLUDED, NR_REG_DWORD, dword_300, 4),
                     NR_POLICY_WRONG_TYPE);
    assert_int_equal(nr_policy_apply(&p, NR_POLICY_EXCLUDED, NR_REG_EXPAND_SZ, SZ(u"a.exe")),
                     NR_POLICY_WRONG_TYPE);
    assert_int_equal(nr_policy_apply(&p, NR_POLICY_EXCLUDED, NR_REG_MULTI_SZ, u"a.exe", 7),
                     NR_POLICY_BAD_SIZE);
    assert_int_equal(p.excluded_count, 1);
    assert_true(name_is(p.excluded[0], u"keep.exe"));

    /* Paths, drive or stream separators and control characters are not
     * base names: those entries go, the rest stays. */
    assert_int_equal(
        nr_policy_apply(&p, NR_POLICY_EXCLUDED, NR_REG_MULTI_SZ,
                        SZ(u"C:\\x\\a.exe\0b.exe\0c/d.exe\0e.exe:s\0f\tg.exe\0h.exe\0")),
        NR_POLICY_TRIMMED);
    assert_int_equal(p.excluded_count, 2);
    assert_true(name_is(p.excluded[0], u"b.exe"));
    assert_true(name_is(p.excluded[1], u"h.exe"));
}

static void test_excluded_bounds(void **state)
{
    static nr_char list[(NR_EXCLUDED_MAX + 3) * (NR_EXCLUDED_NAME_MAX + 2)];
    struct nr_policy p;
    size_t pos = 0, i, k;

    (void)state;
    /* One name too long, then NR_EXCLUDED_MAX + 2 short ones. */
    for (k = 0; k < NR_EXCLUDED_NAME_MAX; k++)
        list[pos++] = 'L';
    list[pos++] = 0;
    for (i = 0; i < NR_EXCLUDED_MAX + 2; i++) {
        list[pos++] = 'a' + i % 26;
        list[pos++] = '0' + i / 26;
        list[pos++] = 0;
    }
    list[pos++] = 0;
    nr_policy_init(&p);
    assert_int_equal(nr_policy_apply(&p, NR_POLICY_EXCLUDED, NR_REG_MULTI_SZ, list, pos * 2),
                     NR_POLICY_TRIMMED);
    assert_int_equal(p.excluded_count, NR_EXCLUDED_MAX);
    assert_true(name_is(p.excluded[0], u"a0"));
    assert_true(name_is(p.excluded[NR_EXCLUDED_MAX - 1], u"f1"));

    /* The longest name that fits does. */
    list[NR_EXCLUDED_NAME_MAX - 1] = 0;
    assert_int_equal(
        nr_policy_apply(&p, NR_POLICY_EXCLUDED, NR_REG_MULTI_SZ, list, NR_EXCLUDED_NAME_MAX * 2),
        NR_POLICY_OK);
    assert_int_equal(p.excluded_count, 1);
    assert_int_equal(nr_strnlen(p.excluded[0], NR_EXCLUDED_NAME_MAX), NR_EXCLUDED_NAME_MAX - 1);
}

/* Local values first, then the policy key's: a usable policy value wins, an
 * unusable one leaves the local one standing. */
static void test_layering(void **state)
{
    struct nr_policy p;

    (void)state;
    nr_policy_init(&p);
    nr_policy_apply(&p, NR_POLICY_MODE, NR_REG_SZ, SZ(u"audit"));
    nr_policy_apply(&p, NR_POLICY_TIMEOUT, NR_REG_DWORD, dword_300, 4);
    nr_policy_apply(&p, NR_POLICY_EXCLUDED, NR_REG_MULTI_SZ, SZ(u"local.exe\0"));

    assert_int_equal(nr_policy_apply(&p, NR_POLICY_MODE, NR_REG_SZ, SZ(u"bogus")),
                     NR_POLICY_INVALID);
    assert_int_equal(nr_policy_apply(&p, NR_POLICY_TIMEOUT, NR_REG_SZ, SZ(u"50")),
                     NR_POLICY_WRONG_TYPE);
    assert_int_equal(nr_policy_apply(&p, NR_POLICY_EXCLUDED, NR_REG_MULTI_SZ, SZ(u"gpo.exe\0")),
                     NR_POLICY_OK);
    assert_int_equal(p.mode, NR_MODE_AUDIT);
    assert_int_equal(p.timeout_ms, 300);
    assert_int_equal(p.excluded_count, 1);
    assert_true(name_is(p.excluded[0], u"gpo.exe"));

    assert_int_equal(nr_policy_apply(&p, NR_POLICY_MODE, NR_REG_SZ, SZ(u"Enforce")), NR_POLICY_OK);
    assert_int_equal(p.mode, NR_MODE_ENFORCE);
}

static void test_unknown_value_and_texts(void **state)
{
    struct nr_policy p;
    int i;

    (void)state;
    nr_policy_init(&p);
    assert_int_equal(nr_policy_apply(&p, NR_POLICY_VALUE_COUNT, NR_REG_SZ, SZ(u"off")),
                     NR_POLICY_INVALID);
    assert_int_equal(p.mode, NR_MODE_ENFORCE);
    for (i = NR_POLICY_OK; i <= NR_POLICY_INVALID; i++)
        assert_string_not_equal(nr_policy_issue_text(i), "unknown");
}

/* AllowServiceSessions: a REG_DWORD 0 or 1; anything else leaves the layer
 * below standing (service sessions stay untouched by default). */
static void test_service_sessions(void **state)
{
    static const uint32_t zero = 0, one = 1, two = 2;
    struct nr_policy p;

    (void)state;
    nr_policy_init(&p);
    assert_int_equal(nr_policy_apply(&p, NR_POLICY_SERVICE, NR_REG_DWORD, &one, 4), NR_POLICY_OK);
    assert_true(p.allow_service_sessions);
    assert_int_equal(nr_policy_apply(&p, NR_POLICY_SERVICE, NR_REG_DWORD, &two, 4),
                     NR_POLICY_INVALID);
    assert_true(p.allow_service_sessions);
    assert_int_equal(nr_policy_apply(&p, NR_POLICY_SERVICE, NR_REG_SZ, SZ(u"1")),
                     NR_POLICY_WRONG_TYPE);
    assert_int_equal(nr_policy_apply(&p, NR_POLICY_SERVICE, NR_REG_DWORD, &one, 2),
                     NR_POLICY_BAD_SIZE);
    assert_true(p.allow_service_sessions);
    assert_int_equal(nr_policy_apply(&p, NR_POLICY_SERVICE, NR_REG_DWORD, &zero, 4), NR_POLICY_OK);
    assert_false(p.allow_service_sessions);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_value_names),
        cmocka_unit_test(test_mode),
        cmocka_unit_test(test_mode_unaligned),
        cmocka_unit_test(test_timeout),
        cmocka_unit_test(test_excluded),
        cmocka_unit_test(test_excluded_rejects),
        cmocka_unit_test(test_excluded_bounds),
        cmocka_unit_test(test_layering),
        cmocka_unit_test(test_unknown_value_and_texts),
        cmocka_unit_test(test_service_sessions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
