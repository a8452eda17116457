/* Policy values as read raw from the registry: sequences of nr_policy_apply.
 *
 * Input: records of a value byte (one past the last value is invalid), a
 * type byte (bits 0-2: REG_* type; bit 6: data at an odd address; bit 7:
 * data NULL), a 16-bit little-endian byte count (up to 1023) and the data. */
#include "fuzz.h"
#include "netreclaim/nrstr.h"
#include "netreclaim/policy.h"

static int is_ignored(enum nr_policy_issue issue)
{
    return issue == NR_POLICY_WRONG_TYPE || issue == NR_POLICY_BAD_SIZE ||
           issue == NR_POLICY_INVALID;
}

/* What any sequence of applies leaves: a known mode, a timeout in range, and
 * excluded base names that fit their slots. */
static void check_policy(const struct nr_policy *policy)
{
    size_t i, j, len;

    CHECK(policy->mode == NR_MODE_ENFORCE || policy->mode == NR_MODE_AUDIT ||
          policy->mode == NR_MODE_OFF);
    CHECK(policy->timeout_ms >= NR_TIMEOUT_MIN_MS && policy->timeout_ms <= NR_TIMEOUT_MAX_MS);
    CHECK(policy->excluded_count <= NR_EXCLUDED_MAX);
    for (i = 0; i < policy->excluded_count; i++) {
        len = nr_strnlen(policy->excluded[i], NR_EXCLUDED_NAME_MAX);
        CHECK(len >= 1 && len < NR_EXCLUDED_NAME_MAX);
        for (j = 0; j < len; j++) {
            nr_char c = policy->excluded[i][j];

            CHECK(c >= 0x20 && c != '\\' && c != '/' && c != ':');
        }
    }
}

/* `before` with the fields of `value` taken from `after`: an apply touches
 * nothing else. */
static struct nr_policy only_value(const struct nr_policy *before, const struct nr_policy *after,
                                   enum nr_policy_value value)
{
    struct nr_policy expect = *before;

    if (value == NR_POLICY_MODE)
        expect.mode = after->mode;
    else if (value == NR_POLICY_TIMEOUT)
        expect.timeout_ms = after->timeout_ms;
    else if (value == NR_POLICY_EXCLUDED) {
        expect.excluded_count = after->excluded_count;
        memcpy(expect.excluded, after->excluded, sizeof(expect.excluded));
    } else if (value == NR_POLICY_SERVICE)
        expect.allow_service_sessions = after->allow_service_sessions;
    return expect;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct reader r = { data, size };
    struct nr_policy policy, before, again;

    nr_policy_init(&policy);
    check_policy(&policy);
    while (r.n) {
        enum nr_policy_value value = take_u8(&r) % (NR_POLICY_VALUE_COUNT + 1);
        uint8_t type = take_u8(&r);
        size_t len = take_u16(&r) % 1024, odd = (type >> 6) & 1, i;
        unsigned char *buf = malloc(len + odd);
        const unsigned char *bytes = type & 0x80 ? NULL : buf + odd;
        enum nr_policy_issue issue, issue_again;
        struct nr_policy expect;

        /* Registry data need not be aligned; the allocation still ends
         * where the data does, so ASan sees a read past it. */
        CHECK(buf);
        for (i = 0; i < len; i++)
            buf[odd + i] = take_u8(&r);
        type &= 7;

        before = policy;
        issue = nr_policy_apply(&policy, value, type, bytes, len);
        CHECK(issue >= NR_POLICY_OK && issue <= NR_POLICY_INVALID);
        CHECK(nr_policy_issue_text(issue) && strcmp(nr_policy_issue_text(issue), "unknown"));
        CHECK(!nr_policy_value_name(value) == (value == NR_POLICY_VALUE_COUNT));
        CHECK(bytes || !len || issue == NR_POLICY_BAD_SIZE);
        check_policy(&policy);
        expect = is_ignored(issue) ? before : only_value(&before, &policy, value);
        CHECK(!memcmp(&expect, &policy, sizeof(policy)));

        if (value == NR_POLICY_TIMEOUT && !is_ignored(issue)) {
            uint32_t ms =
                bytes[0] | bytes[1] << 8 | (uint32_t)bytes[2] << 16 | (uint32_t)bytes[3] << 24;
            int in_range = ms >= NR_TIMEOUT_MIN_MS && ms <= NR_TIMEOUT_MAX_MS;

            CHECK(issue == (in_range ? NR_POLICY_OK : NR_POLICY_CLAMPED));
            CHECK(!in_range || policy.timeout_ms == ms);
        }

        /* The same value again changes nothing more. */
        again = policy;
        issue_again = nr_policy_apply(&again, value, type, bytes, len);
        CHECK(issue_again == issue && !memcmp(&again, &policy, sizeof(policy)));
        free(buf);
    }
    return 0;
}
