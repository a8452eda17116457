/* The judgements behind DESIGN.md rules 3 and 4, kept pure so they are
 * unit-tested and fuzzed natively: which listed connections cover their
 * share (handles under them stay open), which deviceless connections are
 * idle leftovers to cancel without force, and whether a 1219 from a stock
 * add is a true conflict (left alone) or a stale one (cleared, then the add
 * retried once).
 *
 * The caller gathers the connections (the stock provider's enumeration) and
 * whether the session ledger holds each live; nothing here touches the
 * system. Names are NUL-terminated and compared as nr_same_server does:
 * component-exact, case-insensitive, a name that does not parse matching no
 * server. conns, roles and roots may be NULL when count is 0. */
#ifndef NETRECLAIM_CONFLICT_H
#define NETRECLAIM_CONFLICT_H

#include <stddef.h>

#include "netreclaim/unc.h"

/* One connection of the caller's logon session, as the stock provider lists
 * it. The strings are the caller's; nothing here keeps them. */
struct nr_conn {
    const nr_char *local;  /* NULL or "": deviceless */
    const nr_char *remote; /* \\server\share as the stock provider lists it */
    bool live;             /* the session ledger holds it live */
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
};

/* Rule 3's second half (and rule 4's): marks NR_ROLE_CANCEL each deviceless
 * connection to target's server that is not live (idle ones go when
 * cancelled without force; busy ones refuse and stay, which the caller
 * learns from the stock provider); every other role NR_ROLE_OTHER.
 * target: \\server or \\server\share...; roles has room for count. Returns
 * how many were marked; 0 and all OTHER if target does not parse. */
size_t nr_mark_idle(const struct nr_conn *conns, size_t count, const nr_char *target,
                    enum nr_conn_role *roles);

enum nr_verdict {
    /* Nothing the session means to keep holds the server: clear, then retry. */
    NR_VERDICT_STALE = 0,
    /* A connection to the server with a local name, or live in the ledger. */
    NR_VERDICT_TRUE_CONFLICT,
    /* target is not a \\server[\share] name: touch nothing. */
    NR_VERDICT_INVALID,
};

/* Rule 4 after a stock add of `target` answered 1219. TRUE_CONFLICT: the
 * blockers are marked NR_ROLE_BLOCKER and nothing NR_ROLE_CANCEL. STALE:
 * roles as nr_mark_idle. INVALID: all OTHER. A connection whose remote name
 * does not parse is never on the same server (OTHER). A local name makes a
 * blocker whatever `live` says (a drive letter is always deliberate); a
 * deviceless connection is one only when live. roles has room for count. */
enum nr_verdict nr_judge_conflict(const struct nr_conn *conns, size_t count, const nr_char *target,
                                  enum nr_conn_role *roles);

#endif
