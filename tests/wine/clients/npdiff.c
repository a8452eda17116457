/* npdiff.exe: the second level of the differential test. Loads two network
 * provider DLLs side by side and calls every NP entry point of both with the
 * same inputs, comparing return codes, last errors, out-buffers and sizes,
 * and how many times each case reached the model (its call log).
 *
 *   npdiff [--same-calls] <A.dll> <B.dll>
 *
 * Both DLLs drive the one shared model state (netreclaim.dll forwards to
 * nrmodel.dll), so each case runs against A, then against B, from a reset
 * state, and leaves nothing connected. Per case and per entry, the model
 * must log as many calls through B as through A (rule 1: exactly once).
 * Without --same-calls, the entries netreclaim also calls for its own
 * purposes (OWN_CALLS) may be logged more often through B, never less; with
 * it (netreclaim in Mode=off, where it makes no call of its own) every
 * entry must match. Every entry of provider/entries.h must be reached by
 * some case, through A and through B. Prints every case, a coverage line
 * per entry, and finally "npdiff: N cases, M differences"; exits 1 on any
 * difference or an entry left uncovered, 2 on a usage or load error. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "np_decl.h"
#include "entries.h"
#include "model/logread.h"
#include "model/model.h"
#include "print.h"

struct np {
    const WCHAR *path;
    HMODULE module;
    PF_NPGetCaps GetCaps;
    PF_NPAddConnection AddConnection;
    PF_NPAddConnection3 AddConnection3;
    PF_NPAddConnection4 AddConnection4;
    PF_NPCancelConnection CancelConnection;
    PF_NPCancelConnection2 CancelConnection2;
    PF_NPGetConnection GetConnection;
    PF_NPGetConnection3 GetConnection3;
    PF_NPGetConnectionPerformance GetConnectionPerformance;
    PF_NPGetUniversalName GetUniversalName;
    PF_NPGetUser GetUser;
    PF_NPOpenEnum OpenEnum;
    PF_NPEnumResource EnumResource;
    PF_NPCloseEnumW CloseEnum;
    PF_NPGetResourceInformation GetResourceInformation;
    PF_NPGetResourceParent GetResourceParent;
    PF_NPFormatNetworkName FormatNetworkName;
    PF_NPGetPersistentUseOptionsForConnection GetPersistentUseOptionsForConnection;
    PF_NPGetReconnectFlags GetReconnectFlags;
    /* No public prototype: the model's shape (model.h). */
    PF_NrmodelGetPersistentUseOptionsForConnection2 GetPersistentUseOptionsForConnection2;
};

/* The stock entries netreclaim calls for its own purposes outside Mode=off
 * (provider/stock.c): resolving a local name before a cancel, listing the
 * connections and their users (reclaim, ledger rebuild), cancelling idle
 * deviceless connections without force. */
static const char *const own_calls[] = { "NPGetConnection",    "NPGetUser",   "NPOpenEnum",
                                         "NPEnumResource",     "NPCloseEnum", "NPCancelConnection",
                                         "NPCancelConnection2" };

/* The text a case produced: compared between A and B. */
static char out[65536];
static size_t out_len;

static void emit(const char *fmt, ...)
{
    va_list args;
    int n;

    va_start(args, fmt);
    n = vsnprintf(out + out_len, sizeof(out) - out_len, fmt, args);
    va_end(args);
    if (n > 0)
        out_len = out_len + n < sizeof(out) ? out_len + n : sizeof(out) - 1;
}

/* A provider lacking an entry point answers WN_NOT_SUPPORTED (docs/design.md rule 1). */
#define CALL(p, fn, ...) ((p)->fn ? (p)->fn(__VA_ARGS__) : WN_NOT_SUPPORTED)

static void result(DWORD rc)
{
    DWORD last = GetLastError();

    emit(" -> %lu %s last=%lu", rc, err_name(rc), last);
}

