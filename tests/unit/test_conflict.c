/* conflict.c: rule 4's judgement of a 1219, rule 3's idle cancels, which
 * connections cover their share, and nr_same_server (unc.c) under them. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "netreclaim/conflict.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_CONNS 16

/* A role no function ever writes, so a role left unwritten shows. */
#define ROLE_UNSET ((enum nr_conn_role)0x5a)

enum {
    OTHER = NR_ROLE_OTHER,
    BLOCKER = NR_ROLE_BLOCKER,
    CANCEL = NR_ROLE_CANCEL,
    SAME = NR_ROLE_SAME_USER,
};

static void fill_unset(enum nr_conn_role *roles, size_t count)
{
    size_t i;

    for (i = 0; i < count; i++)
        roles[i] = ROLE_UNSET;
}

static void check_roles(const enum nr_conn_role *roles, const int *expect, size_t count)
{
    size_t i;

    for (i = 0; i < count; i++)
        if ((int)roles[i] != expect[i])
            fail_msg("connection %zu: role %d, expected %d", i, (int)roles[i], expect[i]);
}

/* Judge, check verdict and roles; for a stale verdict also check that
 * nr_mark_idle marks the same and counts the cancels. */
static void judge(const struct nr_conn *conns, size_t count, const nr_char *target,
                  enum nr_verdict verdict, const int *expect)
{
    enum nr_conn_role roles[MAX_CONNS];
    size_t i, cancels = 0;

    assert_true(count <= MAX_CONNS);
    fill_unset(roles, count);
    assert_int_equal(nr_judge_conflict(conns, count, target, roles), verdict);
    check_roles(roles, expect, count);
    /* The provider's judgement is nr_judge_add's for any other user: the
     * same roles, and STALE where nothing visible holds the server. */
    fill_unset(roles, count);
    {
        const enum nr_verdict add = nr_judge_add(conns, NULL, count, target, NULL, 0, roles);

        assert_int_equal(add == NR_VERDICT_NONE ? NR_VERDICT_STALE : add, verdict);
    }
    check_roles(roles, expect, count);
    if (verdict != NR_VERDICT_STALE)
        return;
    for (i = 0; i < count; i++)
        cancels += expect[i] == CANCEL;
    fill_unset(roles, count);
    assert_int_equal(nr_mark_idle(conns, count, target, roles), cancels);
    check_roles(roles, expect, count);
}

/* A drive letter to the server is a true conflict even when the ledger does
 * not hold it (rebuilt, or mapped before install): a drive is deliberate.
 * The idle deviceless one next to it is left alone too. */
static void test_true_conflict_drive_letter(void **state)
{
    const struct nr_conn conns[] = {
        { u"Z:", u"\\\\srv\\share", false },
        { NULL, u"\\\\srv\\share", false },
    };
    const int expect[] = { BLOCKER, OTHER };

    (void)state;
    judge(conns, ARRAY_SIZE(conns), u"\\\\srv\\share", NR_VERDICT_TRUE_CONFLICT, expect);
}

/* A deviceless connection the ledger holds live was added on purpose
 * (net use \\srv\share /user:...): a true conflict. */
static void test_true_conflict_deviceless_live(void **state)
{
    const struct nr_conn conns[] = {
        { u"", u"\\\\srv\\IPC$", false },
        { NULL, u"\\\\srv\\share", true },
        { u"", u"\\\\other\\share", true },
    };
    const int expect[] = { OTHER, BLOCKER, OTHER };

    (void)state;
    judge(conns, ARRAY_SIZE(conns), u"\\\\srv\\data", NR_VERDICT_TRUE_CONFLICT, expect);
}

/* Idle and busy deviceless connections look the same here: the core only
 * knows the list and the ledger. Both are marked; the stock cancel without
 * force is what tells them apart (an idle one goes, a busy one refuses and
 * stays), so marking a busy one costs nothing and closes nothing in use. */
static void test_idle_and_busy_deviceless(void **state)
{
    const struct nr_conn conns[] = {
        { NULL, u"\\\\srv\\idle", false },
        { u"", u"\\\\srv\\busy", false },
    };
    const int expect[] = { CANCEL, CANCEL };

    (void)state;
    judge(conns, ARRAY_SIZE(conns), u"\\\\srv\\share", NR_VERDICT_STALE, expect);
}

