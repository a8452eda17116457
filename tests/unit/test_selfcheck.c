/* The self-checks (netreclaim/selfcheck.h): each check that forbids closing
 * turns the plan into an audit with its name in the record; the device
 * prefilter runs only where volume-name passed; the judgements of what the
 * seam read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fake_os.h"
#include "netreclaim/plan.h"
#include "netreclaim/selfcheck.h"

#define LUID_A 0x1234u
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const nr_char target[] = u"\\\\srv\\share";
static const nr_char n_mup[] = u"\\Device\\Mup\\srv\\share\\f.txt";
static const nr_char n_lanman[] = u"\\Device\\Mup\\;LanmanRedirector\\;Z:0000000000001234\\srv\\share\\g";
static const nr_char n_local[] = u"\\Device\\HarddiskVolume3\\Windows\\x.dll";
static const nr_char n_local10[] = u"\\Device\\HarddiskVolume30\\Windows\\x.dll";
static const nr_char v_local[] = u"\\Device\\HarddiskVolume3";
static const nr_char v_mup[] = u"\\DEVICE\\MUP";
static const nr_char wine_prefix[] = u"\\??\\Z:\\tmp\\pfx\\dosdevices\\unc";
static const nr_char n_wine[] = u"\\??\\Z:\\tmp\\pfx\\dosdevices\\unc\\srv\\share\\w.txt";

#define LEN(s) (ARRAY_SIZE(s) - 1)

static struct nr_reclaim_request request(void)
{
    struct nr_reclaim_request req;

    memset(&req, 0, sizeof(req));
    req.target = target;
    req.timeout_ms = 200;
    return req;
}

/* Two handles under the target and two local files in the caller's session. */
static void add_handles(struct fake_os *f)
{
    fake_add_proc(f, 100, LUID_A, u"explorer.exe");
    fake_add_handle(f, 100, 0x10, n_mup);
    fake_add_handle(f, 100, 0x14, n_local);
    fake_add_handle(f, 100, 0x18, n_lanman);
    fake_add_handle(f, 100, 0x1c, n_local);
}

/* What the seam's device check answers: local files by their name; it is
 * counted so a test can see whether it ran at all. */
static unsigned long device_calls;

static int device_by_name(void *ctx, uint32_t pid, uint64_t value, int *remote)
{
    struct fake_handle *h = fake_find_handle(ctx, pid, value);

    device_calls++;
    if (!h)
        return NR_GONE;
    *remote = h->name != n_local;
    return NR_OK;
}

/* The plan under checks with `check` set to `result`: built, executed and
 * reported. Returns what was closed. */
static size_t reclaim_with(struct fake_os *f, struct nr_plan *plan, enum nr_check check,
                           enum nr_check_result result)
{
    struct nr_reclaim_request req = request();

    fake_init(f, LUID_A);
    add_handles(f);
    f->checks.result[check] = result;
    assert_int_equal(nr_plan_build(&f->os, &req, plan), NR_OK);
    nr_plan_execute(&f->os, plan);
    nr_plan_report(&f->os, plan);
    return f->closed_count;
}

/* Each check that a close relies on, failed or never run: the reclaim is an
 * audit, nothing is closed, and its record names the check. */
static void test_each_check_refuses(void **state)
{
    static const enum nr_check checks[] = { NR_CHECK_HANDLE_TABLE, NR_CHECK_LOCAL_NAME,
                                            NR_CHECK_SAME_OBJECT };
    static const enum nr_check_result bad[] = { NR_CHECK_FAILED, NR_CHECK_UNTRIED };
    char expected[96];
    struct fake_os f;
    struct nr_plan plan;

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(checks); i++)
        for (size_t r = 0; r < ARRAY_SIZE(bad); r++) {
            assert_int_equal(reclaim_with(&f, &plan, checks[i], bad[r]), 0);
            assert_true(plan.audit);
            assert_true(plan.checks_refuse);
            assert_int_equal(plan.refused, checks[i]);
            assert_int_equal(plan.reasons[NR_REASON_CLOSE], 2); /* still planned, for the record */
            assert_int_equal(f.calls[FAKE_CLOSE_HANDLE], 0);
            assert_int_equal(f.calls[FAKE_KEEP_OBJECT], 0);
            snprintf(expected, sizeof(expected), "(self-check %s failed on this machine",
                     nr_check_name(checks[i]));
            assert_true(fake_report_has(&f, expected));
            assert_true(fake_report_has(&f, "Would close 2"));
            nr_plan_free(&plan);
            fake_free(&f);
        }
}

/* Where CompareObjectHandles is absent, identity rests on the name re-check
 * as before: closes go on. A failed volume-name only turns the prefilter
 * off. With every check passed the reclaim closes. */
