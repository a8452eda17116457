/* The WOW64 hand-off of a reclaim (docs/design.md rule 6; docs/wow64.md): the
 * decision, the command line and the records, pure C behind a seam. */

#include "netreclaim/handoff.h"
#include "netreclaim/nrstr.h"

#define NEWLINE "\r\n"
#define TEXT_CCH 2048u
#define PATH_CCH 1024u
#define COMMAND_CCH (2 * PATH_CCH + 64u)

/* Writes below limit, keeping room for the NUL; once a piece does not fit,
 * nothing more is written and `full` says so. */
struct writer {
    nr_char *buf;
    size_t limit, pos;
    bool full;
};

static void put(struct writer *w, const nr_char *s, size_t len)
{
    for (size_t i = 0; i < len && !w->full; i++) {
        if (w->pos + 1 >= w->limit)
            w->full = true;
        else
            w->buf[w->pos++] = s[i];
    }
    w->buf[w->pos] = 0;
}

static void put_str(struct writer *w, const nr_char *s)
{
    put(w, s, nr_strnlen(s, w->limit));
}

static void put_ascii(struct writer *w, const char *s)
{
    for (; *s; s++) {
        const nr_char c = (unsigned char)*s;

        put(w, &c, 1);
    }
}

static void put_number(struct writer *w, uint64_t n, unsigned int base, unsigned int width)
{
    static const char digits[] = "0123456789abcdef";
    nr_char text[24];
    size_t i = sizeof(text) / sizeof(text[0]);

    do {
        text[--i] = digits[n % base];
        n /= base;
    } while ((n || sizeof(text) / sizeof(text[0]) - i < width) && i);
    put(w, text + i, sizeof(text) / sizeof(text[0]) - i);
}

uint32_t nr_handoff_wait_ms(uint32_t timeout_ms)
{
    const uint64_t wait = NR_HANDOFF_WAIT_BASE_MS + (uint64_t)timeout_ms * 10u;

    return wait < NR_HANDOFF_WAIT_MAX_MS ? (uint32_t)wait : NR_HANDOFF_WAIT_MAX_MS;
}

static bool has_quote(const nr_char *s)
{
    for (; *s; s++)
        if (*s == u'"')
            return true;
    return false;
}

/* One argument in quotes: backslashes are literal except in a run before
 * a quote, which is doubled (CommandLineToArgvW's rule). */
static void put_quoted(struct writer *w, const nr_char *s)
{
    size_t slashes = 0;

    put_ascii(w, "\"");
    for (; *s; s++) {
        slashes = *s == u'\\' ? slashes + 1 : 0;
        put(w, s, 1);
    }
    while (slashes--)
        put_ascii(w, "\\");
    put_ascii(w, "\"");
}

bool nr_handoff_command(nr_char *buf, size_t cch, const nr_char *exe, const nr_char *target,
                        uint64_t luid)
{
    struct writer w = { buf, cch, 0, false };

    if (!cch)
        return false;
    buf[0] = 0;
    if (!exe[0] || !target[0] || has_quote(exe) || has_quote(target))
        return false;
    /* The program name is taken up to its closing quote, no escapes. */
    put_ascii(&w, "\"");
    put_str(&w, exe);
    put_ascii(&w, "\" reclaim ");
    put_quoted(&w, target);
    put_ascii(&w, " --luid 0x");
    put_number(&w, luid, 16, 16);
    return !w.full;
}

bool nr_parse_luid(const nr_char *s, size_t len, uint64_t *luid)
{
    uint64_t value = 0;

    if (len < 3 || len > 18 || s[0] != u'0' || (s[1] != u'x' && s[1] != u'X'))
        return false;
    for (size_t i = 2; i < len; i++) {
        const nr_char c = s[i];
        unsigned int digit;

        if (c >= u'0' && c <= u'9')
            digit = c - u'0';
        else if (c >= u'a' && c <= u'f')
            digit = c - u'a' + 10;
        else if (c >= u'A' && c <= u'F')
            digit = c - u'A' + 10;
        else
            return false;
        value = value << 4 | digit;
    }
    *luid = value;
    return true;
}

static const char *const why[NR_CAUSE_COUNT] = {
    [NR_CAUSE_NO_RECORD] = "no netreclaim.exe is recorded (HKLM\\SOFTWARE\\NetReclaim\\Install, "
                           "ExePath): run \"netreclaim install\" again",
    [NR_CAUSE_EXE_MISSING] = "the recorded netreclaim.exe is missing: ",
    [NR_CAUSE_NOT_NATIVE] = "the recorded netreclaim.exe is not built for this machine's native "
                            "processes: ",
    [NR_CAUSE_NO_LUID] = "the caller's logon session cannot be read",
    [NR_CAUSE_SPAWN_FAILED] = "netreclaim.exe could not be started: ",
    [NR_CAUSE_TIMED_OUT] = "netreclaim.exe did not finish in time; it is left to finish on its "
                           "own and writes its own record: ",
    [NR_CAUSE_WRONG_SESSION] = "netreclaim.exe runs in another logon session than the caller "
                               "(does the caller impersonate?) and refused, as it must: ",
    [NR_CAUSE_FAILED] = "netreclaim.exe failed, exit code ",
};

