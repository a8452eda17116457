/* Where the handle part of a reclaim runs (docs/design.md rule 6, WOW64): in this
 * process, or, for a 32-bit caller on 64-bit Windows, in the native
 * netreclaim.exe ("reclaim <target> --luid <caller's LUID>"), whose handle
 * table needs no WOW64 thunk (docs/wow64.md). What the x86 build cannot do
 * is said in the Event Log, once per cause per process; the caller's stock
 * result never changes. */
#ifndef NETRECLAIM_HANDOFF_H
#define NETRECLAIM_HANDOFF_H

#include <stdatomic.h>
#include <stdbool.h>

#include "netreclaim/nrchar.h"
#include "netreclaim/os.h"

/* The zero value reclaims nothing in process. */
enum nr_route {
    NR_ROUTE_NONE = 0,       /* nothing could be done; the Event Log says why */
    NR_ROUTE_IN_PROCESS = 1, /* not under WOW64: reclaim here, as always */
    NR_ROUTE_HANDED_OFF = 2, /* netreclaim.exe did it (and wrote the record) */
};

/* Why a hand-off did nothing: one Event Log record per cause per process. */
enum nr_handoff_cause {
    NR_CAUSE_NO_RECORD = 0, /* no ExePath in the install record */
    NR_CAUSE_EXE_MISSING,   /* the recorded file is gone */
    NR_CAUSE_NOT_NATIVE,    /* it is no program of the native machine */
    NR_CAUSE_NO_LUID,       /* the caller's logon session cannot be read */
    NR_CAUSE_SPAWN_FAILED,  /* it could not be started */
    NR_CAUSE_TIMED_OUT,     /* still running at the end of the wait (left to finish) */
    NR_CAUSE_WRONG_SESSION, /* it runs in another logon session, and refused */
    NR_CAUSE_FAILED,        /* it ended with a failure exit code */
    NR_CAUSE_COUNT
};

/* netreclaim.exe's exit codes the hand-off reads (installer/cli.h). */
#define NR_EXIT_OK 0u
#define NR_EXIT_PARTIAL 5u
#define NR_EXIT_WRONG_SESSION 9u

/* The wait for netreclaim.exe: the policy's name-query timeout times a
 * handful of slow handles, plus the program's start, within bounds. */
#define NR_HANDOFF_WAIT_BASE_MS 2000u
#define NR_HANDOFF_WAIT_MAX_MS 10000u
uint32_t nr_handoff_wait_ms(uint32_t timeout_ms);

/* What the decision asks of Windows. The real one is provider/win/handoff.c;
 * the unit tests pass fakes. */
struct nr_handoff_os {
    void *ctx;
    /* Nonzero when this process runs under WOW64 (x86 on 64-bit Windows). */
    int (*wow64)(void *ctx);
    /* The netreclaim.exe the installer recorded, NUL-terminated: NR_OK, or
     * NR_GONE when none is recorded (any other status counts as that). */
    int (*recorded_exe)(void *ctx, nr_char *path, size_t cch);
    /* NR_OK: a program built for the native machine; NR_GONE: no such
     * file; anything else: present, but not one. */
    int (*exe_native)(void *ctx, const nr_char *path);
    /* The caller's logon session, as the planner takes it. */
    int (*caller_luid)(void *ctx, uint64_t *luid);
    /* Starts `path` with the whole command line `cmdline` and waits at
     * most wait_ms: NR_OK with *exit_code once it ended; NR_TIMEOUT when
     * it still runs (it is left to finish, never ended); anything else
     * when it did not start. */
    int (*run)(void *ctx, const nr_char *path, const nr_char *cmdline, uint32_t wait_ms,
               uint32_t *exit_code);
    void (*report)(void *ctx, enum nr_event event, const nr_char *text);
};

/* The causes already told in this process (zero-initialised, shared by
 * every thread). */
struct nr_handoff_told {
    atomic_uint bits;
};

/* Decides and, under WOW64, runs the hand-off of the reclaim of `target`
 * (\\server\share). Never fails: every outcome but NR_ROUTE_IN_PROCESS is
 * final for the handle part of the reclaim. */
enum nr_route nr_handoff_route(const struct nr_handoff_os *os, const nr_char *target,
                               uint32_t wait_ms, struct nr_handoff_told *told);

/* The command line: "<exe>" reclaim "<target>" --luid 0x<16 hex digits>,
 * quoted as CommandLineToArgvW splits it. false when it does not fit in
 * cch or a name holds a quote (no Windows path or UNC name may). */
bool nr_handoff_command(nr_char *buf, size_t cch, const nr_char *exe, const nr_char *target,
                        uint64_t luid);

/* "0x" and 1 to 16 hex digits, nothing else (len units, no NUL needed). */
bool nr_parse_luid(const nr_char *s, size_t len, uint64_t *luid);

#endif
