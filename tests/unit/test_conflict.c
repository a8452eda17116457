/* conflict.c: rule 4's judgement of a 1219, rule 3's idle cancels, which
 * connections cover their share, and nr_same_server (unc.c) under them. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fake_os.h"
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
    IN_USE = NR_ROLE_IN_USE,
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
        { u"Z:", u"\\\\srv\\share", false, false },
        { NULL, u"\\\\srv\\share", false, false },
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
        { u"", u"\\\\srv\\IPC$", false, false },
        { NULL, u"\\\\srv\\share", true, false },
        { u"", u"\\\\other\\share", true, false },
    };
    const int expect[] = { OTHER, BLOCKER, OTHER };

    (void)state;
    judge(conns, ARRAY_SIZE(conns), u"\\\\srv\\data", NR_VERDICT_TRUE_CONFLICT, expect);
}

/* A deviceless connection with files open under it is in use now, whatever
 * its origin: closing them is the user's choice, so it is a true conflict
 * (exit 8 in "why"), never stale. The idle one beside it is left alone too:
 * a true conflict touches nothing. Without in_use (the caller did not
 * look), both are leftovers to cancel without force. */
static void test_idle_and_busy_deviceless(void **state)
{
    const struct nr_conn seen[] = {
        { NULL, u"\\\\srv\\idle", false, false },
        { u"", u"\\\\srv\\busy", false, true },
    };
    const struct nr_conn unseen[] = {
        { NULL, u"\\\\srv\\idle", false, false },
        { u"", u"\\\\srv\\busy", false, false },
    };
    const int expect_seen[] = { OTHER, IN_USE };
    const int expect_unseen[] = { CANCEL, CANCEL };

    (void)state;
    judge(seen, ARRAY_SIZE(seen), u"\\\\srv\\share", NR_VERDICT_TRUE_CONFLICT, expect_seen);
    judge(unseen, ARRAY_SIZE(unseen), u"\\\\srv\\share", NR_VERDICT_STALE, expect_unseen);
}

/* Rule 3's idle cancels never pick a connection with files open under it:
 * an in-use one is not idle, whatever the stock cancel would answer. */
static void test_mark_idle_skips_in_use(void **state)
{
    const struct nr_conn conns[] = {
        { NULL, u"\\\\srv\\idle", false, false },
        { NULL, u"\\\\srv\\busy", false, true },
        { u"Z:", u"\\\\srv\\drive", false, true },
    };
    const int expect[] = { CANCEL, OTHER, OTHER };
    enum nr_conn_role roles[ARRAY_SIZE(conns)];

    (void)state;
    fill_unset(roles, ARRAY_SIZE(roles));
    assert_int_equal(nr_mark_idle(conns, ARRAY_SIZE(conns), u"\\\\srv\\x", roles), 1);
    check_roles(roles, expect, ARRAY_SIZE(conns));
}

/* Connections to other servers neither block nor get cancelled: the stale
 * session is to srv, and nothing listed holds it. */
static void test_other_server_only(void **state)
{
    const struct nr_conn conns[] = {
        { u"Z:", u"\\\\other\\share", true, false },
        { NULL, u"\\\\other\\x", false, false },
        { u"", u"\\\\third\\share", true, false },
    };
    const int expect[] = { OTHER, OTHER, OTHER };

    (void)state;
    judge(conns, ARRAY_SIZE(conns), u"\\\\srv\\share", NR_VERDICT_STALE, expect);
}

/* The session the redirector keeps is per server, not per share. */
static void test_same_server_other_share(void **state)
{
    const struct nr_conn drive[] = { { u"Y:", u"\\\\srv\\other", false, false } };
    const struct nr_conn deviceless[] = { { NULL, u"\\\\srv\\other", false, false } };
    const int blocker[] = { BLOCKER }, cancel[] = { CANCEL };

    (void)state;
    judge(drive, 1, u"\\\\srv\\share", NR_VERDICT_TRUE_CONFLICT, blocker);
    judge(deviceless, 1, u"\\\\srv\\share", NR_VERDICT_STALE, cancel);
}

