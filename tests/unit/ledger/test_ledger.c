/* Unit tests of the ledger image: every operation, the validator against
 * corruptions and random bytes, eviction, session isolation, server match. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "netreclaim/ledger.h"

#define LUID_A 0x00000000000003e7ull
#define LUID_B 0x0000000100a1b2c3ull
#define SMALL 8u

static size_t len16(const nr_char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

static void assert_str16(const nr_char *got, const nr_char *want)
{
    assert_int_equal(len16(got), len16(want));
    assert_memory_equal(got, want, len16(want) * sizeof(nr_char));
}

/* Exact-size heap blocks, so ASan sees any read past `size`. */
static void *new_image(uint32_t capacity)
{
    void *image = malloc(nr_ledger_size(capacity));

    assert_non_null(image);
    assert_int_equal(nr_ledger_init(image, nr_ledger_size(capacity), capacity), NR_LEDGER_OK);
    return image;
}

static struct nr_ledger_header *header(void *image)
{
    return image;
}

static struct nr_ledger_entry *entry(void *image, unsigned int i)
{
    return (struct nr_ledger_entry *)((unsigned char *)image + sizeof(struct nr_ledger_header)) + i;
}

/* Three entries: a drive, a deviceless connection, a cancelled drive. */
static void *sample(void)
{
    void *image = new_image(SMALL);
    size_t size = nr_ledger_size(SMALL);

    assert_int_equal(
        nr_ledger_add(image, size, LUID_A, u"Z:", u"\\\\srv\\share", u"CORP\\alice", 100),
        NR_LEDGER_OK);
    assert_int_equal(nr_ledger_add(image, size, LUID_A, NULL, u"\\\\srv\\ipc$", u"alice", 101),
                     NR_LEDGER_OK);
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"Y:", u"\\\\other\\data", u"", 102),
                     NR_LEDGER_OK);
    assert_int_equal(nr_ledger_cancel_local(image, size, LUID_A, u"Y:", 103), NR_LEDGER_OK);
    return image;
}

static void assert_valid(const void *image, size_t size)
{
    enum nr_ledger_fault fault = NR_LEDGER_FAULT_CHECKSUM;

    assert_int_equal(nr_ledger_validate(image, size, &fault), NR_LEDGER_OK);
    assert_int_equal(fault, NR_LEDGER_FAULT_NONE);
}

static void test_layout(void **state)
{
    (void)state;
    assert_int_equal(sizeof(struct nr_ledger_header), 64);
    assert_int_equal(sizeof(struct nr_ledger_entry), 1312);
    assert_int_equal(offsetof(struct nr_ledger_entry, origin), 36);
    assert_int_equal(offsetof(struct nr_ledger_entry, remote), 72);
    assert_int_equal(offsetof(struct nr_ledger_entry, user), 752);
    assert_int_equal(nr_ledger_size(NR_LEDGER_CAPACITY), 335936);
    assert_int_equal(nr_ledger_size(1), 64 + 1312);
}

static void test_init(void **state)
{
    size_t size = nr_ledger_size(SMALL);
    unsigned char *block = malloc(size + 8);
    struct nr_ledger_summary sum;

    (void)state;
    assert_non_null(block);
    assert_int_equal(nr_ledger_init(NULL, size, SMALL), NR_LEDGER_E_ARG);
    assert_int_equal(nr_ledger_init(block, size - 1, SMALL), NR_LEDGER_E_ARG);
    assert_int_equal(nr_ledger_init(block, size, 0), NR_LEDGER_E_ARG);
    assert_int_equal(nr_ledger_init(block, size + 8, NR_LEDGER_CAPACITY + 1), NR_LEDGER_E_ARG);
    assert_int_equal(nr_ledger_init(block + 4, size, SMALL), NR_LEDGER_E_ARG);

    memset(block, 0xa5, size + 8);
    assert_int_equal(nr_ledger_init(block, size, SMALL), NR_LEDGER_OK);
    assert_valid(block, size);
    assert_int_equal(block[size], 0xa5); /* nothing written past the image */
    assert_int_equal(nr_ledger_summarize(block, size, LUID_A, &sum), NR_LEDGER_OK);
    assert_int_equal(sum.capacity, SMALL);
    assert_int_equal(sum.count, 0);
    assert_int_equal(sum.live, 0);
    assert_int_equal(sum.sequence, 0);
    free(block);
}

static void test_add_find_local(void **state)
{
    void *image = sample();
    size_t size = nr_ledger_size(SMALL);
    struct nr_ledger_entry e;

    (void)state;
    assert_valid(image, size);
    assert_int_equal(nr_ledger_find_local(image, size, LUID_A, u"z:", &e), NR_LEDGER_OK);
    assert_str16(e.local, u"Z:");
    assert_str16(e.remote, u"\\\\srv\\share");
    assert_str16(e.user, u"CORP\\alice");
    assert_int_equal(e.luid, LUID_A);
    assert_int_equal(e.sequence, 1);
    assert_int_equal(e.time_added, 100);
    assert_int_equal(e.time_cancelled, 0);
    assert_int_equal(e.state, NR_LEDGER_LIVE);

    assert_int_equal(nr_ledger_find_local(image, size, LUID_A, u"X:", &e), NR_LEDGER_E_NOT_FOUND);
    /* Y: was cancelled: a lookup only answers live entries. */
    assert_int_equal(nr_ledger_find_local(image, size, LUID_A, u"Y:", &e), NR_LEDGER_E_NOT_FOUND);
    assert_int_equal(nr_ledger_find_local(image, size, LUID_A, u"", &e), NR_LEDGER_E_ARG);
    assert_int_equal(nr_ledger_find_local(image, size, LUID_A, NULL, &e), NR_LEDGER_E_ARG);
    assert_int_equal(nr_ledger_find_local(image, size, LUID_A, u"Z:", NULL), NR_LEDGER_E_ARG);
    free(image);
}

