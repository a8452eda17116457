/* Rule 3's idle cancels and rule 4's conflict judgement (conflict.h).
 *
 * A connection is the session's to keep when it has a local name (a drive
 * letter is always deliberate) or the ledger holds it live (added on
 * purpose). Only a deviceless connection the ledger does not vouch for is a
 * leftover: the redirector's implicit connection from plain UNC access, or
 * one rebuilt from the stock enumeration, of unknown origin. */

#include "netreclaim/conflict.h"

static bool has_local(const struct nr_conn *conn)
{
    return conn->local && conn->local[0];
}

static bool is_deliberate(const struct nr_conn *conn)
{
    return has_local(conn) || conn->live;
}

static bool target_valid(const nr_char *target)
{
    struct nr_unc unc;

    return target && nr_parse_unc(target, nr_strnlen(target, NR_UNC_MAX + 1), 0, &unc);
}

bool nr_conn_covers(const struct nr_conn *conn, enum nr_cover_mode mode)
{
    if (!conn->remote)
        return false;
    return mode == NR_COVER_LISTED || is_deliberate(conn);
}

size_t nr_cover_roots(const struct nr_conn *conns, size_t count, enum nr_cover_mode mode,
                      const nr_char **roots)
{
    size_t i, n = 0;

    for (i = 0; i < count; i++)
        if (nr_conn_covers(&conns[i], mode))
            roots[n++] = conns[i].remote;
    return n;
}

static void clear_roles(size_t count, enum nr_conn_role *roles)
{
    size_t i;

    for (i = 0; i < count; i++)
        roles[i] = NR_ROLE_OTHER;
}

size_t nr_mark_idle(const struct nr_conn *conns, size_t count, const nr_char *target,
                    enum nr_conn_role *roles)
{
    size_t i, n = 0;

    clear_roles(count, roles);
    if (!target_valid(target))
        return 0;
    for (i = 0; i < count; i++) {
        /* Busy ones are marked too: the stock cancel without force is what
         * tells idle from busy, and a busy one refuses and stays. */
        if (!is_deliberate(&conns[i]) && nr_same_server(conns[i].remote, target)) {
            roles[i] = NR_ROLE_CANCEL;
            n++;
        }
    }
    return n;
}

enum nr_verdict nr_judge_conflict(const struct nr_conn *conns, size_t count, const nr_char *target,
                                  enum nr_conn_role *roles)
{
    size_t i, blockers = 0;

    clear_roles(count, roles);
    if (!target_valid(target))
        return NR_VERDICT_INVALID;
    for (i = 0; i < count; i++) {
        if (is_deliberate(&conns[i]) && nr_same_server(conns[i].remote, target)) {
            roles[i] = NR_ROLE_BLOCKER;
            blockers++;
        }
    }
    /* A true conflict touches nothing: cancelling the idle ones would not
     * lift the 1219 the blockers hold. */
    if (blockers)
        return NR_VERDICT_TRUE_CONFLICT;
    nr_mark_idle(conns, count, target, roles);
    return NR_VERDICT_STALE;
}
