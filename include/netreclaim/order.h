/* Editing the NetworkProvider order: ProviderOrder and HwOrder are REG_SZ
 * comma lists such as "RDPNP,LanmanWorkstation,webclient". MPR loads each
 * entry as written, so entries match whole and case-insensitively (as
 * nr_equal_nocase folds), and nothing but the entries an edit is about
 * changes, byte for byte.
 *
 * Strings are UTF-16 with explicit lengths (no NUL counted). An edit writes
 * its result and a NUL to `out` (which must not overlap `in`) and its length
 * to *out_len. On any error `out` is left as it was; NR_ORDER_E_SMALL also
 * stores the length needed, without the NUL, in *out_len. */
#ifndef NETRECLAIM_ORDER_H
#define NETRECLAIM_ORDER_H

#include <stddef.h>
#include "netreclaim/nrchar.h"

#define NR_ORDER_MAX_CCH 4096 /* longer values are refused */

enum nr_order_status {
    NR_ORDER_OK = 0,
    NR_ORDER_E_ARG = -1,       /* NULL pointer */
    NR_ORDER_E_EMPTY = -2,     /* empty value (or, for repair, no entry left) */
    NR_ORDER_E_TOO_LONG = -3,  /* over NR_ORDER_MAX_CCH */
    NR_ORDER_E_MALFORMED = -4, /* a NUL inside the value */
    NR_ORDER_E_NO_SMB = -5,    /* neither LanmanWorkstation nor NetReclaim */
    NR_ORDER_E_SMALL = -6,     /* out too small; *out_len says what it needs */
};

/* Findings of nr_order_check, for `netreclaim doctor`. */
#define NR_ORDER_HAS_NETRECLAIM 0x0001u
#define NR_ORDER_HAS_LANMAN 0x0002u
#define NR_ORDER_BOTH 0x0004u        /* the stock provider would run twice */
#define NR_ORDER_DUPLICATE 0x0008u   /* an entry listed twice */
#define NR_ORDER_EMPTY_ENTRY 0x0010u /* "a,,b", a leading or trailing comma, " " */
#define NR_ORDER_WHITESPACE 0x0020u  /* spaces or tabs around an entry */
#define NR_ORDER_TOO_LONG 0x0040u    /* nothing else is reported */
#define NR_ORDER_EMPTY_VALUE 0x0080u /* nothing else is reported */
#define NR_ORDER_MALFORMED 0x0100u   /* a NUL inside the value */

/* NetReclaim takes LanmanWorkstation's place. An order already holding
 * NetReclaim keeps it where it is and loses every LanmanWorkstation; any
 * second NetReclaim goes too. NR_ORDER_E_NO_SMB when it holds neither. */
int nr_order_install(const nr_char *in, size_t len, nr_char *out, size_t out_cch, size_t *out_len);

/* LanmanWorkstation goes back where NetReclaim stands (where the first
 * LanmanWorkstation stands, if another installer re-added it), and every
 * NetReclaim goes. An order without NetReclaim comes out unchanged. */
int nr_order_uninstall(const nr_char *in, size_t len, nr_char *out, size_t out_cch,
                       size_t *out_len);

/* doctor --fix: trims spaces and tabs around entries, drops empty entries
 * and repeated ones (keeping the first), never reorders the rest. */
int nr_order_repair(const nr_char *in, size_t len, nr_char *out, size_t out_cch, size_t *out_len);

/* NR_ORDER_* findings; NULL counts as an empty value. */
unsigned int nr_order_check(const nr_char *in, size_t len);

#endif
