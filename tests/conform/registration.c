/* What MPR and MUP read (docs/design.md, "The registry contract", and rule
 * 1): both order values sound and naming the SMB provider once, the stock
 * DeviceName, the stock DLL's NP exports that netreclaim forwards, and the
 * provider MPR names for WNNC_NET_LANMAN. */
#include <stdio.h>
#include "netreclaim/order.h"
#include "entries.h"
#include "nrconform.h"

#define ORDER_KEY L"SYSTEM\\CurrentControlSet\\Control\\NetworkProvider\\"
#define ORDER_PROBLEMS                                                                             \
    (NR_ORDER_BOTH | NR_ORDER_DUPLICATE | NR_ORDER_EMPTY_ENTRY | NR_ORDER_WHITESPACE |             \
     NR_ORDER_TOO_LONG | NR_ORDER_EMPTY_VALUE | NR_ORDER_MALFORMED)

/* One order value: its findings by the core (NR_ORDER_*), ~0u when unread. */
static unsigned int order_value(const WCHAR *subkey, const char *id, WCHAR *text, size_t cch)
{
    struct nrwin_value v;
    unsigned int found = ~0u;
    int status = nrwin_reg_value(HKEY_LOCAL_MACHINE, subkey, L"ProviderOrder", &v);

    text[0] = 0;
    if (status == NR_OK && v.type == REG_SZ) {
        lstrcpynW(text, (const WCHAR *)v.data, (int)cch);
        found = nr_order_check(text, wcslen(text));
    }
    if (status == NR_OK)
        nrwin_free(v.data);
    nrc_expect(id,
               found != ~0u && !(found & ORDER_PROBLEMS) &&
                   (found & (NR_ORDER_HAS_NETRECLAIM | NR_ORDER_HAS_LANMAN)),
               found == ~0u ? "not a readable REG_SZ (status %d): %s" : "sound: %d, \"%s\"",
               found == ~0u ? status : !(found & ORDER_PROBLEMS), nrc_u8(text, wcslen(text)));
    return found;
}

static void orders(struct nrc_env *env)
{
    WCHAR order[NR_ORDER_MAX_CCH + 1], hw[NR_ORDER_MAX_CCH + 1];
    const unsigned int found =
        order_value(ORDER_KEY L"Order", "registration.order_sound", order, ARRAYSIZE(order));

    order_value(ORDER_KEY L"HwOrder", "registration.hworder_sound", hw, ARRAYSIZE(hw));
    env->netreclaim_in_order = found != ~0u && (found & NR_ORDER_HAS_NETRECLAIM);
    nrc_expect("registration.orders_identical", !wcscmp(order, hw), "Order and HwOrder are %s",
               wcscmp(order, hw) ? "different" : "the same");
}

static void stock_key(void)
{
    struct nrwin_value v;
    int status = nrwin_reg_value(HKEY_LOCAL_MACHINE, NRWIN_STOCK_KEY, L"DeviceName", &v);
    const BOOL text = status == NR_OK && v.type == REG_SZ && v.size > sizeof(WCHAR);

    nrc_expect("registration.stock_device_name", text, "%s",
               text ? nrc_u8((const WCHAR *)v.data, wcslen((const WCHAR *)v.data))
                    : "missing or not a string");
    if (status == NR_OK)
        nrwin_free(v.data);
}

/* Every NP entry netreclaim forwards (provider/entries.h) that the stock
 * DLL exports: one it lacks answers WN_NOT_SUPPORTED through netreclaim. */
static void stock_exports(void)
{
#define NAME_OF(field, export) #export,
    static const char *const names[] = { NRP_ENTRIES(NAME_OF) NRP_THUNKED(NAME_OF) };
#undef NAME_OF
    char missing[512] = "", why[1200];
    HMODULE stock = nrc_stock(why, sizeof(why));
    size_t used = 0, absent = 0;

    if (!stock) {
        nrc_check("registration.stock_np_exports", NRC_FAILED, "%s", why);
        return;
    }
    for (size_t i = 0; i < ARRAYSIZE(names); i++) {
        if (GetProcAddress(stock, names[i]))
            continue;
        absent++;
        used += (size_t)snprintf(
            missing + used, used < sizeof(missing) ? sizeof(missing) - used : 0, " %s", names[i]);
    }
    /* NPGetCaps is what install demands; the rest are recorded. */
    nrc_expect("registration.stock_np_exports", GetProcAddress(stock, "NPGetCaps") != NULL,
               "%zu of %zu exported%s%s", ARRAYSIZE(names) - absent, ARRAYSIZE(names),
               absent ? "; missing:" : "", missing);
    FreeLibrary(stock);
}

static void provider_name(void)
{
    WCHAR name[256], stock[256] = L"";
    DWORD cch = ARRAYSIZE(name), rc = WNetGetProviderNameW(WNNC_NET_LANMAN, name, &cch);
    struct nrwin_value v;

    if (nrwin_reg_value(HKEY_LOCAL_MACHINE, NRWIN_STOCK_KEY, L"Name", &v) == NR_OK) {
        if (v.type == REG_SZ)
            lstrcpynW(stock, (const WCHAR *)v.data, ARRAYSIZE(stock));
        nrwin_free(v.data);
    }
    if (rc)
        name[0] = 0;
    nrc_expect("registration.provider_name_lanman", !rc && !wcscmp(name, stock),
               "WNetGetProviderNameW(WNNC_NET_LANMAN) = %lu, \"%s\": %s", rc,
               nrc_u8(name, wcslen(name)),
               wcscmp(name, stock) ? "not the stock provider's Name" : "the stock provider's Name");
}

void nrc_registration(struct nrc_env *env)
{
    orders(env);
    stock_key();
    stock_exports();
    provider_name();
}
