/* The user name in an NPAddConnection4 auth buffer, for the ledger. Only two
 * shapes are read, and only when every byte they name lies inside the
 * buffer; anything else is opaque (the ledger then records no user). The
 * password is never read.
 *   SEC_WINNT_AUTH_IDENTITY_EX2 (Version 0x201): offsets and byte lengths
 *     from the buffer's start, Unicode.
 *   SEC_WINNT_AUTH_IDENTITY_EXW (Version 0x200, Length = its size in this
 *     build, Flags with SEC_WINNT_AUTH_IDENTITY_UNICODE): pointers and char
 *     counts, accepted only when they point inside the buffer (a packed
 *     copy), so a stray pointer is never followed. */
#ifndef NETRECLAIM_AUTHID_H
#define NETRECLAIM_AUTHID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "netreclaim/nrchar.h"

#define NR_AUTH_EX_VERSION 0x200u
#define NR_AUTH_EX2_VERSION 0x201u
#define NR_AUTH_UNICODE 0x2u

/* SEC_WINNT_AUTH_IDENTITY_EX2 field offsets (sspi.h), the same on x86 and x64. */
enum {
    NR_AUTH_EX2_HEADER_LENGTH = 4,    /* u16 */
    NR_AUTH_EX2_STRUCTURE_LENGTH = 8, /* u32 */
    NR_AUTH_EX2_USER_OFFSET = 12,     /* u32, then its u16 byte length at +4 */
    NR_AUTH_EX2_DOMAIN_OFFSET = 20,   /* u32, then its u16 byte length at +4 */
    NR_AUTH_EX2_SIZE = 48,
};

/* SEC_WINNT_AUTH_IDENTITY_EXW: pointer-sized fields, laid out as this build's
 * compiler lays out the struct. */
struct nr_auth_identity_ex {
    uint32_t version, length;
    const nr_char *user;
    uint32_t user_length;
    const nr_char *domain;
    uint32_t domain_length;
    const nr_char *password; /* never read */
    uint32_t password_length;
    uint32_t flags;
    const nr_char *package_list;
    uint32_t package_list_length;
};

/* Writes "DOMAIN\user" (or "user") NUL-terminated into user[cch]; false,
 * with user "" (cch > 0), when the buffer is not one of the shapes above,
 * names no user, has a NUL within the length of its user or domain name
 * (a length counting the terminator, say), or the name does not fit. */
bool nr_auth_user(const void *buf, size_t size, nr_char *user, size_t cch);

#endif
