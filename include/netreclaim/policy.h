/* Settings, from registry values read raw by the Windows layer:
 * HKLM\SOFTWARE\NetReclaim (local) overridden by HKLM\SOFTWARE\Policies\NetReclaim. */
#ifndef NETRECLAIM_POLICY_H
#define NETRECLAIM_POLICY_H

#include "netreclaim/nrstr.h"

enum nr_mode { NR_MODE_ENFORCE = 0, NR_MODE_AUDIT = 1, NR_MODE_OFF = 2 };

#define NR_TIMEOUT_DEFAULT_MS 200u
#define NR_TIMEOUT_MIN_MS 10u
#define NR_TIMEOUT_MAX_MS 5000u
#define NR_EXCLUDED_MAX 32       /* entries kept from ExcludedProcesses */
#define NR_EXCLUDED_NAME_MAX 128 /* units per entry, NUL included */

/* Registry value types (winnt.h REG_*, restated: no Windows header here). */
#define NR_REG_SZ 1u
#define NR_REG_EXPAND_SZ 2u
#define NR_REG_DWORD 4u
#define NR_REG_MULTI_SZ 7u

/* The values, named by nr_policy_value_name(). */
enum nr_policy_value {
    NR_POLICY_MODE = 0,     /* REG_SZ or REG_EXPAND_SZ: enforce | audit | off */
    NR_POLICY_TIMEOUT = 1,  /* REG_DWORD: NameQueryTimeoutMs */
    NR_POLICY_EXCLUDED = 2, /* REG_MULTI_SZ (or REG_SZ, one name): ExcludedProcesses */
    NR_POLICY_SERVICE = 3,  /* REG_DWORD 0 or 1: AllowServiceSessions */
    NR_POLICY_VALUE_COUNT
};

/* What became of one applied value. */
enum nr_policy_issue {
    NR_POLICY_OK = 0,
    NR_POLICY_CLAMPED,    /* applied, brought into range */
    NR_POLICY_TRIMMED,    /* applied, some list entries dropped (too many, too
                               long, or not a base name) */
    NR_POLICY_WRONG_TYPE, /* ignored */
    NR_POLICY_BAD_SIZE,   /* ignored: odd byte count, wrong DWORD size, no data */
    NR_POLICY_INVALID,    /* ignored: unknown keyword or value */
};

struct nr_policy {
    enum nr_mode mode;
    uint32_t timeout_ms;
    size_t excluded_count;
    nr_char excluded[NR_EXCLUDED_MAX][NR_EXCLUDED_NAME_MAX]; /* NUL-terminated base names */
    bool allow_service_sessions; /* reclaim in SYSTEM, LocalService, NetworkService too */
};

/* Defaults: enforce, 200 ms, nothing excluded, service sessions left alone. */
void nr_policy_init(struct nr_policy *policy);

/* The registry value name of `value` (u"Mode", ...), NUL-terminated. */
const nr_char *nr_policy_value_name(enum nr_policy_value value);

/* Apply one value as RegQueryValueEx returned it (type, bytes, byte count).
 * Apply the local key's values first, then the policy key's: a usable value
 * replaces what was there (lists included); an ignored one (wrong type, bad
 * size, invalid) leaves the layer below standing, down to the default.
 * String data need not be NUL-terminated nor aligned. */
enum nr_policy_issue nr_policy_apply(struct nr_policy *policy, enum nr_policy_value value,
                                     uint32_t type, const void *data, size_t size);

/* Short ASCII text for a log line. */
const char *nr_policy_issue_text(enum nr_policy_issue issue);

#endif
