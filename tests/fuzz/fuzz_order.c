/* ProviderOrder editing: nr_order_install, _uninstall, _repair, _check.
 *
 * Input: a control byte (bit 0: pad the value with its last unit to within
 * a few units of NR_ORDER_MAX_CCH, the length limit), a byte choosing a
 * second, possibly too small, output size, then the value in UTF-16LE. */
#include "fuzz.h"
#include "netreclaim/nrstr.h"
#include "netreclaim/order.h"

#define GROWTH 7 /* uninstall writes LanmanWorkstation where NetReclaim stood */
#define POISON 0xdeadu

typedef int (*edit_fn)(const nr_char *in, size_t len, nr_char *out, size_t out_cch,
                       size_t *out_len);

static const nr_char lanman[] = u"LanmanWorkstation";
static const nr_char netreclaim[] = u"NetReclaim";
#define LANMAN_LEN (sizeof(lanman) / sizeof(lanman[0]) - 1)

static void poison(nr_char *buf, size_t cch)
{
    while (cch)
        buf[--cch] = POISON;
}

static int poisoned(const nr_char *buf, size_t cch)
{
    while (cch)
        if (buf[--cch] != POISON)
            return 0;
    return 1;
}

/* Whole, untrimmed entries named `word`; the first one's start in *first
 * (may be NULL). */
static size_t count_word(const nr_char *in, size_t len, const nr_char *word, size_t *first)
{
    size_t start, end, n = 0, wlen = nr_strnlen(word, 32);

    for (start = 0; start <= len; start = end + 1) {
        for (end = start; end < len && in[end] != ','; end++)
            ;
        if (nr_equal_nocase(in + start, end - start, word, wlen) && !n++ && first)
            *first = start;
    }
    return n;
}

/* One edit, checked against order.h's promises: a NUL-terminated result at
 * most GROWTH units longer, nothing written on error, and the same answer
 * through an output of `small_pick` units or fewer (E_SMALL with the length
 * needed when short). Outputs are exact allocations, so ASan sees a write
 * past one. On success *out is the result, to free. */
static int edit(edit_fn fn, const nr_char *in, size_t len, nr_char **out, size_t *out_len,
                uint8_t small_pick)
{
    size_t cch = len + GROWTH + 1, small_cch, small_len;
    nr_char *full = malloc(cch * sizeof(nr_char)), *small;
    int ret;

    CHECK(full);
    poison(full, cch);
    ret = fn(in, len, full, cch, out_len);
    CHECK(ret == NR_ORDER_OK || ret == NR_ORDER_E_EMPTY || ret == NR_ORDER_E_TOO_LONG ||
          ret == NR_ORDER_E_MALFORMED || ret == NR_ORDER_E_NO_SMB);
    if (ret) {
        CHECK(poisoned(full, cch));
        free(full);
        return ret;
    }
    CHECK(*out_len <= NR_ORDER_MAX_CCH + GROWTH);
    CHECK(full[*out_len] == 0 && poisoned(full + *out_len + 1, cch - *out_len - 1));

    small_cch = small_pick % (*out_len + 2);
    small = malloc(small_cch * sizeof(nr_char));
    CHECK(small);
    poison(small, small_cch);
    ret = fn(in, len, small, small_cch, &small_len);
    if (small_cch > *out_len) {
        CHECK(ret == NR_ORDER_OK && small_len == *out_len);
        CHECK(!memcmp(small, full, (*out_len + 1) * sizeof(nr_char)));
    } else {
        CHECK(ret == NR_ORDER_E_SMALL && small_len == *out_len);
        CHECK(poisoned(small, small_cch));
    }
    free(small);
    *out = full;
    return NR_ORDER_OK;
}

/* Applying an edit to its own result changes nothing (unless uninstall
 * grew it past the length limit, which every edit refuses). */
static void check_idempotent(edit_fn fn, const nr_char *once, size_t once_len, uint8_t pick)
{
    nr_char *twice;
    size_t twice_len;

    if (once_len > NR_ORDER_MAX_CCH)
        return;
    CHECK(edit(fn, once, once_len, &twice, &twice_len, pick) == NR_ORDER_OK);
    CHECK(twice_len == once_len && !memcmp(twice, once, once_len * sizeof(nr_char)));
    free(twice);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct reader r = { data, size };
    uint8_t control = take_u8(&r), pick = take_u8(&r);
    size_t n = r.n / 2, len = n, i, lanmen, reclaims, at = 0, out_len, back_len;
    nr_char *units = malloc(n * sizeof(nr_char)), *in, *out, *back;
    unsigned int flags;

    CHECK(units);
    for (i = 0; i < n; i++)
        units[i] = take_u16(&r);
    if ((control & 1) && n && n < NR_ORDER_MAX_CCH - 8)
        len = NR_ORDER_MAX_CCH - 8 + pick % 16;
    in = malloc(len * sizeof(nr_char));
    CHECK(in);
    for (i = 0; i < len; i++)
        in[i] = units[i < n ? i : n - 1];

    flags = nr_order_check(in, len);
    if (!len)
        CHECK(flags == NR_ORDER_EMPTY_VALUE);
    if (len > NR_ORDER_MAX_CCH)
        CHECK(flags == NR_ORDER_TOO_LONG);
    lanmen = count_word(in, len, lanman, &at);
    reclaims = count_word(in, len, netreclaim, NULL);

    if (edit(nr_order_install, in, len, &out, &out_len, pick) == NR_ORDER_OK) {
        CHECK(count_word(out, out_len, netreclaim, NULL) == 1);
        CHECK(!count_word(out, out_len, lanman, NULL));
        check_idempotent(nr_order_install, out, out_len, pick);

        /* One LanmanWorkstation and no NetReclaim: uninstall undoes install,
         * save for LanmanWorkstation's spelling. */
        if (lanmen == 1 && !reclaims) {
            CHECK(edit(nr_order_uninstall, out, out_len, &back, &back_len, pick) == NR_ORDER_OK);
            CHECK(back_len == len && !memcmp(back, in, at * sizeof(nr_char)));
            CHECK(!memcmp(back + at, lanman, LANMAN_LEN * sizeof(nr_char)));
            CHECK(!memcmp(back + at + LANMAN_LEN, in + at + LANMAN_LEN,
                          (len - at - LANMAN_LEN) * sizeof(nr_char)));
            free(back);
        }
        free(out);
    }

    if (edit(nr_order_uninstall, in, len, &out, &out_len, pick) == NR_ORDER_OK) {
        /* Counted here: the result may be longer than nr_order_check takes. */
        CHECK(!count_word(out, out_len, netreclaim, NULL));
        CHECK(count_word(out, out_len, lanman, NULL) == (reclaims ? 1 : lanmen));
        CHECK(reclaims || (out_len == len && !memcmp(out, in, len * sizeof(nr_char))));
        check_idempotent(nr_order_uninstall, out, out_len, pick);
        free(out);
    }

    if (edit(nr_order_repair, in, len, &out, &out_len, pick) == NR_ORDER_OK) {
        CHECK(out_len <= len);
        CHECK(!(nr_order_check(out, out_len) &
                (NR_ORDER_EMPTY_ENTRY | NR_ORDER_WHITESPACE | NR_ORDER_DUPLICATE)));
        check_idempotent(nr_order_repair, out, out_len, pick);
        free(out);
    }

    free(in);
    free(units);
    return 0;
}