static void test_add_device_names(void **state)
{
    void *image = new_image(SMALL);
    size_t size = nr_ledger_size(SMALL);
    struct nr_ledger_entry e;

    (void)state;
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"LPT1:", u"\\\\srv\\printer", NULL, 1),
                     NR_LEDGER_OK);
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"LPT2", u"\\\\srv\\printer2", NULL, 1),
                     NR_LEDGER_OK);
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"Q:", u"\\\\srv.corp.example\\s\\sub\\dir",
                                   u"alice@corp.example", 1),
                     NR_LEDGER_OK);
    assert_int_equal(nr_ledger_find_local(image, size, LUID_A, u"lpt1:", &e), NR_LEDGER_OK);
    assert_str16(e.user, u"");
    assert_int_equal(nr_ledger_find_local(image, size, LUID_A, u"q:", &e), NR_LEDGER_OK);
    assert_str16(e.remote, u"\\\\srv.corp.example\\s\\sub\\dir");
    assert_valid(image, size);
    free(image);
}

static void test_add_rejects(void **state)
{
    static const nr_char *const bad_remotes[] = {
        u"",
        u"srv\\share",
        u"\\srv\\share",
        u"\\\\srv",
        u"\\\\srv\\",
        u"\\\\\\share",
        u"\\\\srv\\\\share",
        u"\\\\srv\\share\\",
        u"\\\\srv\\sh\x01re",
        u"//srv/share",
    };
    static const nr_char *const bad_locals[] = { u":", u"Z:\\", u"Z::", u"Z :", u"\\\\Z:", u"Z:x" };
    void *image = sample();
    size_t size = nr_ledger_size(SMALL), i;
    void *copy = malloc(size);
    nr_char longer[NR_LEDGER_REMOTE_CCH + NR_LEDGER_USER_CCH];

    (void)state;
    assert_non_null(copy);
    memcpy(copy, image, size);
    for (i = 0; i < sizeof(bad_remotes) / sizeof(bad_remotes[0]); i++)
        assert_int_equal(nr_ledger_add(image, size, LUID_A, u"X:", bad_remotes[i], NULL, 5),
                         NR_LEDGER_E_ARG);
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"X:", NULL, NULL, 5), NR_LEDGER_E_ARG);
    for (i = 0; i < sizeof(bad_locals) / sizeof(bad_locals[0]); i++)
        assert_int_equal(nr_ledger_add(image, size, LUID_A, bad_locals[i], u"\\\\s\\t", NULL, 5),
                         NR_LEDGER_E_ARG);
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"X:", u"\\\\s\\t", u"bob\x1f", 5),
                     NR_LEDGER_E_ARG);
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"ABCDEFGHIJKLMNOP:", u"\\\\s\\t", NULL, 5),
                     NR_LEDGER_E_TOO_LONG);

    /* A remote of exactly NR_LEDGER_REMOTE_CCH - 1 characters fits, one more does not. */
    longer[0] = longer[1] = '\\';
    for (i = 2; i < NR_LEDGER_REMOTE_CCH; i++)
        longer[i] = 'r';
    longer[5] = '\\';
    longer[NR_LEDGER_REMOTE_CCH] = 0;
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"X:", longer, NULL, 5),
                     NR_LEDGER_E_TOO_LONG);
    assert_memory_equal(image, copy, size); /* refused adds change nothing */
    longer[NR_LEDGER_REMOTE_CCH - 1] = 0;
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"X:", longer, NULL, 5), NR_LEDGER_OK);

    for (i = 0; i < NR_LEDGER_USER_CCH; i++)
        longer[i] = 'u';
    longer[NR_LEDGER_USER_CCH] = 0;
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"W:", u"\\\\s\\t", longer, 5),
                     NR_LEDGER_E_TOO_LONG);
    longer[NR_LEDGER_USER_CCH - 1] = 0;
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"W:", u"\\\\s\\t", longer, 5),
                     NR_LEDGER_OK);
    assert_valid(image, size);
    free(copy);
    free(image);
}

static void test_cancel_local(void **state)
{
    void *image = sample();
    size_t size = nr_ledger_size(SMALL);
    struct nr_ledger_summary sum;

    (void)state;
    assert_int_equal(nr_ledger_cancel_local(image, size, LUID_A, u"z:", 200), NR_LEDGER_OK);
    assert_int_equal(nr_ledger_cancel_local(image, size, LUID_A, u"Z:", 201),
                     NR_LEDGER_E_NOT_FOUND);
    assert_int_equal(nr_ledger_cancel_local(image, size, LUID_A, u"", 201), NR_LEDGER_E_ARG);
    assert_int_equal(nr_ledger_cancel_local(image, size, LUID_A, u"Z:\\", 201), NR_LEDGER_E_ARG);
    assert_valid(image, size);
    assert_int_equal(entry(image, 0)->state, NR_LEDGER_CANCELLED);
    assert_int_equal(entry(image, 0)->time_cancelled, 200);
    assert_int_equal(nr_ledger_summarize(image, size, LUID_A, &sum), NR_LEDGER_OK);
    assert_int_equal(sum.live, 1);
    assert_int_equal(sum.cancelled, 2);
    free(image);
}

static void test_cancel_remote(void **state)
{
    void *image = sample();
    size_t size = nr_ledger_size(SMALL);
    struct nr_ledger_entry e;

    (void)state;
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"X:", u"\\\\srv\\ipc$", NULL, 150),
                     NR_LEDGER_OK);
    /* Cancelling by remote name cancels the deviceless connection only. */
    assert_int_equal(nr_ledger_cancel_remote(image, size, LUID_A, u"\\\\SRV\\IPC$", 200),
                     NR_LEDGER_OK);
    assert_int_equal(entry(image, 1)->state, NR_LEDGER_CANCELLED);
    assert_int_equal(entry(image, 1)->time_cancelled, 200);
    assert_int_equal(nr_ledger_find_local(image, size, LUID_A, u"X:", &e), NR_LEDGER_OK);
    /* \\srv\share is only reachable through Z:: no deviceless entry to cancel. */
    assert_int_equal(nr_ledger_cancel_remote(image, size, LUID_A, u"\\\\srv\\share", 201),
                     NR_LEDGER_E_NOT_FOUND);
    assert_int_equal(nr_ledger_cancel_remote(image, size, LUID_A, u"\\\\srv\\sha", 201),
                     NR_LEDGER_E_NOT_FOUND);
    assert_int_equal(nr_ledger_cancel_remote(image, size, LUID_A, u"srv", 201), NR_LEDGER_E_ARG);
    assert_int_equal(nr_ledger_find_local(image, size, LUID_A, u"Z:", &e), NR_LEDGER_OK);
    assert_valid(image, size);
    free(image);
}

