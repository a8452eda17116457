/* Counted UTF-16 strings and the case folding the core compares names with. */
#ifndef NETRECLAIM_NRSTR_H
#define NETRECLAIM_NRSTR_H

#include <stdbool.h>

#include "netreclaim/nrchar.h"

/* A counted string; not NUL-terminated, usually a span of a longer one. */
struct nr_str {
    const nr_char *str;
    size_t len;
};

/* Length of a NUL-terminated string, looking at no more than max units;
 * returns max when no NUL was found within them. */
size_t nr_strnlen(const nr_char *s, size_t max);

/* Upper case of one UTF-16 unit, as far as the core needs it. */
nr_char nr_upcase(nr_char c);

/* Case-insensitive equality of two counted strings. */
bool nr_equal_nocase(const nr_char *a, size_t alen, const nr_char *b, size_t blen);

/* Case-insensitive equality with an ASCII string (for keywords). */
bool nr_equal_ascii_nocase(const nr_char *a, size_t alen, const char *ascii);

/* Appends `name` to the "; "-separated list in list[cch] (NUL-terminated),
 * whole or not at all: a name that does not fit, with its separator and the
 * NUL, is left out, so a list never ends in half a name. */
void nr_list_append(nr_char *list, size_t cch, const nr_char *name);

#endif
