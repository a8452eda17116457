/* Counted UTF-16 strings and case folding.
 *
 * Windows compares server, share and image names with RtlUpcaseUnicodeChar,
 * a full table. The core folds a subset that Windows folds the same way:
 * ASCII, Latin-1, basic Greek and Cyrillic. A character folded here is folded
 * by Windows too, so folding less can only make a match fail (a handle is
 * left open), never make two names Windows tells apart compare equal. */

#include "netreclaim/nrstr.h"

size_t nr_strnlen(const nr_char *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n])
        n++;
    return n;
}

nr_char nr_upcase(nr_char c)
{
    if (c >= 'a' && c <= 'z')
        return c - 0x20;
    if (c < 0x80)
        return c;
    /* Latin-1: à..þ except ÷; ÿ upcases outside the block. */
    if (c >= 0xe0 && c <= 0xfe && c != 0xf7)
        return c - 0x20;
    if (c == 0xff)
        return 0x178;
    /* Greek α..ω except final sigma, which Windows may fold differently. */
    if (c >= 0x3b1 && c <= 0x3c9 && c != 0x3c2)
        return c - 0x20;
    /* Cyrillic а..я, then ѐ..џ. */
    if (c >= 0x430 && c <= 0x44f)
        return c - 0x20;
    if (c >= 0x450 && c <= 0x45f)
        return c - 0x50;
    return c;
}

bool nr_equal_nocase(const nr_char *a, size_t alen, const nr_char *b, size_t blen)
{
    size_t i;

    if (alen != blen)
        return false;
    for (i = 0; i < alen; i++)
        if (nr_upcase(a[i]) != nr_upcase(b[i]))
            return false;
    return true;
}

bool nr_equal_ascii_nocase(const nr_char *a, size_t alen, const char *ascii)
{
    size_t i;

    for (i = 0; i < alen; i++) {
        if (!ascii[i] || nr_upcase(a[i]) != nr_upcase((unsigned char)ascii[i]))
            return false;
    }
    return !ascii[alen];
}

void nr_list_append(nr_char *list, size_t cch, const nr_char *name)
{
    const size_t len = nr_strnlen(list, cch);
    const size_t sep = len ? 2 : 0;
    const size_t add = nr_strnlen(name, cch);

    if (len >= cch || len + sep + add + 1 > cch)
        return;
    if (sep) {
        list[len] = ';';
        list[len + 1] = ' ';
    }
    for (size_t i = 0; i < add; i++)
        list[len + sep + i] = name[i];
    list[len + sep + add] = 0;
}