static void test_checks_that_allow(void **state)
{
    static const struct {
        enum nr_check check;
        enum nr_check_result result;
    } cases[] = {
        { NR_CHECK_SAME_OBJECT, NR_CHECK_ABSENT },  { NR_CHECK_VOLUME_NAME, NR_CHECK_FAILED },
        { NR_CHECK_VOLUME_NAME, NR_CHECK_ABSENT },  { NR_CHECK_VOLUME_NAME, NR_CHECK_UNTRIED },
        { NR_CHECK_HANDLE_TABLE, NR_CHECK_PASSED },
    };
    struct fake_os f;
    struct nr_plan plan;

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        assert_int_equal(reclaim_with(&f, &plan, cases[i].check, cases[i].result), 2);
        assert_false(plan.audit);
        assert_false(plan.checks_refuse);
        assert_false(fake_report_has(&f, "self-check"));
        nr_plan_free(&plan);
        fake_free(&f);
    }
}

/* A seam with no self-checks proves nothing: an audit. */
static void test_no_self_check(void **state)
{
    struct nr_reclaim_request req = request();
    struct fake_os f;
    struct nr_plan plan;

    (void)state;
    fake_init(&f, LUID_A);
    add_handles(&f);
    f.os.self_check = NULL;
    assert_int_equal(nr_plan_build(&f.os, &req, &plan), NR_OK);
    assert_int_equal(nr_plan_execute(&f.os, &plan), 0);
    assert_true(plan.checks_refuse && plan.audit);
    assert_int_equal(plan.refused, NR_CHECK_HANDLE_TABLE);
    nr_plan_free(&plan);
    fake_free(&f);
}

/* The prefilter's two paths: with volume-name passed, local files get no
 * name query; where the class is not answered or the check failed, the
 * device check never runs and every File handle is named, as without one. */
static void test_prefilter_paths(void **state)
{
    static const enum nr_check_result volume[] = { NR_CHECK_PASSED, NR_CHECK_ABSENT,
                                                   NR_CHECK_FAILED };
    struct nr_reclaim_request req = request();
    struct fake_os f;
    struct nr_plan plan;

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(volume); i++) {
        device_calls = 0;
        fake_init(&f, LUID_A);
        add_handles(&f);
        f.os.file_device = device_by_name;
        f.checks.result[NR_CHECK_VOLUME_NAME] = volume[i];
        assert_int_equal(nr_plan_build(&f.os, &req, &plan), NR_OK);
        assert_int_equal(f.calls[FAKE_SELF_CHECK], 1);
        if (volume[i] == NR_CHECK_PASSED) {
            assert_true(plan.prefilter);
            assert_int_equal(device_calls, 4);
            assert_int_equal(plan.name_queries, 2);
            assert_int_equal(f.calls[FAKE_QUERY_NAME], 2);
        } else {
            assert_false(plan.prefilter);
            assert_int_equal(device_calls, 0);
            assert_int_equal(plan.name_queries, 4);
            assert_int_equal(f.calls[FAKE_QUERY_NAME], 4);
        }
        assert_int_equal(plan.reasons[NR_REASON_NOT_NETWORK], 2);
        assert_int_equal(nr_plan_execute(&f.os, &plan), 2);
        nr_plan_free(&plan);
        fake_free(&f);
    }
}

static void test_check_rows(void **state)
{
    const struct nr_own_handles own = { .pid = 7, .file = 0x44, .file_access = 0x100080,
                                        .other = 0x48 };
    struct nr_handle rows[] = {
        { .pid = 8, .value = 0x44, .access = 0x100080, .type_index = 30 },
        { .pid = 7, .value = 0x40, .access = 0x1f0003, .type_index = 16 },
        { .pid = 7, .value = 0x44, .access = 0x100080, .type_index = 37 },
        { .pid = 7, .value = 0x48, .access = 0x1f0003, .type_index = 16 },
    };
    uint16_t type = 0;

    (void)state;
    assert_int_equal(nr_check_rows(rows, ARRAY_SIZE(rows), &own, &type), NR_CHECK_PASSED);
    assert_int_equal(type, 37);
    /* The file's row missing (only another pid's at its value). */
    assert_int_equal(nr_check_rows(rows, 2, &own, &type), NR_CHECK_FAILED);
    /* Access read from the wrong place. */
    rows[2].access = 0x80;
    assert_int_equal(nr_check_rows(rows, ARRAY_SIZE(rows), &own, &type), NR_CHECK_FAILED);
    rows[2].access = 0x100080;
    /* The type read from the wrong place: both rows alike. */
    rows[3].type_index = 37;
    assert_int_equal(nr_check_rows(rows, ARRAY_SIZE(rows), &own, &type), NR_CHECK_FAILED);
    rows[3].type_index = 16;
    /* The other handle's row missing. */
    assert_int_equal(nr_check_rows(rows, 3, &own, &type), NR_CHECK_FAILED);
}