/* Connections to other servers neither block nor get cancelled: the stale
 * session is to srv, and nothing listed holds it. */
static void test_other_server_only(void **state)
{
    const struct nr_conn conns[] = {
        { u"Z:", u"\\\\other\\share", true },
        { NULL, u"\\\\other\\x", false },
        { u"", u"\\\\third\\share", true },
    };
    const int expect[] = { OTHER, OTHER, OTHER };

    (void)state;
    judge(conns, ARRAY_SIZE(conns), u"\\\\srv\\share", NR_VERDICT_STALE, expect);
}

/* The session the redirector keeps is per server, not per share. */
static void test_same_server_other_share(void **state)
{
    const struct nr_conn drive[] = { { u"Y:", u"\\\\srv\\other", false } };
    const struct nr_conn deviceless[] = { { NULL, u"\\\\srv\\other", false } };
    const int blocker[] = { BLOCKER }, cancel[] = { CANCEL };

    (void)state;
    judge(drive, 1, u"\\\\srv\\share", NR_VERDICT_TRUE_CONFLICT, blocker);
    judge(deviceless, 1, u"\\\\srv\\share", NR_VERDICT_STALE, cancel);
}

static void test_server_case_insensitive(void **state)
{
    const struct nr_conn drive[] = { { u"Z:", u"\\\\SRV\\Share", false } };
    const struct nr_conn deviceless[] = { { NULL, u"\\\\Srv\\x", false } };
    const int blocker[] = { BLOCKER }, cancel[] = { CANCEL };

    (void)state;
    judge(drive, 1, u"\\\\srv\\share", NR_VERDICT_TRUE_CONFLICT, blocker);
    judge(deviceless, 1, u"\\\\sRV\\share", NR_VERDICT_STALE, cancel);
}

/* \\srv and \\srv2 are different servers, whichever is the target; so are a
 * short name and its FQDN (the redirector keeps a session for each). */
static void test_server_component_exact(void **state)
{
    const struct nr_conn conns[] = {
        { u"Z:", u"\\\\srv2\\share", true },
        { NULL, u"\\\\srv2\\share", false },
        { u"Y:", u"\\\\sr\\vshare", false },
        { NULL, u"\\\\srv.example.com\\share", false },
    };
    const struct nr_conn to_srv[] = {
        { u"Z:", u"\\\\srv\\share", true },
        { NULL, u"\\\\srv\\share", false },
    };
    const int expect[] = { OTHER, OTHER, OTHER, OTHER };

    (void)state;
    judge(conns, ARRAY_SIZE(conns), u"\\\\srv\\share", NR_VERDICT_STALE, expect);
    judge(to_srv, ARRAY_SIZE(to_srv), u"\\\\srv2\\share", NR_VERDICT_STALE, expect);
}

/* A remote name that does not parse is on no server: never a blocker (it
 * cannot hold the 1219 up) and never cancelled (we cannot tell what it is). */
static void test_unparseable_remote(void **state)
{
    const struct nr_conn conns[] = {
        { u"Z:", u"srv\\share", true },
        { u"Y:", u"\\\\srv\\\\share", false },
        { u"X:", NULL, true },
        { NULL, u"", false },
        { NULL, u"\\\\srv\\share\\..\\x", false },
        { u"", u"\\\\srv:445\\share", false },
    };
    const int expect[] = { OTHER, OTHER, OTHER, OTHER, OTHER, OTHER };

    (void)state;
    judge(conns, ARRAY_SIZE(conns), u"\\\\srv\\share", NR_VERDICT_STALE, expect);
}

/* An add of a name that is not \\server[\share] touches nothing, even with
 * blockers and idle connections to what it seems to name. */
