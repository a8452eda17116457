/* Table-driven unit tests of ProviderOrder / HwOrder editing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "netreclaim/order.h"

#define OUT_CCH (NR_ORDER_MAX_CCH + 64)
#define SENTINEL 0x5a5a

typedef int (*edit_fn)(const nr_char *in, size_t len, nr_char *out, size_t out_cch,
                       size_t *out_len);

/* An input, and what an edit must make of it: `want` when ret is OK. */
struct edit_case {
    const nr_char *in;
    int ret;
    const nr_char *want;
};

static size_t len16(const nr_char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

static void fill_sentinel(nr_char *buf, size_t cch)
{
    size_t i;

    for (i = 0; i < cch; i++)
        buf[i] = SENTINEL;
}

static void assert_sentinel(const nr_char *buf, size_t cch)
{
    size_t i;

    for (i = 0; i < cch; i++)
        assert_int_equal(buf[i], SENTINEL);
}

/* Runs one edit into an exact-size heap buffer (ASan watches its end);
 * returns the result, NUL-terminated, in a buffer the caller frees. */
static nr_char *run(edit_fn edit, const nr_char *in, size_t len, int want_ret, size_t *out_len)
{
    nr_char *out = malloc(OUT_CCH * sizeof(nr_char));
    int ret;

    assert_non_null(out);
    fill_sentinel(out, OUT_CCH);
    *out_len = 12345;
    ret = edit(in, len, out, OUT_CCH, out_len);
    assert_int_equal(ret, want_ret);
    if (ret != NR_ORDER_OK) {
        assert_sentinel(out, OUT_CCH); /* errors leave out alone */
        assert_int_equal(*out_len, 12345);
        free(out);
        return NULL;
    }
    assert_int_equal(out[*out_len], 0);
    return out;
}

static void assert_edit(edit_fn edit, const char *name, const struct edit_case *cases, size_t n)
{
    size_t i, out_len;

    for (i = 0; i < n; i++) {
        nr_char *out;

        print_message("%s case %zu\n", name, i);
        out = run(edit, cases[i].in, len16(cases[i].in), cases[i].ret, &out_len);
        if (!out)
            continue;
        assert_int_equal(out_len, len16(cases[i].want));
        assert_memory_equal(out, cases[i].want, out_len * sizeof(nr_char));
        free(out);
    }
}

static const struct edit_case install_cases[] = {
    { u"RDPNP,LanmanWorkstation,webclient", NR_ORDER_OK, u"RDPNP,NetReclaim,webclient" },
    { u"LanmanWorkstation", NR_ORDER_OK, u"NetReclaim" },
    { u"lanmanWORKSTATION,RDPNP", NR_ORDER_OK, u"NetReclaim,RDPNP" },
    { u"RDPNP,webclient,LanmanWorkstation", NR_ORDER_OK, u"RDPNP,webclient,NetReclaim" },
    /* Everything but the replaced entry stays byte for byte, odd or not. */
    { u"a,,LanmanWorkstation, b ,c,", NR_ORDER_OK, u"a,,NetReclaim, b ,c," },
    { u",LanmanWorkstation", NR_ORDER_OK, u",NetReclaim" },
    /* Already installed: unchanged, spelling included. */
    { u"RDPNP,NetReclaim,webclient", NR_ORDER_OK, u"RDPNP,NetReclaim,webclient" },
    { u"netreclaim", NR_ORDER_OK, u"netreclaim" },
    /* Another installer re-added LanmanWorkstation: it goes, NetReclaim stays put. */
    { u"LanmanWorkstation,RDPNP,NetReclaim", NR_ORDER_OK, u"RDPNP,NetReclaim" },
    { u"NetReclaim,LanmanWorkstation", NR_ORDER_OK, u"NetReclaim" },
    { u"x,NetReclaim,y,LANMANWORKSTATION,z", NR_ORDER_OK, u"x,NetReclaim,y,z" },
    { u"LanmanWorkstation,,NetReclaim", NR_ORDER_OK, u",NetReclaim" },
    /* Never two SMB providers: repeats go too. */
    { u"LanmanWorkstation,x,LanmanWorkstation", NR_ORDER_OK, u"NetReclaim,x" },
    { u"NetReclaim,x,netreclaim", NR_ORDER_OK, u"NetReclaim,x" },
    /* Entries match whole, and as MPR reads them: untrimmed. */
    { u"RDPNP,webclient", NR_ORDER_E_NO_SMB, NULL },
    { u"LanmanWorkstationX,RDPNP", NR_ORDER_E_NO_SMB, NULL },
    { u"Lanman,Workstation", NR_ORDER_E_NO_SMB, NULL },
    { u" LanmanWorkstation", NR_ORDER_E_NO_SMB, NULL },
    { u"NetReclaim2", NR_ORDER_E_NO_SMB, NULL },
    { u",", NR_ORDER_E_NO_SMB, NULL },
    { u"", NR_ORDER_E_EMPTY, NULL },
};

static const struct edit_case uninstall_cases[] = {
    { u"RDPNP,NetReclaim,webclient", NR_ORDER_OK, u"RDPNP,LanmanWorkstation,webclient" },
    { u"NetReclaim", NR_ORDER_OK, u"LanmanWorkstation" },
    { u"netRECLAIM,x", NR_ORDER_OK, u"LanmanWorkstation,x" },
    /* Providers added by others since install are kept. */
    { u"Added,RDPNP,NetReclaim,webclient,Other", NR_ORDER_OK,
      u"Added,RDPNP,LanmanWorkstation,webclient,Other" },
    { u"a,,NetReclaim, b ,", NR_ORDER_OK, u"a,,LanmanWorkstation, b ," },
    /* Not installed: unchanged, whatever else is in there. */
    { u"RDPNP,webclient", NR_ORDER_OK, u"RDPNP,webclient" },
    { u"RDPNP,LanmanWorkstation", NR_ORDER_OK, u"RDPNP,LanmanWorkstation" },
    { u"LanmanWorkstation,x,LanmanWorkstation", NR_ORDER_OK,
      u"LanmanWorkstation,x,LanmanWorkstation" },
    { u" NetReclaim,,", NR_ORDER_OK, u" NetReclaim,," },
    /* LanmanWorkstation re-added by another installer: NetReclaim just goes. */
    { u"x,NetReclaim,y,LanmanWorkstation", NR_ORDER_OK, u"x,y,LanmanWorkstation" },
    { u"NetReclaim,NewOne,netreclaim", NR_ORDER_OK, u"LanmanWorkstation,NewOne" },
    { u"", NR_ORDER_E_EMPTY, NULL },
};

static const struct edit_case repair_cases[] = {
    { u"RDPNP,LanmanWorkstation,webclient", NR_ORDER_OK, u"RDPNP,LanmanWorkstation,webclient" },
    { u"a,,b", NR_ORDER_OK, u"a,b" },
    { u",a,b,", NR_ORDER_OK, u"a,b" },
    { u",,,a", NR_ORDER_OK, u"a" },
    { u" a , b\t,\tc", NR_ORDER_OK, u"a,b,c" },
    { u"a, ,b", NR_ORDER_OK, u"a,b" },
    { u"b,a,B,c,a", NR_ORDER_OK, u"b,a,c" },
    { u"RDPNP, rdpnp ,LanmanWorkstation", NR_ORDER_OK, u"RDPNP,LanmanWorkstation" },
    { u"b, a ,A", NR_ORDER_OK, u"b,a" }, /* repeats compare trimmed on both sides */
    { u"z,y,x", NR_ORDER_OK, u"z,y,x" },
    { u"Lanman Workstation", NR_ORDER_OK, u"Lanman Workstation" },
    { u",, ,\t", NR_ORDER_E_EMPTY, NULL },
    { u",", NR_ORDER_E_EMPTY, NULL },
    { u"", NR_ORDER_E_EMPTY, NULL },
};

static void test_install(void **state)
{
    (void)state;
    assert_edit(nr_order_install, "install", install_cases,
                sizeof(install_cases) / sizeof(install_cases[0]));
}

static void test_uninstall(void **state)
{
    (void)state;
    assert_edit(nr_order_uninstall, "uninstall", uninstall_cases,
                sizeof(uninstall_cases) / sizeof(uninstall_cases[0]));
}

static void test_repair(void **state)
{
    (void)state;
    assert_edit(nr_order_repair, "repair", repair_cases,
                sizeof(repair_cases) / sizeof(repair_cases[0]));
}

/* f(f(x)) == f(x) for each edit over every input of every table that f
 * accepts. */
static void assert_idempotent(edit_fn edit, const struct edit_case *cases, size_t n)
{
    static nr_char probe[OUT_CCH];
    size_t i, len1, len2;

    for (i = 0; i < n; i++) {
        nr_char *once, *twice;

        if (edit(cases[i].in, len16(cases[i].in), probe, OUT_CCH, &len1) != NR_ORDER_OK)
            continue;
        once = run(edit, cases[i].in, len16(cases[i].in), NR_ORDER_OK, &len1);
        twice = run(edit, once, len1, NR_ORDER_OK, &len2);
        assert_int_equal(len1, len2);
        assert_memory_equal(once, twice, len1 * sizeof(nr_char));
        free(once);
        free(twice);
    }
}

static void test_idempotent(void **state)
{
    static const struct {
        const struct edit_case *cases;
        size_t n;
    } tables[] = {
        { install_cases, sizeof(install_cases) / sizeof(install_cases[0]) },
        { uninstall_cases, sizeof(uninstall_cases) / sizeof(uninstall_cases[0]) },
        { repair_cases, sizeof(repair_cases) / sizeof(repair_cases[0]) },
    };
    size_t t;

    (void)state;
    for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
        assert_idempotent(nr_order_install, tables[t].cases, tables[t].n);
        assert_idempotent(nr_order_uninstall, tables[t].cases, tables[t].n);
        assert_idempotent(nr_order_repair, tables[t].cases, tables[t].n);
    }
}

