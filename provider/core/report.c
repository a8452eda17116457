/* The plan as text: one Event Log record, or the CLI's listing. */

#include <stdlib.h>

#include "netreclaim/conflict.h"
#include "netreclaim/nrstr.h"
#include "netreclaim/plan.h"
#include "netreclaim/selfcheck.h"

#define NEWLINE "\r\n"
#define NOTE_RESERVE 64 /* units kept for the "more handles" note */

static const nr_char no_memory_text[] = u"netreclaim: no memory to format the reclaim report";

/* Writes into buf below limit, always leaving room for the NUL; once a
 * piece does not fit, the writer is full and writes nothing more. */
struct writer {
    nr_char *buf;
    size_t limit;
    size_t pos;
    bool full;
};

static void put_units(struct writer *w, const nr_char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len && !w->full; i++) {
        if (w->pos + 1 >= w->limit)
            w->full = true;
        else
            w->buf[w->pos++] = s[i];
    }
}

static void put_ascii(struct writer *w, const char *s)
{
    nr_char c;

    for (; *s; s++) {
        c = (unsigned char)*s;
        put_units(w, &c, 1);
    }
}

static void put_number(struct writer *w, uint64_t n, unsigned int base)
{
    static const char digits[] = "0123456789abcdef";
    nr_char text[32];
    size_t i = sizeof(text) / sizeof(text[0]);

    do {
        text[--i] = digits[n % base];
        n /= base;
    } while (n);
    put_units(w, text + i, sizeof(text) / sizeof(text[0]) - i);
}

static void put_status(struct writer *w, int status)
{
    if (status < 0)
        put_ascii(w, "-");
    put_number(w, status < 0 ? -(int64_t)status : status, 10);
}

static void put_unc(struct writer *w, const struct nr_unc *unc)
{
    put_ascii(w, "\\\\");
    put_units(w, unc->server.str, unc->server.len);
    if (unc->share.len) {
        put_ascii(w, "\\");
        put_units(w, unc->share.str, unc->share.len);
    }
    if (unc->rest.len) {
        put_ascii(w, "\\");
        put_units(w, unc->rest.str, unc->rest.len);
    }
}

const char *nr_reason_text(enum nr_reason reason)
{
    switch (reason) {
    case NR_REASON_UNDECIDED:
        return "not decided";
    case NR_REASON_CLOSE:
        return "to close";
    case NR_REASON_OTHER_SESSION:
        return "in another logon session";
    case NR_REASON_PROTECTED:
        return "in a protected or inaccessible process";
    case NR_REASON_EXCLUDED:
        return "in an excluded process";
    case NR_REASON_LIMIT:
        return "over the planning limits";
    case NR_REASON_NAME_TIMEOUT:
        return "name query timed out";
    case NR_REASON_BLOCKED_EARLIER:
        return "name query blocked earlier, not queried again";
    case NR_REASON_NAME_ERROR:
        return "name query failed";
    case NR_REASON_PIPE_ACCESS:
        return "access of a pipe end, name not queried";
    case NR_REASON_NOT_NETWORK:
        return "not a network file";
    case NR_REASON_OTHER_SHARE:
        return "under another share or server";
    case NR_REASON_NOT_SMB:
        return "not shown to be SMB";
    case NR_REASON_PROTECT_FROM_CLOSE:
        return "protected from close";
    case NR_REASON_STRICT_HANDLES:
        return "in a process with strict handle checks";
    case NR_REASON_CONNECTED:
        return "under a share still connected";
    default:
        return "unknown";
    }
}

static void put_row(struct writer *w, const struct nr_plan *plan, const struct nr_plan_row *row)
{
    if (row->reason != NR_REASON_CLOSE) {
        put_ascii(w, "left, ");
        put_ascii(w, nr_reason_text(row->reason));
    } else if (row->result == NR_ROW_CLOSED)
        put_ascii(w, "closed");
    else if (row->result == NR_ROW_CHANGED)
        put_ascii(w, "left, handle reused since the snapshot");
    else if (row->result == NR_ROW_FAILED && row->status == NR_GONE)
        put_ascii(w, "close failed, the process has exited");
    else if (row->result == NR_ROW_FAILED) {
        put_ascii(w, "close failed, status ");
        put_status(w, row->status);
    } else
        put_ascii(w, plan->audit ? "would close" : "to close");
    put_ascii(w, ": ");
    put_units(w, row->image, nr_strnlen(row->image, NR_PLAN_IMAGE_MAX));
    put_ascii(w, " (pid ");
    put_number(w, row->pid, 10);
    put_ascii(w, ") handle 0x");
    put_number(w, row->value, 16);
    put_ascii(w, " ");
    put_unc(w, &row->unc);
}

