/* The ledger: which user made each connection of each logon session
 * (behaviour rule 2). It lives in a named section shared by every process of
 * the session; the Windows layer maps it and holds the named mutex, and this
 * code works on the plain memory image. Every operation validates the image
 * first and answers NR_LEDGER_E_CORRUPT for anything it cannot trust: the
 * caller then rebuilds it from the stock provider's enumeration.
 *
 * Layout (version 2, native little-endian, identical for x86 and x64 since
 * both kinds of process of a session share one image):
 *
 *   header, 64 bytes
 *     0  u32 magic 'NRLG'      4  u32 version (2)
 *     8  u32 header size (64)  12 u32 entry size (1312)
 *     16 u32 capacity (1..256) 20 u32 count (<= capacity)
 *     24 u64 sequence: the last one handed to an entry
 *     32 u32 checksum: FNV-1a 32 over the header (this field as 0) and the
 *            first `count` entries
 *     36 u32 reserved[7], 0
 *   entries[capacity], 1312 bytes each; only the first `count` are used
 *     0  u64 logon-session LUID      8  u64 sequence (1..header sequence)
 *     16 u64 time added              24 u64 time cancelled (0 while live)
 *     32 u32 state (live, cancelled) 36 u32 origin (added, rebuilt)
 *     40   nr_char local[16]         e.g. "Z:", "LPT1:", "" for deviceless
 *     72   nr_char remote[340]       \\server\share[\path]
 *     752  nr_char user[280]         DOMAIN\user or user@domain, may be ""
 *   Strings are NUL-terminated and zero-filled to the end of their field.
 *   With 256 entries the image is 335,936 bytes.
 *
 * Version 2 gave the entry's reserved field to its origin. A version 1
 * image (a process of an older build still holds it) fails validation with
 * NR_LEDGER_FAULT_VERSION and is rebuilt, so every entry of it counts as
 * rebuilt: none of its deviceless entries vouches for more than a rebuild
 * would, and an older build meeting a version 2 image rebuilds it the same
 * way. Any change to what a field means bumps the version.
 *
 * What an entry vouches for (docs/design.md rule 4, nr_ledger_vouches): an entry
 * recorded by an add was seen being made on purpose; one rebuilt from the
 * stock enumeration was not. A rebuilt entry with a local name still
 * vouches (a drive letter is always deliberate), a rebuilt deviceless one
 * does not: the redirector's implicit connections from plain UNC access
 * are listed exactly like one added on purpose.
 *
 * Full ledger: an add first reuses the slot of the oldest cancelled entry;
 * when every entry is live it overwrites the oldest live one and answers
 * NR_LEDGER_EVICTED. An add never fails because the ledger is full.
 *
 * Times are whatever the caller passes (FILETIME in the Windows layer).
 * Names compare case-insensitively (nr_equal_nocase). Input strings are
 * NUL-terminated and read no further than their field size. Images must be 8-byte aligned
 * (a mapped view always is). */
#ifndef NETRECLAIM_LEDGER_H
#define NETRECLAIM_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "netreclaim/nrchar.h"

#define NR_LEDGER_MAGIC 0x474c524eu /* "NRLG" in memory */
#define NR_LEDGER_VERSION 2u        /* 2: entries carry their origin */
#define NR_LEDGER_CAPACITY 256u     /* what the Windows layer formats */
#define NR_LEDGER_LOCAL_CCH 16
#define NR_LEDGER_REMOTE_CCH 340 /* \\ + 253-char DNS name + \ + 80-char share */
#define NR_LEDGER_USER_CCH 280   /* 15-char domain + \ + 256-char user, rounded */

enum nr_ledger_status {
    NR_LEDGER_OK = 0,
    NR_LEDGER_EVICTED = 1,     /* added, but the oldest live entry had to go */
    NR_LEDGER_E_CORRUPT = -1,  /* image fails validation: rebuild it */
    NR_LEDGER_E_ARG = -2,      /* NULL, malformed name, bad size or capacity */
    NR_LEDGER_E_TOO_LONG = -3, /* a name does not fit its field */
    NR_LEDGER_E_NOT_FOUND = -4,
};

/* Why validation failed, for the log. */
enum nr_ledger_fault {
    NR_LEDGER_FAULT_NONE = 0,
    NR_LEDGER_FAULT_SIZE,  /* buffer smaller than the header or the entries */
    NR_LEDGER_FAULT_ALIGN, /* image not 8-byte aligned */
    NR_LEDGER_FAULT_MAGIC,
    NR_LEDGER_FAULT_VERSION,
    NR_LEDGER_FAULT_LAYOUT,   /* header or entry size of another build */
    NR_LEDGER_FAULT_CAPACITY, /* 0 or over NR_LEDGER_CAPACITY */
    NR_LEDGER_FAULT_COUNT,    /* count > capacity */
    NR_LEDGER_FAULT_RESERVED, /* a reserved field is not 0 */
    NR_LEDGER_FAULT_STATE,    /* unknown state, or live with a cancel time */
    NR_LEDGER_FAULT_SEQUENCE, /* 0 or beyond the header's sequence */
    NR_LEDGER_FAULT_STRING,   /* unterminated, not zero-filled or ill-formed */
    NR_LEDGER_FAULT_CHECKSUM,
    NR_LEDGER_FAULT_ORIGIN, /* neither added nor rebuilt */
};

