/* handoff.c: where a reclaim runs (docs/design.md rule 6, WOW64). Native: in
 * process, netreclaim.exe never asked for. WOW64: netreclaim.exe, given the
 * caller's LUID; each way it can do nothing is one Event Log record per
 * cause per process, and the route says nothing was done. The command line
 * quotes as CommandLineToArgvW splits; LUIDs parse exactly. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "netreclaim/handoff.h"

#define EXE u"C:\\Program Files\\NetReclaim\\netreclaim.exe"
#define TARGET u"\\\\srv\\share"

struct fake {
    int wow64;
    int recorded; /* recorded_exe's status */
    int native;   /* exe_native's status */
    int luid_status;
    uint64_t luid;
    int run_status; /* run's status */
    uint32_t exit_code;
    /* what the decision did */
    int native_calls, run_calls, reports;
    uint32_t wait_ms;
    nr_char cmdline[4096];
    nr_char report[4096];
    enum nr_event event;
};

static size_t ulen(const nr_char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

static void ucopy(nr_char *dst, size_t cch, const nr_char *src)
{
    size_t n = ulen(src);

    assert_true(n < cch);
    memcpy(dst, src, (n + 1) * sizeof(*src));
}

/* ASCII text contained in a UTF-16 string. */
static int contains(const nr_char *s, const char *ascii)
{
    const size_t n = ulen(s), m = strlen(ascii);

    for (size_t i = 0; i + m <= n; i++) {
        size_t j = 0;

        while (j < m && s[i + j] == (unsigned char)ascii[j])
            j++;
        if (j == m)
            return 1;
    }
    return 0;
}

static int equals(const nr_char *a, const nr_char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static int f_wow64(void *ctx)
{
    return ((struct fake *)ctx)->wow64;
}

static int f_recorded(void *ctx, nr_char *path, size_t cch)
{
    struct fake *f = ctx;

    if (f->recorded == NR_OK)
        ucopy(path, cch, EXE);
    return f->recorded;
}

static int f_native(void *ctx, const nr_char *path)
{
    struct fake *f = ctx;

    assert_true(equals(path, EXE));
    f->native_calls++;
    return f->native;
}

static int f_luid(void *ctx, uint64_t *luid)
{
    struct fake *f = ctx;

    *luid = f->luid;
    return f->luid_status;
}

static int f_run(void *ctx, const nr_char *path, const nr_char *cmdline, uint32_t wait_ms,
                 uint32_t *exit_code)
{
    struct fake *f = ctx;

    assert_true(equals(path, EXE));
    f->run_calls++;
    f->wait_ms = wait_ms;
    ucopy(f->cmdline, 4096, cmdline);
    *exit_code = f->exit_code;
    return f->run_status;
}

static void f_report(void *ctx, enum nr_event event, const nr_char *text)
{
    struct fake *f = ctx;

    f->reports++;
    f->event = event;
    ucopy(f->report, 4096, text);
}

/* A WOW64 process whose hand-off works, unless a test says otherwise. */
static void setup(struct fake *f, struct nr_handoff_os *os)
{
    memset(f, 0, sizeof(*f));
    f->wow64 = 1;
    f->luid = 0x1234abcdull;
    os->ctx = f;
    os->wow64 = f_wow64;
    os->recorded_exe = f_recorded;
    os->exe_native = f_native;
    os->caller_luid = f_luid;
    os->run = f_run;
    os->report = f_report;
}

static enum nr_route route(const struct nr_handoff_os *os, struct nr_handoff_told *told)
{
    return nr_handoff_route(os, TARGET, 4000, told);
}

static void native_reclaims_in_process(void **state)
{
    struct nr_handoff_told told = { 0 };
    struct nr_handoff_os os;
    struct fake f;

    (void)state;
    setup(&f, &os);
    f.wow64 = 0;
    f.recorded = NR_GONE; /* even with no exe recorded: nothing changes */
    if (route(&os, &told) != NR_ROUTE_IN_PROCESS)
        fail_msg("a native process must reclaim in process, not hand off");
    if (f.run_calls || f.native_calls || f.reports)
        fail_msg("a native process asked about netreclaim.exe (%d runs, %d checks, %d records)",
                 f.run_calls, f.native_calls, f.reports);
}

/* Zero never acts: a route nobody chose is not one to reclaim in process. */
static void zero_route_reclaims_nothing(void **state)
{
    static const enum nr_route unchosen;

    (void)state;
    assert_int_equal(unchosen, NR_ROUTE_NONE);
}

static void wow64_hands_off_with_the_callers_luid(void **state)
{
    struct nr_handoff_told told = { 0 };
    struct nr_handoff_os os;
    struct fake f;

    (void)state;
    setup(&f, &os);
    if (route(&os, &told) != NR_ROUTE_HANDED_OFF)
        fail_msg("a WOW64 process whose netreclaim.exe works must hand off");
    assert_int_equal(f.run_calls, 1);
    assert_int_equal(f.wait_ms, 4000);
    assert_true(
        equals(f.cmdline, u"\"" EXE u"\" reclaim \"" TARGET u"\" --luid 0x000000001234abcd"));
    /* netreclaim.exe writes the record, as an in-process reclaim would. */
    assert_int_equal(f.reports, 0);
    /* Some closes failed: its own record says so, still handed off. */
    f.exit_code = NR_EXIT_PARTIAL;
    assert_int_equal(route(&os, &told), NR_ROUTE_HANDED_OFF);
    assert_int_equal(f.reports, 0);
}

/* One failing case: the route, one record of the cause's own event naming
 * the cause, none the second time in the same process. */
static void expect_told(struct fake *f, const struct nr_handoff_os *os, enum nr_event event,
                        const char *cause)
{
    struct nr_handoff_told told = { 0 };

    if (route(os, &told) != NR_ROUTE_NONE)
        fail_msg("\"%s\": the route must say nothing was done", cause);
    if (f->reports != 1)
        fail_msg("\"%s\": %d Event Log record(s), expected 1 (never silent)", cause, f->reports);
    if (f->event != event)
        fail_msg("\"%s\": event %d, expected %d", cause, (int)f->event, (int)event);
    assert_int_equal(nr_event_severity(f->event), NR_WARNING);
    if (!contains(f->report, cause) || !contains(f->report, "\\\\srv\\share") ||
        !contains(f->report, "The cancel itself succeeded"))
        fail_msg("record without \"%s\", the target or the stock result", cause);
    route(os, &told);
    if (f->reports != 1)
        fail_msg("\"%s\": %d records after a second cancel, expected 1 per process", cause,
                 f->reports);
}

static void wow64_no_exe_recorded(void **state)
{
    struct nr_handoff_os os;
    struct fake f;

    (void)state;
    setup(&f, &os);
    f.recorded = NR_GONE;
    expect_told(&f, &os, NR_EVENT_HANDOFF_NO_RECORD, "no netreclaim.exe is recorded");
    assert_int_equal(f.run_calls, 0);
}

static void wow64_exe_missing(void **state)
{
    struct nr_handoff_os os;
    struct fake f;

    (void)state;
    setup(&f, &os);
    f.native = NR_GONE;
    expect_told(&f, &os, NR_EVENT_HANDOFF_EXE_MISSING, "netreclaim.exe is missing: C:\\Program Files\\NetReclaim");
    assert_int_equal(f.run_calls, 0);
}

static void wow64_exe_not_native(void **state)
{
    struct nr_handoff_os os;
    struct fake f;

    (void)state;
    setup(&f, &os);
    f.native = NR_ERROR;
    expect_told(&f, &os, NR_EVENT_HANDOFF_NOT_NATIVE, "not built for this machine's native processes");
    assert_int_equal(f.run_calls, 0);
}

static void wow64_no_luid(void **state)
{
    struct nr_handoff_os os;
    struct fake f;

    (void)state;
    setup(&f, &os);
    f.luid_status = NR_ERROR;
    expect_told(&f, &os, NR_EVENT_HANDOFF_NO_LUID, "logon session cannot be read");
    assert_int_equal(f.run_calls, 0);
}

static void wow64_spawn_fails(void **state)
{
    struct nr_handoff_os os;
    struct fake f;

    (void)state;
    setup(&f, &os);
    f.run_status = NR_ERROR;
    expect_told(&f, &os, NR_EVENT_HANDOFF_SPAWN_FAILED, "could not be started");
}

static void wow64_times_out(void **state)
{
    struct nr_handoff_os os;
    struct fake f;

    (void)state;
    setup(&f, &os);
    f.run_status = NR_TIMEOUT;
    expect_told(&f, &os, NR_EVENT_HANDOFF_TIMED_OUT, "left to finish on its own");
}

static void wow64_exe_refuses_another_session(void **state)
{
    struct nr_handoff_os os;
    struct fake f;

    (void)state;
    setup(&f, &os);
    f.exit_code = NR_EXIT_WRONG_SESSION;
    expect_told(&f, &os, NR_EVENT_HANDOFF_WRONG_SESSION, "another logon session than the caller");
}

static void wow64_exe_fails(void **state)
{
    struct nr_handoff_os os;
    struct fake f;

    (void)state;
    setup(&f, &os);
    f.exit_code = 1;
    expect_told(&f, &os, NR_EVENT_HANDOFF_FAILED, "failed, exit code 1.");
}

/* Each cause has its own once: a timeout does not hide a later failure. */
static void each_cause_told_once(void **state)
{
    struct nr_handoff_told told = { 0 };
    struct nr_handoff_os os;
    struct fake f;

    (void)state;
    setup(&f, &os);
    f.run_status = NR_TIMEOUT;
    assert_int_equal(route(&os, &told), NR_ROUTE_NONE);
    assert_int_equal(route(&os, &told), NR_ROUTE_NONE);
    f.run_status = NR_OK;
    f.exit_code = 2;
    assert_int_equal(route(&os, &told), NR_ROUTE_NONE);
    assert_int_equal(route(&os, &told), NR_ROUTE_NONE);
    assert_int_equal(f.reports, 2);
    /* A success in between tells nothing and forgets nothing. */
    f.exit_code = 0;
    assert_int_equal(route(&os, &told), NR_ROUTE_HANDED_OFF);
    assert_int_equal(f.reports, 2);
}

static void command_quotes_as_argv_splits(void **state)
{
    nr_char buf[256];

    (void)state;
    /* Trailing backslashes before the closing quote are doubled. */
    assert_true(nr_handoff_command(buf, 256, u"C:\\nr.exe", u"\\\\srv\\my share\\", 0xff));
    assert_true(equals(buf, u"\"C:\\nr.exe\" reclaim \"\\\\srv\\my share\\\\\" --luid "
                            u"0x00000000000000ff"));
    assert_true(nr_handoff_command(buf, 256, u"C:\\nr.exe", TARGET, UINT64_MAX));
    assert_true(contains(buf, "--luid 0xffffffffffffffff"));
    /* No quote may end an argument early; nothing that does not fit. */
    assert_false(nr_handoff_command(buf, 256, u"C:\\nr.exe", u"\\\\srv\\a\" --x", 1));
    assert_false(nr_handoff_command(buf, 256, u"C:\\n\"r.exe", TARGET, 1));
    assert_false(nr_handoff_command(buf, 256, u"", TARGET, 1));
    assert_false(nr_handoff_command(buf, 40, u"C:\\nr.exe", TARGET, 1));
    assert_int_equal(buf[0] == 0 || ulen(buf) < 40, 1);
}

static void luid_parses_exactly(void **state)
{
    uint64_t luid = 7;

    (void)state;
    assert_true(nr_parse_luid(u"0x3e7", 5, &luid));
    assert_true(luid == 0x3e7);
    assert_true(nr_parse_luid(u"0XFFFFFFFFFFFFFFFF", 18, &luid));
    assert_true(luid == UINT64_MAX);
    luid = 7;
    assert_false(nr_parse_luid(u"0x", 2, &luid));
    assert_false(nr_parse_luid(u"3e7", 3, &luid));
    assert_false(nr_parse_luid(u"0x3g7", 5, &luid));
    assert_false(nr_parse_luid(u"0x10000000000000000", 19, &luid));
    assert_false(nr_parse_luid(u"-0x1", 4, &luid));
    assert_true(luid == 7);
}

static void wait_follows_the_policy_within_bounds(void **state)
{
    (void)state;
    assert_int_equal(nr_handoff_wait_ms(200), 4000);
    assert_int_equal(nr_handoff_wait_ms(10), 2100);
    assert_int_equal(nr_handoff_wait_ms(5000), NR_HANDOFF_WAIT_MAX_MS);
    assert_int_equal(nr_handoff_wait_ms(UINT32_MAX), NR_HANDOFF_WAIT_MAX_MS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(native_reclaims_in_process),
        cmocka_unit_test(zero_route_reclaims_nothing),
        cmocka_unit_test(wow64_hands_off_with_the_callers_luid),
        cmocka_unit_test(wow64_no_exe_recorded),
        cmocka_unit_test(wow64_exe_missing),
        cmocka_unit_test(wow64_exe_not_native),
        cmocka_unit_test(wow64_no_luid),
        cmocka_unit_test(wow64_spawn_fails),
        cmocka_unit_test(wow64_times_out),
        cmocka_unit_test(wow64_exe_refuses_another_session),
        cmocka_unit_test(wow64_exe_fails),
        cmocka_unit_test(each_cause_told_once),
        cmocka_unit_test(command_quotes_as_argv_splits),
        cmocka_unit_test(luid_parses_exactly),
        cmocka_unit_test(wait_follows_the_policy_within_bounds),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
