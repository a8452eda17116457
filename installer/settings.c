/* The settings the provider runs with (local key first, policy key over it),
 * for status and reclaim. */
#include "cli.h"

void settings_load(struct nr_policy *policy)
{
    static const WCHAR *const keys[] = { KEY_SETTINGS, KEY_POLICY };
    struct nrwin_value v;
    enum nr_policy_issue issue;

    nr_policy_init(policy);
    for (size_t k = 0; k < ARRAYSIZE(keys); k++) {
        for (int i = 0; i < NR_POLICY_VALUE_COUNT; i++) {
            const WCHAR *name = (const WCHAR *)nr_policy_value_name(i);

            if (nrwin_reg_value(HKEY_LOCAL_MACHINE, keys[k], name, &v) != NR_OK)
                continue;
            issue = nr_policy_apply(policy, i, v.type, v.data, v.size);
            if (issue != NR_POLICY_OK)
                out_msg("note", "policy", L"HKLM\\%ls\\%ls: %hs.", keys[k], name,
                        nr_policy_issue_text(issue));
            nrwin_free(v.data);
        }
    }
}
