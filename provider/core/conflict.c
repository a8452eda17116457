/* Rule 3's idle cancels and rule 4's conflict judgement (conflict.h).
 *
 * A connection is the session's to keep when it has a local name (a drive
 * letter is always deliberate) or the ledger holds it live (added on
 * purpose). Only a deviceless connection the ledger does not vouch for is a
 * leftover: the redirector's implicit connection from plain UNC access, or
 * one rebuilt from the stock enumeration, of unknown origin. A leftover
 * with files open under it is still in use now, whatever its origin: it is
 * the user's to end, like a deliberate one. */

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
        if (!is_deliberate(&conns[i]) && !conns[i].in_use &&
            nr_same_server(conns[i].remote, target)) {
            roles[i] = NR_ROLE_CANCEL;
            n++;
        }
    }
    return n;
}

/* Whether connection i was made as `user`. An unknown user on either side
 * never matches: an add as that user could still meet another session. */
static bool same_user(const nr_char *const *users, size_t i, const nr_char *user)
{
    const nr_char *made = users ? users[i] : NULL;

    if (!user || !user[0] || !made || !made[0])
        return false;
    return nr_equal_nocase(user, nr_strnlen(user, NR_UNC_MAX + 1), made,
                           nr_strnlen(made, NR_UNC_MAX + 1));
}

/* Marks the connections to the server made as `user`; returns how many. */
static size_t mark_same_user(const struct nr_conn *conns, const nr_char *const *users, size_t count,
                             const nr_char *target, const nr_char *user, enum nr_conn_role *roles)
{
    size_t i, n = 0;

    for (i = 0; i < count; i++) {
        if (same_user(users, i, user) && nr_same_server(conns[i].remote, target)) {
            roles[i] = NR_ROLE_SAME_USER;
            n++;
        }
    }
    return n;
}

enum nr_verdict nr_judge_add(const struct nr_conn *conns, const nr_char *const *users, size_t count,
                             const nr_char *target, const nr_char *user, size_t orphans,
                             enum nr_conn_role *roles)
{
    size_t i, blockers = 0, cancels = 0;

    clear_roles(count, roles);
    if (!target_valid(target))
        return NR_VERDICT_INVALID;
    for (i = 0; i < count; i++) {
        if ((is_deliberate(&conns[i]) || conns[i].in_use) && !same_user(users, i, user) &&
            nr_same_server(conns[i].remote, target)) {
            roles[i] = is_deliberate(&conns[i]) ? NR_ROLE_BLOCKER : NR_ROLE_IN_USE;
            blockers++;
        }
    }
    /* A true conflict touches nothing: cancelling the idle ones would not
     * lift the 1219 the blockers hold. */
    if (blockers) {
        mark_same_user(conns, users, count, target, user, roles);
        return NR_VERDICT_TRUE_CONFLICT;
    }
    nr_mark_idle(conns, count, target, roles);
    /* One made as the user asked about is that user's own session: an add
     * as that user joins it, so it is neither a blocker nor to cancel. */
    mark_same_user(conns, users, count, target, user, roles);
    for (i = 0; i < count; i++)
        cancels += roles[i] == NR_ROLE_CANCEL;
    return cancels || orphans ? NR_VERDICT_STALE : NR_VERDICT_NONE;
}

enum nr_verdict nr_judge_conflict(const struct nr_conn *conns, size_t count, const nr_char *target,
                                  enum nr_conn_role *roles)
{
    /* After a 1219 the server is held, whether or not we can see by what:
     * unseen holders count as stale, cleared by what the sweep can do. */
    const enum nr_verdict verdict = nr_judge_add(conns, NULL, count, target, NULL, 0, roles);

    return verdict == NR_VERDICT_NONE ? NR_VERDICT_STALE : verdict;
}

const char *nr_verdict_name(enum nr_verdict verdict)
{
    return verdict == NR_VERDICT_NONE            ? "no conflict"
           : verdict == NR_VERDICT_STALE         ? "stale"
           : verdict == NR_VERDICT_TRUE_CONFLICT ? "true conflict"
                                                 : "invalid";
}

/* Appends ASCII `s` at buf[*n], counting what does not fit. */
static void put_ascii(nr_char *buf, size_t cch, size_t *n, const char *s)
{
    for (; *s; s++, (*n)++)
        if (*n + 1 < cch)
            buf[*n] = (nr_char)(unsigned char)*s;
}

static void put_units(nr_char *buf, size_t cch, size_t *n, const nr_char *s)
{
    for (; s && *s; s++, (*n)++)
        if (*n + 1 < cch)
            buf[*n] = *s;
}

static void put_command(nr_char *buf, size_t cch, size_t *n, const struct nr_conn *conn)
{
    put_ascii(buf, cch, n, "net use ");
    put_units(buf, cch, n, has_local(conn) ? conn->local : conn->remote);
    put_ascii(buf, cch, n, " /delete");
}

static size_t terminate(nr_char *buf, size_t cch, size_t n)
{
    if (cch)
        buf[n < cch ? n : cch - 1] = 0;
    return n;
}

size_t nr_disconnect_command(const struct nr_conn *conn, nr_char *buf, size_t cch)
{
    size_t n = 0;

    put_command(buf, cch, &n, conn);
    return terminate(buf, cch, n);
}

size_t nr_conn_under(const struct nr_conn *conns, size_t count, const struct nr_unc *name)
{
    size_t i;
    struct nr_unc root;

    for (i = 0; i < count; i++) {
        const nr_char *remote = conns[i].remote;

        if (remote && nr_parse_unc(remote, nr_strnlen(remote, NR_UNC_MAX + 1), 0, &root) &&
            nr_unc_under(name, &root))
            return i;
    }
    return count;
}

size_t nr_mark_in_use(struct nr_conn *conns, size_t count, const struct nr_plan *plan)
{
    size_t i, at, orphans = 0;

    if (plan->status != NR_OK)
        return 0;
    for (i = 0; i < plan->row_count; i++) {
        at = nr_conn_under(conns, count, &plan->rows[i].unc);
        if (at < count)
            conns[at].in_use = true;
        else
            orphans++;
    }
    return orphans;
}

/* The ways out name what each does to the open files (docs/design.md rule
 * 4): never a step that closes a file in use without saying so. */
size_t nr_in_use_advice(const struct nr_conn *conn, enum nr_conn_role role, nr_char *buf,
                        size_t cch)
{
    size_t n = 0;

    if (role == NR_ROLE_IN_USE) {
        put_ascii(buf, cch, &n,
                  "close those files in their programs (the connection is then idle, and "
                  "netreclaim's next add as another user cancels it and is retried); or "
                  "disconnect it with the files open: ");
        put_command(buf, cch, &n, conn);
        put_ascii(buf, cch, &n,
                  " (net use asks first), after which netreclaim closes those files, "
                  "unsaved work in them included");
        return terminate(buf, cch, n);
    }
    put_ascii(buf, cch, &n, "add as that user, or disconnect it first: ");
    put_command(buf, cch, &n, conn);
    if (conn->in_use)
        put_ascii(buf, cch, &n,
                  " (files are open under it: close them in their programs first; if you "
                  "disconnect with them open, net use asks first, and netreclaim then closes "
                  "them, unsaved work in them included)");
    return terminate(buf, cch, n);
}
