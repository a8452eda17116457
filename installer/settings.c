/* The settings the provider runs with (local key first, policy key over it),
 * for status and reclaim; values not applied as written are pointed out. */
#include "cli.h"

static void note(void *ctx, const WCHAR *key, const WCHAR *name, enum nr_policy_issue issue)
{
    (void)ctx;
    out_msg("note", "policy", L"HKLM\\%ls\\%ls: %hs.", key, name, nr_policy_issue_text(issue));
}

void settings_load(struct nr_policy *policy)
{
    nrwin_load_policy(policy, note, NULL);
}
