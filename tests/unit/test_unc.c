/* unc.c: Win32 UNC paths, redirector NT names, and matching, in tables of
 * what must be accepted and what must not. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "netreclaim/unc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static size_t len_of(const nr_char *s)
{
    return nr_strnlen(s, NR_UNC_MAX + 100);
}

static int span_is(struct nr_str span, const nr_char *expect)
{
    size_t len = len_of(expect), i;

    if (span.len != len)
        return 0;
    for (i = 0; i < len; i++)
        if (span.str[i] != expect[i])
            return 0;
    return 1;
}

struct good {
    const nr_char *in;
    const nr_char *server, *share, *rest;
};

static bool split_is(const struct nr_unc *unc, const struct good *want)
{
    return span_is(unc->server, want->server) && span_is(unc->share, want->share) &&
           span_is(unc->rest, want->rest);
}

static void check_good(const struct good *table, size_t count)
{
    struct nr_unc unc;
    size_t i;

    for (i = 0; i < count; i++) {
        if (!nr_parse_unc(table[i].in, len_of(table[i].in), 0, &unc))
            fail_msg("entry %zu rejected", i);
        if (!split_is(&unc, &table[i]))
            fail_msg("entry %zu split wrong", i);
    }
}

static void check_bad(const nr_char *const *table, size_t count, int nt,
                      const struct nr_str *prefixes, size_t prefix_count)
{
    struct nr_nt_name name;
    struct nr_unc unc;
    size_t i;
    bool ok;

    for (i = 0; i < count; i++) {
        ok = nt ? nr_parse_nt_name(table[i], len_of(table[i]), prefixes, prefix_count, &name)
                : nr_parse_unc(table[i], len_of(table[i]), 0, &unc);
        if (ok)
            fail_msg("entry %zu accepted", i);
    }
}

static void test_unc_good(void **state)
{
    static const struct good table[] = {
        { u"\\\\srv\\share", u"srv", u"share", u"" },
        { u"\\\\srv\\share\\", u"srv", u"share", u"" },
        { u"\\\\srv\\share\\a\\b.txt", u"srv", u"share", u"a\\b.txt" },
        { u"\\\\srv\\share\\a\\\\b\\", u"srv", u"share", u"a\\\\b\\" },
        { u"\\\\srv", u"srv", u"", u"" },
        { u"\\\\srv\\", u"srv", u"", u"" },
        { u"//srv/share/a/b", u"srv", u"share", u"a/b" },
        { u"\\/srv/share\\a", u"srv", u"share", u"a" },
        { u"\\\\srv\\share$", u"srv", u"share$", u"" },
        { u"\\\\srv.example.com\\Share Name", u"srv.example.com", u"Share Name", u"" },
        { u"\\\\192.168.1.1\\c$\\x", u"192.168.1.1", u"c$", u"x" },
        { u"\\\\s\u00e9rv\\Sh\u00e4re", u"s\u00e9rv", u"Sh\u00e4re", u"" },
        { u"\\\\srv\\share\\...\\.x\\x.", u"srv", u"share", u"...\\.x\\x." },
    };

    (void)state;
    check_good(table, ARRAY_SIZE(table));
}

static void test_unc_bad(void **state)
{
    static const nr_char *const table[] = {
        u"",
        u"\\",
        u"\\\\",
        u"\\\\\\",
        u"\\\\\\srv\\share",
        u"\\\\srv\\\\share",
        u"srv\\share",
        u"\\srv\\share",
        u"C:\\x",
        u"\\\\.\\share",
        u"\\\\..\\share",
        u"\\\\srv\\.",
        u"\\\\srv\\..",
        u"\\\\srv\\share\\.",
        u"\\\\srv\\share\\a\\..",
        u"\\\\srv\\share\\a\\..\\b",
        u"\\\\srv\\share\\a\\..\\..\\share2\\x",
        u"//srv/share/../x",
        u"\\\\?\\UNC\\srv\\share",
        u"\\\\.\\pipe\\x",
        u"\\\\srv:445\\share",
        u"\\\\srv\\sh*re",
        u"\\\\s;rv\\share",
        u"\\\\srv\\sh|re",
        u"\\\\srv\\sh\"re",
        u"\\\\srv\\sh<re",
        u"\\\\srv\\sh\tre",
    };

    (void)state;
    check_bad(table, ARRAY_SIZE(table), 0, NULL, 0);
}

static void test_unc_share_required(void **state)
{
    struct nr_unc unc;

    (void)state;
    assert_false(nr_parse_unc(u"\\\\srv", 5, NR_UNC_SHARE_REQUIRED, &unc));
    assert_false(nr_parse_unc(u"\\\\srv\\", 6, NR_UNC_SHARE_REQUIRED, &unc));
    assert_true(nr_parse_unc(u"\\\\srv\\s", 7, NR_UNC_SHARE_REQUIRED, &unc));
    assert_true(span_is(unc.share, u"s"));
}

/* NULs count as characters when the length says so: a name with one
 * inside is malformed, never cut short. */
