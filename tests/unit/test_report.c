/* report.c: the text of a plan, for the Event Log and the CLI. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_os.h"
#include "netreclaim/plan.h"

#define LUID_A 0x3e7aull
#define LUID_B 0x1a2b3ull

static const nr_char n_f[] = u"\\Device\\Mup\\srv\\share\\dir\\f.txt";
static const nr_char n_g[] = u"\\Device\\LanmanRedirector\\;Z:0000000000003e7a\\SRV\\Share\\g.txt";
static const nr_char n_other[] = u"\\Device\\Mup\\srv\\share2\\x";
static const nr_char n_local[] = u"\\Device\\HarddiskVolume3\\x";

struct text {
    nr_char buf[NR_PLAN_REPORT_MAX];
};

/* Whether NUL-terminated text holds the len units of s. */
static bool has_units(const nr_char *text, const nr_char *s, size_t len)
{
    size_t i, j;

    for (i = 0; text[i]; i++) {
        for (j = 0; j < len && text[i + j] == s[j]; j++)
            ;
        if (j == len)
            return true;
    }
    return false;
}

static bool has(const nr_char *text, const char *ascii)
{
    nr_char s[256];
    size_t len = strlen(ascii), i;

    assert_true(len < 256);
    for (i = 0; i < len; i++)
        s[i] = (unsigned char)ascii[i];
    return has_units(text, s, len);
}

static void build(struct fake_os *f, struct nr_plan *plan, int audit, size_t extra_rows)
{
    struct nr_reclaim_request req;
    size_t i;

    memset(&req, 0, sizeof(req));
    req.target = u"\\\\srv\\share";
    req.timeout_ms = 200;
    req.audit = audit;
    fake_init(f, LUID_A);
    fake_add_proc(f, 100, LUID_A, u"explorer.exe");
    fake_add_proc(f, 200, LUID_B, u"other.exe");
    fake_add_proc(f, 0x123456, LUID_A, u"indexer.exe");
    fake_add_handle(f, 100, 0x1a4, n_f);
    fake_add_handle(f, 100, 0x1a8, n_other);
    fake_add_handle(f, 100, 0x1ac, n_local);
    fake_add_handle(f, 200, 0x10, n_f);
    fake_add_handle(f, 0x123456, 0xfffffffffffffffcull, n_g);
    fake_add_handle(f, 0x123456, 0x20, n_f)->h.attributes = NR_HANDLE_PROTECT_FROM_CLOSE;
    for (i = 0; i < extra_rows; i++)
        fake_add_handle(f, 100, 0x1000 + 4 * i, n_f);
    assert_int_equal(nr_plan_build(&f->os, &req, plan), NR_OK);
}

static void test_format_enforce(void **state)
{
    static struct text t;
    struct fake_os f;
    struct nr_plan plan;
    size_t len;

    (void)state;
    build(&f, &plan, 0, 0);
    f.fail_at[FAKE_CLOSE_HANDLE] = 2;
    nr_plan_execute(&f.os, &plan);
    len = nr_plan_format(&plan, t.buf, NR_PLAN_REPORT_MAX);
    assert_int_equal(t.buf[len], 0);
    assert_int_equal(nr_strnlen(t.buf, NR_PLAN_REPORT_MAX), len);
    assert_true(has(t.buf, "netreclaim reclaim of \\\\srv\\share."));
    assert_true(
        has(t.buf, "Closed 1 of 2, failed 1, reused 0; 6 file handles of 6 handles examined."));
    assert_true(has(t.buf, "\r\nLeft 1 in another logon session."));
    assert_true(has(t.buf, "\r\nLeft 1 under another share or server."));
    assert_true(has(t.buf, "\r\nLeft 1 not a network file."));
    assert_true(has(t.buf, "\r\nLeft 1 protected from close."));
    assert_true(
        has(t.buf, "\r\nclosed: explorer.exe (pid 100) handle 0x1a4 \\\\srv\\share\\dir\\f.txt"));
    assert_true(has(
        t.buf, "\r\nclose failed, status -1: indexer.exe (pid 1193046) handle 0xfffffffffffffffc "
               "\\\\SRV\\Share\\g.txt"));
    assert_true(
        has(t.buf, "\r\nleft, protected from close: indexer.exe (pid 1193046) handle 0x20"));
    assert_false(has(t.buf, "other.exe"));
    assert_false(has(t.buf, "audit"));
    nr_plan_free(&plan);
    fake_free(&f);
}

