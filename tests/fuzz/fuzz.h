/* What the fuzz harnesses share: a check that survives NDEBUG and reports
 * through libFuzzer (abort is a crash to it), and a reader that takes the
 * fuzz input apart a field at a time. Running out of input reads zeros, so
 * every prefix of an input is itself a valid input. */
#ifndef NETRECLAIM_FUZZ_H
#define NETRECLAIM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netreclaim/nrchar.h"

#define CHECK(cond)                                                                                \
    ((cond) ? (void)0                                                                              \
            : (fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond), abort()))

struct reader {
    const uint8_t *p;
    size_t n;
};

static inline uint8_t take_u8(struct reader *r)
{
    if (!r->n)
        return 0;
    r->n--;
    return *r->p++;
}

static inline uint16_t take_u16(struct reader *r)
{
    uint16_t lo = take_u8(r);

    return lo | (uint16_t)(take_u8(r) << 8);
}

/* A heap copy of exactly `n` units (plus a NUL when `nul`), so that ASan
 * sees any read past what the core was given. */
static inline nr_char *dup_units(const nr_char *s, size_t n, int nul)
{
    nr_char *copy = malloc((n + (nul ? 1 : 0)) * sizeof(nr_char));

    CHECK(copy);
    if (n)
        memcpy(copy, s, n * sizeof(nr_char));
    if (nul)
        copy[n] = 0;
    return copy;
}

#endif