static void str_out(const char *label, const WCHAR *s, const void *base, DWORD size)
{
    const BYTE *p = (const BYTE *)s, *b = base;

    if (!s)
        emit(" %s=null", label);
    else if (b && p >= b && p < b + size)
        emit(" %s=\"%ls\"@%u", label, s, (unsigned)(p - b));
    else
        emit(" %s=\"%ls\"@ext", label, s);
}

static void netres_out(const NETRESOURCEW *r, const void *base, DWORD size)
{
    emit("  res scope=%lu type=%lu display=%lu usage=0x%lx", r->dwScope, r->dwType,
         r->dwDisplayType, r->dwUsage);
    str_out("local", r->lpLocalName, base, size);
    str_out("remote", r->lpRemoteName, base, size);
    str_out("comment", r->lpComment, base, size);
    str_out("provider", r->lpProvider, base, size);
    emit("\n");
}

static BYTE buf[8192];

static void clear(void)
{
    memset(buf, 0xcc, sizeof(buf));
    SetLastError(0xdeadbeef);
}

static void reset_state(void)
{
    HANDLE m = CreateMutexW(NULL, FALSE, NRMODEL_MUTEX);

    if (m)
        WaitForSingleObject(m, 10000);
    DeleteFileW(NRMODEL_STATE);
    if (m) {
        ReleaseMutex(m);
        CloseHandle(m);
    }
}

/* ---- the calls, each printed canonically ---- */

static DWORD add3(const struct np *p, const WCHAR *local, const WCHAR *remote, const WCHAR *user,
                  const WCHAR *password)
{
    NETRESOURCEW res = { 0 };
    DWORD rc;

    res.dwType = RESOURCETYPE_DISK;
    res.lpLocalName = (WCHAR *)local;
    res.lpRemoteName = (WCHAR *)remote;
    emit("NPAddConnection3 local=%ls remote=%ls user=%ls", local ? local : L"null",
         remote ? remote : L"null", user ? user : L"null");
    clear();
    rc = CALL(p, AddConnection3, NULL, &res, (WCHAR *)password, (WCHAR *)user, 0);
    result(rc);
    emit("\n");
    return rc;
}

static void add1(const struct np *p, const WCHAR *local, const WCHAR *remote, const WCHAR *user)
{
    NETRESOURCEW res = { 0 };

    res.dwType = RESOURCETYPE_DISK;
    res.lpLocalName = (WCHAR *)local;
    res.lpRemoteName = (WCHAR *)remote;
    emit("NPAddConnection local=%ls remote=%ls user=%ls", local ? local : L"null", remote,
         user ? user : L"null");
    clear();
    result(CALL(p, AddConnection, &res, NULL, (WCHAR *)user));
    emit("\n");
}

static void add4(const struct np *p, const WCHAR *local, const WCHAR *remote)
{
    NETRESOURCEW res = { 0 };

    res.dwType = RESOURCETYPE_DISK;
    res.lpLocalName = (WCHAR *)local;
    res.lpRemoteName = (WCHAR *)remote;
    emit("NPAddConnection4 local=%ls remote=%ls", local ? local : L"null", remote);
    clear();
    result(CALL(p, AddConnection4, NULL, &res, NULL, 0, 0, NULL, 0));
    emit("\n");
}

static void cancel(const struct np *p, const WCHAR *name, BOOL force, int api)
{
    emit("NPCancelConnection%s name=%ls force=%d", api == 2 ? "2" : "", name, force);
    clear();
    if (api == 2)
        result(CALL(p, CancelConnection2, (WCHAR *)name, force, 0));
    else
        result(CALL(p, CancelConnection, (WCHAR *)name, force));
    emit("\n");
}

/* Sizes: 0 with a NULL buffer, then 1, then exact-1, then big. */
static const DWORD char_sizes[] = { 0, 1, 11, 12, 260 };

