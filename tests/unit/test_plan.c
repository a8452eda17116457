/* plan.c through the fake seam: what is closed, what is left and why, the
 * bounds, and every seam call failing in turn. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fake_os.h"
#include "netreclaim/plan.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define LUID_A 0x3e7aull
#define LUID_B 0x1a2b3ull
#define LUID_C 0x99999999ull

static const nr_char target[] = u"\\\\srv\\share";
static const nr_char n_mup[] = u"\\Device\\Mup\\srv\\share\\f.txt";
static const nr_char n_mup_case[] = u"\\DEVICE\\MUP\\SRV\\SHARE\\dir";
static const nr_char n_lanman[] =
    u"\\Device\\LanmanRedirector\\;Z:0000000000003e7a\\srv\\share\\d\\g.txt";
static const nr_char n_mup_luid[] =
    u"\\Device\\Mup\\;LanmanRedirector\\;Z:000000000001a2b3\\srv\\share\\h";
static const nr_char n_mup_luid_a[] =
    u"\\Device\\Mup\\;LanmanRedirector\\;Z:0000000000003E7A\\srv\\share\\h";
static const nr_char n_wine[] = u"\\??\\Z:\\tmp\\pfx\\dosdevices\\unc\\srv\\share\\w.txt";
static const nr_char n_share2[] = u"\\Device\\Mup\\srv\\share2\\x";
static const nr_char n_srvx[] = u"\\Device\\Mup\\srvx\\share\\x";
static const nr_char n_keep[] = u"\\Device\\Mup\\srv\\keep\\x";
static const nr_char n_server[] = u"\\Device\\Mup\\srv";
static const nr_char n_dotdot[] = u"\\Device\\Mup\\srv\\share\\a\\..\\..\\share2\\x";
static const nr_char n_local[] = u"\\Device\\HarddiskVolume3\\Windows\\x.dll";
static const nr_char n_pipe[] = u"\\Device\\NamedPipe\\wkssvc";
static const nr_char n_empty[] = u"";
static const nr_char wine_prefix[] = u"\\??\\Z:\\tmp\\pfx\\dosdevices\\unc";

static const nr_char *const prefixes[] = { NULL, wine_prefix, u"" };

static struct nr_reclaim_request request(const nr_char *t)
{
    struct nr_reclaim_request req;

    memset(&req, 0, sizeof(req));
    req.target = t;
    req.prefixes = prefixes;
    req.prefix_count = ARRAY_SIZE(prefixes);
    req.timeout_ms = 200;
    return req;
}

static size_t reason_sum(const struct nr_plan *plan)
{
    size_t i, sum = 0;

    for (i = 0; i < NR_REASON_COUNT; i++)
        sum += plan->reasons[i];
    return sum;
}

static const struct nr_plan_row *find_row(const struct nr_plan *plan, uint32_t pid, uint64_t value)
{
    size_t i;

    for (i = 0; i < plan->row_count; i++)
        if (plan->rows[i].pid == pid && plan->rows[i].value == value)
            return &plan->rows[i];
    return NULL;
}

/* Build and check the invariants every successful plan keeps. */
static void build_ok(struct fake_os *f, const struct nr_reclaim_request *req, struct nr_plan *plan)
{
    assert_int_equal(nr_plan_build(&f->os, req, plan), NR_OK);
    assert_int_equal(plan->status, NR_OK);
    assert_null(plan->failed_step);
    assert_int_equal(reason_sum(plan), plan->file_count);
    assert_int_equal(f->snapshots_out, 0);
}

static void test_closes_only_under_target(void **state)
{
    struct nr_reclaim_request req = request(target);
    struct fake_os f;
    struct nr_plan plan;

    (void)state;
    fake_init(&f, LUID_A);
    fake_add_proc(&f, 100, LUID_A, u"explorer.exe");
    fake_add_proc(&f, 200, LUID_A, u"notepad.exe");
    fake_add_handle(&f, 100, 0x10, n_mup);
    fake_add_handle(&f, 100, 0x14, n_share2);
    fake_add_handle(&f, 100, 0x18, n_srvx);
    fake_add_handle(&f, 100, 0x1c, n_local);
    fake_add_handle(&f, 100, 0x20, n_mup)->h.type_index = FAKE_OTHER_TYPE;
    fake_add_handle(&f, 200, 0x4, n_lanman);
    fake_add_handle(&f, 200, 0x8, n_wine);
    fake_add_handle(&f, 200, 0xc, n_empty);
    fake_add_handle(&f, 200, 0x10, n_pipe);
    fake_add_handle(&f, 200, 0x14, n_dotdot);
    fake_add_handle(&f, 200, 0x18, n_mup_case);

    build_ok(&f, &req, &plan);
    assert_int_equal(plan.handle_count, 11);
    assert_int_equal(plan.file_count, 10);
    assert_int_equal(plan.row_count, 4);
    assert_int_equal(plan.reasons[NR_REASON_CLOSE], 4);
    assert_int_equal(plan.reasons[NR_REASON_OTHER_SHARE], 2);
    assert_int_equal(plan.reasons[NR_REASON_NOT_NETWORK], 4);
    assert_int_equal(f.calls[FAKE_QUERY_NAME], 10);
    assert_int_equal(f.calls[FAKE_CLOSE_HANDLE], 0);
    assert_non_null(find_row(&plan, 100, 0x10));
    assert_true(nr_equal_nocase(find_row(&plan, 100, 0x10)->image, 12, u"explorer.exe", 12));

    assert_int_equal(nr_plan_execute(&f.os, &plan), 4);
    assert_int_equal(f.closed_count, 4);
    assert_true(fake_was_closed(&f, 100, 0x10));
    assert_true(fake_was_closed(&f, 200, 0x4));
    assert_true(fake_was_closed(&f, 200, 0x8));
    assert_true(fake_was_closed(&f, 200, 0x18));
    assert_int_equal(find_row(&plan, 200, 0x8)->result, NR_ROW_CLOSED);
    nr_plan_free(&plan);
    fake_free(&f);
}

/* Pipe ends told by the snapshot's access mask are ruled out with no name
 * query; a document's usual read/write mask is queried and closed. */
static void test_pipe_access(void **state)
{
    struct nr_reclaim_request req = request(target);
    struct fake_os f;
    struct nr_plan plan;

    (void)state;
    fake_init(&f, LUID_A);
    fake_add_proc(&f, 100, LUID_A, u"explorer.exe");
    fake_add_handle(&f, 100, 0x10, n_pipe)->h.access = 0x00120189;
    fake_add_handle(&f, 100, 0x14, n_pipe)->h.access = 0x00120196;
    fake_add_handle(&f, 100, 0x18, n_pipe)->h.access = 0x001a019f;
    fake_add_handle(&f, 100, 0x1c, n_mup)->h.access = 0x00100000;
    fake_add_handle(&f, 100, 0x20, n_mup)->h.access = 0x0012019f;
    fake_add_handle(&f, 100, 0x24, n_mup)->h.access = 0x0012018b; /* near, not equal */

    build_ok(&f, &req, &plan);
    assert_int_equal(plan.reasons[NR_REASON_PIPE_ACCESS], 4);
    assert_int_equal(f.calls[FAKE_QUERY_NAME], 2);
    assert_int_equal(plan.reasons[NR_REASON_CLOSE], 2);
    assert_int_equal(nr_plan_execute(&f.os, &plan), 2);
    assert_true(fake_was_closed(&f, 100, 0x20));
    assert_true(fake_was_closed(&f, 100, 0x24));
    assert_false(fake_was_closed(&f, 100, 0x1c));
    nr_plan_free(&plan);
    fake_free(&f);
}