static void test_server_case_insensitive(void **state)
{
    const struct nr_conn drive[] = { { u"Z:", u"\\\\SRV\\Share", false, false } };
    const struct nr_conn deviceless[] = { { NULL, u"\\\\Srv\\x", false, false } };
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
        { u"Z:", u"\\\\srv2\\share", true, false },
        { NULL, u"\\\\srv2\\share", false, false },
        { u"Y:", u"\\\\sr\\vshare", false, false },
        { NULL, u"\\\\srv.example.com\\share", false, false },
    };
    const struct nr_conn to_srv[] = {
        { u"Z:", u"\\\\srv\\share", true, false },
        { NULL, u"\\\\srv\\share", false, false },
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
        { u"Z:", u"srv\\share", true, false },
        { u"Y:", u"\\\\srv\\\\share", false, false },
        { u"X:", NULL, true, false },
        { NULL, u"", false, false },
        { NULL, u"\\\\srv\\share\\..\\x", false, false },
        { u"", u"\\\\srv:445\\share", false, false },
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
        { u"Z:", u"\\\\srv\\share", true, false },
        { NULL, u"\\\\srv\\share", false, false },
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
        { NULL, u"\\\\srv\\share", false, false },
        { u"", u"\\\\srv2\\share", false, false },
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
        { NULL, u"\\\\srv\\a", false, false },
        { u"", u"\\\\srv\\b", false, false },
    };
    const struct nr_conn live[] = {
        { NULL, u"\\\\srv\\a", true, false },
        { u"", u"\\\\srv\\b", true, false },
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
        { u"Z:", u"\\\\srv\\share", false, false },
        { NULL, u"\\\\srv\\share", true, false },
        { NULL, u"\\\\SRV\\other", false, false },
        { u"", u"\\\\srv2\\share", false, false },
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
        { { u"Z:", u"\\\\srv\\share", false, false }, true, true }, /* drive, not in the ledger */
        { { u"Z:", u"\\\\srv\\share", true, false }, true, true },  /* drive, live */
        { { NULL, u"\\\\srv\\share", true, false }, true, true },   /* deviceless, live */
        { { u"", u"\\\\srv\\share", true, false }, true, true },    /* deviceless "", live */
        { { NULL, u"\\\\srv\\share", false, false }, true, false }, /* implicit (KeepConn) */
        { { u"", u"\\\\srv\\share", false, false }, true, false },  /* implicit, "" local */
        { { u"LPT1:", u"\\\\srv\\printer", false, false }, true, true },
        { { u"Z:", NULL, true, false }, false, false }, /* nothing to cover */
        { { NULL, NULL, false, false }, false, false },
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
        { NULL, u"\\\\srv\\implicit", false, false },
        { u"Z:", u"\\\\srv\\drive", false, false },
        { u"Y:", NULL, true, false },
        { u"", u"\\\\srv\\added", true, false },
        { u"", u"\\\\srv2\\implicit", false, false },
        { u"X:", u"\\\\srv2\\live", true, false },
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
        { u"Z:", u"\\\\other\\share", true, false },
        { NULL, u"\\\\other\\x", false, false },
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
    const struct nr_conn conns[] = { { NULL, u"\\\\other\\share", false, false } };
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
    const struct nr_conn conns[] = { { u"Z:", u"\\\\srv\\share", false, false } };
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
        { u"Y:", u"\\\\srv\\a", false, false },
        { u"", u"\\\\srv\\b", true, false },
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
    const struct nr_conn conns[] = { { NULL, u"\\\\srv\\share", false, false } };
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
        { u"Z:", u"\\\\srv\\share", true, false },
        { NULL, u"\\\\srv\\share", false, false },
        { NULL, u"\\\\srv\\ipc$", false, false },
        { u"Q:", u"\\\\srv2\\share", true, false },
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
    const struct nr_conn conns[] = { { u"Z:", u"\\\\srv\\share", true, false } };
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
    const struct nr_conn drive = { u"Z:", u"\\\\srv\\share", true, false };
    const struct nr_conn implicit = { u"", u"\\\\srv\\share", false, false };
    const struct nr_conn null_local = { NULL, u"\\\\srv\\x", false, false };
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

/* Whether s holds ascii, unit by unit. */
static bool units_have(const nr_char *s, const char *ascii)
{
    size_t i, j;

    for (i = 0; s[i]; i++) {
        for (j = 0; ascii[j] && s[i + j] == (nr_char)(unsigned char)ascii[j]; j++)
            ;
        if (!ascii[j])
            return true;
    }
    return false;
}

static void expect_text(const nr_char *s, const char *ascii, bool present)
{
    if (units_have(s, ascii) != present)
        fail_msg("\"%s\" %s the text", ascii, present ? "missing from" : "found in");
}

/* The case users met: alice's deviceless \\srv\share2, made on purpose but
 * no longer vouched for by a ledger, with k.txt open in another process,
 * and an orphan beside it. Through the fake seam as "why" and rule 4 see
 * it: the plan over the server finds k.txt under the listed connection
 * (kept), nr_mark_in_use marks the connection in use and counts the
 * orphan, and the verdict is a true conflict naming the file and its
 * process, whose ways out say what each does to it. */
static void test_in_use_deviceless_from_plan(void **state)
{
    static const nr_char k_txt[] =
        u"\\Device\\LanmanRedirector\\;Z:0000000000003e7a\\srv\\share2\\k.txt";
    static const nr_char orphan[] =
        u"\\Device\\LanmanRedirector\\;Z:0000000000003e7a\\srv\\share\\f.txt";
    static const nr_char *const users[] = { u"alice" };
    struct nr_conn conns[] = { { NULL, u"\\\\srv\\share2", false, false } };
    const nr_char *roots[1];
    struct nr_reclaim_request req;
    enum nr_conn_role roles[1];
    struct fake_os f;
    struct nr_plan plan;
    nr_char text[1024];

    (void)state;
    memset(&req, 0, sizeof(req));
    req.target = u"\\\\srv";
    req.connected = roots;
    req.connected_count = nr_cover_roots(conns, 1, NR_COVER_LISTED, roots);
    req.timeout_ms = 200;
    req.audit = 1;
    fake_init(&f, 0x3e7a);
    fake_add_proc(&f, 42, 0x3e7a, u"holder.exe");
    fake_add_handle(&f, 42, 0x30, k_txt);
    fake_add_handle(&f, 42, 0x34, orphan);
    assert_int_equal(nr_plan_build(&f.os, &req, &plan), NR_OK);
    assert_int_equal(plan.row_count, 2);

    assert_int_equal(nr_mark_in_use(conns, 1, &plan), 1);
    assert_true(conns[0].in_use);
    assert_int_equal(nr_judge_conflict(conns, 1, u"\\\\srv\\share", roles),
                     NR_VERDICT_TRUE_CONFLICT);
    assert_int_equal(roles[0], NR_ROLE_IN_USE);
    assert_int_equal(nr_judge_add(conns, users, 1, u"\\\\srv", u"bob", 1, roles),
                     NR_VERDICT_TRUE_CONFLICT);
    assert_int_equal(roles[0], NR_ROLE_IN_USE);
    /* alice's own add joins her session: only the orphan is left. */
    assert_int_equal(nr_judge_add(conns, users, 1, u"\\\\srv", u"alice", 1, roles),
                     NR_VERDICT_STALE);
    assert_int_equal(roles[0], NR_ROLE_SAME_USER);

    assert_int_equal(nr_in_use_files(conns, 1, 0, &plan, text, 1024), 1);
    assert_units(text, "\\\\srv\\share2\\k.txt in holder.exe (pid 42)");
    assert_int_equal(nr_in_use_files(conns, 1, 1, &plan, text, 1024), 1); /* the orphan */
    assert_units(text, "\\\\srv\\share\\f.txt in holder.exe (pid 42)");

    nr_in_use_advice(&conns[0], NR_ROLE_IN_USE, text, 1024);
    expect_text(text, "close those files in their programs", true);
    expect_text(text, "net use \\\\srv\\share2 /delete (net use asks first), after which "
                      "netreclaim closes those files", true);
    expect_text(text, "netreclaim reclaim", false);
    nr_plan_execute(&f.os, &plan);
    assert_int_equal(f.calls[FAKE_CLOSE_HANDLE], 0); /* audit: a look only */
    nr_plan_free(&plan);
    fake_free(&f);
}

/* A blocker's ways out: as before when idle; in use, they say that a
 * disconnect with the files open closes them. */
static void test_blocker_advice(void **state)
{
    struct nr_conn drive = { u"P:", u"\\\\srv\\share", true, false };
    nr_char text[1024];

    (void)state;
    assert_int_equal(nr_in_use_advice(&drive, NR_ROLE_BLOCKER, text, 1024), 60);
    assert_units(text, "add as that user, or disconnect it first: net use P: /delete");
    drive.in_use = true;
    nr_in_use_advice(&drive, NR_ROLE_BLOCKER, text, 1024);
    expect_text(text, "net use P: /delete (files are open under it: close them in their "
                      "programs first; if you disconnect with them open, net use asks first, "
                      "and netreclaim then closes them", true);
    assert_int_equal(nr_in_use_advice(&drive, NR_ROLE_BLOCKER, text, 8), 60 + 180);
    assert_units(text, "add as ");
}

/* nr_conn_under: the first listed connection covering a name, component by
 * component; count for an orphan or an unparseable remote. */
static void test_conn_under(void **state)
{
    const struct nr_conn conns[] = {
        { NULL, u"bogus", false, false },
        { NULL, u"\\\\srv\\share2", false, false },
        { u"Z:", u"\\\\SRV\\share", false, false },
    };
    struct nr_unc unc;

    (void)state;
    assert_true(nr_parse_unc(u"\\\\srv\\share\\a.txt", 17, 0, &unc));
    assert_int_equal(nr_conn_under(conns, 3, &unc), 2);
    assert_true(nr_parse_unc(u"\\\\srv\\share2\\a", 14, 0, &unc));
    assert_int_equal(nr_conn_under(conns, 3, &unc), 1);
    assert_true(nr_parse_unc(u"\\\\srv\\share22\\a", 15, 0, &unc));
    assert_int_equal(nr_conn_under(conns, 3, &unc), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_true_conflict_drive_letter),
        cmocka_unit_test(test_true_conflict_deviceless_live),
        cmocka_unit_test(test_idle_and_busy_deviceless),
        cmocka_unit_test(test_mark_idle_skips_in_use),
        cmocka_unit_test(test_in_use_deviceless_from_plan),
        cmocka_unit_test(test_blocker_advice),
        cmocka_unit_test(test_conn_under),
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
