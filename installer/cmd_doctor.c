/* netreclaim doctor [--fix]: finds drift and, with --fix, repairs it. The
 * one thing that must never stand is an order naming NetReclaim when
 * NetReclaim cannot load: that leaves no SMB provider at all. When only its
 * registration is gone (KB 4013822) and everything else would work, --fix
 * registers it again through install's own code; otherwise LanmanWorkstation
 * goes back. */
#include <stdarg.h>
#include "cli.h"

#define REPAIRABLE (NR_ORDER_DUPLICATE | NR_ORDER_EMPTY_ENTRY | NR_ORDER_WHITESPACE)

struct doctor {
    int fix;
    int found, unfixed;
    struct order orders[ORDER_COUNT];
    struct stock stock;
    WCHAR native[MAX_PATH], wow64[MAX_PATH];
    int recorded;     /* the install record exists */
    int unregistered; /* our key or its ProviderPath is gone */
    int healable;     /* ...and the DLLs and the stock provider would work */
    int healed;       /* 0 not tried, 1 registered again, -1 failed */
    WCHAR why[1024];  /* why NetReclaim cannot load, a sentence's end; empty when it can */
};

static void finding(struct doctor *d, const char *code, const WCHAR *fmt, ...)
{
    WCHAR text[1024];
    va_list ap;

    va_start(ap, fmt);
    _vsnwprintf(text, ARRAYSIZE(text), fmt, ap);
    va_end(ap);
    text[ARRAYSIZE(text) - 1] = 0;
    out_msg("finding", code, L"%ls", text);
    d->found++;
}

/* After a finding: repair it with `error` the outcome, or count it open. */
static void outcome(struct doctor *d, const char *code, LONG error, const WCHAR *done)
{
    if (!d->fix)
        return;
    if (error) {
        d->unfixed++;
        return; /* the failing write reported why */
    }
    out_msg("fixed", code, L"%ls", done);
}

static void unfixable(struct doctor *d)
{
    if (d->fix)
        d->unfixed++;
}

#define NO_SMB L": no SMB provider can load. (A Windows update can do this.)"
#define NO_SMB_HERE L": no SMB provider for these processes."

static void dll_health(struct doctor *d)
{
    WCHAR why[MAX_PATH + 128];
    const int native = dll_serves(d->native, native_machine(), why, ARRAYSIZE(why));

    if (!native) {
        _snwprintf(d->why, ARRAYSIZE(d->why), L"%ls%ls", why,
                   file_exists(d->native) ? NO_SMB_HERE : NO_SMB);
    } else if (d->wow64[0] && !dll_serves(d->wow64, IMAGE_FILE_MACHINE_I386, why, ARRAYSIZE(why))) {
        _snwprintf(d->why, ARRAYSIZE(d->why), L"%ls (32-bit programs)%ls", why, NO_SMB_HERE);
    }
    d->why[ARRAYSIZE(d->why) - 1] = 0;
}

/* The registration is named first; the DLLs decide whether --fix can
 * register NetReclaim again (healable) or must put LanmanWorkstation back. */
static void provider_health(struct doctor *d)
{
    struct nrwin_value path;
    WCHAR reg_why[ARRAYSIZE(d->why)];

    reg_why[0] = 0;
    if (nrwin_reg_value(HKEY_LOCAL_MACHINE, KEY_PROVIDER, L"ProviderPath", &path) != NR_OK)
        lstrcpyW(reg_why, L"its key HKLM\\" KEY_PROVIDER L" is gone" NO_SMB);
    else if (path.type != REG_EXPAND_SZ || lstrcmpiW((const WCHAR *)path.data, OUR_PROVIDER_PATH))
        _snwprintf(reg_why, ARRAYSIZE(reg_why), L"its ProviderPath is \"%.300ls\", not \"%ls\"%ls",
                   path.type == REG_SZ || path.type == REG_EXPAND_SZ ? (const WCHAR *)path.data
                                                                     : L"(not a string)",
                   OUR_PROVIDER_PATH, NO_SMB);
    reg_why[ARRAYSIZE(reg_why) - 1] = 0;
    nrwin_free(path.data);
    d->why[0] = 0;
    dll_health(d);
    d->unregistered = reg_why[0] != 0;
    /* What install's preflight asks, asked first, so that a refusal shows as
     * LanmanWorkstation put back rather than as install's errors. */
    d->healable = d->unregistered && !d->why[0] && d->stock.loads && d->stock.name.data &&
                  d->stock.device.data && native_machine() != IMAGE_FILE_MACHINE_ARM64;
    if (d->unregistered)
        lstrcpyW(d->why, reg_why);
}

