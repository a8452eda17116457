/* The settings as every NP entry reads them (docs/design.md, registry contract: Policy),
 * afresh at each add and cancel, so a change applies without a restart. */
#include "nrprov.h"

static volatile LONG policy_told;

/* A setting not applied as written is the admin's to fix: told once per
 * process, not at every call. */
static void note_policy(void *ctx, const WCHAR *key, const WCHAR *name, enum nr_policy_issue issue)
{
    const DWORD_PTR args[3] = { (DWORD_PTR)key, (DWORD_PTR)name,
                                (DWORD_PTR)nr_policy_issue_text(issue) };
    WCHAR text[512];

    (void)ctx;
    if (InterlockedCompareExchange(&policy_told, 1, 0))
        return;
    nrwin_format(text, ARRAYSIZE(text), L"Setting HKLM\\%1\\%2: %3!hs!.", args);
    nrwin_log(NR_EVENT_POLICY_NOT_APPLIED, text);
}

void nrp_load_policy(struct nr_policy *policy)
{
    const DWORD error = GetLastError();

    nrwin_load_policy(policy, note_policy, NULL);
    SetLastError(error);
}