/* A process that exits between the plan and the close (NR_GONE) is named as
 * such, not by a bare status. */
static void test_format_gone(void **state)
{
    static struct text t;
    struct fake_os f;
    struct nr_plan plan;

    (void)state;
    build(&f, &plan, 0, 0);
    f.fail_at[FAKE_CLOSE_HANDLE] = 2;
    f.fail_status[FAKE_CLOSE_HANDLE] = NR_GONE;
    nr_plan_execute(&f.os, &plan);
    nr_plan_format(&plan, t.buf, NR_PLAN_REPORT_MAX);
    assert_true(has(t.buf, "Closed 1 of 2, failed 1, reused 0;"));
    assert_true(has(t.buf, "\r\nclose failed, the process has exited: indexer.exe (pid 1193046) "
                           "handle 0xfffffffffffffffc \\\\SRV\\Share\\g.txt"));
    assert_false(has(t.buf, "status"));
    nr_plan_free(&plan);
    fake_free(&f);
}

static void test_format_audit(void **state)
{
    static struct text t;
    struct fake_os f;
    struct nr_plan plan;

    (void)state;
    build(&f, &plan, 1, 0);
    nr_plan_execute(&f.os, &plan);
    nr_plan_format(&plan, t.buf, NR_PLAN_REPORT_MAX);
    assert_true(has(t.buf, "netreclaim audit of \\\\srv\\share (audit mode: nothing is closed)."));
    assert_true(has(t.buf, "Would close 2;"));
    assert_true(has(t.buf, "\r\nwould close: explorer.exe (pid 100) handle 0x1a4"));
    assert_false(has(t.buf, "closed:"));
    nr_plan_free(&plan);
    fake_free(&f);
}

static void test_format_changed_and_planned(void **state)
{
    static struct text t;
    struct fake_os f;
    struct nr_plan plan;

    (void)state;
    build(&f, &plan, 0, 0);
    nr_plan_format(&plan, t.buf, NR_PLAN_REPORT_MAX);
    assert_true(has(t.buf, "\r\nto close: explorer.exe (pid 100)"));
    fake_find_handle(&f, 100, 0x1a4)->name = n_local;
    nr_plan_execute(&f.os, &plan);
    nr_plan_format(&plan, t.buf, NR_PLAN_REPORT_MAX);
    assert_true(has(t.buf, "reused 1;"));
    assert_true(has(t.buf, "\r\nleft, handle reused since the snapshot: explorer.exe (pid 100)"));
    nr_plan_free(&plan);
    fake_free(&f);
}

/* The CLI prints rows one by one: the same lines as the record. */
static void test_format_row_matches(void **state)
{
    static struct text t;
    nr_char line[512];
    struct fake_os f;
    struct nr_plan plan;
    size_t i, len;

    (void)state;
    build(&f, &plan, 0, 0);
    nr_plan_execute(&f.os, &plan);
    nr_plan_format(&plan, t.buf, NR_PLAN_REPORT_MAX);
    for (i = 0; i < plan.row_count; i++) {
        len = nr_plan_format_row(&plan, &plan.rows[i], line, 512);
        assert_int_equal(line[len], 0);
        assert_true(len > 20);
        assert_true(has_units(t.buf, line, len));
    }
    assert_int_equal(nr_plan_format_row(&plan, &plan.rows[0], line, 0), 0);
    assert_int_equal(nr_plan_format_row(&plan, &plan.rows[0], line, 8), 7);
    assert_int_equal(line[7], 0);
    nr_plan_free(&plan);
    fake_free(&f);
}

/* Any buffer size: never a unit past it, always terminated, rows whole or
 * counted in the closing note. */
