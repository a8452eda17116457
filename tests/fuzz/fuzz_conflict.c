/* Rule 4's conflict judgement and rule 3's idle cancels on a list of
 * connections: nr_judge_conflict, nr_mark_idle, nr_conn_covers,
 * nr_cover_roots, nr_same_server, and nr_judge_add ("netreclaim why") for
 * every asking user and orphan count against them, nr_disconnect_command
 * and nr_in_use_advice.
 *
 * Input: a count byte (0..MAX_CONNS connections), one flag byte per
 * connection (bit 0: live; bits 1-2: local name NULL, "", "Z:" or "LPT1:";
 * bit 3: remote NULL; bits 4-5: user NULL, "", "alice" or "ALICE"; bit 6:
 * in use), then UTF-16LE units split at U+FFFF into the target
 * and the remote names in order. Every name is NUL-terminated; a missing
 * piece is "". */
#include "fuzz.h"
#include "netreclaim/conflict.h"

#define SEP 0xffffu
#define MAX_CONNS 8
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const nr_char *const locals[] = { NULL, u"", u"Z:", u"LPT1:" };
static const nr_char *const users[] = { NULL, u"", u"alice", u"ALICE" };
/* Who asks: any other user, nobody named, a listed user, an unlisted one. */
static const nr_char *const askers[] = { NULL, u"", u"Alice", u"bob" };

static bool deliberate(const struct nr_conn *conn)
{
    return (conn->local && conn->local[0]) || conn->live;
}

/* Whether a connection made as `made` counts as made as `user`: both
 * known, and (users[] and askers[] being what they are) both alice. */
static bool made_as(const nr_char *made, const nr_char *user)
{
    return user && user[0] && made && made[0] && (user[0] | 0x20) == 'a';
}

/* nr_judge_add against its contract, for one asker and orphan count; the
 * provider's nr_judge_conflict (verdict, roles) is the NULL asker's. */
static void check_add(const struct nr_conn *conns, const nr_char *const *made, size_t count,
                      const nr_char *target, bool target_ok, size_t asker, size_t orphans,
                      enum nr_verdict verdict, const enum nr_conn_role *judged)
{
    enum nr_conn_role roles[MAX_CONNS];
    const nr_char *user = askers[asker];
    const enum nr_verdict v = nr_judge_add(conns, made, count, target, user, orphans, roles);
    size_t i, blockers = 0, cancels = 0;

    CHECK((v == NR_VERDICT_INVALID) == !target_ok);
    for (i = 0; i < count; i++) {
        const bool same = nr_same_server(conns[i].remote, target);
        const bool mine = made_as(made[i], user);

        blockers += roles[i] == NR_ROLE_BLOCKER;
        cancels += roles[i] == NR_ROLE_CANCEL;
        blockers += roles[i] == NR_ROLE_IN_USE;
        if (roles[i] == NR_ROLE_BLOCKER)
            CHECK(same && deliberate(&conns[i]) && !mine);
        if (roles[i] == NR_ROLE_IN_USE)
            CHECK(same && !deliberate(&conns[i]) && conns[i].in_use && !mine);
        if (roles[i] == NR_ROLE_CANCEL)
            CHECK(same && !deliberate(&conns[i]) && !conns[i].in_use && !mine);
        if (roles[i] == NR_ROLE_SAME_USER)
            CHECK(same && mine);
        /* Nothing to the server is left unjudged. */
        if (same && !mine && deliberate(&conns[i]))
            CHECK(roles[i] == NR_ROLE_BLOCKER);
        if (same && !mine && !deliberate(&conns[i]) && conns[i].in_use)
            CHECK(roles[i] == NR_ROLE_IN_USE);
        if (same && mine)
            CHECK(roles[i] == NR_ROLE_SAME_USER);
        if (!same)
            CHECK(roles[i] == NR_ROLE_OTHER);
    }
    CHECK((v == NR_VERDICT_TRUE_CONFLICT) == (blockers > 0));
    if (v == NR_VERDICT_TRUE_CONFLICT)
        CHECK(!cancels);
    if (v == NR_VERDICT_NONE)
        CHECK(!cancels && !orphans);
    if (v == NR_VERDICT_STALE)
        CHECK(!blockers && (cancels || orphans));
    /* Nobody named, or nobody listed: exactly the provider's judgement. */
    if (asker != 2 && !orphans) {
        CHECK(v == verdict || (v == NR_VERDICT_NONE && verdict == NR_VERDICT_STALE));
        CHECK(!memcmp(roles, judged, count * sizeof(roles[0])));
    }
}