/* The optional device prefilter: a local device is ruled out with no name
 * query; a remote one, or one the check cannot tell, is queried as before. */
static unsigned long device_calls;

static int device_by_name(void *ctx, uint32_t pid, uint64_t value, int *remote)
{
    struct fake_handle *h = fake_find_handle(ctx, pid, value);

    device_calls++;
    if (!h || !h->name || h->name == n_pipe)
        return NR_ERROR; /* cannot tell */
    *remote = h->name != n_local;
    return NR_OK;
}

static void test_device_prefilter(void **state)
{
    struct nr_reclaim_request req = request(target);
    struct fake_os f;
    struct nr_plan plan;

    (void)state;
    device_calls = 0;
    fake_init(&f, LUID_A);
    f.os.file_device = device_by_name;
    fake_add_proc(&f, 100, LUID_A, u"explorer.exe");
    fake_add_proc(&f, 200, LUID_B, u"other.exe");
    fake_add_handle(&f, 100, 0x10, n_mup);
    fake_add_handle(&f, 100, 0x14, n_local);
    fake_add_handle(&f, 100, 0x18, n_local);
    fake_add_handle(&f, 100, 0x1c, n_pipe);
    fake_add_handle(&f, 100, 0x20, n_share2);
    fake_add_handle(&f, 200, 0x4, n_local);

    build_ok(&f, &req, &plan);
    assert_int_equal(device_calls, 5);             /* the session's File handles only */
    assert_int_equal(f.calls[FAKE_QUERY_NAME], 3); /* n_mup, n_pipe (unknown), n_share2 */
    assert_int_equal(plan.reasons[NR_REASON_CLOSE], 1);
    assert_int_equal(plan.reasons[NR_REASON_NOT_NETWORK], 3);
    assert_int_equal(plan.reasons[NR_REASON_OTHER_SHARE], 1);
    assert_int_equal(plan.reasons[NR_REASON_OTHER_SESSION], 1);
    assert_int_equal(nr_plan_execute(&f.os, &plan), 1);
    assert_true(fake_was_closed(&f, 100, 0x10));
    nr_plan_free(&plan);
    fake_free(&f);
}

/* Wine shows one logon session only: sessions are proven here. */
static void test_session_scoping(void **state)
{
    static const uint64_t callers[] = { LUID_A, LUID_B };
    struct nr_reclaim_request req = request(target);
    struct fake_os f;
    struct nr_plan plan;
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(callers); i++) {
        fake_init(&f, callers[i]);
        fake_add_proc(&f, 300, LUID_C, u"svc.exe");
        fake_add_proc(&f, 100, LUID_A, u"a.exe");
        fake_add_proc(&f, 200, LUID_B, u"b.exe");
        fake_add_proc(&f, 400, LUID_A, u"a2.exe");
        /* Interleaved pids: the process table must not depend on order. */
        fake_add_handle(&f, 400, 0x4, n_mup);
        fake_add_handle(&f, 100, 0x4, n_mup);
        fake_add_handle(&f, 200, 0x4, n_mup_luid);
        fake_add_handle(&f, 300, 0x4, n_mup);
        fake_add_handle(&f, 100, 0x8, n_lanman);
        fake_add_handle(&f, 200, 0x8, n_mup);
        fake_add_handle(&f, 300, 0x8, n_mup);
        fake_add_handle(&f, 400, 0x8, n_mup);

        build_ok(&f, &req, &plan);
        assert_int_equal(f.calls[FAKE_PROCESS_LUID], 4); /* once per pid */
        nr_plan_execute(&f.os, &plan);
        if (callers[i] == LUID_A) {
            assert_int_equal(plan.reasons[NR_REASON_OTHER_SESSION], 4);
            assert_int_equal(f.calls[FAKE_PROCESS_IMAGE], 2);
            assert_int_equal(f.closed_count, 4);
            assert_true(fake_was_closed(&f, 100, 0x4) && fake_was_closed(&f, 100, 0x8));
            assert_true(fake_was_closed(&f, 400, 0x4) && fake_was_closed(&f, 400, 0x8));
        } else {
            assert_int_equal(plan.reasons[NR_REASON_OTHER_SESSION], 6);
            assert_int_equal(f.calls[FAKE_PROCESS_IMAGE], 1);
            assert_int_equal(f.closed_count, 2);
            assert_true(fake_was_closed(&f, 200, 0x4) && fake_was_closed(&f, 200, 0x8));
        }
        assert_int_equal(f.calls[FAKE_QUERY_NAME], f.closed_count);
        nr_plan_free(&plan);
        fake_free(&f);
    }
}

/* A process whose token or image cannot be read is never touched, nor
 * are its handles' names asked for. */
static void test_protected_processes(void **state)
{
    struct nr_reclaim_request req = request(target);
    struct fake_os f;
    struct nr_plan plan;

    (void)state;
    fake_init(&f, LUID_A);
    fake_add_proc(&f, 100, LUID_A, u"ok.exe");
    fake_add_proc(&f, 200, LUID_A, u"lsass.exe");
    fake_add_proc(&f, 300, LUID_A, NULL);
    fake_add_proc(&f, 500, LUID_A, u"");
    fake_find_proc(&f, 200)->luid_status = NR_ERROR;
    fake_add_handle(&f, 100, 0x4, n_mup);
    fake_add_handle(&f, 200, 0x4, n_mup);
    fake_add_handle(&f, 300, 0x4, n_mup);
    fake_add_handle(&f, 400, 0x4, n_mup); /* no such process any more */
    fake_add_handle(&f, 500, 0x4, n_mup);

    build_ok(&f, &req, &plan);
    assert_int_equal(plan.reasons[NR_REASON_PROTECTED], 4);
    assert_int_equal(plan.reasons[NR_REASON_CLOSE], 1);
    assert_int_equal(f.calls[FAKE_QUERY_NAME], 1);
    nr_plan_execute(&f.os, &plan);
    assert_int_equal(f.closed_count, 1);
    assert_true(fake_was_closed(&f, 100, 0x4));
    nr_plan_free(&plan);
    fake_free(&f);
}

static void test_excluded_process(void **state)
{
    static const nr_char *const excluded[] = { NULL, u"Explorer.EXE", u"other.exe" };
    struct nr_reclaim_request req = request(target);
    struct fake_os f;
    struct nr_plan plan;

    (void)state;
    req.excluded = excluded;
    req.excluded_count = ARRAY_SIZE(excluded);
    fake_init(&f, LUID_A);
    fake_add_proc(&f, 100, LUID_A, u"explorer.exe");
    fake_add_proc(&f, 200, LUID_A, u"explorer.exe.bak");
    fake_add_handle(&f, 100, 0x4, n_mup);
    fake_add_handle(&f, 100, 0x8, n_lanman);
    fake_add_handle(&f, 200, 0x4, n_mup);

    build_ok(&f, &req, &plan);
    assert_int_equal(plan.reasons[NR_REASON_EXCLUDED], 2);
    assert_int_equal(f.calls[FAKE_QUERY_NAME], 1);
    nr_plan_execute(&f.os, &plan);
    assert_int_equal(f.closed_count, 1);
    assert_true(fake_was_closed(&f, 200, 0x4));
    nr_plan_free(&plan);
    fake_free(&f);
}