static void test_unc_embedded_nul(void **state)
{
    static const nr_char in_server[] = { '\\', '\\', 's', 0, 'v', '\\', 's', 'h' };
    static const nr_char in_share[] = { '\\', '\\', 's', 'r', 'v', '\\', 's', 0, 'h' };
    static const nr_char in_rest[] = { '\\', '\\', 's', 'r', 'v', '\\', 's', '\\', 'a', 0, 'b' };
    static const nr_char nt[] = u"\\Device\\Mup\\srv\\sh\0re";
    struct nr_nt_name name;
    struct nr_unc unc;

    (void)state;
    assert_false(nr_parse_unc(in_server, ARRAY_SIZE(in_server), 0, &unc));
    assert_false(nr_parse_unc(in_share, ARRAY_SIZE(in_share), 0, &unc));
    assert_false(nr_parse_unc(in_rest, ARRAY_SIZE(in_rest), 0, &unc));
    assert_false(nr_parse_nt_name(nt, ARRAY_SIZE(nt) - 1, NULL, 0, &name));
    assert_true(nr_parse_unc(in_rest, 9, 0, &unc)); /* the same, cut before the NUL */
}

/* \\<server of n units>\<share of m units>[\<rest of r units>] */
static nr_char *make_path(size_t n, size_t m, size_t r, size_t *len)
{
    nr_char *p = malloc((n + m + r + 8) * sizeof(nr_char));
    size_t i = 0, k;

    assert_non_null(p);
    p[i++] = '\\';
    p[i++] = '\\';
    for (k = 0; k < n; k++)
        p[i++] = 's';
    p[i++] = '\\';
    for (k = 0; k < m; k++)
        p[i++] = 'h';
    if (r) {
        p[i++] = '\\';
        for (k = 0; k < r; k++)
            p[i++] = 'r';
    }
    *len = i;
    return p;
}

static void test_unc_lengths(void **state)
{
    static const struct {
        size_t server, share, rest;
        bool ok;
    } table[] = {
        { 255, 80, 0, true },
        { 256, 80, 0, false },
        { 255, 81, 0, false },
        { 10, 10, NR_UNC_MAX - 10 - 10 - 4, true },
        { 10, 10, NR_UNC_MAX - 10 - 10 - 3, false },
    };
    struct nr_unc unc;
    nr_char *p;
    size_t i, len;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(table); i++) {
        p = make_path(table[i].server, table[i].share, table[i].rest, &len);
        if (nr_parse_unc(p, len, 0, &unc) != table[i].ok)
            fail_msg("entry %zu (length %zu)", i, len);
        free(p);
    }
}

/* What the Windows layer adds: the stock provider's DeviceName, here the
 * Wine form (backslashes and a colon inside), and useless ones. */
#define SPAN(s)                                                                                    \
    {                                                                                              \
        s, ARRAY_SIZE(s) - 1                                                                       \
    }
static const struct nr_str extra_prefixes[] = {
    SPAN(u"\\??\\Z:\\tmp\\pfx\\dosdevices\\unc"),
    SPAN(u""),
    SPAN(u"\\"),
    SPAN(u"relative"),
    { NULL, 0 },
};

/* An NT name and what it must say. */
struct nt_good {
    const nr_char *in;
    const nr_char *server, *share, *rest;
    bool plain_mup, has_luid;
    uint64_t luid;
};

