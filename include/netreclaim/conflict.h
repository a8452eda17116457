/* The judgements behind docs/design.md rules 3 and 4, kept pure so they are
 * unit-tested and fuzzed natively: which listed connections cover their
 * share (handles under them stay open), which deviceless connections are
 * idle leftovers to cancel without force, and whether a 1219 from a stock
 * add is a true conflict (left alone: netreclaim will not clear it) or a
 * stale one (cleared, then the add retried once). The provider's record
 * and "netreclaim why" both take their verdict and their advice from here.
 *
 * The caller gathers the connections (the stock provider's enumeration) and
 * whether the session ledger holds each live; nothing here touches the
 * system. Names are NUL-terminated and compared as nr_same_server does:
 * component-exact, case-insensitive, a name that does not parse matching no
 * server. conns, roles and roots may be NULL when count is 0. */
#ifndef NETRECLAIM_CONFLICT_H
#define NETRECLAIM_CONFLICT_H

#include <stddef.h>

#include "netreclaim/plan.h"
#include "netreclaim/unc.h"

/* One connection of the caller's logon session, as the stock provider lists
 * it. The strings are the caller's; nothing here keeps them. */
struct nr_conn {
    const nr_char *local;  /* NULL or "": deviceless */
    const nr_char *remote; /* \\server\share as the stock provider lists it */
    bool live;             /* the session ledger holds it live */
    /* Files are open under it now: handles under its share (nr_mark_in_use),
     * or the stock provider refused to cancel it without force. False when
     * the caller did not look. */
    bool in_use;
};

/* Which listed connections protect the handles under their share. */
enum nr_cover_mode {
    /* Every listed connection covers its share: the provider (rules 3, 4). */
    NR_COVER_LISTED,
    /* Only one with a local name or live in the ledger: the CLI's handles and
     * reclaim, where the redirector's implicit (deviceless, unrecorded)
     * connections protect nothing. */
    NR_COVER_DELIBERATE,
};

/* Whether `conn` covers the handles under its remote name in `mode`. False
 * for a NULL remote (nothing to cover). */
bool nr_conn_covers(const struct nr_conn *conn, enum nr_cover_mode mode);

/* roots[] (room for count) gets the remote names of the connections that
 * cover, in order (the remote pointers themselves); returns how many. What
 * a reclaim request takes as its connected roots. */
size_t nr_cover_roots(const struct nr_conn *conns, size_t count, enum nr_cover_mode mode,
                      const nr_char **roots);

/* What a connection is to the server of a target. */
enum nr_conn_role {
    NR_ROLE_OTHER = 0, /* another server, unparseable, or left alone */
    NR_ROLE_BLOCKER,   /* makes a 1219 a true conflict: keep it, and the 1219 */
    NR_ROLE_CANCEL,    /* deviceless and not live: cancel without force */
    /* To the server, made as the user nr_judge_add asked about: an add as
     * that user joins its session, no conflict. */
    NR_ROLE_SAME_USER,
    /* Deviceless, not live, with files open under it (in_use): it holds the
     * server until they close, and closing them is the user's choice, never
     * netreclaim's. Neither cancelled nor its files closed: a true conflict. */
    NR_ROLE_IN_USE,
};

/* Rule 3's second half (and rule 4's): marks NR_ROLE_CANCEL each deviceless
 * connection to target's server that is neither live nor in use; every
 * other role NR_ROLE_OTHER. A busy one the caller could not see (in_use
 * false) refuses the cancel without force and stays.
 * target: \\server or \\server\share...; roles has room for count. Returns
 * how many were marked; 0 and all OTHER if target does not parse. */
size_t nr_mark_idle(const struct nr_conn *conns, size_t count, const nr_char *target,
                    enum nr_conn_role *roles);

/* The zero value touches nothing: a verdict nobody judged is not stale
 * (rule 4 clears and retries only on NR_VERDICT_STALE). */
enum nr_verdict {
    /* target is not a \\server[\share] name, or nothing was judged: touch
     * nothing. */
    NR_VERDICT_INVALID = 0,
    /* Nothing the session means to keep holds the server: clear, then retry. */
    NR_VERDICT_STALE,
    /* A connection to the server with a local name, or live in the ledger. */
    NR_VERDICT_TRUE_CONFLICT,
    /* nr_judge_add only: nothing to the server holds another user's session
     * (nr_judge_conflict never answers it: after a 1219 something does). */
    NR_VERDICT_NONE,
};

