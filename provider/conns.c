/* The session's connections as the stock provider lists them (NPOpenEnum
 * RESOURCE_CONNECTED): what a reclaim must leave alone, what rule 4 weighs,
 * what a lost ledger is rebuilt from. Only read-only stock calls. */
#include "nrprov.h"
#include "win/nrwin.h"
#include "netreclaim/unc.h"

/* Bounds on the stock enumeration. */
#define ENUM_BUFFER_BYTES (16u * 1024u)
#define MAX_ENUM_CALLS 256u

void nr_conns_free(struct nr_conns *c)
{
    for (size_t i = 0; i < c->count; i++)
        nrwin_free(c->local[i]); /* remote[i] shares the allocation */
    nrwin_free(c->local);
    nrwin_free(c->remote);
    ZeroMemory(c, sizeof(*c));
}

static int add_conn(struct nr_conns *c, const WCHAR *local, const WCHAR *remote)
{
    const size_t local_cch = local ? (size_t)lstrlenW(local) + 1 : 1;
    const size_t remote_cch = (size_t)lstrlenW(remote) + 1;
    WCHAR *both;

    if (c->count == NR_CONNS_MAX)
        return NR_TOO_SMALL;
    if (!(both = nrwin_alloc((local_cch + remote_cch) * sizeof(WCHAR))))
        return NR_NOMEM;
    if (local)
        CopyMemory(both, local, local_cch * sizeof(WCHAR));
    CopyMemory(both + local_cch, remote, remote_cch * sizeof(WCHAR));
    c->local[c->count] = both;
    c->remote[c->count++] = both + local_cch;
    return NR_OK;
}

int nr_conns_list(struct nr_conns *c)
{
    const struct nr_stock *s = nr_stock();
    NETRESOURCEW *buf = NULL;
    HANDLE en = NULL;
    DWORD ret, count, size;
    int status = NR_ERROR;

    ZeroMemory(c, sizeof(*c));
    if (!s->NPOpenEnum || !s->NPEnumResource || !s->NPCloseEnum)
        return NR_ERROR;
    c->local = nrwin_alloc(NR_CONNS_MAX * sizeof(*c->local));
    c->remote = nrwin_alloc(NR_CONNS_MAX * sizeof(*c->remote));
    if (!c->local || !c->remote || !(buf = nrwin_alloc(ENUM_BUFFER_BYTES))) {
        status = NR_NOMEM;
        goto done;
    }
    if (s->NPOpenEnum(RESOURCE_CONNECTED, RESOURCETYPE_ANY, 0, NULL, &en) != WN_SUCCESS) {
        en = NULL;
        goto done;
    }
    for (unsigned int calls = 0; calls < MAX_ENUM_CALLS; calls++) {
        count = (DWORD)-1;
        size = ENUM_BUFFER_BYTES;
        ret = s->NPEnumResource(en, &count, buf, &size);
        if (ret == WN_NO_MORE_ENTRIES) {
            status = NR_OK;
            break;
        }
        if (ret != WN_SUCCESS)
            break;
        status = NR_OK;
        for (DWORD i = 0; i < count && status == NR_OK; i++)
            if (buf[i].lpRemoteName)
                status = add_conn(c, buf[i].lpLocalName, buf[i].lpRemoteName);
        if (status != NR_OK)
            break;
        status = NR_ERROR;
    }
done:
    if (en)
        s->NPCloseEnum(en);
    nrwin_free(buf);
    if (status != NR_OK)
        nr_conns_free(c);
    return status;
}

BOOL nr_same_server(const WCHAR *a, const WCHAR *b)
{
    struct nr_unc ua, ub;

    return nr_parse_unc((const nr_char *)a, (size_t)lstrlenW(a), 0, &ua) &&
           nr_parse_unc((const nr_char *)b, (size_t)lstrlenW(b), 0, &ub) &&
           nr_equal_nocase(ua.server.str, ua.server.len, ub.server.str, ub.server.len);
}