/* uninstall(install(x)) == x for every x holding LanmanWorkstation once and
 * no NetReclaim: LanmanWorkstation at each position of each list of others
 * (odd entries included). */
static void test_round_trip(void **state)
{
    static const nr_char *const others[][4] = {
        { NULL },
        { u"RDPNP", NULL },
        { u"RDPNP", u"webclient", NULL },
        { u"RDPNP", u"webclient", u"P9NP", NULL },
        { u"", u" x ", u"NetReclaimX", NULL },
        { u"lanman", u"", u"", NULL },
    };
    size_t o, pos, i, len, mid_len, end_len;

    (void)state;
    for (o = 0; o < sizeof(others) / sizeof(others[0]); o++) {
        size_t count = 0;

        while (others[o][count])
            count++;
        for (pos = 0; pos <= count; pos++) {
            nr_char x[256], *mid, *end;
            size_t k = 0;

            len = 0;
            for (i = 0; i <= count; i++) {
                const nr_char *entry = (i == pos) ? u"LanmanWorkstation" : others[o][k++];

                if (i)
                    x[len++] = ',';
                memcpy(x + len, entry, len16(entry) * sizeof(nr_char));
                len += len16(entry);
            }
            x[len] = 0;
            mid = run(nr_order_install, x, len, NR_ORDER_OK, &mid_len);
            assert_int_equal(mid_len, len - 7);
            end = run(nr_order_uninstall, mid, mid_len, NR_ORDER_OK, &end_len);
            assert_int_equal(end_len, len);
            assert_memory_equal(end, x, len * sizeof(nr_char));
            free(mid);
            free(end);
        }
    }
}