static void test_supersede(void **state)
{
    void *image = sample();
    size_t size = nr_ledger_size(SMALL);
    struct nr_ledger_entry e;
    struct nr_ledger_summary sum;

    (void)state;
    /* Z: connected again (the ledger missed a cancel): the new one counts. */
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"z:", u"\\\\srv2\\x", u"bob", 300),
                     NR_LEDGER_OK);
    assert_int_equal(nr_ledger_find_local(image, size, LUID_A, u"Z:", &e), NR_LEDGER_OK);
    assert_str16(e.remote, u"\\\\srv2\\x");
    assert_int_equal(entry(image, 0)->state, NR_LEDGER_CANCELLED);
    assert_int_equal(entry(image, 0)->time_cancelled, 300);
    /* The same deviceless remote again: one live entry for it. */
    assert_int_equal(nr_ledger_add(image, size, LUID_A, NULL, u"\\\\srv\\IPC$", u"bob", 301),
                     NR_LEDGER_OK);
    assert_int_equal(entry(image, 1)->state, NR_LEDGER_CANCELLED);
    assert_int_equal(nr_ledger_summarize(image, size, LUID_A, &sum), NR_LEDGER_OK);
    assert_int_equal(sum.count, 5);
    assert_int_equal(sum.live, 2);
    assert_int_equal(sum.cancelled, 3);
    assert_int_equal(sum.sequence, 5);
    free(image);
}

static void test_luid_isolation(void **state)
{
    void *image = sample();
    size_t size = nr_ledger_size(SMALL), found = 99;
    struct nr_ledger_entry e;
    struct nr_ledger_summary sum;

    (void)state;
    assert_int_equal(nr_ledger_find_local(image, size, LUID_B, u"Z:", &e), NR_LEDGER_E_NOT_FOUND);
    assert_int_equal(nr_ledger_cancel_local(image, size, LUID_B, u"Z:", 1), NR_LEDGER_E_NOT_FOUND);
    assert_int_equal(nr_ledger_cancel_remote(image, size, LUID_B, u"\\\\srv\\ipc$", 1),
                     NR_LEDGER_E_NOT_FOUND);
    assert_int_equal(nr_ledger_find_server(image, size, LUID_B, u"\\\\srv", NULL, 0, &found),
                     NR_LEDGER_OK);
    assert_int_equal(found, 0);
    /* B's own Z: does not supersede A's. */
    assert_int_equal(nr_ledger_add(image, size, LUID_B, u"Z:", u"\\\\b\\s", u"bob", 1),
                     NR_LEDGER_OK);
    assert_int_equal(nr_ledger_find_local(image, size, LUID_A, u"Z:", &e), NR_LEDGER_OK);
    assert_str16(e.remote, u"\\\\srv\\share");
    assert_int_equal(nr_ledger_find_local(image, size, LUID_B, u"Z:", &e), NR_LEDGER_OK);
    assert_str16(e.remote, u"\\\\b\\s");
    assert_int_equal(nr_ledger_summarize(image, size, LUID_B, &sum), NR_LEDGER_OK);
    assert_int_equal(sum.live, 3);
    assert_int_equal(sum.live_in_session, 1);
    assert_int_equal(nr_ledger_summarize(image, size, LUID_A, &sum), NR_LEDGER_OK);
    assert_int_equal(sum.live_in_session, 2);
    free(image);
}

static void test_find_server(void **state)
{
    void *image = new_image(SMALL);
    size_t size = nr_ledger_size(SMALL), found;
    struct nr_ledger_entry e[4];

    (void)state;
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"Z:", u"\\\\srv\\a", NULL, 1),
                     NR_LEDGER_OK);
    assert_int_equal(nr_ledger_add(image, size, LUID_A, NULL, u"\\\\SRV\\b\\deep", NULL, 2),
                     NR_LEDGER_OK);
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"X:", u"\\\\srvx\\a", NULL, 3),
                     NR_LEDGER_OK);
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"W:", u"\\\\srv.corp\\a", NULL, 4),
                     NR_LEDGER_OK);
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"V:", u"\\\\sr\\a", NULL, 5),
                     NR_LEDGER_OK);
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"U:", u"\\\\srv\\c", NULL, 6),
                     NR_LEDGER_OK);
    assert_int_equal(nr_ledger_cancel_local(image, size, LUID_A, u"U:", 7), NR_LEDGER_OK);
    assert_int_equal(nr_ledger_add(image, size, LUID_B, u"T:", u"\\\\srv\\a", NULL, 8),
                     NR_LEDGER_OK);

    assert_int_equal(nr_ledger_find_server(image, size, LUID_A, u"\\\\srv", e, 4, &found),
                     NR_LEDGER_OK);
    assert_int_equal(found, 2);
    assert_str16(e[0].remote, u"\\\\srv\\a");
    assert_str16(e[1].remote, u"\\\\SRV\\b\\deep");
    assert_int_equal(
        nr_ledger_find_server(image, size, LUID_A, u"\\\\sRv\\any\\path", e, 4, &found),
        NR_LEDGER_OK);
    assert_int_equal(found, 2);
    assert_int_equal(nr_ledger_find_server(image, size, LUID_A, u"\\\\srvx", e, 4, &found),
                     NR_LEDGER_OK);
    assert_int_equal(found, 1);
    assert_str16(e[0].remote, u"\\\\srvx\\a");
    assert_int_equal(nr_ledger_find_server(image, size, LUID_A, u"\\\\srv.corp", e, 4, &found),
                     NR_LEDGER_OK);
    assert_int_equal(found, 1);
    assert_int_equal(nr_ledger_find_server(image, size, LUID_A, u"\\\\s", e, 4, &found),
                     NR_LEDGER_OK);
    assert_int_equal(found, 0);
    /* Folded beyond ASCII, as nr_equal_nocase does for every core match. */
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"S:", u"\\\\s\u00e9rv\\a", NULL, 9),
                     NR_LEDGER_OK);
    assert_int_equal(nr_ledger_find_server(image, size, LUID_A, u"\\\\S\u00c9RV", e, 4, &found),
                     NR_LEDGER_OK);
    assert_int_equal(found, 1);
    /* Fewer slots than matches: copies what fits, counts them all. */
    memset(e, 0, sizeof(e));
    assert_int_equal(nr_ledger_find_server(image, size, LUID_A, u"\\\\srv", e, 1, &found),
                     NR_LEDGER_OK);
    assert_int_equal(found, 2);
    assert_str16(e[0].remote, u"\\\\srv\\a");
    assert_int_equal(e[1].sequence, 0);
    assert_int_equal(nr_ledger_find_server(image, size, LUID_A, u"\\\\srv", NULL, 0, &found),
                     NR_LEDGER_OK);
    assert_int_equal(found, 2);

    assert_int_equal(nr_ledger_find_server(image, size, LUID_A, u"srv", e, 4, &found),
                     NR_LEDGER_E_ARG);
    assert_int_equal(nr_ledger_find_server(image, size, LUID_A, u"\\\\", e, 4, &found),
                     NR_LEDGER_E_ARG);
    assert_int_equal(nr_ledger_find_server(image, size, LUID_A, u"\\\\\\x", e, 4, &found),
                     NR_LEDGER_E_ARG);
    assert_int_equal(nr_ledger_find_server(image, size, LUID_A, NULL, e, 4, &found),
                     NR_LEDGER_E_ARG);
    assert_int_equal(nr_ledger_find_server(image, size, LUID_A, u"\\\\srv", NULL, 1, &found),
                     NR_LEDGER_E_ARG);
    assert_int_equal(nr_ledger_find_server(image, size, LUID_A, u"\\\\srv", e, 4, NULL),
                     NR_LEDGER_E_ARG);
    free(image);
}