static void get_connection(const struct np *p, const WCHAR *local)
{
    size_t i;

    for (i = 0; i < ARRAYSIZE(char_sizes); i++) {
        DWORD len = char_sizes[i], rc;
        emit("NPGetConnection local=%ls len=%lu", local, len);
        clear();
        rc = CALL(p, GetConnection, (WCHAR *)local, len ? (WCHAR *)buf : NULL, &len);
        result(rc);
        emit(" len=%lu", len);
        if (rc == WN_SUCCESS)
            emit(" remote=\"%ls\"", (WCHAR *)buf);
        emit("\n");
    }
}

static void get_connection3(const struct np *p, const WCHAR *local)
{
    static const DWORD levels[] = { 1, 1, 2 }, sizes[] = { 2, 4, 4 };
    size_t i;

    for (i = 0; i < ARRAYSIZE(levels); i++) {
        DWORD size = sizes[i], rc;
        emit("NPGetConnection3 local=%ls level=%lu size=%lu", local, levels[i], size);
        clear();
        rc = CALL(p, GetConnection3, local, levels[i], buf, &size);
        result(rc);
        emit(" size=%lu", size);
        if (rc == WN_SUCCESS)
            emit(" state=%lu", *(DWORD *)buf);
        emit("\n");
    }
}

static void get_user(const struct np *p, const WCHAR *name)
{
    static const DWORD sizes[] = { 0, 2, 64 };
    size_t i;

    for (i = 0; i < ARRAYSIZE(sizes); i++) {
        DWORD len = sizes[i], rc;
        emit("NPGetUser name=%ls len=%lu", name ? name : L"null", len);
        clear();
        rc = CALL(p, GetUser, (WCHAR *)name, len ? (WCHAR *)buf : NULL, &len);
        result(rc);
        emit(" len=%lu", len);
        if (rc == WN_SUCCESS)
            emit(" user=\"%ls\"", (WCHAR *)buf);
        emit("\n");
    }
}

static void universal(const struct np *p, const WCHAR *path)
{
    static const DWORD levels[] = { UNIVERSAL_NAME_INFO_LEVEL, REMOTE_NAME_INFO_LEVEL, 3 };
    static const DWORD sizes[] = { 0, 8, 40, 1024 };
    size_t l, i;

    for (l = 0; l < ARRAYSIZE(levels); l++)
        for (i = 0; i < ARRAYSIZE(sizes); i++) {
            DWORD size = sizes[i], rc;
            emit("NPGetUniversalName path=%ls level=%lu size=%lu", path, levels[l], size);
            clear();
            rc = CALL(p, GetUniversalName, (WCHAR *)path, levels[l], size ? buf : NULL, &size);
            result(rc);
            emit(" size=%lu", size);
            if (rc == WN_SUCCESS && levels[l] == UNIVERSAL_NAME_INFO_LEVEL)
                str_out("universal", ((UNIVERSAL_NAME_INFOW *)buf)->lpUniversalName, buf,
                        sizeof(buf));
            else if (rc == WN_SUCCESS && levels[l] == REMOTE_NAME_INFO_LEVEL) {
                REMOTE_NAME_INFOW *info = (REMOTE_NAME_INFOW *)buf;
                str_out("universal", info->lpUniversalName, buf, sizeof(buf));
                str_out("connection", info->lpConnectionName, buf, sizeof(buf));
                str_out("remaining", info->lpRemainingPath, buf, sizeof(buf));
            }
            emit("\n");
        }
}

static void performance(const struct np *p, const WCHAR *name)
{
    NETCONNECTINFOSTRUCT info;
    DWORD rc;

    memset(&info, 0, sizeof(info));
    info.cbStructure = sizeof(info);
    emit("NPGetConnectionPerformance name=%ls", name);
    clear();
    rc = CALL(p, GetConnectionPerformance, name, &info);
    result(rc);
    if (rc == WN_SUCCESS)
        emit(" flags=0x%lx speed=%lu delay=%lu opt=%lu", info.dwFlags, info.dwSpeed, info.dwDelay,
             info.dwOptDataSize);
    emit("\n");
}