size_t nr_plan_format_file(const struct nr_plan_row *row, nr_char *buf, size_t cch)
{
    struct writer w = { buf, cch, 0, false };

    if (!cch)
        return 0;
    put_unc(&w, &row->unc);
    put_ascii(&w, " in ");
    put_units(&w, row->image, nr_strnlen(row->image, NR_PLAN_IMAGE_MAX));
    put_ascii(&w, " (pid ");
    put_number(&w, row->pid, 10);
    put_ascii(&w, ")");
    buf[w.pos] = 0;
    return w.pos;
}

/* Beside the file's own format, so "why" and the record name alike. */
size_t nr_in_use_files(const struct nr_conn *conns, size_t count, size_t at,
                       const struct nr_plan *plan, nr_char *buf, size_t cch)
{
    nr_char file[NR_FILE_TEXT_CCH];
    size_t i, n = 0;

    if (cch)
        buf[0] = 0;
    for (i = 0; plan->status == NR_OK && i < plan->row_count; i++) {
        if (nr_conn_under(conns, count, &plan->rows[i].unc) != at)
            continue;
        n++;
        if (nr_plan_format_file(&plan->rows[i], file, NR_FILE_TEXT_CCH) + 1 < NR_FILE_TEXT_CCH)
            nr_list_append(buf, cch, file);
    }
    return n;
}

size_t nr_plan_format_row(const struct nr_plan *plan, const struct nr_plan_row *row, nr_char *buf,
                          size_t cch)
{
    struct writer w = { buf, cch, 0, false };

    if (!cch)
        return 0;
    put_row(&w, plan, row);
    buf[w.pos] = 0;
    return w.pos;
}

static void put_header(struct writer *w, const struct nr_plan *plan)
{
    size_t i, planned = 0;

    put_ascii(w, plan->audit ? "netreclaim audit of " : "netreclaim reclaim of ");
    if (plan->target)
        put_units(w, plan->target, nr_strnlen(plan->target, NR_UNC_MAX));
    if (plan->checks_refuse) {
        put_ascii(w, " (self-check ");
        put_ascii(w, nr_check_name(plan->refused));
        put_ascii(w, " failed on this machine: nothing is closed).");
    } else if (plan->service_session)
        put_ascii(w, " (service session: nothing is closed; policy AllowServiceSessions).");
    else
        put_ascii(w, plan->audit ? " (audit mode: nothing is closed)." : ".");
    if (plan->status != NR_OK) {
        put_ascii(w, NEWLINE "Stopped before closing anything: ");
        put_ascii(w, plan->failed_step);
        put_ascii(w, " failed, status ");
        put_status(w, plan->status);
        put_ascii(w, ".");
        return;
    }
    for (i = 0; i < plan->row_count; i++)
        planned += plan->rows[i].reason == NR_REASON_CLOSE;
    put_ascii(w, NEWLINE);
    if (plan->audit) {
        put_ascii(w, "Would close ");
        put_number(w, planned, 10);
    } else {
        put_ascii(w, "Closed ");
        put_number(w, plan->closed, 10);
        put_ascii(w, " of ");
        put_number(w, planned, 10);
        put_ascii(w, ", failed ");
        put_number(w, plan->failed, 10);
        put_ascii(w, ", reused ");
        put_number(w, plan->changed, 10);
    }
    put_ascii(w, "; ");
    put_number(w, plan->file_count, 10);
    put_ascii(w, " file handles of ");
    put_number(w, plan->handle_count, 10);
    put_ascii(w, " handles examined.");
    for (i = 0; i < NR_REASON_COUNT; i++) {
        if (i == NR_REASON_CLOSE || !plan->reasons[i])
            continue;
        put_ascii(w, NEWLINE "Left ");
        put_number(w, plan->reasons[i], 10);
        put_ascii(w, " ");
        put_ascii(w, nr_reason_text(i));
        put_ascii(w, ".");
    }
}