static void test_find_server_long_query(void **state)
{
    void *image = sample();
    size_t size = nr_ledger_size(SMALL), found, i;
    nr_char query[NR_LEDGER_REMOTE_CCH + 40];

    (void)state;
    /* A path after the server may be longer than any remote field. */
    memcpy(query, u"\\\\srv\\", 6 * sizeof(nr_char));
    for (i = 6; i < NR_LEDGER_REMOTE_CCH + 39; i++)
        query[i] = 'p';
    query[i] = 0;
    assert_int_equal(nr_ledger_find_server(image, size, LUID_A, query, NULL, 0, &found),
                     NR_LEDGER_OK);
    assert_int_equal(found, 2);
    /* A server name that never ends within the field's bound is too long. */
    for (i = 2; i < NR_LEDGER_REMOTE_CCH + 39; i++)
        query[i] = 's';
    assert_int_equal(nr_ledger_find_server(image, size, LUID_A, query, NULL, 0, &found),
                     NR_LEDGER_E_TOO_LONG);
    free(image);
}

struct walk_log {
    unsigned int visits;
    unsigned int stop_after;
    uint64_t sequences[SMALL];
};

static int visit(void *ctx, const struct nr_ledger_entry *e)
{
    struct walk_log *log = ctx;

    log->sequences[log->visits++] = e->sequence;
    return log->visits == log->stop_after;
}

static void test_walk(void **state)
{
    void *image = sample();
    size_t size = nr_ledger_size(SMALL);
    struct walk_log log = { 0 };

    (void)state;
    assert_int_equal(nr_ledger_walk(image, size, visit, &log), NR_LEDGER_OK);
    assert_int_equal(log.visits, 3);
    assert_int_equal(log.sequences[0], 1);
    assert_int_equal(log.sequences[2], 3);
    memset(&log, 0, sizeof(log));
    log.stop_after = 2;
    assert_int_equal(nr_ledger_walk(image, size, visit, &log), NR_LEDGER_OK);
    assert_int_equal(log.visits, 2);
    assert_int_equal(nr_ledger_walk(image, size, NULL, &log), NR_LEDGER_E_ARG);
    free(image);
}

/* Capacity 4: cancelled slots are reused oldest first, then the oldest live
 * entry goes and the add says so. */
static void test_eviction_order(void **state)
{
    void *image = new_image(4);
    size_t size = nr_ledger_size(4);
    struct nr_ledger_entry e;
    struct nr_ledger_summary sum;

    (void)state;
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"A:", u"\\\\s\\1", NULL, 1), NR_LEDGER_OK);
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"B:", u"\\\\s\\2", NULL, 2), NR_LEDGER_OK);
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"C:", u"\\\\s\\3", NULL, 3), NR_LEDGER_OK);
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"D:", u"\\\\s\\4", NULL, 4), NR_LEDGER_OK);
    assert_int_equal(nr_ledger_cancel_local(image, size, LUID_A, u"C:", 5), NR_LEDGER_OK);
    assert_int_equal(nr_ledger_cancel_local(image, size, LUID_A, u"B:", 6), NR_LEDGER_OK);

    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"E:", u"\\\\s\\5", NULL, 7), NR_LEDGER_OK);
    assert_str16(entry(image, 1)->local, u"E:"); /* B: was the older cancelled one */
    assert_int_equal(entry(image, 2)->state, NR_LEDGER_CANCELLED);
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"F:", u"\\\\s\\6", NULL, 8), NR_LEDGER_OK);
    assert_str16(entry(image, 2)->local, u"F:");

    /* All live now: A: (sequence 1) is the oldest and goes. */
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"G:", u"\\\\s\\7", NULL, 9),
                     NR_LEDGER_EVICTED);
    assert_str16(entry(image, 0)->local, u"G:");
    assert_int_equal(nr_ledger_find_local(image, size, LUID_A, u"A:", &e), NR_LEDGER_E_NOT_FOUND);
    /* Then D: (4), then E: (5). */
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"H:", u"\\\\s\\8", NULL, 10),
                     NR_LEDGER_EVICTED);
    assert_str16(entry(image, 3)->local, u"H:");
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"I:", u"\\\\s\\9", NULL, 11),
                     NR_LEDGER_EVICTED);
    assert_str16(entry(image, 1)->local, u"I:");
    assert_int_equal(nr_ledger_summarize(image, size, LUID_A, &sum), NR_LEDGER_OK);
    assert_int_equal(sum.count, 4);
    assert_int_equal(sum.live, 4);
    assert_int_equal(sum.sequence, 9);
    assert_valid(image, size);
    free(image);
}

