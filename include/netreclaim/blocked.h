/* Handles whose name query blocked (timed out) once: remembered for the life
 * of our process and never queried again, so that a long-lived host (Explorer)
 * pays each such handle one timeout and one stuck worker at most, not one per
 * reclaim (docs/design.md rule 6). A handle is known by its process instance (pid
 * and creation time: a pid is reused, a creation time with it is not) and its
 * value. The set is bounded; when full, the oldest entry makes room. It does
 * no locking: the Windows layer keeps one set under its own lock, unit tests
 * one per fake. */
#ifndef NETRECLAIM_BLOCKED_H
#define NETRECLAIM_BLOCKED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NR_BLOCKED_MAX 256

struct nr_blocked_key {
    uint32_t pid;
    uint64_t started; /* process creation time (0: unknown) */
    uint64_t value;
};

struct nr_blocked {
    struct nr_blocked_key keys[NR_BLOCKED_MAX];
    size_t count; /* entries in use */
    size_t next;  /* slot the next entry takes once the set is full */
};

bool nr_blocked_has(const struct nr_blocked *set, const struct nr_blocked_key *key);
/* Adding a key already held changes nothing. */
void nr_blocked_add(struct nr_blocked *set, const struct nr_blocked_key *key);

#endif