static void test_protect_from_close(void **state)
{
    struct nr_reclaim_request req = request(target);
    struct fake_os f;
    struct nr_plan plan;

    (void)state;
    fake_init(&f, LUID_A);
    fake_add_proc(&f, 100, LUID_A, u"app.exe");
    fake_add_handle(&f, 100, 0x4, n_mup)->h.attributes =
        NR_HANDLE_PROTECT_FROM_CLOSE | NR_HANDLE_INHERIT;
    fake_add_handle(&f, 100, 0x8, n_mup)->h.attributes = NR_HANDLE_INHERIT;
    fake_add_handle(&f, 100, 0xc, n_share2)->h.attributes = NR_HANDLE_PROTECT_FROM_CLOSE;

    build_ok(&f, &req, &plan);
    assert_int_equal(plan.row_count, 2);
    assert_int_equal(find_row(&plan, 100, 0x4)->reason, NR_REASON_PROTECT_FROM_CLOSE);
    assert_int_equal(plan.reasons[NR_REASON_PROTECT_FROM_CLOSE], 1);
    assert_int_equal(plan.reasons[NR_REASON_OTHER_SHARE], 1);
    nr_plan_execute(&f.os, &plan);
    assert_int_equal(f.calls[FAKE_CLOSE_HANDLE], 1);
    assert_true(fake_was_closed(&f, 100, 0x8));
    assert_int_equal(find_row(&plan, 100, 0x4)->result, NR_ROW_PENDING);
    nr_plan_free(&plan);
    fake_free(&f);
}

static void test_connected_share(void **state)
{
    static const nr_char *const same[] = { u"\\\\SRV\\Share\\sub" };
    static const nr_char *const keep[] = { u"\\\\srv\\keep", u"\\\\other\\x" };
    struct nr_reclaim_request req = request(target);
    struct fake_os f;
    struct nr_plan plan;

    (void)state;
    /* The cancelled share is still connected another way: nothing goes. */
    req.connected = same;
    req.connected_count = ARRAY_SIZE(same);
    fake_init(&f, LUID_A);
    fake_add_proc(&f, 100, LUID_A, u"app.exe");
    fake_add_handle(&f, 100, 0x4, n_mup);
    fake_add_handle(&f, 100, 0x8, n_lanman);
    build_ok(&f, &req, &plan);
    assert_int_equal(plan.reasons[NR_REASON_CONNECTED], 2);
    assert_int_equal(plan.row_count, 2);
    nr_plan_execute(&f.os, &plan);
    assert_int_equal(f.calls[FAKE_CLOSE_HANDLE], 0);
    nr_plan_free(&plan);
    fake_free(&f);

    /* Whole server (the add path): all but what a listed connection covers. */
    req = request(u"\\\\srv");
    req.connected = keep;
    req.connected_count = ARRAY_SIZE(keep);
    fake_init(&f, LUID_A);
    fake_add_proc(&f, 100, LUID_A, u"app.exe");
    fake_add_handle(&f, 100, 0x4, n_mup);
    fake_add_handle(&f, 100, 0x8, n_keep);
    fake_add_handle(&f, 100, 0xc, n_share2);
    fake_add_handle(&f, 100, 0x10, n_server);
    fake_add_handle(&f, 100, 0x14, n_srvx);
    build_ok(&f, &req, &plan);
    assert_int_equal(find_row(&plan, 100, 0x8)->reason, NR_REASON_CONNECTED);
    assert_int_equal(plan.reasons[NR_REASON_OTHER_SHARE], 1);
    nr_plan_execute(&f.os, &plan);
    assert_int_equal(f.closed_count, 3);
    assert_true(fake_was_closed(&f, 100, 0x4));
    assert_true(fake_was_closed(&f, 100, 0xc));
    assert_true(fake_was_closed(&f, 100, 0x10));
    nr_plan_free(&plan);
    fake_free(&f);
}

/* Only the SMB redirector's names (docs/design.md rule 4): another provider's
 * component or device, a remote pipe or mailslot, a plain \Device\Mup name
 * not shown to be SMB, or a session component of another logon session are
 * all left open, even under the target. */
static void test_smb_names_only(void **state)
{
    static const nr_char webdav_mup[] = u"\\Device\\Mup\\;WebDavRedirector\\srv\\share\\x";
    static const nr_char rdp_mup[] = u"\\Device\\Mup\\;RdpDr\\;:1\\srv\\share\\x";
    static const nr_char webdav_dev[] = u"\\Device\\WebDavRedirector\\srv\\share\\x";
    static const nr_char pipe[] = u"\\Device\\Mup\\srv\\PIPE\\lsarpc";
    static const nr_char mailslot[] = u"\\Device\\Mup\\;LanmanRedirector\\srv\\MailSlot\\x";
    static const nr_char other_luid[] =
        u"\\Device\\LanmanRedirector\\;Z:000000000001a2b3\\srv\\share\\y";
    static const nr_char *const targets[] = { target, u"\\\\srv" };
    struct fake_os f;
    struct nr_plan plan;
    size_t t;

    (void)state;
    for (t = 0; t < ARRAY_SIZE(targets); t++) {
        struct nr_reclaim_request req = request(targets[t]);

        fake_init(&f, LUID_A);
        fake_add_proc(&f, 100, LUID_A, u"explorer.exe");
        fake_add_handle(&f, 100, 0x10, n_mup);
        fake_add_handle(&f, 100, 0x14, n_mup)->protocol = 0;           /* unknown */
        fake_add_handle(&f, 100, 0x18, n_mup)->protocol = 0x002e0000u; /* WNNC_NET_DAV */
        fake_add_handle(&f, 100, 0x1c, webdav_mup);
        fake_add_handle(&f, 100, 0x20, rdp_mup);
        fake_add_handle(&f, 100, 0x24, webdav_dev);
        fake_add_handle(&f, 100, 0x28, pipe);
        fake_add_handle(&f, 100, 0x2c, mailslot);
        fake_add_handle(&f, 100, 0x30, other_luid);
        fake_add_handle(&f, 100, 0x34, n_lanman);
        fake_add_handle(&f, 100, 0x38, n_wine)->protocol =
            0; /* the stock's device: no proof needed */

        build_ok(&f, &req, &plan);
        assert_int_equal(plan.reasons[NR_REASON_CLOSE], 3);
        assert_int_equal(plan.reasons[NR_REASON_NOT_SMB], 2);
        assert_int_equal(plan.reasons[NR_REASON_NOT_NETWORK], 5);
        assert_int_equal(plan.reasons[NR_REASON_OTHER_SESSION], 1);
        assert_int_equal(nr_plan_execute(&f.os, &plan), 3);
        assert_int_equal(f.closed_count, 3);
        assert_true(fake_was_closed(&f, 100, 0x10));
        assert_true(fake_was_closed(&f, 100, 0x34));
        assert_true(fake_was_closed(&f, 100, 0x38));
        nr_plan_free(&plan);
        fake_free(&f);
    }
}