static void test_full_ledger(void **state)
{
    void *image = new_image(NR_LEDGER_CAPACITY);
    size_t size = nr_ledger_size(NR_LEDGER_CAPACITY), found;
    nr_char remote[32];
    unsigned int i, evicted = 0;
    int ret;

    (void)state;
    for (i = 0; i < NR_LEDGER_CAPACITY + 44; i++) {
        unsigned int n = i, k = 10;

        memcpy(remote, u"\\\\srv\\s0000000000", 18 * sizeof(nr_char));
        while (n) {
            remote[--k + 7] = (nr_char)('0' + n % 10);
            n /= 10;
        }
        ret = nr_ledger_add(image, size, LUID_A, NULL, remote, u"alice", i);
        assert_true(ret == NR_LEDGER_OK || ret == NR_LEDGER_EVICTED);
        if (ret == NR_LEDGER_EVICTED)
            evicted++;
        assert_int_equal(ret == NR_LEDGER_EVICTED, i >= NR_LEDGER_CAPACITY);
    }
    assert_int_equal(evicted, 44);
    assert_int_equal(nr_ledger_find_server(image, size, LUID_A, u"\\\\srv", NULL, 0, &found),
                     NR_LEDGER_OK);
    assert_int_equal(found, NR_LEDGER_CAPACITY);
    /* The first 44 are gone: entries hold sequences 45 and up. */
    for (i = 0; i < NR_LEDGER_CAPACITY; i++)
        assert_true(entry(image, i)->sequence > 44);
    assert_valid(image, size);
    free(image);
}

static void test_rebuild(void **state)
{
    static const struct nr_ledger_conn conns[] = {
        { u"Z:", u"\\\\srv\\share", u"CORP\\alice" },
        { NULL, u"\\\\srv\\ipc$", NULL },
        { u"Y:", u"not-unc", u"x" },        /* skipped */
        { u"bad:name", u"\\\\a\\b", NULL }, /* skipped */
        { u"X:", u"\\\\other\\data", u"" },
    };
    size_t size = nr_ledger_size(SMALL), skipped = 99, found;
    unsigned char *image = malloc(size);
    struct nr_ledger_entry e;
    struct nr_ledger_summary sum;

    (void)state;
    assert_non_null(image);
    memset(image, 0xff, size); /* what a fresh, garbage section could hold */
    assert_int_equal(nr_ledger_validate(image, size, NULL), NR_LEDGER_E_CORRUPT);
    assert_int_equal(nr_ledger_rebuild(image, size, SMALL, LUID_B, conns, 5, 77, &skipped),
                     NR_LEDGER_OK);
    assert_int_equal(skipped, 2);
    assert_valid(image, size);
    assert_int_equal(nr_ledger_find_local(image, size, LUID_B, u"Z:", &e), NR_LEDGER_OK);
    assert_str16(e.user, u"CORP\\alice");
    assert_int_equal(e.time_added, 77);
    assert_int_equal(nr_ledger_find_server(image, size, LUID_B, u"\\\\srv", NULL, 0, &found),
                     NR_LEDGER_OK);
    assert_int_equal(found, 2);
    assert_int_equal(nr_ledger_summarize(image, size, LUID_B, &sum), NR_LEDGER_OK);
    assert_int_equal(sum.live_in_session, 3);
    assert_int_equal(sum.count, 3);

    /* Rebuilding with nothing empties the ledger. */
    assert_int_equal(nr_ledger_rebuild(image, size, SMALL, LUID_B, NULL, 0, 78, NULL),
                     NR_LEDGER_OK);
    assert_int_equal(nr_ledger_summarize(image, size, LUID_B, &sum), NR_LEDGER_OK);
    assert_int_equal(sum.count, 0);
    assert_int_equal(nr_ledger_rebuild(image, size, SMALL, LUID_B, NULL, 1, 78, NULL),
                     NR_LEDGER_E_ARG);
    assert_int_equal(nr_ledger_rebuild(image, size, SMALL + 1, LUID_B, conns, 1, 78, NULL),
                     NR_LEDGER_E_ARG);
    free(image);
}

/* What each entry vouches for (docs/design.md rule 4): an add is seen, a rebuild
 * is not, except that a device name is always deliberate. */
