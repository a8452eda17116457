/* One reclaim request, built the same way for the provider (rules 3 and 4)
 * and for the CLI's handles and reclaim: the redirector prefixes from the
 * registry, the shares the session still has connected as the cover mode
 * says, the policy's exclusions and timeout. */
#include "nrwin.h"

/* The most redirector prefixes kept (built-in ones come from the core). */
#define MAX_PREFIXES 64u

int nrwin_request_build(struct nrwin_request *r, const struct nr_policy *policy,
                        const WCHAR *target, const struct nrwin_conns *conns,
                        enum nr_cover_mode mode, int audit)
{
    size_t count;

    ZeroMemory(r, sizeof(*r));
    if (nrwin_smb_prefixes(&r->prefix_text, &count) != NR_OK)
        return NR_ERROR;
    r->prefixes = nrwin_alloc(MAX_PREFIXES * sizeof(*r->prefixes));
    r->roots = nrwin_alloc((conns->count ? conns->count : 1) * sizeof(*r->roots));
    if (!r->prefixes || !r->roots) {
        nrwin_request_free(r);
        return NR_NOMEM;
    }
    for (size_t i = 0; i < policy->excluded_count; i++)
        r->excluded[i] = policy->excluded[i];
    r->req.target = target;
    r->req.prefixes = r->prefixes;
    r->req.prefix_count = nrwin_split_multi(r->prefix_text, r->prefixes, MAX_PREFIXES);
    r->req.connected = r->roots;
    r->req.connected_count = nr_cover_roots(conns->items, conns->count, mode, r->roots);
    r->req.excluded = r->excluded;
    r->req.excluded_count = policy->excluded_count;
    r->req.timeout_ms = policy->timeout_ms;
    r->req.audit = audit;
    r->req.allow_service_sessions = policy->allow_service_sessions;
    return NR_OK;
}

void nrwin_request_free(struct nrwin_request *r)
{
    nrwin_free(r->roots);
    nrwin_free(r->prefixes);
    nrwin_free(r->prefix_text);
    ZeroMemory(r, sizeof(*r));
}