/* Whether the UTF-16 text holds the ASCII words. */
static bool contains(const nr_char *text, const char *words)
{
    size_t n = strlen(words), i, j;

    for (i = 0; text[i]; i++) {
        for (j = 0; j < n && text[i + j] == (nr_char)words[j]; j++)
            ;
        if (j == n)
            return true;
    }
    return false;
}

/* SYSTEM, LocalService and NetworkService are shared by many services: a
 * reclaim there closes nothing and says why, unless the policy allows it. */
static void test_service_sessions(void **state)
{
    static const uint64_t services[] = { NR_LUID_SYSTEM, NR_LUID_LOCAL_SERVICE,
                                         NR_LUID_NETWORK_SERVICE };
    struct nr_reclaim_request req = request(target);
    nr_char text[2048];
    struct fake_os f;
    struct nr_plan plan;
    size_t i;
    int allow;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(services); i++)
        for (allow = 0; allow <= 1; allow++) {
            req.allow_service_sessions = allow;
            fake_init(&f, services[i]);
            fake_add_proc(&f, 100, services[i], u"spoolsv.exe");
            fake_add_proc(&f, 200, services[i], u"backup.exe");
            fake_add_handle(&f, 100, 0x10, n_mup);
            fake_add_handle(&f, 200, 0x10, n_mup);
            build_ok(&f, &req, &plan);
            assert_int_equal(plan.service_session, !allow);
            assert_int_equal(plan.audit, !allow);
            assert_int_equal(plan.reasons[NR_REASON_CLOSE], 2);
            assert_int_equal(nr_plan_execute(&f.os, &plan), allow ? 2 : 0);
            assert_int_equal(f.calls[FAKE_CLOSE_HANDLE], allow ? 2 : 0);
            nr_plan_format(&plan, text, ARRAY_SIZE(text));
            assert_int_equal(contains(text, "service session: nothing is closed"), !allow);
            nr_plan_free(&plan);
            fake_free(&f);
        }
    /* An ordinary logon session is not one, whatever the policy says. */
    assert_false(nr_is_service_session(LUID_A));
    assert_false(nr_is_service_session(0x3e6));
    assert_false(nr_is_service_session(0x1000003e7ull));
    /* The decision the sweep takes too: an unread session is one. */
    assert_true(nr_session_left_alone(true, NR_LUID_SYSTEM, false));
    assert_false(nr_session_left_alone(true, NR_LUID_SYSTEM, true));
    assert_false(nr_session_left_alone(true, LUID_A, false));
    assert_true(nr_session_left_alone(false, LUID_A, false));
    assert_false(nr_session_left_alone(false, LUID_A, true));
}

/* A process under the strict-handle-check mitigation raises on its next use
 * of a handle closed behind its back: its handles under the target are left
 * and named in the record; one that cannot be asked is left too. */
static void test_strict_handles(void **state)
{
    struct nr_reclaim_request req = request(target);
    const struct nr_plan_row *row;
    nr_char line[512];
    struct fake_os f;
    struct nr_plan plan;

    (void)state;
    fake_init(&f, LUID_A);
    fake_add_proc(&f, 100, LUID_A, u"hardened.exe");
    fake_add_proc(&f, 200, LUID_A, u"notepad.exe");
    fake_add_proc(&f, 300, LUID_A, u"unknown.exe");
    f.procs[0].strict = 1;
    f.procs[2].strict_status = NR_ERROR;
    fake_add_handle(&f, 100, 0x10, n_mup);
    fake_add_handle(&f, 100, 0x14, n_share2);
    fake_add_handle(&f, 200, 0x10, n_mup);
    fake_add_handle(&f, 300, 0x10, n_mup);

    build_ok(&f, &req, &plan);
    assert_int_equal(f.calls[FAKE_PROCESS_STRICT], 3);
    assert_int_equal(plan.reasons[NR_REASON_STRICT_HANDLES], 1);
    assert_int_equal(plan.reasons[NR_REASON_PROTECTED], 1);
    assert_int_equal(plan.reasons[NR_REASON_OTHER_SHARE], 1);
    assert_int_equal(plan.reasons[NR_REASON_CLOSE], 1);
    assert_non_null(row = find_row(&plan, 100, 0x10));
    assert_int_equal(row->reason, NR_REASON_STRICT_HANDLES);
    nr_plan_format_row(&plan, row, line, ARRAY_SIZE(line));
    assert_true(contains(line, "left, in a process with strict handle checks: hardened.exe"));
    assert_int_equal(nr_plan_execute(&f.os, &plan), 1);
    assert_true(fake_was_closed(&f, 200, 0x10));
    assert_false(fake_was_closed(&f, 100, 0x10));
    assert_false(fake_was_closed(&f, 300, 0x10));
    nr_plan_free(&plan);
    fake_free(&f);
}

static void test_name_unknown(void **state)
{
    struct nr_reclaim_request req = request(target);
    struct fake_os f;
    struct nr_plan plan;

    (void)state;
    fake_init(&f, LUID_A);
    fake_add_proc(&f, 100, LUID_A, u"app.exe");
    fake_add_handle(&f, 100, 0x4, n_mup)->query_status = NR_TIMEOUT;
    fake_add_handle(&f, 100, 0x8, n_mup)->query_status = NR_ERROR;
    fake_add_handle(&f, 100, 0xc, n_mup)->query_status = NR_GONE;
    fake_add_handle(&f, 100, 0x10, n_mup)->query_status = NR_TOO_SMALL;
    fake_add_handle(&f, 100, 0x14, n_mup);
    fake_add_handle(&f, 100, 0x18, n_mup)->bogus_len = NR_UNC_MAX + 2; /* past the buffer */

    build_ok(&f, &req, &plan);
    assert_int_equal(plan.reasons[NR_REASON_NAME_TIMEOUT], 1);
    assert_int_equal(plan.reasons[NR_REASON_NAME_ERROR], 4);
    assert_int_equal(plan.row_count, 1);
    nr_plan_execute(&f.os, &plan);
    assert_int_equal(f.closed_count, 1);
    assert_true(fake_was_closed(&f, 100, 0x14));
    nr_plan_free(&plan);
    fake_free(&f);
}

/* Hung queries cost a timeout each: after NR_PLAN_MAX_TIMEOUTS of them no
 * more names are asked for. */
static void test_timeout_budget(void **state)
{
    struct nr_reclaim_request req = request(target);
    struct fake_os f;
    struct nr_plan plan;
    uint64_t v;

    (void)state;
    fake_init(&f, LUID_A);
    fake_add_proc(&f, 100, LUID_A, u"app.exe");
    for (v = 1; v <= NR_PLAN_MAX_TIMEOUTS + 5; v++)
        fake_add_handle(&f, 100, v * 4, n_mup)->query_status = NR_TIMEOUT;
    fake_add_handle(&f, 100, 0x1000, n_mup);

    build_ok(&f, &req, &plan);
    assert_int_equal(f.calls[FAKE_QUERY_NAME], NR_PLAN_MAX_TIMEOUTS);
    assert_int_equal(plan.reasons[NR_REASON_NAME_TIMEOUT], NR_PLAN_MAX_TIMEOUTS);
    assert_int_equal(plan.reasons[NR_REASON_LIMIT], 6);
    assert_int_equal(plan.row_count, 0);
    nr_plan_free(&plan);
    fake_free(&f);
}