static void test_origin(void **state)
{
    static const struct nr_ledger_conn conns[] = {
        { u"Z:", u"\\\\srv\\share", u"alice" },
        { NULL, u"\\\\srv\\share2", NULL }, /* an implicit connection, for all it shows */
        { u"", u"\\\\srv\\ipc$", u"alice" },
    };
    size_t size = nr_ledger_size(SMALL), found, i;
    void *image = new_image(SMALL);
    struct nr_ledger_entry e, all[SMALL];

    (void)state;
    assert_int_equal(nr_ledger_add(image, size, LUID_A, NULL, u"\\\\srv\\share2", u"bob", 1),
                     NR_LEDGER_OK);
    assert_int_equal(entry(image, 0)->origin, NR_LEDGER_ADDED);
    assert_true(nr_ledger_vouches(entry(image, 0)));

    assert_int_equal(nr_ledger_rebuild(image, size, SMALL, LUID_A, conns, 3, 2, NULL),
                     NR_LEDGER_OK);
    assert_valid(image, size);
    for (i = 0; i < 3; i++)
        assert_int_equal(entry(image, i)->origin, NR_LEDGER_REBUILT);
    assert_true(nr_ledger_vouches(entry(image, 0)));  /* Z: */
    assert_false(nr_ledger_vouches(entry(image, 1))); /* deviceless, NULL local */
    assert_false(nr_ledger_vouches(entry(image, 2))); /* deviceless, "" local */
    /* Finds still report them: only the vouching is withheld. */
    assert_int_equal(nr_ledger_find_server(image, size, LUID_A, u"\\\\srv", all, SMALL, &found),
                     NR_LEDGER_OK);
    assert_int_equal(found, 3);

    /* An add over a rebuilt deviceless entry supersedes it: now it vouches. */
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"", u"\\\\SRV\\share2", u"bob", 3),
                     NR_LEDGER_OK);
    assert_int_equal(entry(image, 1)->state, NR_LEDGER_CANCELLED);
    assert_false(nr_ledger_vouches(entry(image, 1)));
    assert_int_equal(entry(image, 3)->origin, NR_LEDGER_ADDED);
    assert_true(nr_ledger_vouches(entry(image, 3)));

    /* A cancelled entry vouches for nothing, whatever its origin. */
    assert_int_equal(nr_ledger_cancel_local(image, size, LUID_A, u"Z:", 4), NR_LEDGER_OK);
    assert_int_equal(nr_ledger_find_local(image, size, LUID_A, u"Z:", &e), NR_LEDGER_E_NOT_FOUND);
    assert_false(nr_ledger_vouches(entry(image, 0)));
    assert_valid(image, size);

    /* An origin changed behind the checksum's back is refused. */
    entry(image, 2)->origin = NR_LEDGER_ADDED;
    assert_int_equal(nr_ledger_validate(image, size, NULL), NR_LEDGER_E_CORRUPT);
    free(image);
}

/* One way of breaking a valid image, and the fault it must be caught as. */
struct corruption {
    const char *what;
    void (*apply)(void *image);
    enum nr_ledger_fault fault;
};

static void bad_magic(void *im)
{
    header(im)->magic ^= 0x100;
}
/* An image of version 1, where the origin field was reserved and 0: a
 * process of an older build shares it. Refused, so it is rebuilt. */
static void old_version(void *im)
{
    header(im)->version = 1;
}
static void next_version(void *im)
{
    header(im)->version = NR_LEDGER_VERSION + 1;
}
static void bad_header_size(void *im)
{
    header(im)->header_size = 65;
}
static void bad_entry_size(void *im)
{
    header(im)->entry_size = 1311;
}
static void zero_capacity(void *im)
{
    header(im)->capacity = 0;
}
static void huge_capacity(void *im)
{
    header(im)->capacity = 0xffffffffu;
}
static void capacity_past_size(void *im)
{
    header(im)->capacity = SMALL + 1;
}
static void count_past_capacity(void *im)
{
    header(im)->count = SMALL + 1;
}
static void huge_count(void *im)
{
    header(im)->count = 0x80000000u;
}
static void header_reserved(void *im)
{
    header(im)->reserved[6] = 1;
}
static void origin_zero(void *im)
{
    entry(im, 1)->origin = 0;
}
static void origin_three(void *im)
{
    entry(im, 0)->origin = 3;
}
static void state_zero(void *im)
{
    entry(im, 0)->state = 0;
}
static void state_three(void *im)
{
    entry(im, 2)->state = 3;
}
static void live_cancel_time(void *im)
{
    entry(im, 0)->time_cancelled = 5;
}
static void sequence_zero(void *im)
{
    entry(im, 1)->sequence = 0;
}
static void sequence_future(void *im)
{
    entry(im, 2)->sequence = header(im)->sequence + 1;
}
static void checksum_flip(void *im)
{
    header(im)->checksum ^= 1;
}
static void user_char(void *im)
{
    entry(im, 0)->user[0] = 'D';
}
static void header_sequence(void *im)
{
    header(im)->sequence++;
}
static void time_changed(void *im)
{
    entry(im, 2)->time_added++;
}
static void luid_changed(void *im)
{
    entry(im, 1)->luid ^= 1;
}

static void fill(nr_char *field, size_t cch, nr_char c)
{
    size_t i;

    for (i = 0; i < cch; i++)
        field[i] = c;
}

static void local_unterminated(void *im)
{
    fill(entry(im, 0)->local, NR_LEDGER_LOCAL_CCH, 'A');
}
static void remote_unterminated(void *im)
{
    fill(entry(im, 0)->remote, NR_LEDGER_REMOTE_CCH, 'r');
}
static void user_unterminated(void *im)
{
    fill(entry(im, 1)->user, NR_LEDGER_USER_CCH, 'u');
}
static void remote_tail(void *im)
{
    entry(im, 0)->remote[NR_LEDGER_REMOTE_CCH - 1] = 'x';
}
static void local_tail(void *im)
{
    entry(im, 1)->local[5] = 'x';
}
static void remote_not_unc(void *im)
{
    entry(im, 0)->remote[0] = 'x';
}
static void remote_server_only(void *im)
{
    fill(entry(im, 0)->remote + 5, NR_LEDGER_REMOTE_CCH - 5, 0);
}
static void remote_control(void *im)
{
    entry(im, 2)->remote[3] = 0x07;
}
static void local_bad(void *im)
{
    entry(im, 0)->local[1] = '\\';
}
static void user_control(void *im)
{
    entry(im, 0)->user[2] = '\n';
}

