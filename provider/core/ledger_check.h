/* ledger_check.c: the image's layout as the validator reads it, the name
 * rules and the checksum. ledger.c's operations apply the same (they call
 * here, never the other way). */
#ifndef NETRECLAIM_LEDGER_CHECK_H
#define NETRECLAIM_LEDGER_CHECK_H

#include "netreclaim/ledger.h"

#define LEDGER_ALIGN 8u /* a u64 field's alignment on every target */

static inline const struct nr_ledger_entry *ledger_const_entries(const void *image)
{
    return (const struct nr_ledger_entry *)((const unsigned char *)image +
                                            sizeof(struct nr_ledger_header));
}

int ledger_local_ok(const nr_char *s, size_t len);
int ledger_remote_ok(const nr_char *s, size_t len);
int ledger_user_ok(const nr_char *s, size_t len);
/* Length of the server component of "\\server[\...]" (0 if not that shape). */
size_t ledger_server_len(const nr_char *unc, size_t len);
uint32_t ledger_checksum(const void *image);

#endif
