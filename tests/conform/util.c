/* What several groups of checks ask, each through the product's own code
 * where the product has it: the seam's bounded name query and snapshot, the
 * core's NT-name parser with the registry's prefixes, the stock provider's
 * enumeration as the provider reads it. */
#include <stdio.h>
#include "netreclaim/unc.h"
#include "nrconform.h"

#define MAX_PREFIXES 4

void nrc_unc(WCHAR *buf, size_t cch, const WCHAR *server, const WCHAR *share, const WCHAR *rest)
{
    swprintf(buf, cch, L"\\\\%ls\\%ls%ls%ls", server, share, rest && *rest ? L"\\" : L"",
             rest ? rest : L"");
}

int nrc_name_in(uint32_t pid, uint64_t value, nr_char *buf, size_t cch, size_t *len,
                uint32_t *protocol)
{
    struct nr_name_query q = { .value = value };

    *len = 0;
    *protocol = 0;
    if (cch < 2)
        return NR_TOO_SMALL;
    nrwin_query_names(NULL, pid, &q, 1, NRC_TIMEOUT_MS, buf, cch - 1);
    if (q.status == NR_OK) {
        /* The name lies inside buf (names.c): move it to the start. */
        memmove(buf, q.name, q.len * sizeof(nr_char));
        buf[q.len] = 0;
        *len = q.len;
        *protocol = q.protocol;
    }
    return q.status;
}

BOOL nrc_parse(const nr_char *name, size_t len, struct nr_nt_name *out)
{
    const nr_char *list[MAX_PREFIXES];
    struct nr_str prefixes[MAX_PREFIXES];
    WCHAR *multi = NULL;
    size_t count = 0;
    BOOL ok;

    /* Without the registry's prefix the built-in ones still parse. */
    if (nrwin_smb_prefixes(&multi, &count) == NR_OK && multi)
        count = nrwin_split_multi(multi, list, MAX_PREFIXES);
    else
        count = 0;
    for (size_t i = 0; i < count; i++)
        prefixes[i] = (struct nr_str){ list[i], wcslen(list[i]) };
    ok = nr_parse_nt_name(name, len, prefixes, count, out);
    nrwin_free(multi);
    return ok;
}

BOOL nrc_is_share(const struct nr_nt_name *n, const WCHAR *server, const WCHAR *share)
{
    return n->unc.server.len == wcslen(server) && n->unc.share.len == wcslen(share) &&
           CompareStringOrdinal(n->unc.server.str, (int)n->unc.server.len, server, -1, TRUE) ==
               CSTR_EQUAL &&
           CompareStringOrdinal(n->unc.share.str, (int)n->unc.share.len, share, -1, TRUE) ==
               CSTR_EQUAL;
}

int nrc_in_table(uint32_t pid, uint64_t value, BOOL *found)
{
    struct nr_snapshot snap;
    const int status = nrwin_snapshot(NULL, &snap);

    *found = FALSE;
    if (status != NR_OK)
        return status;
    for (size_t i = 0; i < snap.count && !*found; i++)
        *found = snap.handles[i].pid == pid && snap.handles[i].value == value;
    nrwin_free_snapshot(NULL, &snap);
    return NR_OK;
}

HMODULE nrc_stock(char *why, size_t size)
{
    WCHAR text[1024];
    HMODULE dll = NULL;

    if (nrwin_stock_load(&dll, text, ARRAYSIZE(text)) != NR_OK)
        snprintf(why, size, "the stock provider does not load: %s", nrc_u8(text, wcslen(text)));
    return dll;
}

int nrc_listed(HMODULE stock, const WCHAR *remote, BOOL *listed)
{
    struct nrwin_enum api;
    struct nrwin_conns conns;
    int status;

    *listed = FALSE;
    nrwin_stock_enum(stock, &api);
    if ((status = nrwin_conns_list(&api, &conns)) != NR_OK)
        return status;
    for (size_t i = 0; i < conns.count; i++)
        *listed |= !_wcsicmp(conns.items[i].remote, remote);
    nrwin_conns_free(&conns);
    return NR_OK;
}

BOOL nrc_free_drive(WCHAR drive[3])
{
    const DWORD used = GetLogicalDrives();

    for (int letter = 'Q'; letter <= 'Y'; letter++) {
        if (used & (1u << (letter - 'A')))
            continue;
        drive[0] = (WCHAR)letter;
        drive[1] = L':';
        drive[2] = 0;
        return TRUE;
    }
    return FALSE;
}

BOOL nrc_token_luid(uint64_t *luid)
{
    TOKEN_STATISTICS stats;
    HANDLE token;
    DWORD size;
    BOOL ok;

    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
        return FALSE;
    ok = GetTokenInformation(token, TokenStatistics, &stats, sizeof(stats), &size);
    CloseHandle(token);
    if (ok)
        *luid = (uint64_t)(uint32_t)stats.AuthenticationId.HighPart << 32 |
                stats.AuthenticationId.LowPart;
    return ok;
}

const char *nrc_u8(const WCHAR *s, size_t len)
{
    static char buf[3 * NRC_NAME_CCH + 1];
    const int n = WideCharToMultiByte(CP_UTF8, 0, s, (int)(len < NRC_NAME_CCH ? len : NRC_NAME_CCH),
                                      buf, sizeof(buf) - 1, NULL, NULL);

    buf[n > 0 ? n : 0] = 0;
    return buf;
}