static void use_options(const struct np *p, const WCHAR *name)
{
    DWORD size = 64, rc;

    emit("NPGetPersistentUseOptionsForConnection name=%ls", name);
    clear();
    rc = CALL(p, GetPersistentUseOptionsForConnection, (WCHAR *)name, NULL, 0, buf, &size);
    result(rc);
    emit(" size=%lu\n", size);
}

/* Through the thunk: every argument matters to the model (it echoes the
 * read options into the write buffer), so each one must arrive intact. */
static void use_options2(const struct np *p, const WCHAR *name, DWORD cb_read, DWORD cb_write)
{
    static const BYTE options[] = { 0x4e, 0x52, 0x01, 0x00, 0x02, 0x00, 0x00, 0x80, 0xff, 0x7f };
    DWORD size = cb_write, rc, i;

    emit("NPGetPersistentUseOptionsForConnection2 name=%ls read=%lu write=%lu",
         name ? name : L"null", cb_read, cb_write);
    clear();
    rc = CALL(p, GetPersistentUseOptionsForConnection2, (WCHAR *)name,
              cb_read ? (BYTE *)options : NULL, cb_read, buf, &size);
    result(rc);
    emit(" size=%lu bytes=", size);
    for (i = 0; i < cb_write && i < 16; i++)
        emit("%02x", buf[i]);
    emit("\n");
}

static void reconnect_flags(const struct np *p, const WCHAR *local)
{
    DWORD rc;

    emit("NPGetReconnectFlags local=%ls", local ? local : L"null");
    clear();
    rc = CALL(p, GetReconnectFlags, (WCHAR *)local, buf);
    result(rc);
    emit(" flags=0x%02x\n", buf[0]);
}

static void enumerate(const struct np *p, DWORD scope, const WCHAR *remote, DWORD size, DWORD count)
{
    NETRESOURCEW start = { 0 };
    HANDLE h = NULL;
    DWORD rc, i, round, n, sz;

    start.lpRemoteName = (WCHAR *)remote;
    start.dwUsage = RESOURCEUSAGE_CONTAINER;
    emit("NPOpenEnum scope=%lu remote=%ls", scope, remote ? remote : L"null");
    clear();
    rc = CALL(p, OpenEnum, scope, RESOURCETYPE_ANY, 0, remote ? &start : NULL, &h);
    result(rc);
    emit(" handle=%s\n", h ? "set" : "null");
    if (rc != WN_SUCCESS)
        return;
    for (round = 0; round < 16; round++) {
        n = count;
        sz = size;
        emit("NPEnumResource count=%ld size=%lu", (long)n, sz);
        clear();
        rc = CALL(p, EnumResource, h, &n, buf, &sz);
        result(rc);
        emit(" count=%lu size=%lu\n", rc == WN_SUCCESS ? n : 0, sz);
        if (rc == WN_SUCCESS)
            for (i = 0; i < n; i++)
                netres_out((NETRESOURCEW *)buf + i, buf, size);
        if (rc != WN_SUCCESS && !(rc == WN_MORE_DATA && round == 0))
            break;
        if (rc == WN_MORE_DATA)
            size = sz; /* retry once with what it asked for */
    }
    emit("NPCloseEnum");
    clear();
    result(CALL(p, CloseEnum, h));
    emit("\n");
}