struct check_case {
    const nr_char *in;
    unsigned int flags;
};

static void test_check(void **state)
{
    static const struct check_case cases[] = {
        { u"RDPNP,LanmanWorkstation,webclient", NR_ORDER_HAS_LANMAN },
        { u"RDPNP,NetReclaim,webclient", NR_ORDER_HAS_NETRECLAIM },
        { u"netreclaim,LANMANWORKSTATION",
          NR_ORDER_HAS_NETRECLAIM | NR_ORDER_HAS_LANMAN | NR_ORDER_BOTH },
        { u"RDPNP,webclient", 0 },
        { u"a,b,A", NR_ORDER_DUPLICATE },
        { u"NetReclaim,x,NetReclaim", NR_ORDER_HAS_NETRECLAIM | NR_ORDER_DUPLICATE },
        { u"a,,b", NR_ORDER_EMPTY_ENTRY },
        { u",a", NR_ORDER_EMPTY_ENTRY },
        { u"a,", NR_ORDER_EMPTY_ENTRY },
        { u",", NR_ORDER_EMPTY_ENTRY },
        { u"a,,b,,c", NR_ORDER_EMPTY_ENTRY }, /* empty entries are not duplicates */
        { u"a, ,b", NR_ORDER_EMPTY_ENTRY | NR_ORDER_WHITESPACE },
        { u" a,b", NR_ORDER_WHITESPACE },
        { u"a,b\t", NR_ORDER_WHITESPACE },
        { u"a b,c", 0 },
        /* MPR does not trim: " NetReclaim" is not NetReclaim. */
        { u" NetReclaim,LanmanWorkstation", NR_ORDER_WHITESPACE | NR_ORDER_HAS_LANMAN },
        { u"a, a", NR_ORDER_WHITESPACE },
        { u"LanmanWorkstationX", 0 },
        { u"", NR_ORDER_EMPTY_VALUE },
    };
    static const nr_char with_nul[] = { 'a', ',', 'b', 0, 'c' };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        print_message("check case %zu\n", i);
        assert_int_equal(nr_order_check(cases[i].in, len16(cases[i].in)), cases[i].flags);
    }
    assert_int_equal(nr_order_check(NULL, 5), NR_ORDER_EMPTY_VALUE);
    assert_int_equal(nr_order_check(with_nul, 5), NR_ORDER_MALFORMED);
}