static void test_invalid_target(void **state)
{
    static const nr_char *const targets[] = {
        NULL,
        u"",
        u"\\\\",
        u"srv\\share",
        u"\\srv\\share",
        u"\\\\srv\\..",
        u"C:\\x",
        u"\\\\srv\\\\share",
        u"\\\\srv\\sh*re",
    };
    const struct nr_conn conns[] = {
        { u"Z:", u"\\\\srv\\share", true },
        { NULL, u"\\\\srv\\share", false },
    };
    const int expect[] = { OTHER, OTHER };
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(targets); i++)
        judge(conns, ARRAY_SIZE(conns), targets[i], NR_VERDICT_INVALID, expect);
    for (i = 0; i < ARRAY_SIZE(targets); i++) {
        enum nr_conn_role roles[2] = { ROLE_UNSET, ROLE_UNSET };

        assert_int_equal(nr_mark_idle(conns, ARRAY_SIZE(conns), targets[i], roles), 0);
        check_roles(roles, expect, ARRAY_SIZE(conns));
    }
}

/* The target may name the whole server, a share or a path in it, with '/'
 * as Win32 allows. */
static void test_target_forms(void **state)
{
    static const nr_char *const targets[] = {
        u"\\\\srv", u"\\\\srv\\", u"\\\\srv\\share\\dir\\f.txt", u"//SRV/share", u"\\/srv\\x",
    };
    const struct nr_conn conns[] = {
        { NULL, u"\\\\srv\\share", false },
        { u"", u"\\\\srv2\\share", false },
    };
    const int expect[] = { CANCEL, OTHER };
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(targets); i++)
        judge(conns, ARRAY_SIZE(conns), targets[i], NR_VERDICT_STALE, expect);
}

static void test_empty_list(void **state)
{
    const nr_char *roots[1] = { NULL };

    (void)state;
    assert_int_equal(nr_judge_conflict(NULL, 0, u"\\\\srv\\share", NULL), NR_VERDICT_STALE);
    assert_int_equal(nr_judge_conflict(NULL, 0, u"srv", NULL), NR_VERDICT_INVALID);
    assert_int_equal(nr_mark_idle(NULL, 0, u"\\\\srv\\share", NULL), 0);
    assert_int_equal(nr_cover_roots(NULL, 0, NR_COVER_LISTED, roots), 0);
    assert_int_equal(nr_cover_roots(NULL, 0, NR_COVER_DELIBERATE, NULL), 0);
    assert_null(roots[0]);
}

/* NULL and "" both mean deviceless, in every function. */
static void test_null_and_empty_local(void **state)
{
    const struct nr_conn idle[] = {
        { NULL, u"\\\\srv\\a", false },
        { u"", u"\\\\srv\\b", false },
    };
    const struct nr_conn live[] = {
        { NULL, u"\\\\srv\\a", true },
        { u"", u"\\\\srv\\b", true },
    };
    const int cancel[] = { CANCEL, CANCEL }, blocker[] = { BLOCKER, BLOCKER };
    size_t i;

    (void)state;
    judge(idle, 2, u"\\\\srv\\c", NR_VERDICT_STALE, cancel);
    judge(live, 2, u"\\\\srv\\c", NR_VERDICT_TRUE_CONFLICT, blocker);
    for (i = 0; i < 2; i++) {
        assert_true(nr_conn_covers(&idle[i], NR_COVER_LISTED));
        assert_false(nr_conn_covers(&idle[i], NR_COVER_DELIBERATE));
        assert_true(nr_conn_covers(&live[i], NR_COVER_LISTED));
        assert_true(nr_conn_covers(&live[i], NR_COVER_DELIBERATE));
    }
}

/* nr_mark_idle is rule 3's cancel after a reclaim: it does not judge, so a
 * drive letter to the same server does not stop the idle one being marked. */
static void test_mark_idle_ignores_blockers(void **state)
{
    const struct nr_conn conns[] = {
        { u"Z:", u"\\\\srv\\share", false },
        { NULL, u"\\\\srv\\share", true },
        { NULL, u"\\\\SRV\\other", false },
        { u"", u"\\\\srv2\\share", false },
    };
    const int expect[] = { OTHER, OTHER, CANCEL, OTHER };
    enum nr_conn_role roles[ARRAY_SIZE(conns)];

    (void)state;
    fill_unset(roles, ARRAY_SIZE(conns));
    assert_int_equal(nr_mark_idle(conns, ARRAY_SIZE(conns), u"\\\\srv\\share", roles), 1);
    check_roles(roles, expect, ARRAY_SIZE(conns));
}