/* One form per row: the SMB redirector's, each as Windows shows it. */
static void test_nt_good(void **state)
{
    static const struct nt_good table[] = {
        { u"\\Device\\Mup\\srv\\share\\f.txt", u"srv", u"share", u"f.txt", true, false, 0 },
        { u"\\device\\MUP\\SRV\\Share", u"SRV", u"Share", u"", true, false, 0 },
        { u"\\Device\\Mup\\srv", u"srv", u"", u"", true, false, 0 },
        { u"\\Device\\Mup\\srv\\share\\a/b", u"srv", u"share", u"a/b", true, false, 0 },
        /* A DFS namespace: plain Mup, proven SMB by the handle's protocol. */
        { u"\\Device\\Mup\\corp.example.com\\dfs\\projects\\f", u"corp.example.com", u"dfs",
          u"projects\\f", true, false, 0 },
        { u"\\Device\\Mup\\srv\\IPC$", u"srv", u"IPC$", u"", true, false, 0 },
        { u"\\Device\\LanmanRedirector\\srv\\share\\d\\f", u"srv", u"share", u"d\\f", false, false,
          0 },
        { u"\\Device\\LanmanRedirector\\;Z:00000000000003e7\\srv\\share\\f", u"srv", u"share", u"f",
          false, true, 0x3e7 },
        { u"\\Device\\Mup\\;LanmanRedirector\\;Z:000000000001a2b3\\srv\\share\\f.txt", u"srv",
          u"share", u"f.txt", false, true, 0x1a2b3 },
        { u"\\Device\\Mup\\;LanmanRedirector\\;z:00000001FFFFFFFF\\srv\\share", u"srv", u"share",
          u"", false, true, 0x1ffffffffull },
        { u"\\Device\\Mup\\;lanmanredirector\\srv\\share", u"srv", u"share", u"", false, false, 0 },
        { u"\\Device\\Mup\\;LanmanRedirector\\;:3e7\\srv\\share", u"srv", u"share", u"", false,
          true, 0x3e7 },
        /* Under Wine the stock provider's DeviceName stands for the SMB redirector. */
        { u"\\??\\Z:\\tmp\\pfx\\dosdevices\\unc\\srv\\share\\f.txt", u"srv", u"share", u"f.txt",
          false, false, 0 },
        { u"\\??\\z:\\TMP\\pfx\\DosDevices\\UNC\\srv\\share", u"srv", u"share", u"", false, false,
          0 },
    };
    struct nr_nt_name nt;
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(table); i++) {
        const struct good want = { table[i].in, table[i].server, table[i].share, table[i].rest };

        if (!nr_parse_nt_name(table[i].in, len_of(table[i].in), extra_prefixes,
                              ARRAY_SIZE(extra_prefixes), &nt))
            fail_msg("entry %zu rejected", i);
        if (!split_is(&nt.unc, &want))
            fail_msg("entry %zu split wrong", i);
        if (nt.plain_mup != table[i].plain_mup || nt.has_luid != table[i].has_luid ||
            nt.luid != table[i].luid)
            fail_msg("entry %zu: plain %d luid %d %llx", i, nt.plain_mup, nt.has_luid,
                     (unsigned long long)nt.luid);
    }
}

