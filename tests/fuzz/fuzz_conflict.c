/* Rule 4's conflict judgement and rule 3's idle cancels on a list of
 * connections: nr_judge_conflict, nr_mark_idle, nr_conn_covers,
 * nr_cover_roots, nr_same_server.
 *
 * Input: a count byte (0..MAX_CONNS connections), one flag byte per
 * connection (bit 0: live; bits 1-2: local name NULL, "", "Z:" or "LPT1:";
 * bit 3: remote NULL), then UTF-16LE units split at U+FFFF into the target
 * and the remote names in order. Every name is NUL-terminated; a missing
 * piece is "". */
#include "fuzz.h"
#include "netreclaim/conflict.h"

#define SEP 0xffffu
#define MAX_CONNS 8

static const nr_char *const locals[] = { NULL, u"", u"Z:", u"LPT1:" };

static bool deliberate(const struct nr_conn *conn)
{
    return (conn->local && conn->local[0]) || conn->live;
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
              roles[i] == NR_ROLE_CANCEL);
        blockers += roles[i] == NR_ROLE_BLOCKER;
        cancels += roles[i] == NR_ROLE_CANCEL;
        if (roles[i] == NR_ROLE_CANCEL)
            CHECK(!(conns[i].local && conns[i].local[0]) && !conns[i].live && same);
        if (roles[i] == NR_ROLE_BLOCKER)
            CHECK(same && deliberate(&conns[i]));
        /* Every deliberate connection to the server is a blocker: none is
         * missed, and a true conflict marks all of them. */
        if (same && deliberate(&conns[i]))
            CHECK(roles[i] == NR_ROLE_BLOCKER);
        /* nr_mark_idle marks exactly the deviceless, unrecorded ones there. */
        CHECK(idle[i] == (same && !deliberate(&conns[i]) ? NR_ROLE_CANCEL : NR_ROLE_OTHER));
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

    listed_n = check_roots(conns, count, NR_COVER_LISTED, listed);
    kept_n = check_roots(conns, count, NR_COVER_DELIBERATE, kept);
    CHECK(listed_n >= kept_n);

    for (i = 0; i < 1 + count; i++)
        free(piece[i]);
    free(units);
    return 0;
}