/* In a long-lived host, 12 handles whose name query blocks
 * forever, over 4 processes, and 5 reclaims in a row. Each blocking handle
 * is queried once in the process's life (one timeout, one stuck worker);
 * every reclaim still reaches and closes the share's handles, listed after
 * the blocking ones; no more workers are ever stuck than the bound. */
static void test_blocked_queried_once(void **state)
{
    static const uint32_t pids[] = { 100, 200, 300, 400 };
    struct nr_reclaim_request req = request(target);
    nr_char text[NR_PLAN_REPORT_MAX];
    struct fake_os f;
    struct nr_plan plan;
    size_t p, k, round;

    (void)state;
    fake_init(&f, LUID_A);
    for (p = 0; p < ARRAY_SIZE(pids); p++)
        fake_add_proc(&f, pids[p], LUID_A, u"explorer.exe");
    for (p = 0; p < ARRAY_SIZE(pids); p++)
        for (k = 1; k <= 3; k++)
            fake_add_handle(&f, pids[p], 4 * k, n_mup)->blocks = true;
    for (round = 0; round < 5; round++) {
        for (p = 0; p < ARRAY_SIZE(pids); p++)
            fake_add_handle(&f, pids[p], 0x100 + 4 * round, n_mup);
        build_ok(&f, &req, &plan);
        assert_int_equal(plan.reasons[NR_REASON_NAME_TIMEOUT], round ? 0 : 12);
        assert_int_equal(plan.reasons[NR_REASON_BLOCKED_EARLIER], round ? 12 : 0);
        assert_int_equal(plan.reasons[NR_REASON_LIMIT], 0);
        assert_int_equal(nr_plan_execute(&f.os, &plan), ARRAY_SIZE(pids));
        for (p = 0; p < ARRAY_SIZE(pids); p++)
            assert_true(fake_was_closed(&f, pids[p], 0x100 + 4 * round));
        if (round == 1) {
            nr_plan_format(&plan, text, ARRAY_SIZE(text));
            assert_true(contains(text, "12 name query blocked earlier, not queried again"));
        }
        nr_plan_free(&plan);
    }
    for (p = 0; p < ARRAY_SIZE(pids); p++)
        for (k = 1; k <= 3; k++)
            assert_int_equal(fake_find_handle(&f, pids[p], 4 * k)->queries, 1);
    assert_int_equal(f.stuck_max, 12);
    assert_true(f.stuck_max <= NR_MAX_STUCK_QUERIES);
    fake_free(&f);
}

/* The memory is per process instance: a later process with the same pid
 * (another creation time) has its handles queried again. */
static void test_blocked_pid_reused(void **state)
{
    struct nr_reclaim_request req = request(target);
    struct fake_os f;
    struct nr_plan plan;
    struct fake_handle *h;

    (void)state;
    fake_init(&f, LUID_A);
    fake_add_proc(&f, 100, LUID_A, u"app.exe");
    fake_add_handle(&f, 100, 0x4, n_mup)->blocks = true;
    build_ok(&f, &req, &plan);
    assert_int_equal(plan.reasons[NR_REASON_NAME_TIMEOUT], 1);
    nr_plan_free(&plan);

    fake_find_proc(&f, 100)->started += 7;
    h = fake_find_handle(&f, 100, 0x4);
    h->blocks = false;
    build_ok(&f, &req, &plan);
    assert_int_equal(plan.reasons[NR_REASON_BLOCKED_EARLIER], 0);
    assert_int_equal(nr_plan_execute(&f.os, &plan), 1);
    assert_true(fake_was_closed(&f, 100, 0x4));
    assert_int_equal(h->queries, 2);
    nr_plan_free(&plan);
    fake_free(&f);
}

/* With the bound of workers stuck, queries are refused before they run:
 * those handles are over a limit, not remembered as blocked, and queried
 * once workers come back. Without the seam's memory, every reclaim queries
 * every handle again. */
static void test_blocked_bound(void **state)
{
    struct nr_reclaim_request req = request(target);
    const size_t n = NR_MAX_STUCK_QUERIES + 4;
    struct fake_os f;
    struct nr_plan plan;
    size_t v;

    (void)state;
    fake_init(&f, LUID_A);
    fake_add_proc(&f, 100, LUID_A, u"app.exe");
    for (v = 1; v <= n; v++)
        fake_add_handle(&f, 100, 4 * v, n_mup)->blocks = true;
    fake_add_handle(&f, 100, 0x1000, n_mup);

    build_ok(&f, &req, &plan);
    assert_int_equal(plan.reasons[NR_REASON_NAME_TIMEOUT], NR_MAX_STUCK_QUERIES);
    assert_int_equal(plan.reasons[NR_REASON_LIMIT], 5);
    nr_plan_free(&plan);
    build_ok(&f, &req, &plan);
    assert_int_equal(plan.reasons[NR_REASON_BLOCKED_EARLIER], NR_MAX_STUCK_QUERIES);
    assert_int_equal(plan.reasons[NR_REASON_LIMIT], 5);
    assert_int_equal(f.stuck_max, NR_MAX_STUCK_QUERIES);
    nr_plan_free(&plan);

    f.stuck = 0; /* the stuck queries returned at last */
    build_ok(&f, &req, &plan);
    assert_int_equal(plan.reasons[NR_REASON_NAME_TIMEOUT], 4);
    assert_int_equal(nr_plan_execute(&f.os, &plan), 1);
    for (v = 1; v <= n; v++)
        assert_int_equal(fake_find_handle(&f, 100, 4 * v)->queries, 1);
    nr_plan_free(&plan);

    f.os.was_blocked = NULL;
    f.stuck = 0;
    build_ok(&f, &req, &plan);
    assert_int_equal(plan.reasons[NR_REASON_BLOCKED_EARLIER], 0);
    assert_int_equal(fake_find_handle(&f, 100, 4)->queries, 2);
    nr_plan_free(&plan);
    fake_free(&f);
}

/* The set itself: bounded, the oldest entry makes room, no duplicates. */
static void test_blocked_set(void **state)
{
    struct nr_blocked *set = calloc(1, sizeof(*set));
    struct nr_blocked_key key = { 100, 5, 0 };
    uint64_t v;

    (void)state;
    assert_non_null(set);
    for (v = 1; v <= NR_BLOCKED_MAX; v++) {
        key.value = v;
        nr_blocked_add(set, &key);
        nr_blocked_add(set, &key);
    }
    assert_int_equal(set->count, NR_BLOCKED_MAX);
    key.value = NR_BLOCKED_MAX + 1;
    nr_blocked_add(set, &key);
    assert_true(nr_blocked_has(set, &key));
    key.value = 1;
    assert_false(nr_blocked_has(set, &key));
    key.value = 2;
    assert_true(nr_blocked_has(set, &key));
    key.started = 6;
    assert_false(nr_blocked_has(set, &key));
    free(set);
}

/* Names are asked for in batches of one process's handles, at most 64 a
 * batch, in table order; a batch cut short is asked again from where it
 * stopped. */
