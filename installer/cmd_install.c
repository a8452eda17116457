/* netreclaim install [--dll PATH] [--dll32 PATH]: NetReclaim takes
 * LanmanWorkstation's place. Everything is checked before anything changes,
 * and the orders change last, so a failure never leaves an order naming a
 * provider that is not there. */
#include "cli.h"

struct options {
    const WCHAR *dll;   /* x64 (or x86 on 32-bit Windows) build to copy */
    const WCHAR *dll32; /* x86 build for SysWOW64 */
    WCHAR beside[MAX_PATH];
};

static int parse(const struct cli *cli, struct options *opt)
{
    WCHAR *file;

    for (int i = 0; i < cli->argc; i++) {
        const WCHAR *arg = cli->argv[i];

        if (!lstrcmpW(arg, L"--dll") && i + 1 < cli->argc)
            opt->dll = cli->argv[++i];
        else if (!lstrcmpW(arg, L"--dll32") && i + 1 < cli->argc)
            opt->dll32 = cli->argv[++i];
        else
            return cli_usage_error(L"install", L"unexpected argument \"%ls\"", arg);
    }
    /* The x86 build travels as x86\netreclaim.dll beside the x64 one. */
    if (opt->dll && !opt->dll32 &&
        GetFullPathNameW(opt->dll, ARRAYSIZE(opt->beside) - 20, opt->beside, &file) && file) {
        lstrcpyW(file, L"x86\\" OUR_DLL);
        if (file_exists(opt->beside))
            opt->dll32 = opt->beside;
    }
    return CLI_OK;
}

/* Byte for byte, so a re-run does not rewrite a DLL that may be in use. */
static int same_file(const WCHAR *a, const WCHAR *b)
{
    HANDLE fa, fb;
    BYTE ba[16384], bb[16384];
    DWORD na = 1, nb = 1;
    int same = 0;

    fa = CreateFileW(a, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL, OPEN_EXISTING, 0,
                     NULL);
    fb = CreateFileW(b, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL, OPEN_EXISTING, 0,
                     NULL);
    if (fa != INVALID_HANDLE_VALUE && fb != INVALID_HANDLE_VALUE) {
        same = 1;
        while (same && na) {
            same = ReadFile(fa, ba, sizeof(ba), &na, NULL) &&
                   ReadFile(fb, bb, sizeof(bb), &nb, NULL) && na == nb && !memcmp(ba, bb, na);
        }
    }
    if (fa != INVALID_HANDLE_VALUE)
        CloseHandle(fa);
    if (fb != INVALID_HANDLE_VALUE)
        CloseHandle(fb);
    return same;
}

static int copy_dll(const WCHAR *from, const WCHAR *to)
{
    if (same_file(from, to))
        return 1;
    if (!CopyFileW(from, to, FALSE)) {
        out_msg("error", "copy", L"cannot copy %ls to %ls: %ls", from, to,
                error_text(GetLastError()));
        return 0;
    }
    out_msg("change", NULL, L"copied %ls to %ls", from, to);
    return 1;
}

/* The checks that decide whether anything may change. */
static int preflight(const struct options *opt, const struct stock *stock,
                     const struct order orders[ORDER_COUNT], const WCHAR *native,
                     const WCHAR *wow64)
{
    if (stock->status != NR_OK) {
        out_msg("error", "stock-path",
                L"HKLM\\%ls\\ProviderPath is missing or not a path: "
                L"repair the LanmanWorkstation provider first.",
                KEY_STOCK);
        return 0;
    }
    if (!stock->loads) {
        out_msg("error", "stock-load",
                L"the stock provider %ls does not load: %ls. Repair it "
                L"before installing (SMB would stop working).",
                stock->path, error_text(stock->error));
        return 0;
    }
    if (!stock->name.data) {
        out_msg("error", "stock-name", L"HKLM\\%ls\\Name is missing or not a REG_SZ string.",
                KEY_STOCK);
        return 0;
    }
    for (int i = 0; i < ORDER_COUNT; i++) {
        if (!order_explain(&orders[i], "error"))
            return 0;
        if (orders[i].text &&
            !order_names(&orders[i], NR_ORDER_HAS_LANMAN | NR_ORDER_HAS_NETRECLAIM)) {
            out_msg("error", "order-no-smb",
                    L"%ls \"%ls\" names neither LanmanWorkstation nor "
                    L"NetReclaim: add LanmanWorkstation back first.",
                    orders[i].label, orders[i].text);
            return 0;
        }
    }
    if (!opt->dll && !file_exists(native)) {
        out_msg("error", "dll-missing", L"%ls is missing: pass --dll PATH.", native);
        return 0;
    }
    if (wow64[0] && !opt->dll32 && !file_exists(wow64)) {
        out_msg("error", "wow64-missing",
                L"%ls is missing, so 32-bit programs would have no SMB "
                L"provider: pass --dll32 PATH (the x86 build).",
                wow64);
        return 0;
    }
    return 1;
}