static void gather(struct doctor *d)
{
    orders_load(d->orders);
    stock_probe(&d->stock);
    our_dll_paths(d->native, d->wow64);
    d->recorded = reg_key_exists(KEY_RECORD);
    provider_health(d);
}

static void release(struct doctor *d)
{
    orders_free(d->orders);
    stock_free(&d->stock);
}

/* Duplicates, empty entries, blanks: the core's repair. Values that cannot
 * be repaired safely (missing, empty, wrong type) are only explained. */
static void check_syntax(struct doctor *d, struct order *o)
{
    if (o->usable || (o->status == NR_GONE && o == &d->orders[ORDER_HW]))
        return;
    d->found++;
    order_explain(o, "finding");
    if (o->text && !(o->flags & ~(REPAIRABLE | NR_ORDER_HAS_NETRECLAIM | NR_ORDER_HAS_LANMAN |
                                  NR_ORDER_BOTH))) {
        outcome(d, "order-repair", d->fix ? order_apply(o, nr_order_repair, NULL) : 0,
                L"entries repaired; the order of the others is unchanged.");
    } else {
        unfixable(d);
    }
}

/* KB 4013822: an update deleted our registration but left the DLLs. The
 * very code of "netreclaim install", once per run; 1 when it worked. */
static int heal(struct doctor *d)
{
    const struct install_opts in_place = { 0 };

    if (!d->healed)
        d->healed = install_run(&in_place) == CLI_OK ? 1 : -1;
    return d->healed > 0;
}

static void check_order(struct doctor *d, struct order *o)
{
    const int ours = order_names(o, NR_ORDER_HAS_NETRECLAIM);
    const int lanman = order_names(o, NR_ORDER_HAS_LANMAN);
    static const WCHAR healed[] = L"NetReclaim registered again, as \"netreclaim install\" "
                                  L"does: its DLLs are in place and the stock provider loads.";

    if (!o->usable)
        return;
    if (ours && d->why[0]) {
        finding(d, "no-smb", L"%ls names NetReclaim but %ls", o->label, d->why);
        if (d->fix && d->healable && heal(d))
            outcome(d, "no-smb", ERROR_SUCCESS, healed);
        else
            outcome(d, "no-smb", d->fix ? order_apply(o, nr_order_uninstall, NULL) : 0,
                    L"LanmanWorkstation is back in the order, so SMB works; run \"netreclaim "
                    L"install\" to bring NetReclaim back.");
    } else if (ours && lanman) {
        finding(d, "both",
                L"%ls holds LanmanWorkstation beside NetReclaim (another installer "
                L"re-added it): the stock provider would run twice.",
                o->label);
        outcome(d, "both", d->fix ? order_apply(o, nr_order_install, NULL) : 0,
                L"LanmanWorkstation removed beside NetReclaim.");
    } else if (!ours && !lanman) {
        finding(d, "order-no-smb",
                L"%ls \"%ls\" names neither LanmanWorkstation nor NetReclaim: "
                L"add LanmanWorkstation back.",
                o->label, o->text);
        unfixable(d);
    } else if (!ours && d->recorded && d->stock.loads && (!d->why[0] || d->healable)) {
        finding(d, "lanman-restored",
                L"%ls names LanmanWorkstation again (a Windows update restored it%ls): "
                L"NetReclaim is installed but not in use.",
                o->label, d->why[0] ? L" and deleted NetReclaim's key" : L"");
        if (!d->why[0])
            outcome(d, "lanman-restored", d->fix ? order_apply(o, nr_order_install, NULL) : 0,
                    L"NetReclaim is back in LanmanWorkstation's place.");
        else
            outcome(d, "lanman-restored",
                    !d->fix || heal(d) ? ERROR_SUCCESS : ERROR_INSTALL_FAILURE, healed);
    }
}

