/* UNC paths and redirector NT names: nr_parse_unc, nr_parse_nt_name with
 * extra prefixes, nr_unc_under. An NT name accepted is the SMB redirector's:
 * never a remote pipe or mailslot share, never another provider's component
 * under \Device\Mup, and "plain Mup" exactly when nothing after \Device\Mup
 * said which redirector it is.
 *
 * Input: a control byte (bit 0: NR_UNC_SHARE_REQUIRED; bits 1-2: how many
 * extra prefixes), then UTF-16LE units split at U+FFFF into two names and
 * the prefixes. Each name is parsed as a Win32 path and as an NT name, and
 * every pair of results is matched both ways. */
#include "fuzz.h"
#include "netreclaim/unc.h"

#define SEP 0xffffu
#define NAMES 2
#define MAX_PREFIXES 3

static const nr_char mup[] = u"\\Device\\Mup";
#define MUP_LEN (sizeof(mup) / sizeof(mup[0]) - 1)

static int span_equal(struct nr_str a, struct nr_str b)
{
    return a.len == b.len && (!a.len || !memcmp(a.str, b.str, a.len * sizeof(nr_char)));
}

static int span_within(struct nr_str span, const nr_char *s, size_t len)
{
    return !span.len || (span.str >= s && span.str + span.len <= s + len);
}

/* A server or share: what unc.c promises never to accept in one. */
static void check_name(struct nr_str span)
{
    size_t i;

    for (i = 0; i < span.len; i++)
        CHECK(span.str[i] >= 0x20 && span.str[i] != '\\' && span.str[i] != '/');
}

static void check_parsed(const struct nr_unc *unc, const nr_char *s, size_t len)
{
    CHECK(unc->server.len >= 1 && unc->server.len <= NR_SERVER_MAX);
    CHECK(unc->share.len <= NR_SHARE_MAX);
    CHECK(unc->share.len || !unc->rest.len);
    CHECK(span_within(unc->server, s, len) && span_within(unc->share, s, len) &&
          span_within(unc->rest, s, len));
    check_name(unc->server);
    check_name(unc->share);
}

static int is_ipc(struct nr_str share)
{
    return nr_equal_ascii_nocase(share.str, share.len, "PIPE") ||
           nr_equal_ascii_nocase(share.str, share.len, "MAILSLOT");
}

/* What nr_parse_nt_name promises of a name it accepts. */
static void check_nt(const struct nr_nt_name *nt, const nr_char *s, size_t len)
{
    const int mup_form =
        len > MUP_LEN && nr_equal_nocase(s, MUP_LEN, mup, MUP_LEN) && s[MUP_LEN] == '\\';

    check_parsed(&nt->unc, s, len);
    CHECK(!is_ipc(nt->unc.share));
    CHECK(!nt->plain_mup || (mup_form && s[MUP_LEN + 1] != ';'));
    CHECK(!(nt->plain_mup && nt->has_luid));
}

/* A Win32 path without '/' names what \Device\Mup plus the same path names
 * (a plain Mup name), unless its share is a pipe or mailslot one: a server
 * or share never starts with ';', so no session component hides. */
static void check_as_nt(const nr_char *path, size_t len, const struct nr_unc *unc)
{
    nr_char *nt;
    struct nr_nt_name parsed;
    size_t i;

    for (i = 0; i < len; i++)
        if (path[i] == '/')
            return;
    nt = malloc((MUP_LEN + len - 1) * sizeof(nr_char));
    CHECK(nt);
    memcpy(nt, mup, MUP_LEN * sizeof(nr_char));
    memcpy(nt + MUP_LEN, path + 1, (len - 1) * sizeof(nr_char));
    CHECK(nr_parse_nt_name(nt, MUP_LEN + len - 1, NULL, 0, &parsed) == !is_ipc(unc->share));
    if (!is_ipc(unc->share)) {
        CHECK(parsed.plain_mup && !parsed.has_luid);
        CHECK(span_equal(parsed.unc.server, unc->server) &&
              span_equal(parsed.unc.share, unc->share) && span_equal(parsed.unc.rest, unc->rest));
    }
    free(nt);
}

static void check_under(const struct nr_unc *path, const struct nr_unc *root)
{
    struct nr_unc server = *root;
    bool under = nr_unc_under(path, root);

    server.share.len = 0;
    CHECK(nr_unc_under(path, path));
    CHECK(!under || nr_unc_under(path, &server));
    if (path->share.len && root->share.len)
        CHECK(under == nr_unc_under(root, path));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct reader r = { data, size };
    uint8_t control = take_u8(&r);
    unsigned int flags = control & 1 ? NR_UNC_SHARE_REQUIRED : 0;
    size_t prefix_count = (control >> 1) % (MAX_PREFIXES + 1);
    nr_char *piece[NAMES + MAX_PREFIXES] = { 0 };
    size_t piece_len[NAMES + MAX_PREFIXES] = { 0 };
    nr_char *units = malloc(r.n / 2 * sizeof(nr_char));
    struct nr_str prefixes[MAX_PREFIXES];
    struct nr_unc parsed[2 * NAMES];
    struct nr_nt_name nt;
    size_t count = 0, n = 0, start = 0, i, j;

    CHECK(units);
    while (r.n >= 2)
        units[n++] = take_u16(&r);
    /* Exact copies of each piece, so ASan sees a read past one. */
    for (i = 0; i < NAMES + MAX_PREFIXES; i++) {
        size_t end = start;

        while (end < n && units[end] != SEP)
            end++;
        piece[i] = dup_units(units + start, end - start, 0);
        piece_len[i] = end - start;
        start = end < n ? end + 1 : n;
    }
    for (i = 0; i < prefix_count; i++)
        prefixes[i] = (struct nr_str){ piece[NAMES + i], piece_len[NAMES + i] };

    for (i = 0; i < NAMES; i++) {
        if (nr_parse_unc(piece[i], piece_len[i], flags, &parsed[count])) {
            check_parsed(&parsed[count], piece[i], piece_len[i]);
            CHECK(!(flags & NR_UNC_SHARE_REQUIRED) || parsed[count].share.len);
            check_as_nt(piece[i], piece_len[i], &parsed[count]);
            count++;
        }
        if (nr_parse_nt_name(piece[i], piece_len[i], prefixes, prefix_count, &nt)) {
            check_nt(&nt, piece[i], piece_len[i]);
            parsed[count++] = nt.unc;
        }
    }
    for (i = 0; i < count; i++)
        for (j = 0; j < count; j++)
            check_under(&parsed[i], &parsed[j]);

    for (i = 0; i < NAMES + MAX_PREFIXES; i++)
        free(piece[i]);
    free(units);
    return 0;
}
