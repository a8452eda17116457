/* Settings from raw registry values. Registry data is little-endian UTF-16
 * at any alignment, possibly without its NUL terminator: it is read one unit
 * at a time from bytes and never trusted past `size`. */

#include <string.h>

#include "netreclaim/policy.h"

static const nr_char name_mode[] = u"Mode";
static const nr_char name_timeout[] = u"NameQueryTimeoutMs";
static const nr_char name_excluded[] = u"ExcludedProcesses";
static const nr_char name_service[] = u"AllowServiceSessions";

void nr_policy_init(struct nr_policy *policy)
{
    memset(policy, 0, sizeof(*policy));
    policy->mode = NR_MODE_ENFORCE;
    policy->timeout_ms = NR_TIMEOUT_DEFAULT_MS;
}

const nr_char *nr_policy_value_name(enum nr_policy_value value)
{
    switch (value) {
    case NR_POLICY_MODE:
        return name_mode;
    case NR_POLICY_TIMEOUT:
        return name_timeout;
    case NR_POLICY_EXCLUDED:
        return name_excluded;
    case NR_POLICY_SERVICE:
        return name_service;
    default:
        return NULL;
    }
}

const char *nr_policy_issue_text(enum nr_policy_issue issue)
{
    static const char *const text[] = {
        [NR_POLICY_OK] = "applied",
        [NR_POLICY_CLAMPED] = "applied, brought into range",
        [NR_POLICY_TRIMMED] = "applied, some entries dropped",
        [NR_POLICY_WRONG_TYPE] = "ignored, wrong type",
        [NR_POLICY_BAD_SIZE] = "ignored, bad size",
        [NR_POLICY_INVALID] = "ignored, invalid value",
    };

    return (size_t)issue < sizeof(text) / sizeof(text[0]) ? text[issue] : "unknown";
}

static nr_char unit_at(const unsigned char *bytes, size_t i)
{
    return (nr_char)(bytes[2 * i] | bytes[2 * i + 1] << 8);
}

/* Units up to the first NUL or the end of the data. */
static size_t string_units(const unsigned char *bytes, size_t start, size_t units)
{
    size_t i = start;

    while (i < units && unit_at(bytes, i))
        i++;
    return i - start;
}

static enum nr_policy_issue apply_mode(struct nr_policy *policy, const unsigned char *bytes,
                                       size_t units)
{
    static const struct {
        const char *word;
        enum nr_mode mode;
    } modes[] = {
        { "enforce", NR_MODE_ENFORCE },
        { "audit", NR_MODE_AUDIT },
        { "off", NR_MODE_OFF },
    };
    nr_char word[8];
    size_t len = string_units(bytes, 0, units), i;

    if (len >= sizeof(word) / sizeof(word[0]))
        return NR_POLICY_INVALID;
    for (i = 0; i < len; i++)
        word[i] = unit_at(bytes, i);
    for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
        if (nr_equal_ascii_nocase(word, len, modes[i].word)) {
            policy->mode = modes[i].mode;
            return NR_POLICY_OK;
        }
    }
    return NR_POLICY_INVALID;
}

static uint32_t dword_at(const unsigned char *bytes)
{
    return bytes[0] | bytes[1] << 8 | (uint32_t)bytes[2] << 16 | (uint32_t)bytes[3] << 24;
}

static enum nr_policy_issue apply_timeout(struct nr_policy *policy, const unsigned char *bytes)
{
    uint32_t ms = dword_at(bytes);

    if (ms < NR_TIMEOUT_MIN_MS || ms > NR_TIMEOUT_MAX_MS) {
        policy->timeout_ms = ms < NR_TIMEOUT_MIN_MS ? NR_TIMEOUT_MIN_MS : NR_TIMEOUT_MAX_MS;
        return NR_POLICY_CLAMPED;
    }
    policy->timeout_ms = ms;
    return NR_POLICY_OK;
}

/* An image base name: no path, drive or stream separators. */
static bool is_base_name(const unsigned char *bytes, size_t start, size_t len)
{
    size_t i;
    nr_char c;

    for (i = start; i < start + len; i++) {
        c = unit_at(bytes, i);
        if (c == '\\' || c == '/' || c == ':' || c < 0x20)
            return false;
    }
    return true;
}

/* REG_MULTI_SZ: strings up to an empty one or the end of the data; REG_SZ:
 * the first string only. The new list replaces the old one. */
static enum nr_policy_issue apply_excluded(struct nr_policy *policy, const unsigned char *bytes,
                                           size_t units, bool multi)
{
    enum nr_policy_issue issue = NR_POLICY_OK;
    size_t pos = 0, len, count = 0, i;

    while (pos < units) {
        len = string_units(bytes, pos, units);
        if (!len)
            break;
        if (count == NR_EXCLUDED_MAX || len >= NR_EXCLUDED_NAME_MAX ||
            !is_base_name(bytes, pos, len))
            issue = NR_POLICY_TRIMMED;
        else {
            for (i = 0; i < len; i++)
                policy->excluded[count][i] = unit_at(bytes, pos + i);
            policy->excluded[count++][len] = 0;
        }
        if (!multi)
            break;
        pos += len + 1;
    }
    policy->excluded_count = count;
    return issue;
}

enum nr_policy_issue nr_policy_apply(struct nr_policy *policy, enum nr_policy_value value,
                                     uint32_t type, const void *data, size_t size)
{
    const unsigned char *bytes = data;

    if (size && !data)
        return NR_POLICY_BAD_SIZE;
    switch (value) {
    case NR_POLICY_MODE:
        if (type != NR_REG_SZ && type != NR_REG_EXPAND_SZ)
            return NR_POLICY_WRONG_TYPE;
        if (size % 2)
            return NR_POLICY_BAD_SIZE;
        return apply_mode(policy, bytes, size / 2);
    case NR_POLICY_TIMEOUT:
        if (type != NR_REG_DWORD)
            return NR_POLICY_WRONG_TYPE;
        if (size != 4)
            return NR_POLICY_BAD_SIZE;
        return apply_timeout(policy, bytes);
    case NR_POLICY_EXCLUDED:
        if (type != NR_REG_MULTI_SZ && type != NR_REG_SZ)
            return NR_POLICY_WRONG_TYPE;
        if (size % 2)
            return NR_POLICY_BAD_SIZE;
        return apply_excluded(policy, bytes, size / 2, type == NR_REG_MULTI_SZ);
    case NR_POLICY_SERVICE:
        if (type != NR_REG_DWORD)
            return NR_POLICY_WRONG_TYPE;
        if (size != 4)
            return NR_POLICY_BAD_SIZE;
        if (dword_at(bytes) > 1)
            return NR_POLICY_INVALID;
        policy->allow_service_sessions = dword_at(bytes) == 1;
        return NR_POLICY_OK;
    default:
        return NR_POLICY_INVALID;
    }
}
