/* ProviderOrder and HwOrder\ProviderOrder as values to check and edit; the
 * list editing itself is the core's (order.h). */
#include "cli.h"

#define REFUSED                                                                                    \
    (NR_ORDER_EMPTY_VALUE | NR_ORDER_TOO_LONG | NR_ORDER_MALFORMED | NR_ORDER_DUPLICATE |          \
     NR_ORDER_EMPTY_ENTRY | NR_ORDER_WHITESPACE)
#define EDIT_CCH (NR_ORDER_MAX_CCH + 32)

static const struct {
    const WCHAR *label, *key;
} places[ORDER_COUNT] = {
    [ORDER_PROVIDER] = { L"ProviderOrder", KEY_ORDER },
    [ORDER_HW] = { L"HwOrder\\ProviderOrder", KEY_HWORDER },
};

/* The text of a string value: one stored terminating NUL is not part of
 * it; any other NUL is, and the core reports it as malformed. */
static int value_text(const struct nrwin_value *v, const WCHAR **text, size_t *len)
{
    if ((v->type != REG_SZ && v->type != REG_EXPAND_SZ) || v->size % sizeof(WCHAR))
        return 0;
    *text = (const WCHAR *)v->data;
    *len = v->size / sizeof(WCHAR);
    if (*len && !(*text)[*len - 1])
        (*len)--;
    return 1;
}

void orders_load(struct order orders[ORDER_COUNT])
{
    for (int i = 0; i < ORDER_COUNT; i++) {
        struct order *o = &orders[i];

        ZeroMemory(o, sizeof(*o));
        o->label = places[i].label;
        o->key = places[i].key;
        o->status = nrwin_reg_value(HKEY_LOCAL_MACHINE, o->key, L"ProviderOrder", &o->raw);
        if (o->status != NR_OK || !value_text(&o->raw, &o->text, &o->len))
            continue;
        o->flags = nr_order_check(o->text, o->len);
        o->usable = !(o->flags & REFUSED);
    }
}

void orders_free(struct order orders[ORDER_COUNT])
{
    for (int i = 0; i < ORDER_COUNT; i++)
        nrwin_free(orders[i].raw.data);
}

int order_names(const struct order *o, unsigned int flag)
{
    return o->text && (o->flags & flag);
}

int order_explain(const struct order *o, const char *kind)
{
    static const struct {
        unsigned int flag;
        const char *code;
        const WCHAR *why;
    } findings[] = {
        { NR_ORDER_EMPTY_VALUE, "order-empty", L"is empty" },
        { NR_ORDER_TOO_LONG, "order-too-long", L"is longer than 4096 characters" },
        { NR_ORDER_MALFORMED, "order-malformed", L"holds a NUL character" },
        { NR_ORDER_DUPLICATE, "order-duplicate", L"names a provider twice" },
        { NR_ORDER_EMPTY_ENTRY, "order-empty-entry", L"has an empty entry" },
        { NR_ORDER_WHITESPACE, "order-whitespace", L"has spaces around an entry" },
    };
    const WCHAR *fix = L"set it to a comma list that names LanmanWorkstation, such as "
                       L"\"RDPNP,LanmanWorkstation,webclient\"";

    if (o->status == NR_GONE) {
        if (o->key == places[ORDER_HW].key)
            return 1; /* optional: nothing to edit */
        out_msg(kind, "order-missing", L"HKLM\\%ls\\ProviderOrder is missing: %ls.", o->key, fix);
        return 0;
    }
    if (o->status != NR_OK) {
        out_msg(kind, "order-unreadable", L"HKLM\\%ls\\ProviderOrder cannot be read (%ls).", o->key,
                o->status == NR_NOMEM ? L"out of memory" : L"access denied or too big");
        return 0;
    }
    if (!o->text) {
        out_msg(kind, "order-type", L"%ls is %ls (%lu bytes), not a REG_SZ string: %ls.", o->label,
                reg_type_name(o->raw.type), o->raw.size, fix);
        return 0;
    }
    for (size_t i = 0; i < ARRAYSIZE(findings); i++) {
        if (!(o->flags & findings[i].flag))
            continue;
        /* A value too long to show is cut: the reason must stay readable. */
        out_msg(
            kind, findings[i].code, L"%ls \"%.200ls%ls\" %ls: %ls.", o->label, o->text,
            o->len > 200 ? L"..." : L"", findings[i].why,
            (findings[i].flag & (NR_ORDER_DUPLICATE | NR_ORDER_EMPTY_ENTRY | NR_ORDER_WHITESPACE))
                ? L"run \"netreclaim doctor --fix\" to repair it"
                : fix);
        return 0;
    }
    return 1;
}

LONG order_apply(const struct order *o, order_edit edit, const struct nrwin_value *original)
{
    WCHAR *result = NULL;
    const WCHAR *old_text;
    size_t result_len, old_len;
    LONG error = ERROR_SUCCESS;

    if (!o->text)
        return ERROR_INVALID_DATA;
    result = nrwin_alloc(EDIT_CCH * sizeof(WCHAR));
    if (!result)
        return ERROR_NOT_ENOUGH_MEMORY;
    if (edit(o->text, o->len, result, EDIT_CCH, &result_len) != NR_ORDER_OK)
        error = ERROR_INVALID_DATA;
    else if (original && value_text(original, &old_text, &old_len) &&
             CompareStringOrdinal(old_text, (int)old_len, result, (int)result_len, TRUE) ==
                 CSTR_EQUAL)
        error = reg_set(o->key, L"ProviderOrder", original->type, original->data, original->size);
    else if (result_len != o->len || memcmp(result, o->text, result_len * sizeof(WCHAR)))
        error = reg_set(o->key, L"ProviderOrder", o->raw.type, result,
                        (DWORD)(result_len + 1) * sizeof(WCHAR));
    nrwin_free(result);
    return error;
}
