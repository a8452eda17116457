/* The Event Log records netreclaim writes (docs/design.md rule 7): one event
 * id per outcome, each with its level. This list is the one place the ids
 * and levels live: provider/messages.mc has one message per id (the Windows
 * layer fails to compile when they disagree), docs/events.md lists them for
 * admins, and tests/docs_check.sh checks that both match this list. Windows
 * Event Forwarding and SIEM rules select on the ids: never renumber or
 * reuse one. Every record's insertion strings are the same: %1 the whole
 * text, then each of its lines (provider/win/eventlog.c). */
#ifndef NETRECLAIM_EVENTS_H
#define NETRECLAIM_EVENTS_H

/* The level of a record (EVENTLOG_*_TYPE in the Windows layer). */
enum nr_severity { NR_INFO = 0, NR_WARNING = 1, NR_FAILURE = 2 };

/* X(name, id, level), one line per outcome. */
#define NR_EVENTS(X)                                                                               \
    X(RECLAIM_CLOSED, 10, NR_INFO)         /* handles closed, none left that matter */            \
    X(RECLAIM_PARTIAL, 11, NR_WARNING)     /* some left open under the target, or missed */       \
    X(RECLAIM_AUDIT, 12, NR_INFO)          /* audit or service session: would close */            \
    X(RECLAIM_CLOSE_FAILED, 13, NR_FAILURE) /* a close failed */                                  \
    X(IDLE_CANCELLED, 14, NR_INFO)         /* idle deviceless connections cancelled */            \
    X(IDLE_WOULD_CANCEL, 15, NR_INFO)      /* the same, audit or service session */               \
    X(RECLAIM_SKIPPED, 20, NR_WARNING)     /* nothing reclaimed: the reclaim could not run */     \
    X(RECLAIM_STOPPED, 21, NR_FAILURE)     /* nothing reclaimed: planning failed */               \
    X(CONFLICT_RECOVERED, 30, NR_INFO)     /* a stale 1219 cleared, the add retried */            \
    X(CONFLICT_TRUE, 31, NR_WARNING)       /* 1219 stands: a connection the session keeps */      \
    X(CONFLICT_BUSY, 32, NR_WARNING)       /* 1219 stands: stale, but still in use */             \
    X(CONFLICT_UNJUDGED, 33, NR_WARNING)   /* 1219 stands: connections or ledger unreadable */    \
    X(HANDOFF_NO_RECORD, 40, NR_WARNING)   /* 32-bit hand-off: no netreclaim.exe recorded */      \
    X(HANDOFF_EXE_MISSING, 41, NR_WARNING) /* the recorded netreclaim.exe is gone */              \
    X(HANDOFF_NOT_NATIVE, 42, NR_WARNING)  /* it is no program of the native machine */           \
    X(HANDOFF_NO_LUID, 43, NR_WARNING)     /* the caller's logon session cannot be read */        \
    X(HANDOFF_SPAWN_FAILED, 44, NR_WARNING) /* it could not be started */                         \
    X(HANDOFF_TIMED_OUT, 45, NR_WARNING)   /* still running after the wait */                     \
    X(HANDOFF_WRONG_SESSION, 46, NR_WARNING) /* it ran in another logon session */                \
    X(HANDOFF_FAILED, 47, NR_WARNING)      /* it ended with a failure exit code */                \
    X(HANDOFF_TEST_HOOK, 49, NR_WARNING)   /* the WOW64 test hook is set */                       \
    X(LEDGER_BUSY, 50, NR_WARNING)         /* the ledger's lock not had in time */                \
    X(LEDGER_UNAVAILABLE, 51, NR_WARNING)  /* the ledger could not be opened */                   \
    X(LEDGER_REBUILT, 52, NR_WARNING)      /* the image failed validation, rebuilt */             \
    X(LEDGER_ABANDONED, 53, NR_WARNING)    /* a process died holding the ledger's lock */         \
    X(LEDGER_EVICTED, 54, NR_WARNING)      /* the ledger was full: its oldest entry evicted */    \
    X(LEDGER_NOT_RECORDED, 55, NR_WARNING) /* a connection whose name does not fit */             \
    X(POLICY_NOT_APPLIED, 60, NR_WARNING)  /* a setting not applied as written */                 \
    X(SELF_CHECK_FAILED, 70, NR_FAILURE)   /* a self-check failed */                              \
    X(STOCK_UNAVAILABLE, 100, NR_FAILURE)  /* the stock SMB provider cannot be used */

/* The outcomes; each one's value is its event id. */
enum nr_event {
#define NR_EVENT_ENUM(name, id, level) NR_EVENT_##name = (id),
    NR_EVENTS(NR_EVENT_ENUM)
#undef NR_EVENT_ENUM
};

/* The level of an outcome's records; NR_FAILURE for a value not listed. */
enum nr_severity nr_event_severity(enum nr_event event);

#endif