static void test_check_local_name(void **state)
{
    const struct nr_str prefix = { wine_prefix, LEN(wine_prefix) };

    (void)state;
    assert_int_equal(nr_check_local_name(n_local, LEN(n_local), &prefix, 1), NR_CHECK_PASSED);
    assert_int_equal(nr_check_local_name(n_local, 0, &prefix, 1), NR_CHECK_FAILED);
    assert_int_equal(nr_check_local_name(n_mup, LEN(n_mup), NULL, 0), NR_CHECK_FAILED);
    assert_int_equal(nr_check_local_name(n_wine, LEN(n_wine), &prefix, 1), NR_CHECK_FAILED);
    assert_int_equal(nr_check_local_name(n_wine, LEN(n_wine), NULL, 0), NR_CHECK_PASSED);
}

static void test_check_volume(void **state)
{
    (void)state;
    assert_int_equal(nr_check_volume(v_local, LEN(v_local), n_local, LEN(n_local)),
                     NR_CHECK_PASSED);
    assert_int_equal(nr_check_volume(v_local, 0, n_local, LEN(n_local)), NR_CHECK_FAILED);
    assert_int_equal(nr_check_volume(v_mup, LEN(v_mup), n_mup, LEN(n_mup)), NR_CHECK_FAILED);
    /* A volume the name does not lie under, or only shares a prefix with. */
    assert_int_equal(nr_check_volume(v_local, LEN(v_local), n_mup, LEN(n_mup)), NR_CHECK_FAILED);
    assert_int_equal(nr_check_volume(v_local, LEN(v_local), n_local10, LEN(n_local10)),
                     NR_CHECK_FAILED);
    assert_int_equal(nr_check_volume(v_local, LEN(v_local), v_local, LEN(v_local)),
                     NR_CHECK_FAILED);
    assert_true(nr_volume_is_mup(v_mup, LEN(v_mup)));
    assert_false(nr_volume_is_mup(v_mup, LEN(v_mup) - 1));
    assert_false(nr_volume_is_mup(v_local, LEN(v_local)));
}

static void test_names_and_text(void **state)
{
    struct nr_selfcheck checks;
    nr_char text[1024];
    struct fake_os f;
    const nr_char name[] = u"Same-Object";

    (void)state;
    assert_int_equal(nr_check_by_name(name, LEN(name)), NR_CHECK_SAME_OBJECT);
    assert_int_equal(nr_check_by_name(name, LEN(name) - 1), NR_CHECK_COUNT);
    for (enum nr_check c = 0; c < NR_CHECK_COUNT; c++) {
        const char *n = nr_check_name(c);
        nr_char wide[32];
        size_t len = strlen(n);

        for (size_t i = 0; i <= len; i++)
            wide[i] = (unsigned char)n[i];
        assert_int_equal(nr_check_by_name(wide, len), c);
    }

    memset(&checks, 0, sizeof(checks));
    checks.result[NR_CHECK_HANDLE_TABLE] = NR_CHECK_PASSED;
    checks.result[NR_CHECK_LOCAL_NAME] = NR_CHECK_FAILED;
    checks.result[NR_CHECK_SAME_OBJECT] = NR_CHECK_ABSENT;
    checks.detail[NR_CHECK_VOLUME_NAME] = 0xc0000002u;
    nr_selfcheck_format(&checks, text, ARRAY_SIZE(text));
    /* fake_report_has reads the text as a report. */
    memset(&f, 0, sizeof(f));
    f.report = text;
    assert_true(fake_report_has(&f, "self-check local-name failed on this machine"));
    assert_true(fake_report_has(&f, "prefilter is off"));
    assert_true(fake_report_has(&f, "handle-table: passed"));
    assert_true(fake_report_has(&f, "same-object: not available"));
    assert_true(fake_report_has(&f, "volume-name: not run (status 0xc0000002)"));
    checks.result[NR_CHECK_LOCAL_NAME] = NR_CHECK_PASSED;
    checks.result[NR_CHECK_VOLUME_NAME] = NR_CHECK_PASSED;
    nr_selfcheck_format(&checks, text, ARRAY_SIZE(text));
    assert_true(fake_report_has(&f, "reclaims of this process may close"));
    assert_true(fake_report_has(&f, "prefilter is on"));
    /* Truncated, always terminated. */
    assert_int_equal(nr_selfcheck_format(&checks, text, 8), 7);
    assert_int_equal(text[7], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_check_refuses), cmocka_unit_test(test_checks_that_allow),
        cmocka_unit_test(test_no_self_check),      cmocka_unit_test(test_prefilter_paths),
        cmocka_unit_test(test_check_rows),         cmocka_unit_test(test_check_local_name),
        cmocka_unit_test(test_check_volume),       cmocka_unit_test(test_names_and_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