enum nr_ledger_state {
    NR_LEDGER_LIVE = 1,
    NR_LEDGER_CANCELLED = 2,
};

/* How an entry came to be; 0 is no origin (refused), so a zeroed entry of
 * an older layout cannot pass for either. */
enum nr_ledger_origin {
    NR_LEDGER_ADDED = 1,   /* nr_ledger_add: an add this ledger saw succeed */
    NR_LEDGER_REBUILT = 2, /* nr_ledger_rebuild: listed by the stock enumeration */
};

struct nr_ledger_header {
    uint32_t magic;
    uint32_t version;
    uint32_t header_size;
    uint32_t entry_size;
    uint32_t capacity;
    uint32_t count;
    uint64_t sequence;
    uint32_t checksum;
    uint32_t reserved[7];
};

struct nr_ledger_entry {
    uint64_t luid;
    uint64_t sequence;
    uint64_t time_added;
    uint64_t time_cancelled;
    uint32_t state;
    uint32_t origin; /* enum nr_ledger_origin */
    nr_char local[NR_LEDGER_LOCAL_CCH];
    nr_char remote[NR_LEDGER_REMOTE_CCH];
    nr_char user[NR_LEDGER_USER_CCH];
};

/* One connection as the stock provider's enumeration reports it. */
struct nr_ledger_conn {
    const nr_char *local; /* "" or NULL for deviceless */
    const nr_char *remote;
    const nr_char *user; /* "" or NULL when unknown */
};

struct nr_ledger_summary {
    uint32_t capacity;
    uint32_t count;
    uint32_t live;
    uint32_t cancelled;
    uint32_t live_in_session; /* live entries of the LUID asked about */
    uint64_t sequence;
};

/* Return nonzero to stop the walk. */
typedef int (*nr_ledger_visit)(void *ctx, const struct nr_ledger_entry *entry);

/* Bytes an image of `capacity` entries needs. */
size_t nr_ledger_size(uint32_t capacity);

/* Formats an empty image. */
int nr_ledger_init(void *image, size_t size, uint32_t capacity);

/* NR_LEDGER_OK or NR_LEDGER_E_CORRUPT; *fault (may be NULL) says why.
 * Safe on any bytes and any size, including NULL and 0. */
int nr_ledger_validate(const void *image, size_t size, enum nr_ledger_fault *fault);

/* Records a live connection (origin added). A live entry it supersedes (same session and
 * local name; for a deviceless one, same session and remote) is marked
 * cancelled at `time`. */
int nr_ledger_add(void *image, size_t size, uint64_t luid, const nr_char *local,
                  const nr_char *remote, const nr_char *user, uint64_t time);

/* Marks the session's live entry for a local name cancelled. */
int nr_ledger_cancel_local(void *image, size_t size, uint64_t luid, const nr_char *local,
                           uint64_t time);

/* Marks the session's live deviceless entries for a remote name cancelled:
 * cancelling by remote name cancels the connections without a device. */
int nr_ledger_cancel_remote(void *image, size_t size, uint64_t luid, const nr_char *remote,
                            uint64_t time);

/* Copies the session's live entry for a local name. */
int nr_ledger_find_local(const void *image, size_t size, uint64_t luid, const nr_char *local,
                         struct nr_ledger_entry *out);

/* Finds the session's live entries on one server. `unc` is "\\server" or
 * "\\server\..."; only its server component counts, matched whole. Copies
 * up to `max` of them to `out` (may be NULL when max is 0); *found receives
 * how many there are. */
int nr_ledger_find_server(const void *image, size_t size, uint64_t luid, const nr_char *unc,
                          struct nr_ledger_entry *out, size_t max, size_t *found);

/* Calls `visit` for every entry, oldest slot first, all sessions. */
int nr_ledger_walk(const void *image, size_t size, nr_ledger_visit visit, void *ctx);

/* Formats the image anew and records `conns` as live entries of `luid` at
 * `time`, origin rebuilt. Entries of other sessions are lost: a corrupt image cannot say
 * which of them were true. Connections with a malformed or too long name
 * are left out and counted in *skipped (may be NULL). */
int nr_ledger_rebuild(void *image, size_t size, uint32_t capacity, uint64_t luid,
                      const struct nr_ledger_conn *conns, size_t n, uint64_t time, size_t *skipped);

/* Whether `entry` tells that its connection is meant to stay (docs/design.md
 * rule 4): live, and recorded by an add or having a local name. */
bool nr_ledger_vouches(const struct nr_ledger_entry *entry);

/* Whether `entry` is the entry of the connection `local` (NULL or "":
 * deviceless) to `remote`: the same local name, or deviceless on both sides
 * and the same remote name. Says nothing of its session or state. The
 * names are read no further than one unit past their field: a longer one
 * matches nothing. Every operation above matches entries this way. */
bool nr_ledger_entry_names(const struct nr_ledger_entry *entry, const nr_char *local,
                           const nr_char *remote);

/* Counts for `netreclaim status`. */
int nr_ledger_summarize(const void *image, size_t size, uint64_t luid,
                        struct nr_ledger_summary *out);

#endif