static void check_stock(struct doctor *d)
{
    struct nrwin_value old;

    if (!d->stock.loads) {
        finding(d, "stock-load",
                L"the stock provider %ls does not load (%ls): SMB cannot work "
                L"with or without NetReclaim. Repair HKLM\\%ls\\ProviderPath.",
                d->stock.status == NR_OK ? d->stock.path : L"(no ProviderPath)",
                d->stock.status == NR_OK ? error_text(d->stock.error) : L"no path", KEY_STOCK);
        unfixable(d);
        return;
    }
    if (!d->recorded ||
        nrwin_reg_value(HKEY_LOCAL_MACHINE, KEY_RECORD, L"StockPath", &old) != NR_OK)
        return;
    if (old.type == REG_SZ && lstrcmpiW((const WCHAR *)old.data, d->stock.path)) {
        finding(d, "stock-changed",
                L"the stock provider moved from %ls to %ls; it loads, and "
                L"NetReclaim forwards to it.",
                (const WCHAR *)old.data, d->stock.path);
        outcome(d, "stock-changed",
                d->fix ? reg_set_string(KEY_RECORD, L"StockPath", REG_SZ, d->stock.path) : 0,
                L"the new path is recorded.");
    }
    nrwin_free(old.data);
}

/* A value of ours that must hold exactly `data` (type and bytes): reported
 * with `what` when it does not, rewritten with --fix. */
static void check_value(struct doctor *d, const char *code, const WCHAR *subkey, const WCHAR *name,
                        const struct nrwin_value *want, const WCHAR *what, const WCHAR *done)
{
    struct nrwin_value v;
    int same;

    same = nrwin_reg_value(HKEY_LOCAL_MACHINE, subkey, name, &v) == NR_OK && v.type == want->type &&
           v.size == want->size && !memcmp(v.data, want->data, v.size);
    nrwin_free(v.data);
    if (same)
        return;
    finding(d, code, L"%ls", what);
    outcome(d, code, d->fix ? reg_set(subkey, name, want->type, want->data, want->size) : 0, done);
}

/* MUP ranks redirectors by the DeviceName of each provider in the order,
 * and Microsoft asks every provider's service key for Group. */
static void check_mup(struct doctor *d)
{
    const struct nrwin_value group = { REG_SZ, sizeof(OUR_GROUP), (BYTE *)OUR_GROUP };
    WCHAR what[512];

    check_value(d, "group", KEY_SERVICE, L"Group", &group,
                L"HKLM\\" KEY_SERVICE L"\\Group is not \"" OUR_GROUP L"\", as Microsoft asks of "
                L"every network provider.",
                L"Group set to \"" OUR_GROUP L"\".");
    if (!d->stock.device.data) {
        finding(d, "stock-device",
                L"HKLM\\%ls\\DeviceName is missing, empty or not a string: MUP cannot tell "
                L"which redirector is SMB's and may try WebDAV, RDP or others first. Repair "
                L"the LanmanWorkstation provider's key (Windows: \\Device\\LanmanRedirector).",
                KEY_STOCK);
        unfixable(d);
        return;
    }
    _snwprintf(what, ARRAYSIZE(what),
               L"NetReclaim's DeviceName is missing or not the stock provider's \"%.200ls\": MUP "
               L"ranks SMB last, so a first access to a server can wait for WebDAV, RDP or "
               L"other redirectors, or be claimed by one of them.",
               (const WCHAR *)d->stock.device.data);
    what[ARRAYSIZE(what) - 1] = 0;
    check_value(d, "device-name", KEY_PROVIDER, L"DeviceName", &d->stock.device, what,
                L"DeviceName copied from the stock provider.");
}

/* Our key's Name must stay the stock's (lpProvider lookups), and the event
 * source must exist while we are installed. */