static void test_batches(void **state)
{
    struct nr_reclaim_request req = request(target);
    struct fake_os f;
    struct nr_plan plan;
    size_t i;

    (void)state;
    fake_init(&f, LUID_A);
    fake_add_proc(&f, 100, LUID_A, u"explorer.exe");
    fake_add_proc(&f, 200, LUID_A, u"notepad.exe");
    for (i = 0; i < 100; i++)
        fake_add_handle(&f, 100, 4 * (i + 1), i % 10 ? n_local : n_mup);
    for (i = 0; i < 3; i++)
        fake_add_handle(&f, 200, 4 * (i + 1), n_mup);
    fake_find_handle(&f, 100, 4 * 50)->blocks = true;
    build_ok(&f, &req, &plan);
    /* 100's: 1-49 and the timeout, 51-64, 65-100; 200's: one. */
    assert_int_equal(f.batches, 4);
    assert_int_equal(f.calls[FAKE_QUERY_NAME], 103);
    assert_int_equal(plan.reasons[NR_REASON_NAME_TIMEOUT], 1);
    assert_int_equal(plan.row_count, 10 + 3);
    assert_int_equal(plan.rows[0].pid, 100);
    assert_int_equal(plan.rows[0].value, 4);
    assert_int_equal(plan.rows[12].pid, 200);
    nr_plan_free(&plan);
    fake_free(&f);
}

static void test_audit_closes_nothing(void **state)
{
    struct nr_reclaim_request req = request(target);
    struct fake_os f;
    struct nr_plan plan;

    (void)state;
    req.audit = 1;
    fake_init(&f, LUID_A);
    fake_add_proc(&f, 100, LUID_A, u"app.exe");
    fake_add_handle(&f, 100, 0x4, n_mup);
    fake_add_handle(&f, 100, 0x8, n_lanman);

    build_ok(&f, &req, &plan);
    assert_int_equal(plan.reasons[NR_REASON_CLOSE], 2);
    assert_int_equal(nr_plan_execute(&f.os, &plan), 0);
    assert_int_equal(f.calls[FAKE_CLOSE_HANDLE], 0);
    assert_int_equal(plan.rows[0].result, NR_ROW_PENDING);
    nr_plan_free(&plan);
    fake_free(&f);
}

/* The value was closed and reused for another object between snapshot and
 * close: the seam's re-check says so, and it is counted, not retried. */
static void test_handle_reused(void **state)
{
    struct nr_reclaim_request req = request(target);
    struct fake_os f;
    struct nr_plan plan;

    (void)state;
    fake_init(&f, LUID_A);
    fake_add_proc(&f, 100, LUID_A, u"app.exe");
    fake_add_handle(&f, 100, 0x4, n_mup);
    fake_add_handle(&f, 100, 0x8, n_lanman);

    build_ok(&f, &req, &plan);
    fake_find_handle(&f, 100, 0x4)->name = n_local;
    assert_int_equal(nr_plan_execute(&f.os, &plan), 1);
    assert_int_equal(plan.changed, 1);
    assert_int_equal(find_row(&plan, 100, 0x4)->result, NR_ROW_CHANGED);
    assert_false(fake_was_closed(&f, 100, 0x4));
    assert_int_equal(nr_plan_execute(&f.os, &plan), 1);
    assert_int_equal(f.calls[FAKE_CLOSE_HANDLE], 2);
    assert_int_equal(plan.changed, 1);
    nr_plan_free(&plan);
    fake_free(&f);
}

/* The value was closed and reused by another object under the same name
 * between the plan and the close (a document reopened): the name re-check
 * cannot tell, the kept object can. Without a kept object (the seam offers
 * none), the name stands alone and the handle is closed. Every kept object
 * is dropped by the close or by nr_plan_free. */
static void test_object_reused_same_name(void **state)
{
    struct nr_reclaim_request req = request(target);
    struct fake_os f;
    struct nr_plan plan;
    int keep;

    (void)state;
    for (keep = 1; keep >= 0; keep--) {
        fake_init(&f, LUID_A);
        if (!keep)
            f.os.keep_object = NULL;
        fake_add_proc(&f, 100, LUID_A, u"winword.exe");
        fake_add_handle(&f, 100, 0x4, n_mup);
        fake_add_handle(&f, 100, 0x8, n_lanman);

        build_ok(&f, &req, &plan);
        assert_int_equal(f.kept_out, keep ? 2 : 0);
        assert_int_equal(find_row(&plan, 100, 0x4)->kept != 0, keep);
        fake_find_handle(&f, 100, 0x4)->object = 0x9999; /* same name, another object */
        assert_int_equal(nr_plan_execute(&f.os, &plan), keep ? 1 : 2);
        assert_int_equal(fake_was_closed(&f, 100, 0x4), !keep);
        assert_true(fake_was_closed(&f, 100, 0x8));
        assert_int_equal(plan.changed, keep);
        assert_int_equal(f.kept_out, 0);
        nr_plan_free(&plan);
        fake_free(&f);
    }
    /* An audit keeps nothing; a plan freed without closing drops all. */
    fake_init(&f, LUID_A);
    fake_add_proc(&f, 100, LUID_A, u"winword.exe");
    fake_add_handle(&f, 100, 0x4, n_mup);
    req.audit = 1;
    build_ok(&f, &req, &plan);
    assert_int_equal(f.calls[FAKE_KEEP_OBJECT], 0);
    nr_plan_free(&plan);
    req.audit = 0;
    build_ok(&f, &req, &plan);
    assert_int_equal(f.kept_out, 1);
    nr_plan_free(&plan);
    assert_int_equal(f.kept_out, 0);
    fake_free(&f);
}

/* The pid was reused by a process of another logon session between the plan
 * and the close: the close refuses it (NR_GONE) and closes nothing there. */
static void test_pid_reused(void **state)
{
    struct nr_reclaim_request req = request(target);
    struct fake_os f;
    struct nr_plan plan;

    (void)state;
    fake_init(&f, LUID_A);
    fake_add_proc(&f, 100, LUID_A, u"app.exe");
    fake_add_proc(&f, 200, LUID_A, u"app.exe");
    fake_add_handle(&f, 100, 0x4, n_mup);
    fake_add_handle(&f, 200, 0x4, n_mup);

    build_ok(&f, &req, &plan);
    assert_int_equal(plan.reasons[NR_REASON_CLOSE], 2);
    fake_find_proc(&f, 100)->luid = LUID_B;
    assert_int_equal(nr_plan_execute(&f.os, &plan), 1);
    assert_false(fake_was_closed(&f, 100, 0x4));
    assert_true(fake_was_closed(&f, 200, 0x4));
    assert_int_equal(find_row(&plan, 100, 0x4)->result, NR_ROW_FAILED);
    assert_int_equal(find_row(&plan, 100, 0x4)->status, NR_GONE);
    nr_plan_free(&plan);
    fake_free(&f);
}

static void test_close_failure(void **state)
{
    struct nr_reclaim_request req = request(target);
    struct fake_os f;
    struct nr_plan plan;

    (void)state;
    fake_init(&f, LUID_A);
    fake_add_proc(&f, 100, LUID_A, u"app.exe");
    fake_add_handle(&f, 100, 0x4, n_mup);
    fake_add_handle(&f, 100, 0x8, n_mup);
    fake_add_handle(&f, 100, 0xc, n_mup);
    f.fail_at[FAKE_CLOSE_HANDLE] = 2;
    f.fail_status[FAKE_CLOSE_HANDLE] = NR_GONE;

    build_ok(&f, &req, &plan);
    assert_int_equal(nr_plan_execute(&f.os, &plan), 2);
    assert_int_equal(plan.failed, 1);
    assert_int_equal(find_row(&plan, 100, 0x8)->result, NR_ROW_FAILED);
    assert_int_equal(find_row(&plan, 100, 0x8)->status, NR_GONE);
    assert_false(fake_was_closed(&f, 100, 0x8));
    assert_int_equal(nr_plan_execute(&f.os, &plan), 2); /* not retried */
    assert_int_equal(f.calls[FAKE_CLOSE_HANDLE], 3);
    nr_plan_free(&plan);
    fake_free(&f);
}

