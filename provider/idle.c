/* Idle implicit connections (DESIGN.md rules 3 and 4): the redirector keeps
 * a deviceless connection made by plain UNC access for its KeepConn period,
 * and it pins its user's session to the server. Cancelling it without force
 * takes it only if nothing is open through it: a busy one refuses (2401) and
 * stays. Deviceless connections the ledger holds live were added on purpose
 * and are left alone. */
#include "nrprov.h"
#include "win/nrwin.h"
#include "messages.h"

void nr_list_append(WCHAR *list, size_t cch, const WCHAR *name)
{
    const size_t len = (size_t)lstrlenW(list);

    if (len + 3 >= cch)
        return;
    if (len)
        lstrcpynW(list + len, L"; ", (int)(cch - len));
    lstrcpynW(list + lstrlenW(list), name, (int)(cch - (size_t)lstrlenW(list)));
}

static DWORD cancel_no_force(const struct nr_stock *s, WCHAR *remote)
{
    if (s->NPCancelConnection2)
        return s->NPCancelConnection2(remote, FALSE, 0);
    if (s->NPCancelConnection)
        return s->NPCancelConnection(remote, FALSE);
    return s->absent;
}

size_t nr_cancel_idle(const struct nr_policy *policy, const WCHAR *server, const struct nr_conns *c,
                      const BOOL *live, WCHAR *refused, size_t cch)
{
    const struct nr_stock *s = nr_stock();
    const DWORD error = GetLastError();
    const BOOL audit = policy->mode == NR_MODE_AUDIT;
    WCHAR gone[1024] = L"", text[1536];
    size_t count = 0;

    for (size_t i = 0; i < c->count; i++) {
        DWORD ret;

        if (c->local[i][0] || live[i] || !nr_same_server(c->remote[i], server))
            continue;
        if (audit) {
            nr_list_append(gone, ARRAYSIZE(gone), c->remote[i]);
            continue;
        }
        ret = cancel_no_force(s, c->remote[i]);
        if (ret == WN_SUCCESS) {
            nr_list_append(gone, ARRAYSIZE(gone), c->remote[i]);
            count++;
        } else {
            nr_list_append(refused, cch, c->remote[i]);
        }
    }
    if (gone[0]) {
        const DWORD_PTR args[2] = { (DWORD_PTR)(audit ? L"Would cancel (audit)" : L"Cancelled"),
                                    (DWORD_PTR)gone };

        nrwin_format(text, ARRAYSIZE(text),
                     L"%1 the idle deviceless connections that pinned the session: %2.", args);
        nrwin_log(NR_INFO, NR_MSG_INFO, text);
    }
    SetLastError(error);
    return count;
}