/* Roots of a mode: exactly the covering remotes, in order. */
static size_t check_roots(const struct nr_conn *conns, size_t count, enum nr_cover_mode mode,
                          const nr_char **roots)
{
    size_t n = nr_cover_roots(conns, count, mode, roots), i, k = 0;

    CHECK(n <= count);
    for (i = 0; i < count; i++)
        if (nr_conn_covers(&conns[i], mode))
            CHECK(k < n && roots[k++] == conns[i].remote);
    CHECK(k == n);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct reader r = { data, size };
    const size_t count = take_u8(&r) % (MAX_CONNS + 1);
    uint8_t flags[MAX_CONNS];
    nr_char *piece[1 + MAX_CONNS];
    nr_char *units;
    struct nr_conn conns[MAX_CONNS];
    const nr_char *made[MAX_CONNS];
    enum nr_conn_role roles[MAX_CONNS], idle[MAX_CONNS];
    const nr_char *listed[MAX_CONNS], *kept[MAX_CONNS];
    const nr_char *target;
    size_t n = 0, start = 0, i, j, blockers = 0, cancels = 0, marked, listed_n, kept_n;
    struct nr_unc unc;
    enum nr_verdict verdict;
    bool target_ok;

    for (i = 0; i < count; i++)
        flags[i] = take_u8(&r);
    units = malloc((r.n / 2 + 1) * sizeof(nr_char));
    CHECK(units);
    while (r.n >= 2)
        units[n++] = take_u16(&r);
    /* Exact copies of each piece, so ASan sees a read past one. */
    for (i = 0; i < 1 + count; i++) {
        size_t end = start;

        while (end < n && units[end] != SEP)
            end++;
        piece[i] = dup_units(units + start, end - start, 1);
        start = end < n ? end + 1 : n;
    }
    target = piece[0];
    for (i = 0; i < count; i++) {
        conns[i].local = locals[(flags[i] >> 1) & 3];
        conns[i].remote = flags[i] & 8 ? NULL : piece[1 + i];
        conns[i].live = flags[i] & 1;
        conns[i].in_use = flags[i] & 0x40;
        made[i] = users[(flags[i] >> 4) & 3];
    }
    target_ok = nr_parse_unc(target, nr_strnlen(target, NR_UNC_MAX + 1), 0, &unc);

    verdict = nr_judge_conflict(conns, count, target, roles);
    marked = nr_mark_idle(conns, count, target, idle);
    CHECK(verdict == NR_VERDICT_STALE || verdict == NR_VERDICT_TRUE_CONFLICT ||
          verdict == NR_VERDICT_INVALID);
    CHECK((verdict == NR_VERDICT_INVALID) == !target_ok);
    CHECK(nr_same_server(target, target) == target_ok);

    for (i = 0; i < count; i++) {
        const bool same = nr_same_server(conns[i].remote, target);

        CHECK(same == nr_same_server(target, conns[i].remote));
        CHECK(!same || target_ok);
        CHECK(roles[i] == NR_ROLE_OTHER || roles[i] == NR_ROLE_BLOCKER ||
              roles[i] == NR_ROLE_CANCEL || roles[i] == NR_ROLE_IN_USE);
        blockers += roles[i] == NR_ROLE_BLOCKER || roles[i] == NR_ROLE_IN_USE;
        cancels += roles[i] == NR_ROLE_CANCEL;
        if (roles[i] == NR_ROLE_CANCEL)
            CHECK(!deliberate(&conns[i]) && !conns[i].in_use && same);
        /* A connection with files open is never cancelled, and holds the
         * server whatever its origin. */
        if (same && !deliberate(&conns[i]) && conns[i].in_use)
            CHECK(roles[i] == NR_ROLE_IN_USE);
        if (roles[i] == NR_ROLE_BLOCKER)
            CHECK(same && deliberate(&conns[i]));
        /* Every deliberate connection to the server is a blocker: none is
         * missed, and a true conflict marks all of them. */
        if (same && deliberate(&conns[i]))
            CHECK(roles[i] == NR_ROLE_BLOCKER);
        /* nr_mark_idle marks exactly the deviceless, unrecorded, idle ones. */
        CHECK(idle[i] == (same && !deliberate(&conns[i]) && !conns[i].in_use ? NR_ROLE_CANCEL
                                                                             : NR_ROLE_OTHER));
        /* What is cancelled is what the CLI's mode does not count as cover. */
        if (idle[i] == NR_ROLE_CANCEL)
            CHECK(nr_conn_covers(&conns[i], NR_COVER_LISTED) &&
                  !nr_conn_covers(&conns[i], NR_COVER_DELIBERATE));
        CHECK(!nr_conn_covers(&conns[i], NR_COVER_DELIBERATE) ||
              nr_conn_covers(&conns[i], NR_COVER_LISTED));
        CHECK(nr_conn_covers(&conns[i], NR_COVER_LISTED) == (conns[i].remote != NULL));
        for (j = 0; j < count; j++)
            CHECK(nr_same_server(conns[i].remote, conns[j].remote) ==
                  nr_same_server(conns[j].remote, conns[i].remote));
    }
    if (verdict == NR_VERDICT_TRUE_CONFLICT)
        CHECK(blockers >= 1 && !cancels);
    if (verdict == NR_VERDICT_STALE) {
        CHECK(!blockers && cancels == marked);
        CHECK(!memcmp(roles, idle, count * sizeof(roles[0])));
    }
    if (verdict == NR_VERDICT_INVALID)
        CHECK(!blockers && !cancels && !marked);

    for (i = 0; i < ARRAY_LEN(askers); i++)
        for (j = 0; j < 2; j++)
            check_add(conns, made, count, target, target_ok, i, j, verdict, roles);
    for (i = 0; i < count; i++) {
        nr_char cmd[16];
        const size_t need = nr_disconnect_command(&conns[i], cmd, ARRAY_LEN(cmd));

        nr_char advice[64];
        size_t said;

        CHECK(nr_strnlen(cmd, ARRAY_LEN(cmd)) < ARRAY_LEN(cmd));
        CHECK(need >= 16 && (need >= ARRAY_LEN(cmd) || cmd[need] == 0));
        said = nr_in_use_advice(&conns[i], roles[i], advice, ARRAY_LEN(advice));
        CHECK(said > need && nr_strnlen(advice, ARRAY_LEN(advice)) < ARRAY_LEN(advice));
    }

    listed_n = check_roots(conns, count, NR_COVER_LISTED, listed);
    kept_n = check_roots(conns, count, NR_COVER_DELIBERATE, kept);
    CHECK(listed_n >= kept_n);

    for (i = 0; i < 1 + count; i++)
        free(piece[i]);
    free(units);
    return 0;
}