static void test_bad_input(void **state)
{
    static const nr_char with_nul[] = { 'L', 'a', 'n', 'm', 'a', 'n', 'W', 'o', 'r', 'k',
                                        's', 't', 'a', 't', 'i', 'o', 'n', ',', 0,   'x' };
    static const edit_fn edits[] = { nr_order_install, nr_order_uninstall, nr_order_repair };
    nr_char *big = malloc((NR_ORDER_MAX_CCH + 1) * sizeof(nr_char));
    nr_char out[32];
    size_t e, i, out_len;

    (void)state;
    assert_non_null(big);
    for (i = 0; i <= NR_ORDER_MAX_CCH; i++)
        big[i] = 'x';
    memcpy(big, u"NetReclaim,", 11 * sizeof(nr_char));
    assert_int_equal(nr_order_check(big, NR_ORDER_MAX_CCH + 1), NR_ORDER_TOO_LONG);
    for (e = 0; e < sizeof(edits) / sizeof(edits[0]); e++) {
        assert_null(run(edits[e], big, NR_ORDER_MAX_CCH + 1, NR_ORDER_E_TOO_LONG, &out_len));
        assert_null(run(edits[e], with_nul, 20, NR_ORDER_E_MALFORMED, &out_len));
        assert_null(run(edits[e], u"x", 0, NR_ORDER_E_EMPTY, &out_len));
        fill_sentinel(out, 32);
        assert_int_equal(edits[e](NULL, 3, out, 32, &out_len), NR_ORDER_E_ARG);
        assert_int_equal(edits[e](u"abc", 3, NULL, 32, &out_len), NR_ORDER_E_ARG);
        assert_int_equal(edits[e](u"abc", 3, out, 32, NULL), NR_ORDER_E_ARG);
        assert_sentinel(out, 32);
    }
    free(big);
}