static void test_invalid_request(void **state)
{
    static const nr_char *const bad_roots[] = { u"\\\\srv\\share2", u"srv\\share" };
    static const nr_char *const null_root[] = { NULL };
    static const nr_char *const targets[] = {
        NULL, u"", u"srv\\share", u"\\\\srv\\..", u"\\\\srv\\share\\..\\x", u"\\\\\\share"
    };
    struct nr_reclaim_request req;
    struct fake_os f;
    struct nr_plan plan;
    unsigned long calls;
    size_t i, k;

    (void)state;
    fake_init(&f, LUID_A);
    fake_add_proc(&f, 100, LUID_A, u"app.exe");
    fake_add_handle(&f, 100, 0x4, n_mup);
    for (i = 0; i < ARRAY_SIZE(targets) + 2; i++) {
        req = request(i < ARRAY_SIZE(targets) ? targets[i] : target);
        req.connected = i == ARRAY_SIZE(targets) ? bad_roots : null_root;
        req.connected_count = i < ARRAY_SIZE(targets) ? 0 : i == ARRAY_SIZE(targets) ? 2 : 1;
        assert_int_equal(nr_plan_build(&f.os, &req, &plan), NR_ERROR);
        assert_int_equal(plan.status, NR_ERROR);
        assert_string_equal(plan.failed_step,
                            i < ARRAY_SIZE(targets) ? "target" : "connected share list");
        assert_int_equal(plan.row_count, 0);
        assert_int_equal(nr_plan_execute(&f.os, &plan), 0);
        nr_plan_free(&plan);
    }
    for (calls = 0, k = 0; k < FAKE_FN_COUNT; k++)
        calls += f.calls[k];
    assert_int_equal(calls, 0);
    fake_free(&f);
}

/* A mix of everything, for the failure sweep. */
static void add_mixed(struct fake_os *f)
{
    fake_add_proc(f, 100, LUID_A, u"explorer.exe");
    fake_add_proc(f, 200, LUID_B, u"other.exe");
    fake_add_proc(f, 300, LUID_A, u"notepad.exe");
    fake_add_proc(f, 400, LUID_A, u"indexer.exe");
    fake_add_handle(f, 100, 0x4, n_mup);
    fake_add_handle(f, 200, 0x4, n_mup);
    fake_add_handle(f, 300, 0x4, n_lanman);
    fake_add_handle(f, 100, 0x8, n_share2);
    fake_add_handle(f, 400, 0x4, n_wine);
    fake_add_handle(f, 300, 0x8, n_local);
    fake_add_handle(f, 400, 0x8, n_mup)->h.attributes = NR_HANDLE_PROTECT_FROM_CLOSE;
    fake_add_handle(f, 300, 0xc, n_mup_luid_a);
    fake_add_handle(f, 100, 0xc, n_mup)->h.type_index = FAKE_OTHER_TYPE;
}

/* What one failing call may cost in add_mixed: a whole plan, one process's
 * handles (at most two there), or one handle. */
static size_t max_lost(enum fake_fn fn)
{
    switch (fn) {
    case FAKE_SNAPSHOT:
    case FAKE_FILE_TYPE_INDEX:
    case FAKE_CALLER_LUID:
        return 4;
    case FAKE_PROCESS_LUID:
    case FAKE_PROCESS_IMAGE:
    case FAKE_PROCESS_STRICT:
        return 2;
    default:
        return 1;
    }
}

/* Every seam call fails in turn, at every position: planning either stops
 * with an error and closes nothing, or skips just what failed; nothing is
 * ever closed that the clean run would not close; no leak, no snapshot kept. */
static void test_each_seam_call_fails(void **state)
{
    static const enum fake_fn fns[] = {
        FAKE_SNAPSHOT,      FAKE_FILE_TYPE_INDEX, FAKE_CALLER_LUID,  FAKE_PROCESS_LUID,
        FAKE_PROCESS_IMAGE, FAKE_QUERY_NAME,      FAKE_CLOSE_HANDLE, FAKE_PROCESS_STRICT,
        FAKE_KEEP_OBJECT,   FAKE_PROCESS_STARTED,
    };
    static const int statuses[] = { NR_ERROR, NR_TIMEOUT, NR_GONE, NR_NOMEM };
    struct nr_reclaim_request req = request(target);
    struct fake_closed clean[16];
    struct fake_os f;
    struct nr_plan plan;
    size_t i, s, k, clean_count;
    unsigned long n, total;
    bool fatal;

    (void)state;
    fake_init(&f, LUID_A);
    add_mixed(&f);
    build_ok(&f, &req, &plan);
    nr_plan_execute(&f.os, &plan);
    assert_int_equal(f.closed_count, 4);
    clean_count = f.closed_count;
    memcpy(clean, f.closed, clean_count * sizeof(*clean));
    nr_plan_free(&plan);
    fake_free(&f);

    for (i = 0; i < ARRAY_SIZE(fns); i++)
        for (s = 0; s < ARRAY_SIZE(statuses); s++) {
            fake_init(&f, LUID_A);
            add_mixed(&f);
            nr_plan_build(&f.os, &req, &plan);
            nr_plan_execute(&f.os, &plan);
            total = f.calls[fns[i]];
            nr_plan_free(&plan);
            fake_free(&f);
            assert_true(total > 0);

            for (n = 1; n <= total; n++) {
                fake_init(&f, LUID_A);
                add_mixed(&f);
                f.fail_at[fns[i]] = n;
                f.fail_status[fns[i]] = statuses[s];
                fatal = fns[i] == FAKE_SNAPSHOT || fns[i] == FAKE_FILE_TYPE_INDEX ||
                        fns[i] == FAKE_CALLER_LUID;
                if (fatal) {
                    assert_int_equal(nr_plan_build(&f.os, &req, &plan), statuses[s]);
                    assert_non_null(plan.failed_step);
                    assert_int_equal(plan.row_count, 0);
                } else
                    build_ok(&f, &req, &plan);
                nr_plan_execute(&f.os, &plan);
                assert_int_equal(f.snapshots_out, 0);
                for (k = 0; k < f.closed_count; k++) {
                    size_t c;

                    for (c = 0; c < clean_count; c++)
                        if (clean[c].pid == f.closed[k].pid && clean[c].value == f.closed[k].value)
                            break;
                    if (c == clean_count)
                        fail_msg("fn %d call %lu closed pid %u value %llx", fns[i], n,
                                 f.closed[k].pid, (unsigned long long)f.closed[k].value);
                }
                assert_true(clean_count - f.closed_count <= max_lost(fns[i]));
                nr_plan_free(&plan);
                assert_int_equal(f.kept_out, 0);
                fake_free(&f);
            }
        }
}

/* A busy terminal server: 300k handles in 20000 processes, half of them in
 * the caller's session. Every bound holds and every handle is accounted. */
