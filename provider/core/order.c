/* ProviderOrder and HwOrder editing (docs/design.md, registry contract). MPR
 * splits the value at commas and loads each entry as written, without
 * trimming, so matching here is on whole untrimmed entries too. */
#include <stddef.h>
#include <string.h>
#include "netreclaim/nrstr.h"
#include "netreclaim/order.h"

static const struct nr_str netreclaim = { u"NetReclaim", 10 };
static const struct nr_str lanman = { u"LanmanWorkstation", 17 };

/* Room for any result: an edit puts at most one name where another was. */
#define RESULT_CCH (NR_ORDER_MAX_CCH + 17 + 1)

struct writer {
    nr_char buf[RESULT_CCH];
    size_t len;
    size_t entries;
    int overflow;
};

static int is_word(const nr_char *s, size_t len, const struct nr_str *w)
{
    return nr_equal_nocase(s, len, w->str, w->len);
}

/* End of the entry starting at `start`: the next comma, or `len`. */
static size_t entry_end(const nr_char *in, size_t len, size_t start)
{
    while (start < len && in[start] != ',')
        start++;
    return start;
}

static int is_blank(nr_char c)
{
    return c == ' ' || c == '\t';
}

static void trim(const nr_char *in, size_t *start, size_t *end)
{
    while (*start < *end && is_blank(in[*start]))
        (*start)++;
    while (*end > *start && is_blank(in[*end - 1]))
        (*end)--;
}

/* Whether an entry before `upto` (the start of the current one) names s. */
static int seen_before(const nr_char *in, size_t upto, const nr_char *s, size_t n, int trimmed)
{
    size_t start, end, a, b;

    for (start = 0; start < upto; start = end + 1) {
        end = entry_end(in, upto, start);
        a = start;
        b = end;
        if (trimmed)
            trim(in, &a, &b);
        if (nr_equal_nocase(in + a, b - a, s, n))
            return 1;
    }
    return 0;
}

/* Start of the first entry named w, or len + 1 when there is none. */
static size_t find_word(const nr_char *in, size_t len, const struct nr_str *w)
{
    size_t start, end;

    for (start = 0; start <= len; start = end + 1) {
        end = entry_end(in, len, start);
        if (is_word(in + start, end - start, w))
            return start;
    }
    return len + 1;
}

/* RESULT_CCH holds any result; the check only keeps a slip from writing
 * past the buffer. */
static void put(struct writer *w, const nr_char *s, size_t n)
{
    if (n > RESULT_CCH - 1 - w->len) {
        w->overflow = 1;
        return;
    }
    memcpy(w->buf + w->len, s, n * sizeof(nr_char));
    w->len += n;
}

static void put_entry(struct writer *w, const nr_char *s, size_t n)
{
    static const nr_char comma = ',';

    if (w->entries++)
        put(w, &comma, 1);
    put(w, s, n);
}

/* Leaves one `keep` in the order: the first keep, or else the first other
 * turned into keep. Every other keep or other entry goes. */
static void swap(const nr_char *in, size_t len, const struct nr_str *keep,
                 const struct nr_str *other, struct writer *w)
{
    size_t start, end, target = find_word(in, len, keep);

    if (target > len)
        target = find_word(in, len, other);
    for (start = 0; start <= len; start = end + 1) {
        const nr_char *s = in + start;
        size_t n;

        end = entry_end(in, len, start);
        n = end - start;
        if (start != target && (is_word(s, n, keep) || is_word(s, n, other)))
            continue;
        /* The target keeps its own spelling when it already is `keep`. */
        if (start == target && !is_word(s, n, keep))
            put_entry(w, keep->str, keep->len);
        else
            put_entry(w, s, n);
    }
}

static int finish(const struct writer *w, nr_char *out, size_t out_cch, size_t *out_len)
{
    if (w->overflow)
        return NR_ORDER_E_TOO_LONG;
    if (w->len >= out_cch) {
        *out_len = w->len;
        return NR_ORDER_E_SMALL;
    }
    memcpy(out, w->buf, w->len * sizeof(nr_char));
    out[w->len] = 0;
    *out_len = w->len;
    return NR_ORDER_OK;
}