static void test_nt_bad(void **state)
{
    static const nr_char *const table[] = {
        u"",
        u"\\",
        u"\\Device\\MupX\\srv\\share",
        u"\\Device\\Mu\\srv\\share",
        u"\\Device\\Mup",
        u"\\Device\\Mup\\",
        u"\\Device\\Mup\\\\srv\\share",
        u"\\Device\\HarddiskVolume3\\Users\\x",
        u"C:\\x",
        u"\\??\\C:\\x",
        u"\\??\\UNCX\\srv\\share",
        u"\\\\srv\\share",
        u"Device\\Mup\\srv\\share",
        /* Other redirectors, under Mup or on their own device. */
        u"\\Device\\Mup\\;WebDavRedirector\\srv@SSL\\DavWWWRoot\\x",
        u"\\Device\\Mup\\;WebDavRedirector\\srv\\share\\x",
        u"\\Device\\Mup\\;RdpDr\\;:1\\tsclient\\C\\x",
        u"\\Device\\Mup\\;Csc\\srv\\share",
        u"\\Device\\WebDavRedirector\\srv\\share\\x",
        u"\\Device\\RdpDr\\;:1\\tsclient\\C\\x",
        /* Not device names of file handles: a Win32 or DOS-device spelling. */
        u"\\??\\UNC\\srv\\share\\x",
        u"\\\\?\\UNC\\srv\\share",
        u"\\GLOBAL??\\UNC\\srv\\share\\",
        /* Remote pipes and mailslots (RPC over \\srv\IPC$), any case, any form. */
        u"\\Device\\Mup\\srv\\PIPE\\lsarpc",
        u"\\Device\\Mup\\srv\\pipe\\x",
        u"\\Device\\Mup\\srv\\MailSlot\\browse",
        u"\\Device\\Mup\\;LanmanRedirector\\srv\\PIPE\\srvsvc",
        u"\\Device\\LanmanRedirector\\;Z:00000000000003e7\\srv\\mailslot\\x",
        u"\\??\\Z:\\tmp\\pfx\\dosdevices\\unc\\srv\\Pipe\\x",
        /* A session component needs the provider's before it under Mup. */
        u"\\Device\\Mup\\;Z:000000000001A2B3\\srv\\share",
        u"\\Device\\LanmanRedirector\\;LanmanRedirector\\srv\\share",
        u"\\Device\\Mup\\;Z:\\srv\\share",
        u"\\Device\\Mup\\;LanmanRedirector",
        u"\\Device\\Mup\\;LanmanRedirector\\",
        u"\\Device\\Mup\\;LanmanRedirector\\;Z:00000000000003e7",
        u"\\Device\\Mup\\;LanmanRedirector\\;Z:00000000000003e7\\",
        u"\\Device\\Mup\\;Z:00000000000003e7\\;LanmanRedirector\\srv\\share",
        u"\\Device\\Mup\\;A\\;B\\srv\\share",
        u"\\Device\\Mup\\;LanmanRedirector\\;Z:00000000000000001\\srv\\share",
        u"\\Device\\Mup\\;LanmanRedirector\\;Z:0000g\\srv\\share",
        u"\\Device\\Mup\\;LanmanRedirector\\;ZZ:1\\srv\\share",
        u"\\Device\\Mup\\;LanmanRedirector\\;LanmanRedirector\\srv\\share",
        u"\\Device\\Mup\\srv\\share\\..\\x",
        u"\\Device\\Mup\\.\\share",
        u"\\Device\\Mup\\srv\\..",
        u"\\Device\\Mup\\srv\\share/x",
        u"\\Device\\Mup/srv\\share",
        u"\\??\\Z:\\tmp\\pfx\\dosdevices\\uncX\\srv\\share",
        u"\\??\\Z:\\tmp\\pfx\\dosdevices\\srv\\share",
        u"\\Device\\Afd\\Endpoint",
        u"\\Device\\NamedPipe\\x",
        u"relative\\srv\\share",
        u"\\Device\\ConDrv\\Reference",
    };

    (void)state;
    check_bad(table, ARRAY_SIZE(table), 1, extra_prefixes, ARRAY_SIZE(extra_prefixes));
}

/* Built-in prefixes work with no extra ones, extra ones only when given. */
static void test_nt_prefix_needed(void **state)
{
    static const nr_char wine[] = u"\\??\\Z:\\tmp\\pfx\\dosdevices\\unc\\srv\\share";
    struct nr_nt_name unc;

    (void)state;
    assert_true(nr_parse_nt_name(u"\\Device\\Mup\\srv\\share", 21, NULL, 0, &unc));
    assert_false(nr_parse_nt_name(wine, len_of(wine), NULL, 0, &unc));
    assert_true(nr_parse_nt_name(wine, len_of(wine), extra_prefixes, 1, &unc));
}

/* A caller's prefix that is a parent of a built-in one does not take the
 * built-in one's names apart differently: the longest match wins. */
static void test_nt_longest_prefix(void **state)
{
    static const struct nr_str parent[] = { SPAN(u"\\Device") };
    static const nr_char name[] = u"\\Device\\Mup\\srv\\share\\f";
    struct nr_nt_name nt;

    (void)state;
    assert_true(nr_parse_nt_name(name, len_of(name), parent, 1, &nt));
    assert_true(span_is(nt.unc.server, u"srv"));
    assert_true(span_is(nt.unc.share, u"share"));
    assert_true(nt.plain_mup);
}