static void test_huge_snapshot(void **state)
{
    enum { PIDS = 20000, PER_PID = 15 };
    struct nr_reclaim_request req = request(target);
    struct fake_os f;
    struct nr_plan plan;
    struct fake_handle *h;
    uint32_t p, j;
    size_t examined = NR_PLAN_MAX_PROCESSES / 2 * 10;

    (void)state;
    fake_init(&f, LUID_A);
    for (p = 0; p < PIDS; p++)
        fake_add_proc(&f, 4 * (p + 1), p % 2 ? LUID_B : LUID_A, u"app.exe");
    for (p = 0; p < PIDS; p++) {
        for (j = 0; j < PER_PID; j++) {
            h = fake_add_handle(&f, 4 * (p + 1), 4 * (j + 1), j == 1 ? n_mup : n_local);
            if (j % 3 == 0)
                h->h.type_index = FAKE_OTHER_TYPE;
        }
    }

    build_ok(&f, &req, &plan);
    assert_int_equal(plan.handle_count, PIDS * PER_PID);
    assert_int_equal(plan.file_count, PIDS * 10);
    assert_int_equal(f.calls[FAKE_PROCESS_LUID], NR_PLAN_MAX_PROCESSES);
    assert_int_equal(f.calls[FAKE_PROCESS_IMAGE], NR_PLAN_MAX_PROCESSES / 2);
    assert_int_equal(f.calls[FAKE_QUERY_NAME], NR_PLAN_MAX_QUERIES);
    assert_int_equal(plan.reasons[NR_REASON_OTHER_SESSION], NR_PLAN_MAX_PROCESSES / 2 * 10);
    assert_int_equal(plan.row_count, NR_PLAN_MAX_ROWS);
    assert_int_equal(plan.reasons[NR_REASON_CLOSE], NR_PLAN_MAX_ROWS);
    assert_int_equal(plan.reasons[NR_REASON_LIMIT],
                     (PIDS - NR_PLAN_MAX_PROCESSES) * 10 + examined - NR_PLAN_MAX_QUERIES +
                         (NR_PLAN_MAX_QUERIES / 10 + 1 - NR_PLAN_MAX_ROWS));
    nr_plan_free(&plan);
    fake_free(&f);
}

/* Rows are capped in number and in the name text they keep. */
static void test_row_bounds(void **state)
{
    enum { LONG_UNITS = 30000, LONG_COUNT = 40 };
    struct nr_reclaim_request req = request(target);
    struct fake_os f;
    struct nr_plan plan;
    nr_char *long_name;
    size_t i, fit = NR_PLAN_MAX_NAME_UNITS / LONG_UNITS;

    (void)state;
    fake_init(&f, LUID_A);
    fake_add_proc(&f, 100, LUID_A, u"app.exe");
    for (i = 0; i < NR_PLAN_MAX_ROWS + 476; i++)
        fake_add_handle(&f, 100, 4 * (i + 1), n_mup);
    build_ok(&f, &req, &plan);
    assert_int_equal(plan.row_count, NR_PLAN_MAX_ROWS);
    assert_int_equal(plan.reasons[NR_REASON_LIMIT], 476);
    assert_int_equal(nr_plan_execute(&f.os, &plan), NR_PLAN_MAX_ROWS);
    nr_plan_free(&plan);
    fake_free(&f);

    long_name = malloc((LONG_UNITS + 1) * sizeof(nr_char));
    assert_non_null(long_name);
    memcpy(long_name, n_mup, (ARRAY_SIZE(n_mup) - 1) * sizeof(nr_char));
    for (i = ARRAY_SIZE(n_mup) - 1; i < LONG_UNITS; i++)
        long_name[i] = 'x';
    long_name[LONG_UNITS] = 0;
    fake_init(&f, LUID_A);
    fake_add_proc(&f, 100, LUID_A, u"app.exe");
    for (i = 0; i < LONG_COUNT; i++)
        fake_add_handle(&f, 100, 4 * (i + 1), long_name);
    build_ok(&f, &req, &plan);
    assert_int_equal(plan.row_count, fit);
    assert_int_equal(plan.reasons[NR_REASON_LIMIT], LONG_COUNT - fit);
    assert_int_equal(nr_plan_execute(&f.os, &plan), fit);
    nr_plan_free(&plan);
    fake_free(&f);
    free(long_name);
}

static void test_empty_snapshot(void **state)
{
    struct nr_reclaim_request req = request(target);
    struct fake_os f;
    struct nr_plan plan;

    (void)state;
    fake_init(&f, LUID_A);
    build_ok(&f, &req, &plan);
    assert_int_equal(plan.file_count, 0);
    assert_int_equal(plan.row_count, 0);
    assert_int_equal(nr_plan_execute(&f.os, &plan), 0);
    nr_plan_free(&plan);
    nr_plan_free(&plan); /* freeing twice is harmless */
    fake_free(&f);
}

/* Zero never acts: a row nothing settled (all zero) is left, not closed,
 * and the record says why (rule 5: fail closed). */
static void test_zero_row_left(void **state)
{
    struct nr_plan_row row;
    struct nr_plan plan;
    struct fake_os f;
    nr_char line[256];

    (void)state;
    memset(&row, 0, sizeof(row));
    memset(&plan, 0, sizeof(plan));
    row.image = u"x.exe";
    plan.rows = &row;
    plan.row_count = 1;
    fake_init(&f, LUID_A);
    plan.os = &f.os;
    assert_int_equal(nr_plan_execute(&f.os, &plan), 0);
    assert_int_equal(f.calls[FAKE_CLOSE_HANDLE], 0);
    assert_int_equal(row.result, NR_ROW_PENDING);
    nr_plan_format_row(&plan, &row, line, ARRAY_SIZE(line));
    assert_true(contains(line, "left, not decided"));
    fake_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_closes_only_under_target),
        cmocka_unit_test(test_pipe_access),
        cmocka_unit_test(test_device_prefilter),
        cmocka_unit_test(test_session_scoping),
        cmocka_unit_test(test_protected_processes),
        cmocka_unit_test(test_excluded_process),
        cmocka_unit_test(test_protect_from_close),
        cmocka_unit_test(test_connected_share),
        cmocka_unit_test(test_smb_names_only),
        cmocka_unit_test(test_service_sessions),
        cmocka_unit_test(test_zero_row_left),
        cmocka_unit_test(test_strict_handles),
        cmocka_unit_test(test_name_unknown),
        cmocka_unit_test(test_timeout_budget),
        cmocka_unit_test(test_blocked_queried_once),
        cmocka_unit_test(test_blocked_pid_reused),
        cmocka_unit_test(test_blocked_bound),
        cmocka_unit_test(test_blocked_set),
        cmocka_unit_test(test_batches),
        cmocka_unit_test(test_audit_closes_nothing),
        cmocka_unit_test(test_handle_reused),
        cmocka_unit_test(test_object_reused_same_name),
        cmocka_unit_test(test_pid_reused),
        cmocka_unit_test(test_close_failure),
        cmocka_unit_test(test_invalid_request),
        cmocka_unit_test(test_each_seam_call_fails),
        cmocka_unit_test(test_huge_snapshot),
        cmocka_unit_test(test_row_bounds),
        cmocka_unit_test(test_empty_snapshot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