static void test_format_every_size(void **state)
{
    static struct text full;
    struct fake_os f;
    struct nr_plan plan;
    nr_char *buf;
    size_t cch, len, full_len;

    (void)state;
    build(&f, &plan, 0, 40);
    nr_plan_execute(&f.os, &plan);
    full_len = nr_plan_format(&plan, full.buf, NR_PLAN_REPORT_MAX);
    assert_false(has(full.buf, "more handles not listed"));
    assert_int_equal(nr_plan_format(&plan, NULL, 0), 0);
    for (cch = 1; cch <= full_len + 1; cch++) {
        buf = malloc(cch * sizeof(nr_char));
        assert_non_null(buf);
        len = nr_plan_format(&plan, buf, cch);
        assert_true(len < cch);
        assert_int_equal(buf[len], 0);
        if (cch == full_len + 1)
            assert_memory_equal(buf, full.buf, (full_len + 1) * sizeof(nr_char));
        else if (cch > 600)
            assert_true(has(buf, " more handles not listed.)"));
        free(buf);
    }
    nr_plan_free(&plan);
    fake_free(&f);
}

static void test_truncation_count(void **state)
{
    struct fake_os f;
    struct nr_plan plan;
    nr_char *buf = malloc(1500 * sizeof(nr_char));
    size_t lines = 0, i, len;
    char note[64];

    (void)state;
    assert_non_null(buf);
    build(&f, &plan, 0, 100);
    nr_plan_execute(&f.os, &plan);
    len = nr_plan_format(&plan, buf, 1500);
    for (i = 0; i < len; i++)
        lines += buf[i] == '(' && i + 4 < len && buf[i + 1] == 'p' && buf[i + 4] == ' ';
    snprintf(note, sizeof(note), "(%zu more handles not listed.)", plan.row_count - lines);
    assert_true(lines > 3);
    assert_true(has(buf, note));
    nr_plan_free(&plan);
    fake_free(&f);
    free(buf);
}

static void test_format_failed_plan(void **state)
{
    static struct text t;
    struct fake_os f;
    struct nr_plan plan;
    struct nr_reclaim_request req;

    (void)state;
    memset(&req, 0, sizeof(req));
    req.target = u"\\\\srv\\share";
    fake_init(&f, LUID_A);
    f.fail_at[FAKE_SNAPSHOT] = 1;
    assert_int_equal(nr_plan_build(&f.os, &req, &plan), NR_ERROR);
    nr_plan_format(&plan, t.buf, NR_PLAN_REPORT_MAX);
    assert_true(has(t.buf, "netreclaim reclaim of \\\\srv\\share.\r\n"
                           "Stopped before closing anything: handle snapshot failed, status -1."));
    nr_plan_free(&plan);

    req.target = NULL;
    assert_int_equal(nr_plan_build(&f.os, &req, &plan), NR_ERROR);
    nr_plan_format(&plan, t.buf, NR_PLAN_REPORT_MAX);
    assert_true(has(t.buf, "Stopped before closing anything: target failed"));
    nr_plan_free(&plan);
    fake_free(&f);
}

/* Each plan's record reports its outcome (netreclaim/events.h), and the
 * outcome's level is the one admins filter on. */
