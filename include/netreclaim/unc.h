/* UNC paths and the NT names of redirector file handles. */
#ifndef NETRECLAIM_UNC_H
#define NETRECLAIM_UNC_H

#include "netreclaim/nrstr.h"

#define NR_UNC_MAX 32767  /* whole path or NT name, in nr_chars (UNICODE_STRING limit) */
#define NR_SERVER_MAX 255 /* DNS name limit */
#define NR_SHARE_MAX 80   /* NNLEN */

/* A path split into spans of the string it was parsed from. */
struct nr_unc {
    struct nr_str server;
    struct nr_str share; /* empty: the path names a whole server */
    struct nr_str rest;  /* after the share and its separator; may be empty */
};

/* nr_parse_unc flags */
#define NR_UNC_SHARE_REQUIRED 0x1u /* reject \\server alone */

/* Parse a Win32 UNC path \\server[\share[\rest]], as WNet and users give it.
 * '/' is a separator too, as Win32 path handling makes it. Returns false for
 * anything malformed: see unc.c for the rules. */
bool nr_parse_unc(const nr_char *path, size_t len, unsigned int flags, struct nr_unc *unc);

/* Win32's long form of a UNC name, \\?\UNC\server[\share[\rest]] ("UNC" in
 * any case), as the plain \\server[\share[\rest]] that nr_parse_unc takes:
 * written into buf, NUL-terminated. False, buf untouched, when `path` is not
 * in that form, holds a '/', or the result does not fit in cch units with
 * the NUL. The result is not checked: parse it. */
bool nr_unc_from_long(const nr_char *path, size_t len, nr_char *buf, size_t cch);

/* What the NT name of a file handle says, when it is the SMB redirector's. */
struct nr_nt_name {
    struct nr_unc unc;
    bool plain_mup; /* \Device\Mup\srv\share: any UNC provider's; SMB only
                       where the handle's remote protocol says so */
    bool has_luid;  /* a ;X:<luid> component: the logon session it belongs to */
    uint64_t luid;
};

/* Parse the NT object name of a file handle opened through the SMB
 * redirector (docs/design.md rule 4, "under the cancelled share"). Accepted:
 *   \Device\Mup\;LanmanRedirector\[;X:<luid>\]srv\share...
 *   \Device\Mup\srv\share...                  (plain_mup: proof is the caller's)
 *   \Device\LanmanRedirector\[;X:<luid>\]srv\share...
 *   <prefix>\[;X:<luid>\]srv\share...          (one of `prefixes`: the stock
 *                                               provider's DeviceName)
 * Refused: any other provider's component under \Device\Mup (;WebDavRedirector,
 * ;RdpDr...), any other device, a PIPE or MAILSLOT share (any case). Only '\'
 * separates NT name components. */
bool nr_parse_nt_name(const nr_char *name, size_t len, const struct nr_str *prefixes,
                      size_t prefix_count, struct nr_nt_name *out);

/* Whether `path` lies under `root`: same server, and same share unless root
 * names a whole server. Component-exact and case-insensitive; root's rest is
 * ignored, since a connection pins its whole share. */
bool nr_unc_under(const struct nr_unc *path, const struct nr_unc *root);

/* Whether two NUL-terminated UNC names (\\server[\share[\rest]], each read
 * no further than NR_UNC_MAX units, parsed with nr_parse_unc flags 0) name
 * the same server: component-exact (\\srv is not \\srv2) and
 * case-insensitive. False when either is NULL or does not parse. */
bool nr_same_server(const nr_char *a, const nr_char *b);

/* "\\server" of a NUL-terminated UNC name (read no further than NR_UNC_MAX
 * units, parsed with nr_parse_unc `flags`) into buf, NUL-terminated. False,
 * buf untouched, when the name is NULL, does not parse, or its server does
 * not fit in cch units with the NUL. */
bool nr_server_of(const nr_char *name, unsigned int flags, nr_char *buf, size_t cch);

#endif