/* What uninstall needs to put the machine back exactly. Kept from the first
 * install: a re-run must not record the already swapped orders. */
static LONG remember(const struct stock *stock, const struct order orders[ORDER_COUNT])
{
    LONG error = ERROR_SUCCESS;

    if (reg_key_exists(KEY_RECORD))
        return ERROR_SUCCESS;
    for (int i = 0; i < ORDER_COUNT && !error; i++)
        if (orders[i].status == NR_OK)
            error = reg_set(KEY_RECORD, i == ORDER_PROVIDER ? L"ProviderOrder" : L"HwOrder",
                            orders[i].raw.type, orders[i].raw.data, orders[i].raw.size);
    if (!error)
        error = reg_set_string(KEY_RECORD, L"StockPath", REG_SZ, stock->path);
    return error;
}

static LONG register_provider(const struct stock *stock)
{
    LONG error;

    error = reg_set_string(KEY_PROVIDER, L"ProviderPath", REG_EXPAND_SZ, OUR_PROVIDER_PATH);
    if (!error)
        error = reg_set_string(KEY_PROVIDER, L"Name", REG_SZ, (const WCHAR *)stock->name.data);
    if (!error && stock->has_class)
        error = reg_set_dword(KEY_PROVIDER, L"Class", stock->class_value);
    if (!error)
        error =
            reg_set_string(KEY_EVENTSOURCE, L"EventMessageFile", REG_EXPAND_SZ, OUR_PROVIDER_PATH);
    if (!error)
        error =
            reg_set_dword(KEY_EVENTSOURCE, L"TypesSupported",
                          EVENTLOG_ERROR_TYPE | EVENTLOG_WARNING_TYPE | EVENTLOG_INFORMATION_TYPE);
    return error;
}

int cmd_install(const struct cli *cli)
{
    struct options opt = { 0 };
    struct order orders[ORDER_COUNT];
    struct stock stock;
    WCHAR native[MAX_PATH], wow64[MAX_PATH];
    int rc;

    rc = parse(cli, &opt);
    if (rc != CLI_OK)
        return rc;
    rc = cli_need_admin();
    if (rc != CLI_OK)
        return rc;
    stock_probe(&stock);
    orders_load(orders);
    our_dll_paths(native, wow64);
    if (!preflight(&opt, &stock, orders, native, wow64)) {
        out_msg("note", NULL, L"nothing changed.");
        rc = CLI_FAILED;
    } else if ((opt.dll && !copy_dll(opt.dll, native)) ||
               (wow64[0] && opt.dll32 && !copy_dll(opt.dll32, wow64)) || remember(&stock, orders) ||
               register_provider(&stock) ||
               order_apply(&orders[ORDER_PROVIDER], nr_order_install, NULL) ||
               (orders[ORDER_HW].status == NR_OK &&
                order_apply(&orders[ORDER_HW], nr_order_install, NULL))) {
        rc = out_changes() ? CLI_PARTIAL : CLI_FAILED;
        out_msg("next", NULL,
                rc == CLI_PARTIAL ? L"run \"netreclaim uninstall\" to undo, or "
                                    L"\"netreclaim doctor\" to see the state."
                                  : L"nothing changed.");
    } else {
        if (!out_changes())
            out_msg("note", NULL, L"already installed; nothing changed.");
        out_msg("next", NULL,
                L"new processes load NetReclaim; sign out or restart so running "
                L"ones do. \"netreclaim status\" shows the state.");
    }
    out_field("result", rc == CLI_OK        ? L"installed"
                        : rc == CLI_PARTIAL ? L"partly installed"
                                            : L"not installed");
    orders_free(orders);
    stock_free(&stock);
    return rc;
}