static void test_report_event(void **state)
{
    static const nr_char *const connected[] = { u"\\\\srv\\share" };
    struct fake_os f;
    struct nr_plan plan;
    struct nr_reclaim_request req;

    (void)state;
    /* A protect-from-close handle under the target stays: a warning. */
    build(&f, &plan, 0, 0);
    nr_plan_execute(&f.os, &plan);
    nr_plan_report(&f.os, &plan);
    assert_int_equal(f.calls[FAKE_REPORT], 1);
    assert_int_equal(f.report_event, NR_EVENT_RECLAIM_PARTIAL);
    assert_int_equal(nr_event_severity(f.report_event), NR_WARNING);
    assert_true(fake_report_has(&f, "closed: explorer.exe (pid 100)"));
    nr_plan_free(&plan);
    fake_free(&f);

    /* Audit: would close, whatever is left; nothing closed. */
    build(&f, &plan, 1, 0);
    nr_plan_execute(&f.os, &plan);
    nr_plan_report(&f.os, &plan);
    assert_int_equal(f.report_event, NR_EVENT_RECLAIM_AUDIT);
    assert_int_equal(nr_event_severity(f.report_event), NR_INFO);
    assert_int_equal(f.closed_count, 0);
    assert_true(fake_report_has(&f, "would close: explorer.exe (pid 100)"));
    nr_plan_free(&plan);
    fake_free(&f);

    /* A close that failed: a failure. */
    build(&f, &plan, 0, 0);
    f.fail_at[FAKE_CLOSE_HANDLE] = 1;
    nr_plan_execute(&f.os, &plan);
    nr_plan_report(&f.os, &plan);
    assert_int_equal(f.report_event, NR_EVENT_RECLAIM_CLOSE_FAILED);
    assert_int_equal(nr_event_severity(f.report_event), NR_FAILURE);
    nr_plan_free(&plan);
    fake_free(&f);

    /* All closed, nothing in the way: information. */
    memset(&req, 0, sizeof(req));
    req.target = u"\\\\srv\\share";
    fake_init(&f, LUID_A);
    fake_add_proc(&f, 100, LUID_A, u"explorer.exe");
    fake_add_handle(&f, 100, 0x4, n_f);
    fake_add_handle(&f, 100, 0x8, n_local);
    assert_int_equal(nr_plan_build(&f.os, &req, &plan), NR_OK);
    nr_plan_execute(&f.os, &plan);
    nr_plan_report(&f.os, &plan);
    assert_int_equal(f.report_event, NR_EVENT_RECLAIM_CLOSED);
    assert_int_equal(nr_event_severity(f.report_event), NR_INFO);
    assert_true(fake_report_has(&f, "Closed 1 of 1"));
    nr_plan_free(&plan);

    /* A share still connected keeps its handles: a warning. */
    req.connected = connected;
    req.connected_count = 1;
    fake_add_handle(&f, 100, 0xc, n_f);
    assert_int_equal(nr_plan_build(&f.os, &req, &plan), NR_OK);
    nr_plan_report(&f.os, &plan);
    assert_int_equal(f.report_event, NR_EVENT_RECLAIM_PARTIAL);
    assert_true(fake_report_has(&f, "Left 1 under a share still connected."));
    nr_plan_free(&plan);

    /* Planning failed: a failure. */
    f.fail_at[FAKE_CALLER_LUID] = 3;
    nr_plan_build(&f.os, &req, &plan);
    nr_plan_report(&f.os, &plan);
    assert_int_equal(f.report_event, NR_EVENT_RECLAIM_STOPPED);
    assert_int_equal(nr_event_severity(f.report_event), NR_FAILURE);
    assert_true(fake_report_has(&f, "caller logon session failed"));
    nr_plan_free(&plan);
    fake_free(&f);
}

/* A record when something was found, could not be looked at, or may have
 * been missed; none for a clean look that found nothing, or for handles
 * only skipped as blocked earlier (the first record said so). */
static void test_worth_telling(void **state)
{
    struct nr_plan plan;

    (void)state;
    memset(&plan, 0, sizeof(plan));
    assert_false(nr_plan_worth_telling(&plan));
    plan.reasons[NR_REASON_BLOCKED_EARLIER] = 3;
    plan.reasons[NR_REASON_OTHER_SHARE] = 9;
    assert_false(nr_plan_worth_telling(&plan));
    plan.reasons[NR_REASON_LIMIT] = 1; /* every worker stuck: queries refused */
    assert_true(nr_plan_worth_telling(&plan));
    plan.reasons[NR_REASON_LIMIT] = 0;
    plan.reasons[NR_REASON_NAME_TIMEOUT] = 1;
    assert_true(nr_plan_worth_telling(&plan));
    plan.reasons[NR_REASON_NAME_TIMEOUT] = 0;
    plan.row_count = 1;
    assert_true(nr_plan_worth_telling(&plan));
    plan.row_count = 0;
    plan.status = NR_ERROR;
    assert_true(nr_plan_worth_telling(&plan));
}

static void test_reason_texts(void **state)
{
    int i, j;

    (void)state;
    for (i = 0; i < NR_REASON_COUNT; i++) {
        assert_string_not_equal(nr_reason_text(i), "unknown");
        for (j = 0; j < i; j++)
            assert_string_not_equal(nr_reason_text(i), nr_reason_text(j));
    }
    assert_string_equal(nr_reason_text(NR_REASON_COUNT), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_enforce),
        cmocka_unit_test(test_format_gone),
        cmocka_unit_test(test_format_audit),
        cmocka_unit_test(test_format_changed_and_planned),
        cmocka_unit_test(test_format_row_matches),
        cmocka_unit_test(test_format_every_size),
        cmocka_unit_test(test_truncation_count),
        cmocka_unit_test(test_format_failed_plan),
        cmocka_unit_test(test_report_event),
        cmocka_unit_test(test_worth_telling),
        cmocka_unit_test(test_reason_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
