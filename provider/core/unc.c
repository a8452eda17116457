/* UNC paths and redirector NT names.
 *
 * Rules, chosen so that a doubtful name never matches (a handle is then left
 * open rather than closed by mistake):
 * - server and share are non-empty, at most NR_SERVER_MAX / NR_SHARE_MAX
 *   units, not "." or "..", and hold no control character (NUL included)
 *   nor any of  " * / : ; < > ? \ |  (none is valid in a server or share name);
 * - doubled separators before the share are malformed (empty component);
 *   inside the rest they are harmless and accepted, as is a trailing one;
 * - "." and ".." components are rejected anywhere, not resolved: the object
 *   manager hands out canonical names, so a name carrying them is not one
 *   to trust, and resolving \\srv\share\..\share2 would only invite mistakes;
 * - Win32 UNC paths accept '/' as a separator (Win32 does); NT names never
 *   use it, so there only '\' separates components.
 */

#include <string.h>

#include "netreclaim/unc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const nr_char prefix_mup[] = u"\\Device\\Mup";
static const nr_char prefix_lanman[] = u"\\Device\\LanmanRedirector";
static const nr_char lanman_component[] = u";LanmanRedirector";
static const nr_char long_unc[] = u"\\\\?\\UNC\\";

/* The SMB redirector's own devices. \Device\Mup is every UNC provider's:
 * which of its forms count is decided in nr_parse_nt_name. */
static const struct nr_str builtin_prefixes[] = {
    { prefix_mup, ARRAY_SIZE(prefix_mup) - 1 },
    { prefix_lanman, ARRAY_SIZE(prefix_lanman) - 1 },
};

static bool is_sep(nr_char c, bool slash)
{
    return c == '\\' || (slash && c == '/');
}

/* Index of the next separator at or after pos, or len. */
static size_t find_sep(const nr_char *s, size_t pos, size_t len, bool slash)
{
    while (pos < len && !is_sep(s[pos], slash))
        pos++;
    return pos;
}