/* Each kind of connection in both modes. */
static void test_cover_modes(void **state)
{
    static const struct {
        struct nr_conn conn;
        bool listed, deliberate;
    } table[] = {
        { { u"Z:", u"\\\\srv\\share", false }, true, true }, /* drive, not in the ledger */
        { { u"Z:", u"\\\\srv\\share", true }, true, true },  /* drive, live */
        { { NULL, u"\\\\srv\\share", true }, true, true },   /* deviceless, live */
        { { u"", u"\\\\srv\\share", true }, true, true },    /* deviceless "", live */
        { { NULL, u"\\\\srv\\share", false }, true, false }, /* implicit (KeepConn) */
        { { u"", u"\\\\srv\\share", false }, true, false },  /* implicit, "" local */
        { { u"LPT1:", u"\\\\srv\\printer", false }, true, true },
        { { u"Z:", NULL, true }, false, false }, /* nothing to cover */
        { { NULL, NULL, false }, false, false },
    };
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(table); i++) {
        if (nr_conn_covers(&table[i].conn, NR_COVER_LISTED) != table[i].listed)
            fail_msg("entry %zu, listed", i);
        if (nr_conn_covers(&table[i].conn, NR_COVER_DELIBERATE) != table[i].deliberate)
            fail_msg("entry %zu, deliberate", i);
    }
}

static void test_cover_roots(void **state)
{
    const struct nr_conn conns[] = {
        { NULL, u"\\\\srv\\implicit", false },
        { u"Z:", u"\\\\srv\\drive", false },
        { u"Y:", NULL, true },
        { u"", u"\\\\srv\\added", true },
        { u"", u"\\\\srv2\\implicit", false },
        { u"X:", u"\\\\srv2\\live", true },
    };
    const nr_char *roots[ARRAY_SIZE(conns) + 1];
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(roots); i++)
        roots[i] = u"sentinel";
    assert_int_equal(nr_cover_roots(conns, ARRAY_SIZE(conns), NR_COVER_LISTED, roots), 5);
    assert_ptr_equal(roots[0], conns[0].remote);
    assert_ptr_equal(roots[1], conns[1].remote);
    assert_ptr_equal(roots[2], conns[3].remote);
    assert_ptr_equal(roots[3], conns[4].remote);
    assert_ptr_equal(roots[4], conns[5].remote);
    assert_int_equal(roots[5][0], 's'); /* untouched past the count */

    for (i = 0; i < ARRAY_SIZE(roots); i++)
        roots[i] = u"sentinel";
    assert_int_equal(nr_cover_roots(conns, ARRAY_SIZE(conns), NR_COVER_DELIBERATE, roots), 3);
    assert_ptr_equal(roots[0], conns[1].remote);
    assert_ptr_equal(roots[1], conns[3].remote);
    assert_ptr_equal(roots[2], conns[5].remote);
    assert_int_equal(roots[3][0], 's');
}

static void test_same_server(void **state)
{
    static const struct {
        const nr_char *a, *b;
        bool same;
    } table[] = {
        { u"\\\\srv\\share", u"\\\\srv\\share", true },
        { u"\\\\srv\\a", u"\\\\srv\\b\\dir", true },
        { u"\\\\srv", u"\\\\srv\\share", true },
        { u"\\\\srv\\", u"\\\\SRV", true },
        { u"\\\\Srv\\share", u"\\\\sRV\\SHARE", true },
        { u"//srv/share/x", u"\\\\SRV\\other", true },
        { u"\\/srv", u"/\\srv\\x", true },
        { u"\\\\s\u00e9rv\\x", u"\\\\S\u00e9RV\\y", true },
        { u"\\\\srv\\share", u"\\\\srv2\\share", false },
        { u"\\\\srv2", u"\\\\srv", false },
        { u"\\\\sr\\v", u"\\\\srv", false },
        { u"\\\\srv.example.com\\s", u"\\\\srv\\s", false },
        { u"\\\\10.0.0.1\\s", u"\\\\srv\\s", false },
        { u"srv\\share", u"srv\\share", false },
        { u"\\srv\\share", u"\\\\srv\\share", false },
        { u"\\\\srv\\\\share", u"\\\\srv\\share", false },
        { u"\\\\srv\\share\\..", u"\\\\srv\\share", false },
        { u"\\\\srv:445\\share", u"\\\\srv:445\\share", false },
        { u"\\\\", u"\\\\", false },
        { u"", u"\\\\srv", false },
        { NULL, u"\\\\srv", false },
        { NULL, NULL, false },
    };
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(table); i++) {
        if (nr_same_server(table[i].a, table[i].b) != table[i].same)
            fail_msg("entry %zu", i);
        if (nr_same_server(table[i].b, table[i].a) != table[i].same)
            fail_msg("entry %zu, swapped", i);
    }
}