/* The longest value accepted, and the longest result: uninstall adds 7. */
static void test_limits(void **state)
{
    nr_char *big = malloc(NR_ORDER_MAX_CCH * sizeof(nr_char));
    nr_char *out;
    size_t i, out_len;

    (void)state;
    assert_non_null(big);
    for (i = 0; i < NR_ORDER_MAX_CCH; i++)
        big[i] = 'x';
    memcpy(big + NR_ORDER_MAX_CCH - 11, u",NetReclaim", 11 * sizeof(nr_char));
    assert_int_equal(nr_order_check(big, NR_ORDER_MAX_CCH), NR_ORDER_HAS_NETRECLAIM);
    out = run(nr_order_uninstall, big, NR_ORDER_MAX_CCH, NR_ORDER_OK, &out_len);
    assert_int_equal(out_len, NR_ORDER_MAX_CCH + 7);
    assert_memory_equal(out, big, (NR_ORDER_MAX_CCH - 10) * sizeof(nr_char));
    assert_memory_equal(out + NR_ORDER_MAX_CCH - 10, u"LanmanWorkstation", 17 * sizeof(nr_char));
    free(out);

    /* A value of nothing but commas: every entry empty. */
    for (i = 0; i < NR_ORDER_MAX_CCH; i++)
        big[i] = ',';
    assert_int_equal(nr_order_check(big, NR_ORDER_MAX_CCH), NR_ORDER_EMPTY_ENTRY);
    assert_null(run(nr_order_repair, big, NR_ORDER_MAX_CCH, NR_ORDER_E_EMPTY, &out_len));
    free(big);
}

/* out must hold the result and its NUL; too small says how much is needed. */
static void test_small_output(void **state)
{
    static const nr_char in[] = u"RDPNP,NetReclaim";
    static const nr_char want[] = u"RDPNP,LanmanWorkstation";
    const size_t want_len = sizeof(want) / sizeof(want[0]) - 1;
    nr_char *out;
    size_t cch, out_len;

    (void)state;
    for (cch = 0; cch <= want_len + 1; cch++) {
        out = malloc((cch ? cch : 1) * sizeof(nr_char));
        assert_non_null(out);
        fill_sentinel(out, cch);
        out_len = 0;
        if (cch <= want_len) {
            assert_int_equal(nr_order_uninstall(in, 16, out, cch, &out_len), NR_ORDER_E_SMALL);
            assert_int_equal(out_len, want_len);
            assert_sentinel(out, cch);
        } else {
            assert_int_equal(nr_order_uninstall(in, 16, out, cch, &out_len), NR_ORDER_OK);
            assert_int_equal(out_len, want_len);
            assert_memory_equal(out, want, sizeof(want));
        }
        free(out);
    }
}

/* HwOrder is edited by the same functions: a typical one. */
static void test_hworder(void **state)
{
    static const nr_char hw[] = u"RDPNP,LanmanWorkstation,webclient,P9NP";
    size_t mid_len, end_len;
    nr_char *mid, *end;

    (void)state;
    mid = run(nr_order_install, hw, len16(hw), NR_ORDER_OK, &mid_len);
    assert_memory_equal(mid, u"RDPNP,NetReclaim,webclient,P9NP", (mid_len + 1) * sizeof(nr_char));
    end = run(nr_order_uninstall, mid, mid_len, NR_ORDER_OK, &end_len);
    assert_memory_equal(end, hw, sizeof(hw));
    free(mid);
    free(end);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_install),      cmocka_unit_test(test_uninstall),
        cmocka_unit_test(test_repair),       cmocka_unit_test(test_idempotent),
        cmocka_unit_test(test_round_trip),   cmocka_unit_test(test_check),
        cmocka_unit_test(test_bad_input),    cmocka_unit_test(test_limits),
        cmocka_unit_test(test_small_output), cmocka_unit_test(test_hworder),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