static bool is_dot_component(const nr_char *s, size_t len)
{
    return (len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.');
}

static bool is_valid_name(const nr_char *s, size_t len, size_t max)
{
    static const char invalid[] = "\"*/:;<>?\\|";
    size_t i, j;

    if (!len || len > max || is_dot_component(s, len))
        return false;
    for (i = 0; i < len; i++) {
        if (s[i] < 0x20)
            return false;
        for (j = 0; j < ARRAY_SIZE(invalid) - 1; j++)
            if (s[i] == (nr_char)invalid[j])
                return false;
    }
    return true;
}

static bool is_valid_rest(const nr_char *s, size_t len, bool slash)
{
    size_t pos = 0, end;

    while (pos < len) {
        end = find_sep(s, pos, len, slash);
        if (is_dot_component(s + pos, end - pos))
            return false;
        for (; pos < end; pos++)
            if (!s[pos])
                return false;
        pos = end + 1;
    }
    return true;
}

/* Parse server[\share[\rest]] starting at s[pos]. */
static bool parse_components(const nr_char *s, size_t pos, size_t len, bool slash,
                             struct nr_unc *unc)
{
    struct nr_unc out = { { NULL, 0 }, { NULL, 0 }, { NULL, 0 } };
    size_t end;

    end = find_sep(s, pos, len, slash);
    out.server.str = s + pos;
    out.server.len = end - pos;
    if (!is_valid_name(out.server.str, out.server.len, NR_SERVER_MAX))
        return false;

    /* "\\server" and "\\server\" both name the whole server. */
    if (end + 1 < len) {
        pos = end + 1;
        end = find_sep(s, pos, len, slash);
        out.share.str = s + pos;
        out.share.len = end - pos;
        if (!is_valid_name(out.share.str, out.share.len, NR_SHARE_MAX))
            return false;
        if (end < len) {
            out.rest.str = s + end + 1;
            out.rest.len = len - end - 1;
            if (!is_valid_rest(out.rest.str, out.rest.len, slash))
                return false;
        }
    }
    *unc = out;
    return true;
}

bool nr_parse_unc(const nr_char *path, size_t len, unsigned int flags, struct nr_unc *unc)
{
    struct nr_unc out;

    if (len < 2 || len > NR_UNC_MAX || !is_sep(path[0], true) || !is_sep(path[1], true))
        return false;
    if (!parse_components(path, 2, len, true, &out))
        return false;
    if ((flags & NR_UNC_SHARE_REQUIRED) && !out.share.len)
        return false;
    *unc = out;
    return true;
}

/* Length of the name taken by `prefix` when the name starts with it as whole
 * components (\Device\Mup never matches \Device\MupX), else 0. Trailing
 * separators of the prefix are ignored; an empty prefix, or one not rooted
 * at '\', matches nothing. */
static size_t match_unc_prefix(const nr_char *name, size_t len, const struct nr_str *prefix)
{
    size_t plen = prefix->len;

    while (plen && prefix->str[plen - 1] == '\\')
        plen--;
    if (!plen || prefix->str[0] != '\\' || plen >= len || name[plen] != '\\')
        return 0;
    return nr_equal_nocase(name, plen, prefix->str, plen) ? plen : 0;
}

static int hex_value(nr_char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = nr_upcase(c);
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* ";Z:00000000000003e7": a drive letter (optional) and the logon-session
 * LUID the redirector tags a connection with, 1 to 16 hex digits. */
static bool parse_session_component(const nr_char *s, size_t len, uint64_t *luid)
{
    size_t i = 1;
    int digit;

    if (len < 3 || s[0] != ';')
        return false;
    if (nr_upcase(s[i]) >= 'A' && nr_upcase(s[i]) <= 'Z')
        i++;
    if (s[i++] != ':' || i == len || len - i > 16)
        return false;
    for (*luid = 0; i < len; i++) {
        if ((digit = hex_value(s[i])) < 0)
            return false;
        *luid = *luid << 4 | (uint64_t)digit;
    }
    return true;
}

/* Remote pipes and mailslots are how RPC and the browser reach a server
 * (through \\srv\IPC$ among others), never files under a share. */
static bool is_ipc_share(const struct nr_str *share)
{
    return nr_equal_ascii_nocase(share->str, share->len, "PIPE") ||
           nr_equal_ascii_nocase(share->str, share->len, "MAILSLOT");
}

/* The longest prefix the name starts with: a built-in one wins a tie, so
 * \Device\Mup keeps its rules even when also given as an extra prefix. */
static size_t match_prefix(const nr_char *name, size_t len, const struct nr_str *prefixes,
                           size_t prefix_count, bool *mup)
{
    size_t pos = 0, i, n;

    *mup = false;
    for (i = 0; i < ARRAY_SIZE(builtin_prefixes); i++)
        if ((n = match_unc_prefix(name, len, &builtin_prefixes[i])) > pos) {
            pos = n;
            *mup = i == 0;
        }
    for (i = 0; i < prefix_count; i++)
        if ((n = match_unc_prefix(name, len, &prefixes[i])) > pos) {
            pos = n;
            *mup = false;
        }
    return pos;
}

bool nr_parse_nt_name(const nr_char *name, size_t len, const struct nr_str *prefixes,
                      size_t prefix_count, struct nr_nt_name *out)
{
    struct nr_nt_name nt = { .plain_mup = false };
    size_t pos, end;
    bool mup;

    if (len > NR_UNC_MAX || !(pos = match_prefix(name, len, prefixes, prefix_count, &mup)))
        return false;
    pos++;
    end = find_sep(name, pos, len, false);
    /* Under \Device\Mup only the SMB redirector's component is ours; with
     * none the name may be any UNC provider's, and is SMB only where the
     * handle says so (the caller checks nt.plain_mup). */
    if (mup && end < len && name[pos] == ';') {
        if (!nr_equal_nocase(name + pos, end - pos, lanman_component,
                             ARRAY_SIZE(lanman_component) - 1))
            return false;
        pos = end + 1;
        end = find_sep(name, pos, len, false);
    } else if (mup) {
        nt.plain_mup = true;
    }
    if (!nt.plain_mup && end < len && name[pos] == ';') {
        if (!parse_session_component(name + pos, end - pos, &nt.luid))
            return false;
        nt.has_luid = true;
        pos = end + 1;
    }
    if (!parse_components(name, pos, len, false, &nt.unc) || is_ipc_share(&nt.unc.share))
        return false;
    *out = nt;
    return true;
}

bool nr_unc_under(const struct nr_unc *path, const struct nr_unc *root)
{
    if (!nr_equal_nocase(path->server.str, path->server.len, root->server.str, root->server.len))
        return false;
    if (!root->share.len)
        return true;
    return nr_equal_nocase(path->share.str, path->share.len, root->share.str, root->share.len);
}

/* The server of a NUL-terminated UNC name parsed with `flags`, or false.
 * Reading one unit past NR_UNC_MAX lets nr_parse_unc refuse a longer name
 * rather than see it cut. */
static bool server_of(const nr_char *name, unsigned int flags, struct nr_str *server)
{
    struct nr_unc unc;

    if (!name || !nr_parse_unc(name, nr_strnlen(name, NR_UNC_MAX + 1), flags, &unc))
        return false;
    *server = unc.server;
    return true;
}

bool nr_server_of(const nr_char *name, unsigned int flags, nr_char *buf, size_t cch)
{
    struct nr_str server;

    if (!server_of(name, flags, &server) || server.len + 3 > cch)
        return false;
    buf[0] = buf[1] = '\\';
    memcpy(buf + 2, server.str, server.len * sizeof(nr_char));
    buf[2 + server.len] = 0;
    return true;
}

bool nr_same_server(const nr_char *a, const nr_char *b)
{
    struct nr_str sa, sb;

    return server_of(a, 0, &sa) && server_of(b, 0, &sb) &&
           nr_equal_nocase(sa.str, sa.len, sb.str, sb.len);
}

bool nr_unc_from_long(const nr_char *path, size_t len, nr_char *buf, size_t cch)
{
    const size_t prefix = ARRAY_SIZE(long_unc) - 1;
    size_t i;

    /* Win32 hands a "\\?\" name on unparsed: '/' separates nothing there,
     * and is in no valid server or share name. */
    if (len <= prefix || len > NR_UNC_MAX || !nr_equal_nocase(path, prefix, long_unc, prefix))
        return false;
    for (i = prefix; i < len; i++)
        if (path[i] == '/')
            return false;
    if (len - prefix + 3 > cch)
        return false;
    buf[0] = buf[1] = '\\';
    memcpy(buf + 2, path + prefix, (len - prefix) * sizeof(nr_char));
    buf[2 + len - prefix] = 0;
    return true;
}
