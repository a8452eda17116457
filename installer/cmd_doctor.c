/* netreclaim doctor [--fix]: finds drift and, with --fix, repairs it. The
 * one thing that must never stand is an order naming NetReclaim when
 * NetReclaim cannot load: that leaves no SMB provider at all. */
#include <stdarg.h>
#include "cli.h"

#define REPAIRABLE (NR_ORDER_DUPLICATE | NR_ORDER_EMPTY_ENTRY | NR_ORDER_WHITESPACE)

struct doctor {
    int fix;
    int found, unfixed;
    struct order orders[ORDER_COUNT];
    struct stock stock;
    WCHAR native[MAX_PATH], wow64[MAX_PATH];
    int recorded;   /* the install record exists */
    WCHAR why[256]; /* why NetReclaim cannot load; empty when it can */
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

static void provider_health(struct doctor *d)
{
    struct nrwin_value path;

    d->why[0] = 0;
    if (nrwin_reg_value(HKEY_LOCAL_MACHINE, KEY_PROVIDER, L"ProviderPath", &path) != NR_OK) {
        lstrcpyW(d->why, L"its key HKLM\\" KEY_PROVIDER L" is gone");
        return;
    }
    if (path.type != REG_EXPAND_SZ || lstrcmpiW((const WCHAR *)path.data, OUR_PROVIDER_PATH))
        _snwprintf(d->why, ARRAYSIZE(d->why), L"its ProviderPath is \"%ls\", not \"%ls\"",
                   path.type == REG_SZ || path.type == REG_EXPAND_SZ ? (const WCHAR *)path.data
                                                                     : L"(not a string)",
                   OUR_PROVIDER_PATH);
    else if (!file_exists(d->native))
        _snwprintf(d->why, ARRAYSIZE(d->why), L"%ls is missing", d->native);
    else if (d->wow64[0] && !file_exists(d->wow64))
        _snwprintf(d->why, ARRAYSIZE(d->why), L"%ls is missing (32-bit programs)", d->wow64);
    d->why[ARRAYSIZE(d->why) - 1] = 0;
    nrwin_free(path.data);
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

static void check_order(struct doctor *d, struct order *o)
{
    const int ours = order_names(o, NR_ORDER_HAS_NETRECLAIM);
    const int lanman = order_names(o, NR_ORDER_HAS_LANMAN);

    if (!o->usable)
        return;
    if (ours && d->why[0]) {
        finding(d, "no-smb",
                L"%ls names NetReclaim but %ls: no SMB provider can load. "
                L"(A Windows update can do this.)",
                o->label, d->why);
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
    } else if (!ours && d->recorded && !d->why[0] && d->stock.loads) {
        finding(d, "lanman-restored",
                L"%ls names LanmanWorkstation again (a Windows update "
                L"restored it): NetReclaim is installed but not in use.",
                o->label);
        outcome(d, "lanman-restored", d->fix ? order_apply(o, nr_order_install, NULL) : 0,
                L"NetReclaim is back in LanmanWorkstation's place.");
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

/* Our key's Name must stay the stock's (lpProvider lookups), and the event
 * source must exist while we are installed. */
static void check_keys(struct doctor *d)
{
    struct nrwin_value name;

    if (d->why[0] || !d->stock.name.data)
        return;
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

int cmd_doctor(const struct cli *cli)
{
    struct doctor d = { 0 };
    int rc;

    for (int i = 0; i < cli->argc; i++) {
        if (lstrcmpW(cli->argv[i], L"--fix"))
            return cli_usage_error(L"doctor", L"unexpected argument \"%ls\"", cli->argv[i]);
        d.fix = 1;
    }
    if (d.fix && (rc = cli_need_admin()) != CLI_OK)
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
    check_stock(&d);
    check_keys(&d);
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
