/* The logon session's connections as a provider's enumeration lists them
 * (NPOpenEnum RESOURCE_CONNECTED, RESOURCETYPE_ANY): what a reclaim must
 * leave alone, what rule 4 weighs, what a lost ledger is rebuilt from. The
 * provider passes the stock entries it forwards to; the CLI those of the
 * stock DLL it loads itself, so both see the same list. */
#include "nrwin.h"

/* Bounds on one enumeration. */
#define ENUM_BUFFER_BYTES (16u * 1024u)
#define MAX_ENUM_CALLS 256u

void nrwin_conns_free(struct nrwin_conns *c)
{
    for (size_t i = 0; i < c->count; i++)
        nrwin_free((void *)c->items[i].local); /* remote shares the allocation */
    nrwin_free(c->items);
    ZeroMemory(c, sizeof(*c));
}

static int add_conn(struct nrwin_conns *c, const WCHAR *local, const WCHAR *remote)
{
    const size_t local_cch = local ? (size_t)lstrlenW(local) + 1 : 1;
    const size_t remote_cch = (size_t)lstrlenW(remote) + 1;
    WCHAR *both;

    if (c->count == NRWIN_CONNS_MAX)
        return NR_TOO_SMALL;
    if (!(both = nrwin_alloc((local_cch + remote_cch) * sizeof(WCHAR))))
        return NR_NOMEM;
    if (local)
        CopyMemory(both, local, local_cch * sizeof(WCHAR));
    CopyMemory(both + local_cch, remote, remote_cch * sizeof(WCHAR));
    c->items[c->count].local = both;
    c->items[c->count].remote = both + local_cch;
    c->items[c->count++].live = false;
    return NR_OK;
}

int nrwin_conns_list(const struct nrwin_enum *api, struct nrwin_conns *c)
{
    NETRESOURCEW *buf = NULL;
    HANDLE en = NULL;
    DWORD ret, count, size;
    int status = NR_ERROR;

    ZeroMemory(c, sizeof(*c));
    if (!api->open || !api->next || !api->close)
        return NR_ERROR;
    if (!(c->items = nrwin_alloc(NRWIN_CONNS_MAX * sizeof(*c->items))) ||
        !(buf = nrwin_alloc(ENUM_BUFFER_BYTES))) {
        status = NR_NOMEM;
        goto done;
    }
    if (api->open(RESOURCE_CONNECTED, RESOURCETYPE_ANY, 0, NULL, &en) != WN_SUCCESS) {
        en = NULL;
        goto done;
    }
    for (unsigned int calls = 0; calls < MAX_ENUM_CALLS; calls++) {
        count = (DWORD)-1;
        size = ENUM_BUFFER_BYTES;
        ret = api->next(en, &count, buf, &size);
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
        api->close(en);
    nrwin_free(buf);
    if (status != NR_OK)
        nrwin_conns_free(c);
    return status;
}