static const struct corruption corruptions[] = {
    { "magic", bad_magic, NR_LEDGER_FAULT_MAGIC },
    { "version 1", old_version, NR_LEDGER_FAULT_VERSION },
    { "version ahead", next_version, NR_LEDGER_FAULT_VERSION },
    { "header size", bad_header_size, NR_LEDGER_FAULT_LAYOUT },
    { "entry size", bad_entry_size, NR_LEDGER_FAULT_LAYOUT },
    { "capacity 0", zero_capacity, NR_LEDGER_FAULT_CAPACITY },
    { "capacity huge", huge_capacity, NR_LEDGER_FAULT_CAPACITY },
    { "capacity past size", capacity_past_size, NR_LEDGER_FAULT_SIZE },
    { "count > capacity", count_past_capacity, NR_LEDGER_FAULT_COUNT },
    { "count huge", huge_count, NR_LEDGER_FAULT_COUNT },
    { "header reserved", header_reserved, NR_LEDGER_FAULT_RESERVED },
    { "origin 0", origin_zero, NR_LEDGER_FAULT_ORIGIN },
    { "origin 3", origin_three, NR_LEDGER_FAULT_ORIGIN },
    { "state 0", state_zero, NR_LEDGER_FAULT_STATE },
    { "state 3", state_three, NR_LEDGER_FAULT_STATE },
    { "live with cancel time", live_cancel_time, NR_LEDGER_FAULT_STATE },
    { "sequence 0", sequence_zero, NR_LEDGER_FAULT_SEQUENCE },
    { "sequence from the future", sequence_future, NR_LEDGER_FAULT_SEQUENCE },
    { "local unterminated", local_unterminated, NR_LEDGER_FAULT_STRING },
    { "remote unterminated", remote_unterminated, NR_LEDGER_FAULT_STRING },
    { "user unterminated", user_unterminated, NR_LEDGER_FAULT_STRING },
    { "remote not zero-filled", remote_tail, NR_LEDGER_FAULT_STRING },
    { "local not zero-filled", local_tail, NR_LEDGER_FAULT_STRING },
    { "remote not UNC", remote_not_unc, NR_LEDGER_FAULT_STRING },
    { "remote server only", remote_server_only, NR_LEDGER_FAULT_STRING },
    { "remote control char", remote_control, NR_LEDGER_FAULT_STRING },
    { "local ill-formed", local_bad, NR_LEDGER_FAULT_STRING },
    { "user control char", user_control, NR_LEDGER_FAULT_STRING },
    { "checksum", checksum_flip, NR_LEDGER_FAULT_CHECKSUM },
    { "user changed", user_char, NR_LEDGER_FAULT_CHECKSUM },
    { "header sequence changed", header_sequence, NR_LEDGER_FAULT_CHECKSUM },
    { "time changed", time_changed, NR_LEDGER_FAULT_CHECKSUM },
    { "luid changed", luid_changed, NR_LEDGER_FAULT_CHECKSUM },
};

static int never(void *ctx, const struct nr_ledger_entry *e)
{
    (void)e;
    ++*(int *)ctx;
    return 0;
}

/* A corrupt image: every operation refuses it and leaves it as it is. */
static void assert_refused(void *image, size_t size)
{
    void *copy = malloc(size ? size : 1);
    struct nr_ledger_entry e;
    struct nr_ledger_summary sum;
    size_t found;
    int visits = 0;

    assert_non_null(copy);
    memcpy(copy, image, size);
    assert_int_equal(nr_ledger_add(image, size, LUID_A, u"Q:", u"\\\\q\\q", NULL, 9),
                     NR_LEDGER_E_CORRUPT);
    assert_int_equal(nr_ledger_cancel_local(image, size, LUID_A, u"Z:", 9), NR_LEDGER_E_CORRUPT);
    assert_int_equal(nr_ledger_cancel_remote(image, size, LUID_A, u"\\\\srv\\ipc$", 9),
                     NR_LEDGER_E_CORRUPT);
    assert_int_equal(nr_ledger_find_local(image, size, LUID_A, u"Z:", &e), NR_LEDGER_E_CORRUPT);
    assert_int_equal(nr_ledger_find_server(image, size, LUID_A, u"\\\\srv", &e, 1, &found),
                     NR_LEDGER_E_CORRUPT);
    assert_int_equal(nr_ledger_walk(image, size, never, &visits), NR_LEDGER_E_CORRUPT);
    assert_int_equal(visits, 0);
    assert_int_equal(nr_ledger_summarize(image, size, LUID_A, &sum), NR_LEDGER_E_CORRUPT);
    assert_memory_equal(image, copy, size);
    free(copy);
}

/* Which connection an entry is (nr_ledger_entry_names): a drive by its
 * local name alone, a deviceless one by its remote name, never the one for
 * the other. The sample's entry 0 is Z: -> \\srv\share, entry 1
 * deviceless -> \\srv\ipc$. */
static void test_entry_names(void **state)
{
    static const nr_char too_long[] = u"LPT1234567890123:";
    void *image = sample();
    const struct nr_ledger_entry *z = entry(image, 0), *ipc = entry(image, 1);

    (void)state;
    assert_true(nr_ledger_entry_names(z, u"z:", u"\\\\elsewhere\\x"));
    assert_true(nr_ledger_entry_names(z, u"Z:", NULL));
    assert_false(nr_ledger_entry_names(z, u"Y:", u"\\\\srv\\share"));
    assert_false(nr_ledger_entry_names(z, NULL, u"\\\\srv\\share"));
    assert_false(nr_ledger_entry_names(z, u"", u"\\\\srv\\share"));
    assert_true(nr_ledger_entry_names(ipc, NULL, u"\\\\SRV\\IPC$"));
    assert_true(nr_ledger_entry_names(ipc, u"", u"\\\\srv\\ipc$"));
    assert_false(nr_ledger_entry_names(ipc, u"X:", u"\\\\srv\\ipc$"));
    assert_false(nr_ledger_entry_names(ipc, NULL, u"\\\\srv\\ipc$\\dir"));
    assert_false(nr_ledger_entry_names(ipc, NULL, NULL));
    /* Longer than the field: no entry can be it, whatever it begins with. */
    assert_true(len16(too_long) >= NR_LEDGER_LOCAL_CCH);
    memcpy(entry(image, 0)->local, too_long, (NR_LEDGER_LOCAL_CCH - 1) * sizeof(nr_char));
    assert_false(nr_ledger_entry_names(z, too_long, NULL));
    free(image);
}

