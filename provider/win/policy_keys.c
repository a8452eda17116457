/* The settings in force: HKLM\SOFTWARE\NetReclaim, with the Group Policy key
 * HKLM\SOFTWARE\Policies\NetReclaim over it; the core parses the raw values. */
#include "nrwin.h"

void nrwin_load_policy(struct nr_policy *policy, nrwin_policy_note note, void *ctx)
{
    static const WCHAR *const keys[] = { NRWIN_SETTINGS_KEY, NRWIN_POLICY_KEY };
    struct nrwin_value v;
    enum nr_policy_issue issue;
    HKEY key;

    nr_policy_init(policy);
    /* Each key opened once for all its values: the policy is read on every
     * add and cancel, and an open costs a server round trip under Wine
     * (tests/bench run.sh --server-calls: 8 opens an add, now 2). */
    for (size_t k = 0; k < ARRAYSIZE(keys); k++) {
        if (nrwin_reg_open(HKEY_LOCAL_MACHINE, keys[k], &key) != NR_OK)
            continue;
        for (int i = 0; i < NR_POLICY_VALUE_COUNT; i++) {
            const WCHAR *name = nr_policy_value_name(i);

            if (nrwin_reg_read(key, name, &v) != NR_OK)
                continue;
            issue = nr_policy_apply(policy, i, v.type, v.data, v.size);
            if (issue != NR_POLICY_OK && note)
                note(ctx, keys[k], name, issue);
            nrwin_free(v.data);
        }
        RegCloseKey(key);
    }
}