/* Names are read no further than NR_UNC_MAX units (plus one to see that a
 * name is longer): a name of exactly the limit matches, one unit more does
 * not, and an unterminated buffer is not read past (ASan would tell). */
static void test_same_server_bounds(void **state)
{
    nr_char *name = malloc((NR_UNC_MAX + 1) * sizeof(nr_char));
    size_t i;

    (void)state;
    assert_non_null(name);
    memcpy(name, u"\\\\srv\\share\\", 12 * sizeof(nr_char));
    for (i = 12; i < NR_UNC_MAX + 1; i++)
        name[i] = 'x';
    assert_false(nr_same_server(name, u"\\\\srv")); /* unterminated: NR_UNC_MAX + 1 units */
    name[NR_UNC_MAX] = 0;
    assert_true(nr_same_server(name, u"\\\\srv"));
    assert_true(nr_same_server(u"\\\\SRV\\x", name));
    free(name);
}

/* judge_add: verdict and roles of nr_judge_add for `user` and `orphans`. */
static void judge_add(const struct nr_conn *conns, const nr_char *const *users, size_t count,
                      const nr_char *target, const nr_char *user, size_t orphans,
                      enum nr_verdict verdict, const int *expect)
{
    enum nr_conn_role roles[MAX_CONNS];

    assert_true(count <= MAX_CONNS);
    fill_unset(roles, count);
    assert_int_equal(nr_judge_add(conns, users, count, target, user, orphans, roles), verdict);
    check_roles(roles, expect, count);
}

/* "why" on a server nothing holds: no conflict; only another server's
 * connections: no conflict either. The provider, after a 1219, says stale. */
static void test_add_no_conflict(void **state)
{
    const struct nr_conn conns[] = {
        { u"Z:", u"\\\\other\\share", true },
        { NULL, u"\\\\other\\x", false },
    };
    const nr_char *const users[] = { u"alice", u"alice" };
    const int expect[] = { OTHER, OTHER };
    enum nr_conn_role roles[2];

    (void)state;
    judge_add(NULL, NULL, 0, u"\\\\srv", NULL, 0, NR_VERDICT_NONE, NULL);
    judge_add(conns, users, ARRAY_SIZE(conns), u"\\\\srv\\share", NULL, 0, NR_VERDICT_NONE, expect);
    judge_add(conns, users, ARRAY_SIZE(conns), u"\\\\srv\\share", u"bob", 0, NR_VERDICT_NONE,
              expect);
    assert_int_equal(nr_judge_conflict(conns, ARRAY_SIZE(conns), u"\\\\srv", roles),
                     NR_VERDICT_STALE);
}

/* Orphan handles under the server (a forced cancel's leftovers) are stale
 * on their own: reclaim closes them. They make no blocker. */
static void test_add_orphans_stale(void **state)
{
    const struct nr_conn conns[] = { { NULL, u"\\\\other\\share", false } };
    const nr_char *const users[] = { u"alice" };
    const int expect[] = { OTHER };

    (void)state;
    judge_add(NULL, NULL, 0, u"\\\\srv\\share", NULL, 1, NR_VERDICT_STALE, NULL);
    judge_add(conns, users, 1, u"\\\\srv", u"bob", 3, NR_VERDICT_STALE, expect);
    judge_add(conns, users, 1, u"\\\\srv", u"bob", 0, NR_VERDICT_NONE, expect);
}

/* --user: a drive letter made as NAME is NAME's own session (no conflict for
 * NAME, case-insensitively); for anyone else it is a true conflict. */