static void resource(const struct np *p, const WCHAR *remote, BOOL parent)
{
    static const DWORD sizes[] = { 0, 16, 1024 };
    NETRESOURCEW res = { 0 };
    WCHAR *system;
    size_t i;

    res.lpRemoteName = (WCHAR *)remote;
    res.dwType = RESOURCETYPE_ANY;
    for (i = 0; i < ARRAYSIZE(sizes); i++) {
        DWORD size = sizes[i], rc;
        system = (WCHAR *)(ULONG_PTR)1; /* sentinel: did it get set? */
        emit("%s remote=%ls size=%lu", parent ? "NPGetResourceParent" : "NPGetResourceInformation",
             remote, size);
        clear();
        if (parent)
            rc = CALL(p, GetResourceParent, &res, size ? buf : NULL, &size);
        else
            rc = CALL(p, GetResourceInformation, &res, size ? buf : NULL, &size, &system);
        result(rc);
        emit(" size=%lu", size);
        if (rc == WN_SUCCESS && !parent)
            str_out("system", system, buf, sizeof(buf));
        emit("\n");
        if (rc == WN_SUCCESS)
            netres_out((NETRESOURCEW *)buf, buf, sizeof(buf));
    }
}

static void format(const struct np *p, const WCHAR *remote, DWORD flags)
{
    static const DWORD sizes[] = { 0, 3, 64 };
    size_t i;

    for (i = 0; i < ARRAYSIZE(sizes); i++) {
        DWORD len = sizes[i], rc;
        emit("NPFormatNetworkName remote=%ls flags=0x%lx len=%lu", remote, flags, len);
        clear();
        rc =
            CALL(p, FormatNetworkName, (WCHAR *)remote, len ? (WCHAR *)buf : NULL, &len, flags, 40);
        result(rc);
        emit(" len=%lu", len);
        if (rc == WN_SUCCESS)
            emit(" name=\"%ls\"", (WCHAR *)buf);
        emit("\n");
    }
}

/* ---- the cases ---- */

static void case_caps(const struct np *p)
{
    DWORD i;

    for (i = 0; i <= 16; i++) {
        clear();
        emit("NPGetCaps index=%lu -> 0x%lx\n", i, CALL(p, GetCaps, i));
    }
}

static void case_local(const struct np *p)
{
    add3(p, L"Q:", L"\\\\srv\\share", L"alice", L"pw");
    get_connection(p, L"Q:");
    get_connection(p, L"P:");
    get_connection3(p, L"Q:");
    get_connection3(p, L"P:");
    get_user(p, L"Q:");
    get_user(p, L"\\\\srv\\share");
    get_user(p, L"P:");
    universal(p, L"Q:\\dir\\g.txt");
    universal(p, L"Q:");
    universal(p, L"P:\\x");
    performance(p, L"Q:");
    performance(p, L"\\\\srv\\other");
    use_options(p, L"\\\\srv\\share");
    use_options(p, L"\\\\srv\\other");
    use_options2(p, L"\\\\srv\\share", 10, 64);
    use_options2(p, L"\\\\srv\\share", 10, 4); /* too small: the size it needs */
    use_options2(p, L"\\\\srv\\share", 0, 64);
    use_options2(p, L"Q:", 3, 3);
    use_options2(p, L"\\\\srv\\other", 10, 64);
    use_options2(p, NULL, 10, 64);
    reconnect_flags(p, L"Q:");
    reconnect_flags(p, L"P:");
    reconnect_flags(p, L"\\\\srv\\share");
    reconnect_flags(p, NULL);
    add3(p, L"Q:", L"\\\\srv\\other", L"alice", NULL); /* Q: in use */
    add3(p, L"R:", L"\\\\srv\\other", L"alice", NULL); /* same user, same server */
    cancel(p, L"R:", FALSE, 1);
    cancel(p, L"Q:", FALSE, 1);
    cancel(p, L"Q:", FALSE, 1); /* not connected any more */
}

