/* netreclaim status: what is installed and whether it can work. */
#include "cli.h"
#include "nrwin_ledger.h"

static const WCHAR *const mode_names[] = {
    [NR_MODE_ENFORCE] = L"enforce", [NR_MODE_AUDIT] = L"audit", [NR_MODE_OFF] = L"off"
};

static void show_order(const char *key, const struct order *o)
{
    if (o->text)
        out_field(key, L"%ls", o->text);
    else
        out_field(key, o->status == NR_GONE ? L"(missing)" : L"(unreadable or not REG_SZ)");
    if (!o->usable)
        order_explain(o, "finding");
}

static void show_dll(const char *key, const WCHAR *path, USHORT machine)
{
    WCHAR why[MAX_PATH + 128];

    if (dll_serves(path, machine, why, ARRAYSIZE(why)))
        out_field(key, L"%ls (present)", path);
    else if (!file_exists(path))
        out_field(key, L"%ls (MISSING)", path);
    else
        out_field(key, L"%ls (UNUSABLE: %ls)", path, why);
}

/* A string value of our keys as it stands, with whether it is what install
 * writes (`want`, NULL when there is nothing to compare with). */
static void show_value(const char *key, const WCHAR *subkey, const WCHAR *name, const WCHAR *want)
{
    struct nrwin_value v;
    const int status = nrwin_reg_value(HKEY_LOCAL_MACHINE, subkey, name, &v);
    const int text = status == NR_OK && (v.type == REG_SZ || v.type == REG_EXPAND_SZ);

    if (!text)
        out_field(key, status == NR_GONE ? L"(missing)" : L"(not a string)");
    else if (want && lstrcmpW((const WCHAR *)v.data, want))
        out_field(key, L"%ls (should be %ls: run \"netreclaim doctor\")", (const WCHAR *)v.data,
                  want);
    else
        out_field(key, L"%ls", (const WCHAR *)v.data);
    nrwin_free(v.data);
}

/* The session ledger as it stands; read only: never created nor rebuilt here. */
static void show_ledger(void)
{
    struct nr_ledger_summary sum;
    struct nrwin_ledger l;
    const int status = nrwin_ledger_acquire(&l, NULL, NULL);

    if (status != NR_OK) {
        out_field("ledger", L"%ls",
                  status == NR_GONE      ? L"none yet (no connection made since boot)"
                  : status == NR_TIMEOUT ? L"busy (try again)"
                                         : L"unreadable (rebuilt on next use)");
        return;
    }
    if (nr_ledger_summarize(l.image, l.size, l.luid, &sum) == NR_LEDGER_OK) {
        out_field("ledger",
                  L"%lu live in this session, %lu live and %lu cancelled in all, "
                  L"capacity %lu",
                  (unsigned long)sum.live_in_session, (unsigned long)sum.live,
                  (unsigned long)sum.cancelled, (unsigned long)sum.capacity);
        out_number("ledger_live_in_session", sum.live_in_session);
    } else {
        out_field("ledger", L"unreadable (rebuilt on next use)");
    }
    nrwin_ledger_release(&l);
}

int cmd_status(const struct cli *cli)
{
    struct order orders[ORDER_COUNT];
    struct stock stock;
    struct nr_policy policy;
    WCHAR native[MAX_PATH], wow64[MAX_PATH];
    int installed;

    if (cli->argc)
        return out_usage_error(L"status", L"unexpected argument \"%ls\"", cli->argv[0]);
    orders_load(orders);
    stock_probe(&stock);
    our_dll_paths(native, wow64);
    settings_load(&policy);
    installed = order_names(&orders[ORDER_PROVIDER], NR_ORDER_HAS_NETRECLAIM) &&
                reg_key_exists(KEY_PROVIDER);

    out_field("version", L"%ls", NR_VERSION);
    /* The MSI of this version has this ProductCode (cmake/product.cmake). */
    out_field("product_code", L"%ls", NR_PRODUCT_CODE);
    out_field("machine", L"%ls", machine_name(native_machine()));
    out_flag("installed", installed);
    out_flag("provider_key", reg_key_exists(KEY_PROVIDER));
    out_flag("install_record", reg_key_exists(KEY_RECORD));
    show_order("ProviderOrder", &orders[ORDER_PROVIDER]);
    show_order("HwOrder", &orders[ORDER_HW]);
    show_value("Group", KEY_SERVICE, L"Group", OUR_GROUP);
    show_value("DeviceName", KEY_PROVIDER, L"DeviceName",
               stock.device.data ? (const WCHAR *)stock.device.data : NULL);
    out_field("stock_provider", L"%ls", stock.status == NR_OK ? stock.path : L"(no ProviderPath)");
    out_flag("stock_loads", stock.loads);
    if (!stock.loads)
        out_field("stock_error", L"%ls",
                  stock.status == NR_OK ? error_text(stock.error) : L"no ProviderPath");
    show_dll("dll", native, native_machine());
    if (wow64[0])
        show_dll("dll_wow64", wow64, IMAGE_FILE_MACHINE_I386);
    else
        out_field("dll_wow64", L"(none needed: no SysWOW64 folder, no 32-bit programs)");
    out_field("mode", L"%ls", mode_names[policy.mode]);
    out_number("name_query_timeout_ms", policy.timeout_ms);
    out_number("excluded_processes", (unsigned long)policy.excluded_count);
    show_ledger();
    if (!installed)
        out_msg("next", NULL, L"run \"netreclaim install\" (elevated) to install.");
    else if (!stock.loads)
        out_msg("next", NULL, L"the stock provider does not load: run \"netreclaim doctor\".");
    orders_free(orders);
    stock_free(&stock);
    return installed ? CLI_OK : CLI_NOT_INSTALLED;
}