/* What every edit refuses, from the findings of nr_order_check. */
static int check_input(const nr_char *in, size_t len, const nr_char *out, const size_t *out_len,
                       unsigned int *flags)
{
    if (!in || !out || !out_len)
        return NR_ORDER_E_ARG;
    *flags = nr_order_check(in, len);
    if (*flags & NR_ORDER_EMPTY_VALUE)
        return NR_ORDER_E_EMPTY;
    if (*flags & NR_ORDER_TOO_LONG)
        return NR_ORDER_E_TOO_LONG;
    if (*flags & NR_ORDER_MALFORMED)
        return NR_ORDER_E_MALFORMED;
    return NR_ORDER_OK;
}

unsigned int nr_order_check(const nr_char *in, size_t len)
{
    unsigned int flags = 0;
    size_t start, end, a, b;

    if (!in || !len)
        return NR_ORDER_EMPTY_VALUE;
    if (len > NR_ORDER_MAX_CCH)
        return NR_ORDER_TOO_LONG;
    for (start = 0; start <= len; start = end + 1) {
        end = entry_end(in, len, start);
        a = start;
        b = end;
        trim(in, &a, &b);
        if (a == b)
            flags |= NR_ORDER_EMPTY_ENTRY;
        if (b - a != end - start)
            flags |= NR_ORDER_WHITESPACE;
        for (; a < b; a++)
            if (!in[a])
                flags |= NR_ORDER_MALFORMED;
        if (is_word(in + start, end - start, &netreclaim))
            flags |= NR_ORDER_HAS_NETRECLAIM;
        if (is_word(in + start, end - start, &lanman))
            flags |= NR_ORDER_HAS_LANMAN;
        if (end > start && seen_before(in, start, in + start, end - start, 0))
            flags |= NR_ORDER_DUPLICATE;
    }
    if ((flags & NR_ORDER_HAS_NETRECLAIM) && (flags & NR_ORDER_HAS_LANMAN))
        flags |= NR_ORDER_BOTH;
    return flags;
}

int nr_order_install(const nr_char *in, size_t len, nr_char *out, size_t out_cch, size_t *out_len)
{
    struct writer w = { 0 };
    unsigned int flags;
    int ret;

    if ((ret = check_input(in, len, out, out_len, &flags)))
        return ret;
    if (!(flags & (NR_ORDER_HAS_NETRECLAIM | NR_ORDER_HAS_LANMAN)))
        return NR_ORDER_E_NO_SMB;
    swap(in, len, &netreclaim, &lanman, &w);
    return finish(&w, out, out_cch, out_len);
}

int nr_order_uninstall(const nr_char *in, size_t len, nr_char *out, size_t out_cch, size_t *out_len)
{
    struct writer w = { 0 };
    unsigned int flags;
    int ret;

    if ((ret = check_input(in, len, out, out_len, &flags)))
        return ret;
    if (flags & NR_ORDER_HAS_NETRECLAIM)
        swap(in, len, &lanman, &netreclaim, &w);
    else
        put(&w, in, len);
    return finish(&w, out, out_cch, out_len);
}

int nr_order_repair(const nr_char *in, size_t len, nr_char *out, size_t out_cch, size_t *out_len)
{
    struct writer w = { 0 };
    size_t start, end, a, b;
    unsigned int flags;
    int ret;

    if ((ret = check_input(in, len, out, out_len, &flags)))
        return ret;
    for (start = 0; start <= len; start = end + 1) {
        end = entry_end(in, len, start);
        a = start;
        b = end;
        trim(in, &a, &b);
        if (a < b && !seen_before(in, start, in + a, b - a, 1))
            put_entry(&w, in + a, b - a);
    }
    if (!w.entries)
        return NR_ORDER_E_EMPTY;
    return finish(&w, out, out_cch, out_len);
}