static void test_corruptions(void **state)
{
    size_t size = nr_ledger_size(SMALL), i;
    enum nr_ledger_fault fault;

    (void)state;
    for (i = 0; i < sizeof(corruptions) / sizeof(corruptions[0]); i++) {
        void *image = sample();

        print_message("corruption: %s\n", corruptions[i].what);
        corruptions[i].apply(image);
        assert_int_equal(nr_ledger_validate(image, size, &fault), NR_LEDGER_E_CORRUPT);
        assert_int_equal(fault, corruptions[i].fault);
        assert_refused(image, size);
        free(image);
    }
}

static void test_truncated(void **state)
{
    static const size_t sizes[] = { 0, 1, 4, 63, 64, 65, 64 + 1312, 64 + 3 * 1312 };
    void *image = sample();
    size_t full = nr_ledger_size(SMALL), i;
    enum nr_ledger_fault fault;

    (void)state;
    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        void *part = malloc(sizes[i] ? sizes[i] : 1);

        assert_non_null(part);
        memcpy(part, image, sizes[i]);
        assert_int_equal(nr_ledger_validate(part, sizes[i], &fault), NR_LEDGER_E_CORRUPT);
        assert_int_equal(fault, NR_LEDGER_FAULT_SIZE);
        assert_refused(part, sizes[i]);
        free(part);
    }
    assert_int_equal(nr_ledger_validate(image, full - 1, &fault), NR_LEDGER_E_CORRUPT);
    assert_int_equal(fault, NR_LEDGER_FAULT_SIZE);
    assert_int_equal(nr_ledger_validate(NULL, full, &fault), NR_LEDGER_E_CORRUPT);
    assert_int_equal(fault, NR_LEDGER_FAULT_SIZE);
    assert_int_equal(nr_ledger_validate(image, full, NULL), NR_LEDGER_OK);
    free(image);
}

static void test_misaligned(void **state)
{
    size_t size = nr_ledger_size(SMALL);
    void *image = sample();
    unsigned char *block = malloc(size + 8);
    enum nr_ledger_fault fault;

    (void)state;
    assert_non_null(block);
    memcpy(block + 4, image, size);
    assert_int_equal(nr_ledger_validate(block + 4, size, &fault), NR_LEDGER_E_CORRUPT);
    assert_int_equal(fault, NR_LEDGER_FAULT_ALIGN);
    assert_refused(block + 4, size);
    free(block);
    free(image);
}

static void test_uniform_bytes(void **state)
{
    size_t size = nr_ledger_size(SMALL);
    unsigned char *image = malloc(size);
    enum nr_ledger_fault fault;

    (void)state;
    assert_non_null(image);
    memset(image, 0xff, size);
    assert_int_equal(nr_ledger_validate(image, size, &fault), NR_LEDGER_E_CORRUPT);
    assert_int_equal(fault, NR_LEDGER_FAULT_MAGIC);
    assert_refused(image, size);
    memset(image, 0, size);
    assert_int_equal(nr_ledger_validate(image, size, &fault), NR_LEDGER_E_CORRUPT);
    assert_int_equal(fault, NR_LEDGER_FAULT_MAGIC);
    free(image);
}

/* Every single-bit change to the header or a used entry is caught. */
static void test_bit_flips(void **state)
{
    size_t size = nr_ledger_size(SMALL), used, bit;
    unsigned char *image = sample();

    (void)state;
    used = sizeof(struct nr_ledger_header) + header(image)->count * sizeof(struct nr_ledger_entry);
    for (bit = 0; bit < used * 8; bit++) {
        image[bit / 8] ^= (unsigned char)(1u << bit % 8);
        assert_int_equal(nr_ledger_validate(image, size, NULL), NR_LEDGER_E_CORRUPT);
        image[bit / 8] ^= (unsigned char)(1u << bit % 8);
    }
    assert_valid(image, size);
    /* Slots past count are not part of the ledger. */
    image[used + 100] ^= 1;
    assert_valid(image, size);
    free(image);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 32);
}

/* Random bytes and sizes, then random entries behind a plausible header:
 * all refused, none read out of bounds (ASan watches the exact blocks). */
static void test_random_bytes(void **state)
{
    size_t full = nr_ledger_size(SMALL), i, j;
    enum nr_ledger_fault fault;

    (void)state;
    for (i = 0; i < 2000; i++) {
        size_t size = (i % 2) ? rng() % (full + 64) : rng() % 200;
        unsigned char *image = malloc(size ? size : 1);

        assert_non_null(image);
        for (j = 0; j < size; j++)
            image[j] = (unsigned char)rng();
        if (i % 3 == 0 && size >= sizeof(struct nr_ledger_header)) {
            header(image)->magic = NR_LEDGER_MAGIC;
            header(image)->version = NR_LEDGER_VERSION;
            header(image)->header_size = sizeof(struct nr_ledger_header);
            header(image)->entry_size = sizeof(struct nr_ledger_entry);
            header(image)->capacity = 1 + rng() % SMALL;
            header(image)->count = rng() % (SMALL + 2);
            memset(header(image)->reserved, 0, sizeof(header(image)->reserved));
        }
        assert_int_equal(nr_ledger_validate(image, size, &fault), NR_LEDGER_E_CORRUPT);
        assert_int_not_equal(fault, NR_LEDGER_FAULT_NONE);
        free(image);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_init),
        cmocka_unit_test(test_add_find_local),
        cmocka_unit_test(test_add_device_names),
        cmocka_unit_test(test_add_rejects),
        cmocka_unit_test(test_cancel_local),
        cmocka_unit_test(test_cancel_remote),
        cmocka_unit_test(test_supersede),
        cmocka_unit_test(test_luid_isolation),
        cmocka_unit_test(test_find_server),
        cmocka_unit_test(test_find_server_long_query),
        cmocka_unit_test(test_walk),
        cmocka_unit_test(test_eviction_order),
        cmocka_unit_test(test_full_ledger),
        cmocka_unit_test(test_rebuild),
        cmocka_unit_test(test_origin),
        cmocka_unit_test(test_entry_names),
        cmocka_unit_test(test_corruptions),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_misaligned),
        cmocka_unit_test(test_uniform_bytes),
        cmocka_unit_test(test_bit_flips),
        cmocka_unit_test(test_random_bytes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