size_t nr_plan_format(const struct nr_plan *plan, nr_char *buf, size_t cch)
{
    struct writer w = { buf, cch, 0, false };
    size_t i, line;

    if (!cch)
        return 0;
    put_header(&w, plan);
    /* Rows go in whole or not at all; all but the last leave room to say
     * how many did not. */
    for (i = 0; i < plan->row_count; i++) {
        line = w.pos;
        w.limit = i + 1 < plan->row_count && cch > NOTE_RESERVE ? cch - NOTE_RESERVE : cch;
        put_ascii(&w, NEWLINE);
        put_row(&w, plan, &plan->rows[i]);
        if (w.full) {
            w.pos = line;
            break;
        }
    }
    if (i < plan->row_count) {
        w.limit = cch;
        w.full = false;
        put_ascii(&w, NEWLINE "(");
        put_number(&w, plan->row_count - i, 10);
        put_ascii(&w, " more handles not listed.)");
    }
    buf[w.pos] = 0;
    return w.pos;
}

enum nr_event nr_plan_event(const struct nr_plan *plan)
{
    if (plan->status != NR_OK)
        return NR_EVENT_RECLAIM_STOPPED;
    if (plan->audit)
        return NR_EVENT_RECLAIM_AUDIT;
    if (plan->failed)
        return NR_EVENT_RECLAIM_CLOSE_FAILED;
    if (plan->changed || plan->reasons[NR_REASON_PROTECT_FROM_CLOSE] ||
        plan->reasons[NR_REASON_CONNECTED] || plan->reasons[NR_REASON_LIMIT] ||
        plan->reasons[NR_REASON_NAME_TIMEOUT] || plan->reasons[NR_REASON_BLOCKED_EARLIER])
        return NR_EVENT_RECLAIM_PARTIAL;
    return NR_EVENT_RECLAIM_CLOSED;
}

bool nr_plan_worth_telling(const struct nr_plan *plan)
{
    return plan->status != NR_OK || plan->row_count || plan->reasons[NR_REASON_LIMIT] ||
           plan->reasons[NR_REASON_NAME_TIMEOUT];
}

void nr_plan_report(const struct nr_os *os, const struct nr_plan *plan)
{
    nr_char *text = malloc(NR_PLAN_REPORT_MAX * sizeof(nr_char));

    if (!text) {
        os->report(os->ctx, nr_plan_event(plan), no_memory_text);
        return;
    }
    nr_plan_format(plan, text, NR_PLAN_REPORT_MAX);
    os->report(os->ctx, nr_plan_event(plan), text);
    free(text);
}

size_t nr_selfcheck_format(const struct nr_selfcheck *checks, nr_char *buf, size_t cch)
{
    struct writer w = { buf, cch, 0, false };
    const enum nr_check refused = nr_selfcheck_refusal(checks);
    enum nr_check c;

    if (!cch)
        return 0;
    if (refused != NR_CHECK_COUNT) {
        put_ascii(&w, "netreclaim self-check ");
        put_ascii(&w, nr_check_name(refused));
        put_ascii(&w, " failed on this machine: every reclaim of this process is an audit, "
                      "nothing is closed (rule 5).");
    } else
        put_ascii(&w, "netreclaim self-checks: reclaims of this process may close.");
    put_ascii(&w, nr_selfcheck_prefilter(checks)
                      ? " The device prefilter is on."
                      : " The device prefilter is off: every File handle is named.");
    if (checks->forced)
        put_ascii(&w, " A test hook forced a failure.");
    for (c = 0; c < NR_CHECK_COUNT; c++) {
        put_ascii(&w, NEWLINE);
        put_ascii(&w, nr_check_name(c));
        put_ascii(&w, ": ");
        put_ascii(&w, nr_check_result_text(checks->result[c]));
        if (checks->detail[c]) {
            put_ascii(&w, " (status 0x");
            put_number(&w, checks->detail[c], 16);
            put_ascii(&w, ")");
        }
        put_ascii(&w, ": ");
        put_ascii(&w, nr_check_text(c));
        put_ascii(&w, ".");
    }
    buf[w.pos] = 0;
    return w.pos;
}