static void test_nt_too_long(void **state)
{
    static const nr_char prefix[] = u"\\Device\\Mup";
    nr_char *p;
    size_t len, i;
    struct nr_nt_name unc;

    (void)state;
    p = make_path(3, 5, NR_UNC_MAX, &len);
    /* "\\sss..." becomes "\Device\Mup\sss...", over NR_UNC_MAX. */
    p = realloc(p, (len + 16) * sizeof(nr_char));
    assert_non_null(p);
    memmove(p + 11, p + 1, (len - 1) * sizeof(nr_char));
    for (i = 0; i < 11; i++)
        p[i] = prefix[i];
    assert_false(nr_parse_nt_name(p, len + 10, NULL, 0, &unc));
    assert_true(nr_parse_nt_name(p, NR_UNC_MAX, NULL, 0, &unc));
    free(p);
}

struct match {
    const nr_char *path, *root;
};

static void check_match(const struct match *table, size_t count, bool expect)
{
    struct nr_unc path, root;
    size_t i;

    for (i = 0; i < count; i++) {
        if (!nr_parse_unc(table[i].path, len_of(table[i].path), 0, &path) ||
            !nr_parse_unc(table[i].root, len_of(table[i].root), 0, &root))
            fail_msg("entry %zu does not parse", i);
        if (nr_unc_under(&path, &root) != expect)
            fail_msg("entry %zu: expected %s", i, expect ? "match" : "no match");
    }
}

static void test_match(void **state)
{
    static const struct match table[] = {
        { u"\\\\srv\\share\\f", u"\\\\srv\\share" },
        { u"\\\\SRV\\SHARE\\f", u"\\\\srv\\share" },
        { u"\\\\srv\\share", u"\\\\srv\\share" },
        { u"\\\\srv\\share\\", u"\\\\srv\\share\\" },
        { u"\\\\srv\\share\\a\\\\b", u"\\\\srv\\share" },
        { u"\\\\srv\\other\\f", u"\\\\srv" },
        { u"\\\\srv", u"\\\\srv" },
        { u"\\\\srv\\share\\a", u"\\\\srv\\share\\b" },
        { u"//srv/share/a", u"\\\\srv\\share" },
        { u"\\\\s\u00e9rv\\Sh\u00e4re\\x", u"\\\\S\u00c9RV\\sh\u00c4re" },
        { u"\\\\\u0441\u0435\u0440\u0432\u0435\u0440\\x",
          u"\\\\\u0421\u0415\u0420\u0412\u0415\u0420" },
    };

    (void)state;
    check_match(table, ARRAY_SIZE(table), true);
}

static void test_no_match(void **state)
{
    static const struct match table[] = {
        { u"\\\\srv\\share2", u"\\\\srv\\share" },
        { u"\\\\srv\\share2\\x", u"\\\\srv\\share" },
        { u"\\\\srv\\shar", u"\\\\srv\\share" },
        { u"\\\\srvx\\share", u"\\\\srv\\share" },
        { u"\\\\sr\\vshare", u"\\\\srv\\share" },
        { u"\\\\sr\\v\\share", u"\\\\srv\\share" },
        { u"\\\\srv", u"\\\\srv\\share" },
        { u"\\\\srv.example.com\\share", u"\\\\srv\\share" },
        { u"\\\\10.0.0.1\\share", u"\\\\srv\\share" },
        { u"\\\\srv\\share", u"\\\\srv2" },
        { u"\\\\srv2\\share", u"\\\\srv" },
        { u"\\\\srv\\share$", u"\\\\srv\\share" },
        { u"\\\\srv\\a", u"\\\\srv\\\u00e1" },
    };

    (void)state;
    check_match(table, ARRAY_SIZE(table), false);
}

/* The trap the rules exist for: a path that climbs out of the share never
 * counts as under it (it does not parse at all). */
static void test_dotdot_never_under(void **state)
{
    static const nr_char path[] = u"\\\\srv\\share\\a\\..\\..\\share2\\x";
    static const nr_char nt[] = u"\\Device\\Mup\\srv\\share\\a\\..\\..\\share2\\x";
    struct nr_nt_name name;
    struct nr_unc unc;

    (void)state;
    assert_false(nr_parse_unc(path, len_of(path), 0, &unc));
    assert_false(nr_parse_nt_name(nt, len_of(nt), NULL, 0, &name));
}

/* "\\server" of a name, as rule 4 and "netreclaim why" take it: the
 * share required only when asked, nothing written when it does not parse
 * or does not fit. */