/* Each cause is an outcome of its own (netreclaim/events.h). */
static const enum nr_event cause_event[NR_CAUSE_COUNT] = {
    [NR_CAUSE_NO_RECORD] = NR_EVENT_HANDOFF_NO_RECORD,
    [NR_CAUSE_EXE_MISSING] = NR_EVENT_HANDOFF_EXE_MISSING,
    [NR_CAUSE_NOT_NATIVE] = NR_EVENT_HANDOFF_NOT_NATIVE,
    [NR_CAUSE_NO_LUID] = NR_EVENT_HANDOFF_NO_LUID,
    [NR_CAUSE_SPAWN_FAILED] = NR_EVENT_HANDOFF_SPAWN_FAILED,
    [NR_CAUSE_TIMED_OUT] = NR_EVENT_HANDOFF_TIMED_OUT,
    [NR_CAUSE_WRONG_SESSION] = NR_EVENT_HANDOFF_WRONG_SESSION,
    [NR_CAUSE_FAILED] = NR_EVENT_HANDOFF_FAILED,
};

/* One record per cause per process: a program that cancels in a loop must
 * not flood the log with the same sentence. */
static void tell(const struct nr_handoff_os *os, struct nr_handoff_told *told,
                 enum nr_handoff_cause cause, const nr_char *target, const nr_char *exe,
                 uint32_t exit_code)
{
    nr_char text[TEXT_CCH];
    struct writer w = { text, TEXT_CCH, 0, false };
    const unsigned int bit = 1u << cause;

    if (atomic_fetch_or(&told->bits, bit) & bit)
        return;
    text[0] = 0;
    /* Short lines: each becomes an insertion string of its own (eventlog.c). */
    put_ascii(&w, "Handles under ");
    put_str(&w, target);
    put_ascii(&w, " not reclaimed for this 32-bit program." NEWLINE
                  "Under WOW64 the native netreclaim.exe reclaims for it, but ");
    put_ascii(&w, why[cause]);
    if (cause == NR_CAUSE_FAILED)
        put_number(&w, exit_code, 10, 1);
    else if (cause != NR_CAUSE_NO_RECORD && cause != NR_CAUSE_NO_LUID)
        put_str(&w, exe);
    put_ascii(&w, "." NEWLINE "The cancel itself succeeded. Said once per process.");
    os->report(os->ctx, cause_event[cause], text);
}

static enum nr_handoff_cause hand_off(const struct nr_handoff_os *os, const nr_char *target,
                                      uint32_t wait_ms, const nr_char *exe, uint32_t *exit_code)
{
    nr_char command[COMMAND_CCH];
    uint64_t luid;
    int status;

    if ((status = os->exe_native(os->ctx, exe)) != NR_OK)
        return status == NR_GONE ? NR_CAUSE_EXE_MISSING : NR_CAUSE_NOT_NATIVE;
    if (os->caller_luid(os->ctx, &luid) != NR_OK)
        return NR_CAUSE_NO_LUID;
    if (!nr_handoff_command(command, COMMAND_CCH, exe, target, luid))
        return NR_CAUSE_SPAWN_FAILED;
    status = os->run(os->ctx, exe, command, wait_ms, exit_code);
    if (status == NR_TIMEOUT)
        return NR_CAUSE_TIMED_OUT;
    if (status != NR_OK)
        return NR_CAUSE_SPAWN_FAILED;
    if (*exit_code == NR_EXIT_OK || *exit_code == NR_EXIT_PARTIAL)
        return NR_CAUSE_COUNT; /* done: its record says what it closed */
    return *exit_code == NR_EXIT_WRONG_SESSION ? NR_CAUSE_WRONG_SESSION : NR_CAUSE_FAILED;
}

enum nr_route nr_handoff_route(const struct nr_handoff_os *os, const nr_char *target,
                               uint32_t wait_ms, struct nr_handoff_told *told)
{
    nr_char exe[PATH_CCH];
    enum nr_handoff_cause cause;
    uint32_t exit_code = 0;

    if (!os->wow64(os->ctx))
        return NR_ROUTE_IN_PROCESS;
    exe[0] = 0;
    if (os->recorded_exe(os->ctx, exe, PATH_CCH) != NR_OK || !exe[0] || exe[PATH_CCH - 1])
        cause = NR_CAUSE_NO_RECORD;
    else
        cause = hand_off(os, target, wait_ms, exe, &exit_code);
    if (cause == NR_CAUSE_COUNT)
        return NR_ROUTE_HANDED_OFF;
    tell(os, told, cause, target, exe, exit_code);
    return NR_ROUTE_NONE;
}