/* Rule 4 after a stock add of `target` answered 1219. TRUE_CONFLICT: the
 * blockers are marked NR_ROLE_BLOCKER, the deviceless ones in use
 * NR_ROLE_IN_USE, and nothing NR_ROLE_CANCEL. STALE: roles as nr_mark_idle.
 * INVALID: all OTHER. A connection whose remote name does not parse is
 * never on the same server (OTHER). A local name makes a blocker whatever
 * `live` says (a drive letter is always deliberate); a deviceless
 * connection is one only when live. roles has room for count. */
enum nr_verdict nr_judge_conflict(const struct nr_conn *conns, size_t count, const nr_char *target,
                                  enum nr_conn_role *roles);

/* The one judgement behind rule 4 and "netreclaim why": whether an add to
 * target's server would meet another user's session, and what holds it.
 * users[i]: the user conns[i] runs as (stock NPGetUser), NULL or "" when
 * unknown; users may be NULL when no user is known (the provider).
 * user: the user the add would run as, or NULL/"" for any other user than
 * the connections': a connection made as `user` (compared whole,
 * case-insensitively; an unknown user never matches) is NR_ROLE_SAME_USER
 * and blocks nothing. orphans: handles under the server that no listed
 * connection covers (the caller counts them; 0 when it cannot see them).
 *   TRUE_CONFLICT: what netreclaim will not clear, as another user: a
 *     deliberate connection (local name, or live: NR_ROLE_BLOCKER) or a
 *     deviceless one in use (NR_ROLE_IN_USE); nothing NR_ROLE_CANCEL.
 *   STALE: none, but idle deviceless connections not live as another user
 *     (NR_ROLE_CANCEL) or orphans hold the server: netreclaim clears them.
 *   NONE: nothing to clear. INVALID: target does not parse; all OTHER.
 * With user NULL and no orphans this is nr_judge_conflict, but for NONE
 * where nr_judge_conflict says STALE. roles has room for count. */
enum nr_verdict nr_judge_add(const struct nr_conn *conns, const nr_char *const *users, size_t count,
                             const nr_char *target, const nr_char *user, size_t orphans,
                             enum nr_conn_role *roles);

/* The verdict's name, as the CLI and the provider's record print it:
 * "no conflict", "stale", "true conflict", "invalid". */
const char *nr_verdict_name(enum nr_verdict verdict);

/* Which listed connection a handle's name lies under: the index of the
 * first whose remote name covers it, or count when none does (an orphan). */
size_t nr_conn_under(const struct nr_conn *conns, size_t count, const struct nr_unc *name);

/* Sets in_use on each connection with a row of `plan` under it; returns the
 * rows under none (orphans). A plan that did not build marks nothing. */
size_t nr_mark_in_use(struct nr_conn *conns, size_t count, const struct nr_plan *plan);

/* report.c: the files open under conns[at] in `plan` (at == count: the
 * orphans), "; "-listed in buf[cch] as nr_plan_format_file names them (a
 * name too long for the list is left out, whole); returns how many rows
 * lie there. */
#define NR_FILE_TEXT_CCH 1024u /* one named file, at most */
size_t nr_in_use_files(const struct nr_conn *conns, size_t count, size_t at,
                       const struct nr_plan *plan, nr_char *buf, size_t cch);

/* The ways out of a connection in use, as "why" and the provider's record
 * both say them, naming what each does to the open files: for a deviceless
 * one, close them in their programs (then netreclaim's next add clears the
 * rest), or disconnect it with them open, after which netreclaim closes
 * them; for a blocker, add as its user, or disconnect it the same way.
 * Writes at most cch units, NUL included, as nr_disconnect_command does;
 * returns the units the whole text needs. */
size_t nr_in_use_advice(const struct nr_conn *conn, enum nr_conn_role role, nr_char *buf,
                        size_t cch);

/* The exact command that disconnects `conn`: "net use Z: /delete", or
 * "net use \\server\share /delete" when deviceless. Writes at most cch
 * units, NUL included (truncated, never unterminated; nothing if cch is 0).
 * Returns the units the whole command needs, NUL excluded. */
size_t nr_disconnect_command(const struct nr_conn *conn, nr_char *buf, size_t cch);

#endif
