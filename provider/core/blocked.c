/* The set of handles whose name query blocked once (netreclaim/blocked.h).
 * A few dozen entries at most in practice: a linear scan is cheaper than any
 * index at that size and needs no allocation. */

#include "netreclaim/blocked.h"

static bool same_key(const struct nr_blocked_key *a, const struct nr_blocked_key *b)
{
    return a->pid == b->pid && a->started == b->started && a->value == b->value;
}

bool nr_blocked_has(const struct nr_blocked *set, const struct nr_blocked_key *key)
{
    for (size_t i = 0; i < set->count; i++)
        if (same_key(&set->keys[i], key))
            return true;
    return false;
}

void nr_blocked_add(struct nr_blocked *set, const struct nr_blocked_key *key)
{
    if (nr_blocked_has(set, key))
        return;
    if (set->count < NR_BLOCKED_MAX) {
        set->keys[set->count++] = *key;
        return;
    }
    set->keys[set->next] = *key;
    set->next = (set->next + 1) % NR_BLOCKED_MAX;
}