static void test_add_user_drive_letter(void **state)
{
    const struct nr_conn conns[] = { { u"Z:", u"\\\\srv\\share", false } };
    const nr_char *const users[] = { u"DOM\\alice" };
    const int blocker[] = { BLOCKER }, same[] = { SAME };

    (void)state;
    judge_add(conns, users, 1, u"\\\\srv\\data", u"dom\\ALICE", 0, NR_VERDICT_NONE, same);
    judge_add(conns, users, 1, u"\\\\srv\\data", u"DOM\\bob", 0, NR_VERDICT_TRUE_CONFLICT, blocker);
    judge_add(conns, users, 1, u"\\\\srv\\data", u"alice", 0, NR_VERDICT_TRUE_CONFLICT, blocker);
    judge_add(conns, users, 1, u"\\\\srv\\data", NULL, 0, NR_VERDICT_TRUE_CONFLICT, blocker);
    judge_add(conns, users, 1, u"\\\\srv\\data", u"", 0, NR_VERDICT_TRUE_CONFLICT, blocker);
}

/* A connection whose user is unknown (NPGetUser failed) never matches: an
 * add as NAME could still meet another session. */
static void test_add_unknown_user_blocks(void **state)
{
    const struct nr_conn conns[] = {
        { u"Y:", u"\\\\srv\\a", false },
        { u"", u"\\\\srv\\b", true },
    };
    const nr_char *const users[] = { NULL, u"" };
    const int expect[] = { BLOCKER, BLOCKER };

    (void)state;
    judge_add(conns, users, 2, u"\\\\srv", u"alice", 0, NR_VERDICT_TRUE_CONFLICT, expect);
}

/* An idle implicit connection made as NAME is no conflict for NAME and is
 * not cancelled for NAME; for another user it is stale. */
static void test_add_user_implicit(void **state)
{
    const struct nr_conn conns[] = { { NULL, u"\\\\srv\\share", false } };
    const nr_char *const users[] = { u"alice" };
    const int same[] = { SAME }, cancel[] = { CANCEL };

    (void)state;
    judge_add(conns, users, 1, u"\\\\srv", u"ALICE", 0, NR_VERDICT_NONE, same);
    judge_add(conns, users, 1, u"\\\\srv", u"ALICE", 2, NR_VERDICT_STALE, same);
    judge_add(conns, users, 1, u"\\\\srv", u"bob", 0, NR_VERDICT_STALE, cancel);
    judge_add(conns, users, 1, u"\\\\srv", NULL, 0, NR_VERDICT_STALE, cancel);
}

/* A true conflict for NAME still marks NAME's own connections as such, and
 * cancels nothing. */
static void test_add_user_mixed(void **state)
{
    const struct nr_conn conns[] = {
        { u"Z:", u"\\\\srv\\share", true },
        { NULL, u"\\\\srv\\share", false },
        { NULL, u"\\\\srv\\ipc$", false },
        { u"Q:", u"\\\\srv2\\share", true },
    };
    const nr_char *const users[] = { u"alice", u"bob", u"carol", u"alice" };
    const int as_bob[] = { BLOCKER, SAME, OTHER, OTHER };
    const int as_alice[] = { SAME, CANCEL, CANCEL, OTHER };

    (void)state;
    judge_add(conns, users, 4, u"\\\\SRV\\x", u"bob", 0, NR_VERDICT_TRUE_CONFLICT, as_bob);
    judge_add(conns, users, 4, u"\\\\srv", u"alice", 0, NR_VERDICT_STALE, as_alice);
}

/* An invalid target answers INVALID whoever asks, whatever the orphans. */
static void test_add_invalid(void **state)
{
    const struct nr_conn conns[] = { { u"Z:", u"\\\\srv\\share", true } };
    const nr_char *const users[] = { u"alice" };
    const int expect[] = { OTHER };

    (void)state;
    judge_add(conns, users, 1, u"C:\\data", u"alice", 5, NR_VERDICT_INVALID, expect);
    judge_add(conns, users, 1, NULL, NULL, 0, NR_VERDICT_INVALID, expect);
    judge_add(conns, users, 1, u"srv\\share", NULL, 1, NR_VERDICT_INVALID, expect);
}

