/* netreclaim install [--dll PATH] [--dll32 PATH]: NetReclaim takes
 * LanmanWorkstation's place. Everything is checked before anything changes,
 * and the orders change last, so a failure never leaves an order naming a
 * provider that is not there. */
#include "cli.h"

struct options {
    struct install_opts dlls;
    WCHAR beside[MAX_PATH];
};

static int parse(const struct cli *cli, struct options *opt)
{
    WCHAR *file;

    for (int i = 0; i < cli->argc; i++) {
        const WCHAR *arg = cli->argv[i];
        const WCHAR **path = !lstrcmpW(arg, L"--dll")     ? &opt->dlls.dll
                             : !lstrcmpW(arg, L"--dll32") ? &opt->dlls.dll32
                                                          : NULL;

        if (!path)
            return out_usage_error(L"install", L"unexpected argument \"%ls\"", arg);
        /* "--dll --dll32 X" lost its path: the next option is not one. */
        if (i + 1 >= cli->argc || !cli->argv[i + 1][0] || !wcsncmp(cli->argv[i + 1], L"--", 2))
            return out_usage_error(L"install", L"%ls needs the path of a netreclaim.dll after it",
                                   arg);
        *path = cli->argv[++i];
    }
    /* The x86 build travels as x86\netreclaim.dll beside the x64 one. */
    if (opt->dlls.dll && !opt->dlls.dll32 &&
        GetFullPathNameW(opt->dlls.dll, ARRAYSIZE(opt->beside) - 20, opt->beside, &file) && file) {
        lstrcpyW(file, L"x86\\" OUR_DLL);
        if (file_exists(opt->beside))
            opt->dlls.dll32 = opt->beside;
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

/* The DLL that will serve `machine`'s processes from `dest`: `source` when
 * it is to be copied there, else the one in place. */
static int dll_ready(const WCHAR *source, const WCHAR *dest, USHORT machine, const WCHAR *flag,
                     const WCHAR *whose)
{
    WCHAR why[MAX_PATH + 128];

    if (dll_serves(source ? source : dest, machine, why, ARRAYSIZE(why)))
        return 1;
    if (!source && !file_exists(dest))
        out_msg("error", "dll-missing",
                L"%ls is missing, so %ls would have no SMB provider: "
                L"pass %ls PATH.",
                dest, whose, flag);
    else
        out_msg("error", "dll-bad", L"%ls, so %ls would have no SMB provider%ls%ls.", why, whose,
                source ? L": pass the right build with " : L"", source ? flag : L"");
    return 0;
}

/* The checks that decide whether anything may change. */
static int preflight(const struct install_opts *opt, const struct stock *stock,
                     const struct order orders[ORDER_COUNT], const WCHAR *native,
                     const WCHAR *wow64)
{
    const USHORT machine = native_machine();

    /* Native processes there load only ARM64 (or ARM64X) provider DLLs: our
     * x64 one would leave them without SMB (docs/design.md, Windows facts). */
    if (machine == IMAGE_FILE_MACHINE_ARM64) {
        out_msg("error", "arm64",
                L"this Windows runs on ARM64 (IsWow64Process2): its native programs load only "
                L"ARM64 network providers, and netreclaim has no ARM64 build yet, so they "
                L"would be left without SMB.");
        return 0;
    }
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
    /* MUP ranks redirectors by the DeviceName of each provider in the order:
     * without one, SMB would fall behind WebDAV, RDP and the rest. */
    if (!stock->device.data) {
        out_msg("error", "stock-device",
                L"HKLM\\%ls\\DeviceName is missing, empty or not a string: NetReclaim needs "
                L"it (\\Device\\LanmanRedirector on Windows) so that MUP keeps SMB first. "
                L"Repair the LanmanWorkstation provider first.",
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
    return dll_ready(opt->dll, native, machine, L"--dll", L"native programs") &&
           (!wow64[0] ||
            dll_ready(opt->dll32, wow64, IMAGE_FILE_MACHINE_I386, L"--dll32", L"32-bit programs"));
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

/* Where this program is, for the x86 provider of a 32-bit program, which
 * hands its reclaims to the native netreclaim.exe (docs/wow64.md). Written
 * at every install: the program may have moved since the first. */
static LONG record_exe(void)
{
    WCHAR path[MAX_PATH];
    const DWORD n = GetModuleFileNameW(NULL, path, ARRAYSIZE(path));

    if (!n || n >= ARRAYSIZE(path))
        return n ? ERROR_INSUFFICIENT_BUFFER : GetLastError();
    return reg_set_string(KEY_RECORD, RECORD_EXE, REG_SZ, path);
}

static LONG register_provider(const struct stock *stock)
{
    LONG error;

    error = reg_set_string(KEY_SERVICE, L"Group", REG_SZ, OUR_GROUP);
    if (!error)
        error = reg_set_string(KEY_PROVIDER, L"ProviderPath", REG_EXPAND_SZ, OUR_PROVIDER_PATH);
    if (!error)
        error = reg_set_string(KEY_PROVIDER, L"Name", REG_SZ, (const WCHAR *)stock->name.data);
    if (!error)
        error = reg_set(KEY_PROVIDER, L"DeviceName", stock->device.type, stock->device.data,
                        stock->device.size);
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

int install_run(const struct install_opts *opt)
{
    struct order orders[ORDER_COUNT];
    struct stock stock;
    WCHAR native[MAX_PATH], wow64[MAX_PATH];
    int rc = CLI_OK;

    stock_probe(&stock);
    orders_load(orders);
    our_dll_paths(native, wow64);
    if (!preflight(opt, &stock, orders, native, wow64)) {
        rc = CLI_FAILED;
    } else {
        if (!wow64[0] && opt->dll32)
            out_msg("note", "no-wow64",
                    L"no SysWOW64 folder: this Windows runs no 32-bit programs, so the x86 "
                    L"build is not needed.");
        if ((opt->dll && !copy_dll(opt->dll, native)) ||
            (wow64[0] && opt->dll32 && !copy_dll(opt->dll32, wow64)) || remember(&stock, orders) ||
            record_exe() || register_provider(&stock) ||
            order_apply(&orders[ORDER_PROVIDER], nr_order_install, NULL) ||
            (orders[ORDER_HW].status == NR_OK &&
             order_apply(&orders[ORDER_HW], nr_order_install, NULL)))
            rc = out_changes() ? CLI_PARTIAL : CLI_FAILED;
    }
    orders_free(orders);
    stock_free(&stock);
    return rc;
}

int cmd_install(const struct cli *cli)
{
    struct options opt = { 0 };
    int rc;

    rc = parse(cli, &opt);
    if (rc != CLI_OK)
        return rc;
    rc = need_admin();
    if (rc != CLI_OK)
        return rc;
    rc = install_run(&opt.dlls);
    if (rc == CLI_FAILED) {
        out_msg("note", NULL, L"nothing changed.");
    } else if (rc == CLI_PARTIAL) {
        out_msg("next", NULL,
                L"run \"netreclaim uninstall\" to undo, or \"netreclaim doctor\" to see the "
                L"state.");
    } else {
        if (!out_changes())
            out_msg("note", NULL, L"already installed; nothing changed.");
        out_msg("next", NULL,
                L"new processes load NetReclaim; sign out or restart so running ones do. "
                L"\"netreclaim status\" shows the state.");
    }
    out_field("result", rc == CLI_OK        ? L"installed"
                        : rc == CLI_PARTIAL ? L"partly installed"
                                            : L"not installed");
    return rc;
}