static void check_keys(struct doctor *d)
{
    struct nrwin_value name;

    if (d->why[0] || !d->stock.name.data)
        return;
    check_mup(d);
    if (nrwin_reg_value(HKEY_LOCAL_MACHINE, KEY_PROVIDER, L"Name", &name) != NR_OK ||
        name.type != REG_SZ ||
        lstrcmpW((const WCHAR *)name.data, (const WCHAR *)d->stock.name.data)) {
        finding(d, "name",
                L"NetReclaim's Name differs from the stock provider's \"%ls\": "
                L"programs naming the provider would not find it.",
                (const WCHAR *)d->stock.name.data);
        outcome(d, "name",
                d->fix ? reg_set_string(KEY_PROVIDER, L"Name", REG_SZ,
                                        (const WCHAR *)d->stock.name.data)
                       : 0,
                L"Name copied from the stock provider.");
    }
    nrwin_free(name.data);
    if (!reg_key_exists(KEY_EVENTSOURCE)) {
        finding(d, "event-source",
                L"the Event Log source NetReclaim is not registered: "
                L"records would show without their text.");
        outcome(d, "event-source",
                d->fix ? (reg_set_string(KEY_EVENTSOURCE, L"EventMessageFile", REG_EXPAND_SZ,
                                         OUR_PROVIDER_PATH) ||
                          reg_set_dword(KEY_EVENTSOURCE, L"TypesSupported", 7))
                       : 0,
                L"event source registered.");
    }
}

/* The self-checks every process runs before its first close, run here
 * the same way (docs/design.md, "Self-checks"). One that forbids closing
 * is a finding no --fix repairs: netreclaim only audits on this machine. */
static void check_self(struct doctor *d)
{
    struct nr_selfcheck checks;
    enum nr_check c, refused;

    nrwin_self_checks(&checks);
    for (c = 0; c < NR_CHECK_COUNT; c++) {
        if (checks.detail[c])
            out_msg("note", "self-check", L"self-check %hs: %hs (status 0x%08lx).",
                    nr_check_name(c), nr_check_result_text(checks.result[c]),
                    (unsigned long)checks.detail[c]);
        else
            out_msg("note", "self-check", L"self-check %hs: %hs.", nr_check_name(c),
                    nr_check_result_text(checks.result[c]));
    }
    if (checks.forced)
        out_msg("note", "test-hook", L"test hook NETRECLAIM_TEST_SELFCHECK forced a failure.");
    refused = nr_selfcheck_refusal(&checks);
    if (refused != NR_CHECK_COUNT) {
        finding(d, "self-check",
                L"self-check %hs failed (%hs): every reclaim on this machine is an audit, "
                L"nothing is closed.",
                nr_check_name(refused), nr_check_text(refused));
        unfixable(d);
    }
    out_msg("note", "self-check",
            nr_selfcheck_prefilter(&checks)
                ? L"the device prefilter is on: only handles on \\Device\\Mup are named."
                : L"the device prefilter is off: every File handle is named.");
}

int cmd_doctor(const struct cli *cli)
{
    struct doctor d = { 0 };
    int rc;

    for (int i = 0; i < cli->argc; i++) {
        if (lstrcmpW(cli->argv[i], L"--fix"))
            return out_usage_error(L"doctor", L"unexpected argument \"%ls\"", cli->argv[i]);
        d.fix = 1;
    }
    if (d.fix && (rc = need_admin()) != CLI_OK)
        return rc;
    gather(&d);
    for (int i = 0; i < ORDER_COUNT; i++)
        check_syntax(&d, &d.orders[i]);
    if (d.fix && out_changes()) { /* later checks must see the repaired values */
        release(&d);
        gather(&d);
    }
    for (int i = 0; i < ORDER_COUNT; i++)
        check_order(&d, &d.orders[i]);
    if (d.healed > 0) { /* the rest is checked against the registration made */
        release(&d);
        gather(&d);
    }
    check_stock(&d);
    check_keys(&d);
    check_self(&d);
    release(&d);

    out_number("findings", (unsigned long)d.found);
    if (!d.found) {
        out_msg("note", NULL, L"no problem found.");
        rc = CLI_OK;
    } else if (!d.fix) {
        out_msg("next", NULL, L"run \"netreclaim doctor --fix\" (elevated) to repair.");
        rc = CLI_DRIFT;
    } else if (d.unfixed) {
        out_msg("next", NULL, L"%d problem(s) need a hand: see the findings above.", d.unfixed);
        rc = CLI_PARTIAL;
    } else {
        rc = CLI_OK;
    }
    return rc;
}