static void case_bad_names(const struct np *p)
{
    static const WCHAR *remotes[] = { L"",
                                      L"srv",
                                      L"\\\\srv",
                                      L"\\\\srv\\",
                                      L"\\\\srv\\share\\dir",
                                      L"\\\\nosrv\\share",
                                      L"\\\\srv\\noshare",
                                      L"\\\\locked\\share",
                                      L"//srv/share" };
    size_t i;

    for (i = 0; i < ARRAYSIZE(remotes); i++)
        add3(p, L"Q:", remotes[i], L"alice", NULL);
    add3(p, L"Q:", L"\\\\srv\\share", L"alice", L"wrong");
    add3(p, L"QQ", L"\\\\srv\\share", L"alice", NULL);
    add3(p, L"C:", L"\\\\srv\\share", L"alice", NULL);
    add1(p, L"Q:", L"\\\\nosrv\\share", L"alice");
    add4(p, L"Q:", L"\\\\srv\\noshare");
}

static void case_other_apis(const struct np *p)
{
    add1(p, L"Q:", L"\\\\srv\\share", L"alice");
    get_connection(p, L"Q:");
    cancel(p, L"Q:", FALSE, 2);
    add4(p, L"Q:", L"\\\\srv\\share");
    get_user(p, L"Q:");
    cancel(p, L"Q:", TRUE, 2);
    cancel(p, L"Q:", TRUE, 2);
}

static void case_deviceless_enum(const struct np *p)
{
    add3(p, NULL, L"\\\\srv\\share", L"alice", NULL);
    add3(p, NULL, L"\\\\srv\\share", L"alice", NULL); /* the same use again */
    add3(p, L"Q:", L"\\\\srv\\other", L"alice", NULL);
    get_user(p, L"\\\\srv\\share");
    enumerate(p, RESOURCE_CONNECTED, NULL, 8192, (DWORD)-1);
    enumerate(p, RESOURCE_CONNECTED, NULL, 8192, 1);
    enumerate(p, RESOURCE_CONNECTED, NULL, 40, (DWORD)-1); /* MORE_DATA, then the size */
    enumerate(p, RESOURCE_GLOBALNET, L"\\\\srv", 8192, (DWORD)-1);
    enumerate(p, RESOURCE_GLOBALNET, L"\\\\nosrv", 8192, (DWORD)-1);
    enumerate(p, RESOURCE_GLOBALNET, NULL, 8192, (DWORD)-1);
    enumerate(p, RESOURCE_CONTEXT, NULL, 8192, (DWORD)-1);
    cancel(p, L"\\\\srv\\other", FALSE, 1); /* only Q: uses it: not deviceless */
    cancel(p, L"\\\\srv\\share", FALSE, 1);
    cancel(p, L"Q:", FALSE, 1);
    enumerate(p, RESOURCE_CONNECTED, NULL, 8192, (DWORD)-1);
}

static void case_conflict(const struct np *p)
{
    add3(p, L"Q:", L"\\\\srv\\share", L"alice", NULL);
    add3(p, L"R:", L"\\\\srv\\other", L"bob", NULL); /* live session: a true 1219 */
    add3(p, NULL, L"\\\\srv\\share", L"bob", NULL);
    cancel(p, L"Q:", FALSE, 1);
    add3(p, L"R:", L"\\\\srv\\other", L"bob", NULL);
    cancel(p, L"R:", FALSE, 1);
}

static void case_open_files(const struct np *p)
{
    HANDLE h;

    add3(p, L"Q:", L"\\\\srv\\share", L"alice", NULL);
    h = CreateFileW(L"\\\\srv\\share\\f.txt", GENERIC_READ,
                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_EXISTING, 0,
                    NULL);
    emit("open \\\\srv\\share\\f.txt %s\n", h != INVALID_HANDLE_VALUE ? "ok" : "failed");
    cancel(p, L"Q:", FALSE, 1);
    cancel(p, L"Q:", FALSE, 2);
    if (h != INVALID_HANDLE_VALUE)
        CloseHandle(h);
    cancel(p, L"Q:", FALSE, 1);
}

