/* netreclaim uninstall: LanmanWorkstation goes back where NetReclaim stood
 * (providers others added since stay), then our keys go. When nothing was
 * added since, the orders get back the very bytes install recorded. */
#include "cli.h"

static const WCHAR *const recorded[ORDER_COUNT] = { L"ProviderOrder", L"HwOrder" };

/* Every order value must be sound before either changes. */
static int preflight(const struct order orders[ORDER_COUNT])
{
    for (int i = 0; i < ORDER_COUNT; i++)
        if (!order_explain(&orders[i], "error"))
            return 0;
    return 1;
}

static LONG restore_orders(const struct order orders[ORDER_COUNT])
{
    struct nrwin_value original;
    LONG error = ERROR_SUCCESS;

    for (int i = 0; i < ORDER_COUNT && !error; i++) {
        if (orders[i].status != NR_OK)
            continue;
        if (nrwin_reg_value(HKEY_LOCAL_MACHINE, KEY_RECORD, recorded[i], &original) != NR_OK)
            original.data = NULL;
        error = order_apply(&orders[i], nr_order_uninstall, original.data ? &original : NULL);
        nrwin_free(original.data);
    }
    return error;
}

static LONG remove_keys(void)
{
    LONG error;

    /* DeviceName goes with the provider key, Group with the service key. */
    error = reg_delete_key(KEY_PROVIDER);
    if (!error)
        error = reg_delete_value(KEY_SERVICE, L"Group");
    if (!error)
        error = reg_delete_if_empty(KEY_SERVICE);
    if (!error)
        error = reg_delete_key(KEY_EVENTSOURCE);
    if (!error)
        error = reg_delete_key(KEY_RECORD);
    if (!error)
        error = reg_delete_if_empty(KEY_SETTINGS);
    return error;
}

int cmd_uninstall(const struct cli *cli)
{
    struct order orders[ORDER_COUNT];
    int rc;

    if (cli->argc)
        return out_usage_error(L"uninstall", L"unexpected argument \"%ls\"", cli->argv[0]);
    rc = need_admin();
    if (rc != CLI_OK)
        return rc;
    orders_load(orders);
    if (!preflight(orders)) {
        out_msg("note", NULL, L"nothing changed.");
        rc = CLI_FAILED;
    } else if (restore_orders(orders) || remove_keys()) {
        rc = out_changes() ? CLI_PARTIAL : CLI_FAILED;
        out_msg("next", NULL,
                L"fix what the error names, then run \"netreclaim uninstall\" again.");
    } else if (!out_changes()) {
        out_msg("note", NULL, L"not installed; nothing changed.");
    } else {
        out_msg("next", NULL,
                L"running processes keep netreclaim.dll loaded until they exit; "
                L"delete %ls\\System32\\netreclaim.dll after a restart if no MSI installed it.",
                L"%SystemRoot%");
    }
    out_field("result", rc == CLI_OK ? L"uninstalled" : L"not uninstalled");
    orders_free(orders);
    return rc;
}