static void test_verdict_names(void **state)
{
    (void)state;
    assert_string_equal(nr_verdict_name(NR_VERDICT_NONE), "no conflict");
    assert_string_equal(nr_verdict_name(NR_VERDICT_STALE), "stale");
    assert_string_equal(nr_verdict_name(NR_VERDICT_TRUE_CONFLICT), "true conflict");
    assert_string_equal(nr_verdict_name(NR_VERDICT_INVALID), "invalid");
    assert_string_equal(nr_verdict_name((enum nr_verdict)77), "invalid");
}

/* Zero never acts: a verdict nobody judged is not stale, the one verdict
 * rule 4 clears and retries on; a role nobody set cancels nothing. */
static void test_zero_verdict(void **state)
{
    static const struct {
        enum nr_verdict verdict;
        enum nr_conn_role role;
    } unjudged;

    (void)state;
    assert_int_not_equal(unjudged.verdict, NR_VERDICT_STALE);
    assert_int_not_equal(unjudged.verdict, NR_VERDICT_TRUE_CONFLICT);
    assert_string_equal(nr_verdict_name(unjudged.verdict), "invalid");
    assert_int_equal(unjudged.role, NR_ROLE_OTHER);
}

static void assert_units(const nr_char *got, const char *want)
{
    size_t i;

    for (i = 0; want[i]; i++)
        if (got[i] != (nr_char)want[i])
            fail_msg("unit %zu: 0x%x, expected '%c'", i, got[i], want[i]);
    assert_int_equal(got[i], 0);
}

/* The exact net use command: by local name when there is one, else the
 * remote name; truncated, never unterminated. */
static void test_disconnect_command(void **state)
{
    const struct nr_conn drive = { u"Z:", u"\\\\srv\\share", true };
    const struct nr_conn implicit = { u"", u"\\\\srv\\share", false };
    const struct nr_conn null_local = { NULL, u"\\\\srv\\x", false };
    nr_char buf[64], small[8];

    (void)state;
    assert_int_equal(nr_disconnect_command(&drive, buf, 64), 18);
    assert_units(buf, "net use Z: /delete");
    assert_int_equal(nr_disconnect_command(&implicit, buf, 64), 27);
    assert_units(buf, "net use \\\\srv\\share /delete");
    assert_int_equal(nr_disconnect_command(&null_local, buf, 64), 23);
    assert_units(buf, "net use \\\\srv\\x /delete");
    assert_int_equal(nr_disconnect_command(&drive, small, 8), 18);
    assert_units(small, "net use");
    assert_int_equal(nr_disconnect_command(&drive, NULL, 0), 18);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_true_conflict_drive_letter),
        cmocka_unit_test(test_true_conflict_deviceless_live),
        cmocka_unit_test(test_idle_and_busy_deviceless),
        cmocka_unit_test(test_other_server_only),
        cmocka_unit_test(test_same_server_other_share),
        cmocka_unit_test(test_server_case_insensitive),
        cmocka_unit_test(test_server_component_exact),
        cmocka_unit_test(test_unparseable_remote),
        cmocka_unit_test(test_invalid_target),
        cmocka_unit_test(test_target_forms),
        cmocka_unit_test(test_empty_list),
        cmocka_unit_test(test_null_and_empty_local),
        cmocka_unit_test(test_mark_idle_ignores_blockers),
        cmocka_unit_test(test_cover_modes),
        cmocka_unit_test(test_cover_roots),
        cmocka_unit_test(test_same_server),
        cmocka_unit_test(test_same_server_bounds),
        cmocka_unit_test(test_add_no_conflict),
        cmocka_unit_test(test_add_orphans_stale),
        cmocka_unit_test(test_add_user_drive_letter),
        cmocka_unit_test(test_add_unknown_user_blocks),
        cmocka_unit_test(test_add_user_implicit),
        cmocka_unit_test(test_add_user_mixed),
        cmocka_unit_test(test_add_invalid),
        cmocka_unit_test(test_verdict_names),
        cmocka_unit_test(test_zero_verdict),
        cmocka_unit_test(test_disconnect_command),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