static void case_not_connected(const struct np *p)
{
    cancel(p, L"Q:", FALSE, 1);
    cancel(p, L"Q:", TRUE, 1);
    cancel(p, L"\\\\srv\\share", TRUE, 1);
    cancel(p, L"\\\\srv\\share", FALSE, 2);
    cancel(p, L"bogus", FALSE, 1);
    get_user(p, NULL);
    get_user(p, L"\\\\srv\\share");
    reconnect_flags(p, L"Q:");
    use_options2(p, L"\\\\srv\\share", 10, 64);
}

static void case_resources(const struct np *p)
{
    static const WCHAR *names[] = {
        L"\\\\srv\\share\\dir\\g.txt", L"\\\\srv\\share",   L"\\\\srv",
        L"\\\\nosrv\\share",           L"\\\\srv\\noshare", L"nonsense"
    };
    size_t i;

    for (i = 0; i < ARRAYSIZE(names); i++) {
        resource(p, names[i], FALSE);
        resource(p, names[i], TRUE);
    }
    format(p, L"\\\\srv\\share", 0);
    format(p, L"\\\\srv\\share", WNFMT_ABBREVIATED);
    format(p, L"\\\\srv\\share", WNFMT_MULTILINE);
}

static const struct {
    const char *name;
    void (*run)(const struct np *);
} cases[] = {
    { "caps", case_caps },
    { "local-connection-queries", case_local },
    { "bad-names", case_bad_names },
    { "add-cancel-other-apis", case_other_apis },
    { "deviceless-and-enum", case_deviceless_enum },
    { "true-conflict", case_conflict },
    { "open-files", case_open_files },
    { "not-connected", case_not_connected },
    { "resources", case_resources },
};

#define LOAD(p, fn) (p)->fn = (void *)GetProcAddress((p)->module, "NP" #fn)

static BOOL load(struct np *p, const WCHAR *path)
{
    memset(p, 0, sizeof(*p));
    p->path = path;
    if (!(p->module = LoadLibraryW(path))) {
        printf("npdiff: cannot load %ls: error %lu\n", path, GetLastError());
        return FALSE;
    }
    LOAD(p, GetCaps);
    LOAD(p, AddConnection);
    LOAD(p, AddConnection3);
    LOAD(p, AddConnection4);
    LOAD(p, CancelConnection);
    LOAD(p, CancelConnection2);
    LOAD(p, GetConnection);
    LOAD(p, GetConnection3);
    LOAD(p, GetConnectionPerformance);
    LOAD(p, GetUniversalName);
    LOAD(p, GetUser);
    LOAD(p, OpenEnum);
    LOAD(p, EnumResource);
    LOAD(p, CloseEnum);
    LOAD(p, GetResourceInformation);
    LOAD(p, GetResourceParent);
    LOAD(p, FormatNetworkName);
    LOAD(p, GetPersistentUseOptionsForConnection);
    LOAD(p, GetReconnectFlags);
    LOAD(p, GetPersistentUseOptionsForConnection2);
    return TRUE;
}

static BOOL own_call(size_t entry)
{
    size_t i;

    for (i = 0; i < ARRAYSIZE(own_calls); i++)
        if (!strcmp(own_calls[i], nrmodel_entries[entry]))
            return TRUE;
    return FALSE;
}

/* Prints the counts of A and B and returns the number of entries whose
 * counts differ beyond what `same_calls` allows (see the header). */
static unsigned compare_counts(const struct nrmodel_counts *a, const struct nrmodel_counts *b,
                               BOOL same_calls)
{
    unsigned bad = 0;
    size_t i;

    printf("calls:");
    for (i = 0; i < NRMODEL_ENTRIES; i++) {
        if (!a->n[i] && !b->n[i])
            continue;
        if (a->n[i] == b->n[i])
            printf(" %s=%u", nrmodel_entries[i], a->n[i]);
        else if (!same_calls && own_call(i) && b->n[i] > a->n[i])
            printf(" %s=%u(+%u own)", nrmodel_entries[i], a->n[i], b->n[i] - a->n[i]);
        else {
            printf(" %s=%u/%u(DIFFERENT)", nrmodel_entries[i], a->n[i], b->n[i]);
            bad++;
        }
    }
    if (a->unknown || b->unknown) {
        printf(" unknown=%u/%u(DIFFERENT)", a->unknown, b->unknown);
        bad++;
    }
    printf("\n");
    return bad;
}

