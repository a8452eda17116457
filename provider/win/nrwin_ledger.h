/* The ledger of the caller's logon session (docs/design.md rule 2): the core's
 * image (netreclaim/ledger.h) in a named section, guarded by a named mutex,
 * shared by every process of the session. Used by netreclaim.dll, and by
 * the CLI and test tools to read it.
 *
 * Names: Local\NetReclaim.Ledger.<LUID> (section) and
 * Local\NetReclaim.Ledger.<LUID>.Lock (mutex), LUID as 16 hex digits, high
 * part first. Local\, not Global\: a logon session lives in one terminal
 * session, and creating a section in Global\ needs SeCreateGlobalPrivilege,
 * which standard users lack; the LUID keeps logon sessions that share a
 * terminal session (runas) apart.
 * Security: owner and only ACE the caller's token user (all access). An
 * existing object owned by anyone else is refused (squatting), and the
 * caller goes on without the ledger. */
#ifndef NETRECLAIM_NRWIN_LEDGER_H
#define NETRECLAIM_NRWIN_LEDGER_H

#include "nrwin.h"
#include "netreclaim/ledger.h"

#define NRWIN_LEDGER_WAIT_MS 2000u /* past it, the caller goes on without the ledger */
#define NRWIN_LEDGER_NAME_CCH 64u

/* Rebuilds a missing or corrupt image of session `luid` (nr_ledger_rebuild
 * with what the stock provider lists); NR_OK or why not. */
typedef int (*nrwin_ledger_rebuild_fn)(void *ctx, void *image, size_t size, uint64_t luid,
                                       uint64_t time);

struct nrwin_ledger_objects;

/* A held ledger: image and size are valid, and the lock is ours, until
 * nrwin_ledger_release. */
struct nrwin_ledger {
    void *image;
    size_t size;
    uint64_t luid;                        /* the caller's logon session */
    BOOL abandoned;                       /* the last holder ended without releasing */
    BOOL rebuilt;                         /* the image was missing or corrupt and was rebuilt */
    enum nr_ledger_fault fault;           /* why it was rebuilt or refused */
    struct nrwin_ledger_objects *objects; /* private */
};

/* Takes the caller's session ledger, waiting at most NRWIN_LEDGER_WAIT_MS.
 * With `rebuild`, creates the objects if needed and rebuilds an image that
 * fails validation; without it, opens existing objects only (NR_GONE if
 * there are none) and refuses an invalid image (NR_ERROR, l->fault says why).
 * NR_TIMEOUT: another holder kept the lock. Nothing to release unless NR_OK. */
int nrwin_ledger_acquire(struct nrwin_ledger *l, nrwin_ledger_rebuild_fn rebuild, void *ctx);
void nrwin_ledger_release(struct nrwin_ledger *l);

/* Opens the caller's session's existing objects, if any, and keeps them for
 * the life of the process (the cache acquire uses), so the image outlives
 * the processes that write it (docs/design.md rule 4: a lost ledger is rebuilt,
 * and a rebuild vouches for less). Never creates, waits for the lock, reads
 * or rebuilds the image. NR_OK when the process keeps them (already, or
 * now), NR_GONE when there are none, else why not. Not under the loader
 * lock (it opens the caller's token and named objects). */
int nrwin_ledger_keep(void);

/* Marks live each listed connection (local "" or NULL when deviceless) that
 * an entry of the held ledger's session vouches for (nr_ledger_vouches: a
 * rebuilt deviceless entry does not) as its own (nr_ledger_entry_names).
 * On NR_ERROR every live is false. */
int nrwin_ledger_mark_live(const struct nrwin_ledger *l, struct nr_conn *conns, size_t count);

/* The object names for a session (cch >= NRWIN_LEDGER_NAME_CCH). */
void nrwin_ledger_names(uint64_t luid, WCHAR *section, WCHAR *mutex, DWORD cch);

/* Now, as the ledger stores times (FILETIME). */
uint64_t nrwin_ledger_now(void);

#endif