static void test_server_of(void **state)
{
    nr_char buf[8];
    size_t i;

    (void)state;
    assert_true(nr_server_of(u"\\\\srv\\share\\dir\\f.txt", NR_UNC_SHARE_REQUIRED, buf, 8));
    assert_true(span_is((struct nr_str){ buf, len_of(buf) }, u"\\\\srv"));
    assert_true(nr_server_of(u"//SRV/share", 0, buf, 8));
    assert_true(span_is((struct nr_str){ buf, len_of(buf) }, u"\\\\SRV"));
    assert_true(nr_server_of(u"\\\\srv", 0, buf, 8));
    assert_true(span_is((struct nr_str){ buf, len_of(buf) }, u"\\\\srv"));
    /* \\srv2 and its NUL take 7 units. */
    assert_true(nr_server_of(u"\\\\srv2\\s", 0, buf, 7));
    for (i = 0; i < ARRAY_SIZE(buf); i++)
        buf[i] = 'x';
    assert_false(nr_server_of(u"\\\\srv2\\s", 0, buf, 6));
    assert_false(nr_server_of(u"\\\\srv", NR_UNC_SHARE_REQUIRED, buf, 8));
    assert_false(nr_server_of(u"srv\\share", 0, buf, 8));
    assert_false(nr_server_of(u"\\\\srv\\..\\x", 0, buf, 8));
    assert_false(nr_server_of(NULL, 0, buf, 8));
    for (i = 0; i < ARRAY_SIZE(buf); i++)
        assert_int_equal(buf[i], 'x');
}

/* nr_unc_from_long: \\?\UNC\ (any case of "UNC") becomes \\, the rest kept
 * as given; anything else, a '/' in it, or a result that does not fit
 * leaves buf untouched. */
static void test_from_long(void **state)
{
    static const nr_char *const refused[] = {
        u"\\\\srv\\share",       u"\\\\?\\UNC\\",           u"\\\\?\\UNC",
        u"\\\\?\\C:\\dir",       u"\\\\.\\UNC\\srv\\share", u"\\\\?\\UNCX\\srv",
        u"\\\\?\\UNC\\srv/share", u"//?/UNC/srv/share",     u"\\??\\UNC\\srv\\share",
    };
    nr_char buf[16];
    struct nr_unc unc;
    size_t i, j;

    (void)state;
    assert_true(nr_unc_from_long(u"\\\\?\\UNC\\srv\\share", 17, buf, 16));
    assert_true(span_is((struct nr_str){ buf, len_of(buf) }, u"\\\\srv\\share"));
    assert_true(nr_parse_unc(buf, len_of(buf), NR_UNC_SHARE_REQUIRED, &unc));
    assert_true(span_is(unc.server, u"srv") && span_is(unc.share, u"share"));
    assert_true(nr_unc_from_long(u"\\\\?\\unc\\SRV", 11, buf, 16));
    assert_true(span_is((struct nr_str){ buf, len_of(buf) }, u"\\\\SRV"));
    /* \\srv\share\d and its NUL take 14 units. */
    assert_true(nr_unc_from_long(u"\\\\?\\UNC\\srv\\share\\d", 19, buf, 14));
    assert_true(span_is((struct nr_str){ buf, len_of(buf) }, u"\\\\srv\\share\\d"));
    for (i = 0; i < ARRAY_SIZE(buf); i++)
        buf[i] = 'x';
    assert_false(nr_unc_from_long(u"\\\\?\\UNC\\srv\\share\\d", 19, buf, 13));
    for (j = 0; j < ARRAY_SIZE(refused); j++)
        assert_false(nr_unc_from_long(refused[j], len_of(refused[j]), buf, 16));
    for (i = 0; i < ARRAY_SIZE(buf); i++)
        assert_int_equal(buf[i], 'x');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unc_good),
        cmocka_unit_test(test_unc_bad),
        cmocka_unit_test(test_unc_share_required),
        cmocka_unit_test(test_unc_embedded_nul),
        cmocka_unit_test(test_unc_lengths),
        cmocka_unit_test(test_nt_good),
        cmocka_unit_test(test_nt_bad),
        cmocka_unit_test(test_nt_prefix_needed),
        cmocka_unit_test(test_nt_longest_prefix),
        cmocka_unit_test(test_nt_too_long),
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_no_match),
        cmocka_unit_test(test_dotdot_never_under),
        cmocka_unit_test(test_server_of),
        cmocka_unit_test(test_from_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