/* Runs one case against a provider from a reset state; returns its text
 * and, in *calls, what the case logged at the model. */
static char *run_case(size_t i, const struct np *p, struct nrmodel_counts *calls, BOOL *counted)
{
    ULONGLONG from;
    char *text;

    reset_state();
    out_len = 0;
    out[0] = 0;
    from = nrmodel_log_size();
    cases[i].run(p);
    *counted = nrmodel_log_count(from, GetCurrentProcessId(), calls);
    text = HeapAlloc(GetProcessHeap(), 0, out_len + 1);
    if (text)
        memcpy(text, out, out_len + 1);
    return text;
}

int wmain(int argc, WCHAR **argv)
{
    struct np a, b;
    struct nrmodel_counts ca, cb, total_a, total_b;
    size_t i, e, calls = 0, differences = 0, uncovered = 0;
    BOOL same_calls = FALSE;

    if (argc == 4 && !wcscmp(argv[1], L"--same-calls")) {
        same_calls = TRUE;
        argv++;
        argc--;
    }
    if (argc != 3)
        return 2;
    if (!load(&a, argv[1]) || !load(&b, argv[2]))
        return 2;
    memset(&total_a, 0, sizeof(total_a));
    memset(&total_b, 0, sizeof(total_b));
    for (i = 0; i < ARRAYSIZE(cases); i++) {
        BOOL counted_a, counted_b;
        char *ta = run_case(i, &a, &ca, &counted_a), *tb = run_case(i, &b, &cb, &counted_b), *c;
        BOOL same = ta && tb && !strcmp(ta, tb);
        unsigned bad_calls;

        for (c = ta; c && *c; c++)
            calls += *c == '\n';
        printf("case %s: %s\n", cases[i].name, same ? "same" : "DIFFERENT");
        if (same)
            printf("%s", ta);
        else
            printf("--- A %ls\n%s--- B %ls\n%s", a.path, ta ? ta : "", b.path, tb ? tb : "");
        if (counted_a && counted_b)
            bad_calls = compare_counts(&ca, &cb, same_calls);
        else {
            printf("calls: the model's log could not be read (DIFFERENT)\n");
            bad_calls = 1;
        }
        if (!same || bad_calls)
            differences++;
        for (e = 0; e < NRMODEL_ENTRIES; e++) {
            total_a.n[e] += ca.n[e];
            total_b.n[e] += cb.n[e];
        }
        HeapFree(GetProcessHeap(), 0, ta);
        HeapFree(GetProcessHeap(), 0, tb);
    }
    reset_state();
    /* Every entry netreclaim exports must have been reached by some case. */
    for (e = 0; e < NRMODEL_ENTRIES; e++) {
        BOOL covered = total_a.n[e] && total_b.n[e];

        printf("coverage %s: A %u calls, B %u calls%s\n", nrmodel_entries[e], total_a.n[e],
               total_b.n[e], covered ? "" : " (NOT COVERED)");
        uncovered += !covered;
    }
    printf("npdiff: %u cases, %u differences, %u of %u entries covered (%u output lines per "
           "provider, call counts %s)\n",
           (unsigned)ARRAYSIZE(cases), (unsigned)differences,
           (unsigned)(NRMODEL_ENTRIES - uncovered), (unsigned)NRMODEL_ENTRIES, (unsigned)calls,
           same_calls ? "equal for every entry" : "equal but for netreclaim's own calls");
    fflush(stdout);
    return differences || uncovered ? 1 : 0;
}
