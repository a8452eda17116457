/* A scripted OS seam for unit tests: a handle table, processes with LUIDs and
 * images, names per handle (or a failure), a fail-on-Nth-call switch and a
 * call counter per seam function, and a record of what was closed. */
#ifndef NETRECLAIM_FAKE_OS_H
#define NETRECLAIM_FAKE_OS_H

#include <stdbool.h>

#include "netreclaim/os.h"
#include "netreclaim/selfcheck.h"

#define FAKE_FILE_TYPE 37  /* the File type index the fake reports */
#define FAKE_OTHER_TYPE 12 /* any other type */

enum fake_fn {
    FAKE_SNAPSHOT,
    FAKE_FREE_SNAPSHOT,
    FAKE_FILE_TYPE_INDEX,
    FAKE_CALLER_LUID,
    FAKE_PROCESS_LUID,
    FAKE_PROCESS_IMAGE,
    FAKE_QUERY_NAME,
    FAKE_CLOSE_HANDLE,
    FAKE_REPORT,
    FAKE_PROCESS_STRICT,
    FAKE_KEEP_OBJECT,
    FAKE_PROCESS_STARTED,
    FAKE_SELF_CHECK,
    FAKE_FN_COUNT
};

struct fake_proc {
    uint32_t pid;
    uint64_t luid;
    const nr_char *image; /* NULL: unreadable (protected) */
    int luid_status;      /* NR_OK, or what process_luid fails with */
    int strict;           /* runs under strict handle checks */
    int strict_status;    /* NR_OK, or what process_strict fails with */
    uint64_t started;     /* creation time (fake_add_proc: from the pid) */
};

struct fake_handle {
    struct nr_handle h;
    const nr_char *name; /* current name; not copied */
    int query_status;    /* NR_OK, or what its name query fails with */
    size_t bogus_len;    /* nonzero: its query succeeds with this length (a lying seam) */
    uint32_t protocol;   /* what its query reports as the remote protocol (0: unknown) */
    uint64_t object;     /* the object it refers to: reuse gives it another one */
    bool blocks;         /* its name query blocks forever: it leaves a stuck worker */
    unsigned queries;    /* name queries that reached it */
    bool closed;
};

struct fake_closed {
    uint32_t pid;
    uint64_t value;
};

struct fake_os {
    struct nr_os os;
    uint64_t caller_luid;
    struct fake_proc *procs; /* added in increasing pid order */
    size_t proc_count, proc_cap, proc_hint;
    struct fake_handle *handles;
    size_t handle_count, handle_cap, handle_hint;
    unsigned long calls[FAKE_FN_COUNT];
    unsigned long fail_at[FAKE_FN_COUNT]; /* fail the Nth call (1-based); 0: never */
    int fail_status[FAKE_FN_COUNT];       /* what it fails with (NR_ERROR if 0) */
    long snapshots_out;                   /* taken and not yet freed */
    long kept_out;                        /* objects kept and not yet dropped */
    struct fake_closed *closed;
    size_t closed_count, closed_cap;
    unsigned long batches;    /* query_names calls (FAKE_QUERY_NAME counts entries) */
    unsigned stuck;           /* workers left stuck by blocking queries, as worker.c counts */
    unsigned stuck_max;       /* the most there ever were */
    struct nr_blocked memory; /* remembered blocked queries (the seam's, as blocked.c) */
    struct nr_selfcheck checks; /* what self_check answers (fake_init: all passed) */
    nr_char *report;          /* copy of the last report */
    enum nr_event report_event; /* the last report's outcome */
};

void fake_init(struct fake_os *f, uint64_t caller_luid);
void fake_free(struct fake_os *f);
void fake_add_proc(struct fake_os *f, uint32_t pid, uint64_t luid, const nr_char *image);
/* The pointer is valid until the next fake_add_handle. */
struct fake_handle *fake_add_handle(struct fake_os *f, uint32_t pid, uint64_t value,
                                    const nr_char *name);
struct fake_proc *fake_find_proc(struct fake_os *f, uint32_t pid);
struct fake_handle *fake_find_handle(struct fake_os *f, uint32_t pid, uint64_t value);
bool fake_was_closed(const struct fake_os *f, uint32_t pid, uint64_t value);
/* Whether the report holds `ascii` (compared unit by unit). */
bool fake_report_has(const struct fake_os *f, const char *ascii);

#endif
