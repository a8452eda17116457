/* Reclaim planning and execution.
 *
 * Planning runs in two passes over the snapshot. The first settles every
 * process holding File handles once (logon session, image, exclusion) into a
 * table sorted by pid, so the second, per handle, looks its process up by
 * binary search and only queries names where a close is possible at all
 * (and, where the seam offers a device check, the device may be remote).
 * Names are the costly and risky part (rule 6): they are queried last, under
 * a count and a timeout budget, and only handles under the target are kept. */

#include <stdlib.h>
#include <string.h>

#include "netreclaim/plan.h"

/* Name queries go to the seam in batches of one process's handles: under
 * Windows each batch is one hand-off to the query worker, not one per
 * handle (provider/win/names.c). The names buffer holds any one name twice
 * over, so a batch of typical names is never cut short by it. */
#define BATCH_MAX 64
#define NAMES_UNITS (2 * (NR_UNC_MAX + 1))

struct nr_plan_process {
    uint32_t pid;
    enum nr_reason reason; /* NR_REASON_CLOSE: its handles are examined; 0 until settled */
    nr_char *image;        /* examined processes only */
    bool strict;           /* strict handle checks: examined, named, never closed in */
    uint64_t started;      /* creation time, where blocked queries are remembered */
};

/* What one build needs besides the plan. */
struct build {
    const struct nr_os *os;
    const struct nr_reclaim_request *request;
    struct nr_plan *plan;
    uint64_t luid;
    uint16_t file_type;
    bool prefilter; /* file_device may rule handles out */
    struct nr_snapshot snap;
    struct nr_str *prefixes;
    struct nr_unc *connected;
    nr_char *names; /* NAMES_UNITS, for each batch */
    /* The batch being gathered: handles of one process, in table order. */
    struct nr_name_query batch[BATCH_MAX];
    const struct nr_handle *batch_rows[BATCH_MAX];
    const struct nr_plan_process *batch_proc;
    size_t batch_count;
    size_t timeouts, name_units, row_cap;
};

bool nr_is_service_session(uint64_t luid)
{
    return luid == NR_LUID_SYSTEM || luid == NR_LUID_LOCAL_SERVICE ||
           luid == NR_LUID_NETWORK_SERVICE;
}

bool nr_session_left_alone(bool luid_known, uint64_t luid, bool allow_service_sessions)
{
    return !allow_service_sessions && (!luid_known || nr_is_service_session(luid));
}

/* Whether the seam remembers blocked queries across reclaims. */
static bool remembers(const struct nr_os *os)
{
    return os->process_started && os->was_blocked && os->remember_blocked;
}

static int copy_target(struct nr_plan *plan, const nr_char *target)
{
    size_t len;

    if (!target || (len = nr_strnlen(target, NR_UNC_MAX + 1)) > NR_UNC_MAX)
        return NR_ERROR;
    if (!(plan->target = malloc((len + 1) * sizeof(nr_char))))
        return NR_NOMEM;
    memcpy(plan->target, target, (len + 1) * sizeof(nr_char));
    return nr_parse_unc(plan->target, len, 0, &plan->target_unc) ? NR_OK : NR_ERROR;
}

/* A connected root that cannot be parsed fails the plan: what it protects
 * would be unknown. */
static int parse_connected(struct build *b)
{
    const struct nr_reclaim_request *req = b->request;
    const nr_char *root;
    size_t i;

    if (!req->connected_count)
        return NR_OK;
    if (!(b->connected = calloc(req->connected_count, sizeof(*b->connected))))
        return NR_NOMEM;
    for (i = 0; i < req->connected_count; i++) {
        root = req->connected[i];
        if (!root || !nr_parse_unc(root, nr_strnlen(root, NR_UNC_MAX + 1), 0, &b->connected[i]))
            return NR_ERROR;
    }
    return NR_OK;
}

/* NULL prefixes are skipped; nr_parse_nt_name ignores empty ones. */
static int load_prefixes(struct build *b)
{
    const struct nr_reclaim_request *req = b->request;
    size_t i;

    if (!req->prefix_count)
        return NR_OK;
    if (!(b->prefixes = calloc(req->prefix_count, sizeof(*b->prefixes))))
        return NR_NOMEM;
    for (i = 0; i < req->prefix_count; i++) {
        if (!req->prefixes[i])
            continue;
        b->prefixes[i].str = req->prefixes[i];
        b->prefixes[i].len = nr_strnlen(req->prefixes[i], NR_UNC_MAX + 1);
    }
    return NR_OK;
}

static bool is_excluded(const struct nr_reclaim_request *req, const nr_char *image, size_t len)
{
    const nr_char *name;
    size_t i;

    for (i = 0; i < req->excluded_count; i++) {
        name = req->excluded[i];
        if (name && nr_equal_nocase(image, len, name, nr_strnlen(name, NR_PLAN_IMAGE_MAX)))
            return true;
    }
    return false;
}

static int classify_process(struct build *b, struct nr_plan_process *proc)
{
    const struct nr_os *os = b->os;
    nr_char image[NR_PLAN_IMAGE_MAX];
    uint64_t luid;
    int strict = 0;
    size_t len;

    if (os->process_luid(os->ctx, proc->pid, &luid) != NR_OK)
        proc->reason = NR_REASON_PROTECTED;
    else if (luid != b->luid)
        proc->reason = NR_REASON_OTHER_SESSION;
    else if (os->process_image(os->ctx, proc->pid, image, NR_PLAN_IMAGE_MAX) != NR_OK ||
             !(len = nr_strnlen(image, NR_PLAN_IMAGE_MAX - 1)))
        proc->reason = NR_REASON_PROTECTED;
    else if (is_excluded(b->request, image, len))
        proc->reason = NR_REASON_EXCLUDED;
    else if (os->process_strict && os->process_strict(os->ctx, proc->pid, &strict) != NR_OK)
        proc->reason = NR_REASON_PROTECTED; /* cannot tell: fail closed */
    else {
        /* Its handles are still examined, so the record names what was
         * left there and why. */
        proc->strict = strict != 0;
        /* Unknown: 0. A later process with the same pid then shares the
         * memory, which can only spare a query, never cause a close. */
        if (remembers(os) && os->process_started(os->ctx, proc->pid, &proc->started) != NR_OK)
            proc->started = 0;
        if (!(proc->image = malloc((len + 1) * sizeof(nr_char))))
            return NR_NOMEM;
        memcpy(proc->image, image, len * sizeof(nr_char));
        proc->image[len] = 0;
        proc->reason = NR_REASON_CLOSE;
    }
    return NR_OK;
}

static int compare_pids(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

/* The distinct pids holding File handles, lowest first, at most
 * NR_PLAN_MAX_PROCESSES of them, each settled once. */
static int load_processes(struct build *b)
{
    struct nr_plan *plan = b->plan;
    uint32_t *pids = NULL;
    size_t i, n = 0, distinct = 0;
    int status = NR_OK;

    for (i = 0; i < b->snap.count; i++)
        if (b->snap.handles[i].type_index == b->file_type)
            n++;
    plan->file_count = n;
    if (!n)
        return NR_OK;
    if (!(pids = malloc(n * sizeof(*pids))))
        return NR_NOMEM;
    for (i = 0, n = 0; i < b->snap.count; i++)
        if (b->snap.handles[i].type_index == b->file_type)
            pids[n++] = b->snap.handles[i].pid;
    qsort(pids, n, sizeof(*pids), compare_pids);
    for (i = 0; i < n; i++)
        if (!distinct || pids[distinct - 1] != pids[i])
            pids[distinct++] = pids[i];
    if (distinct > NR_PLAN_MAX_PROCESSES)
        distinct = NR_PLAN_MAX_PROCESSES;

    if (!(plan->processes = calloc(distinct, sizeof(*plan->processes))))
        status = NR_NOMEM;
    for (i = 0; status == NR_OK && i < distinct; i++) {
        plan->processes[i].pid = pids[i];
        plan->process_count = i + 1;
        status = classify_process(b, &plan->processes[i]);
    }
    free(pids);
    return status;
}

static const struct nr_plan_process *find_process(const struct nr_plan *plan, uint32_t pid)
{
    size_t lo = 0, hi = plan->process_count, mid;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        if (plan->processes[mid].pid == pid)
            return &plan->processes[mid];
        if (plan->processes[mid].pid < pid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int add_row(struct build *b, const struct nr_handle *h, const struct nr_plan_process *proc,
                   const nr_char *name, size_t len, enum nr_reason reason)
{
    struct nr_plan *plan = b->plan;
    struct nr_plan_row *row, *rows;
    struct nr_nt_name nt;
    size_t cap;

    if (plan->row_count == b->row_cap) {
        cap = b->row_cap ? b->row_cap * 2 : 16;
        if (cap > NR_PLAN_MAX_ROWS)
            cap = NR_PLAN_MAX_ROWS;
        if (!(rows = realloc(plan->rows, cap * sizeof(*rows))))
            return NR_NOMEM;
        plan->rows = rows;
        b->row_cap = cap;
    }
    row = &plan->rows[plan->row_count];
    memset(row, 0, sizeof(*row));
    if (!(row->name = malloc(len * sizeof(nr_char))))
        return NR_NOMEM;
    memcpy(row->name, name, len * sizeof(nr_char));
    plan->row_count++;
    row->name_len = len;
    row->pid = h->pid;
    row->value = h->value;
    /* Identity is proven against this right before the close; where it
     * cannot be kept, the name re-check stands alone. */
    if (reason == NR_REASON_CLOSE && !plan->audit && b->os->keep_object &&
        b->os->keep_object(b->os->ctx, h->pid, h->value, &row->kept) != NR_OK)
        row->kept = 0;
    row->image = proc->image;
    row->reason = reason;
    /* Parsed before from name: the copy parses the same, into its own spans. */
    nr_parse_nt_name(row->name, len, b->prefixes, b->request->prefix_count, &nt);
    row->unc = nt.unc;
    b->name_units += len;
    return NR_OK;
}

/* Access masks typical of synchronous pipe ends, whose name query blocks
 * while a read or write is pending (rule 6). The snapshot carries each
 * handle's mask, so such ends are ruled out before any query: no worker, no
 * server call, no share of the timeout budget (a few processes with
 * redirected stdio, listed first, would otherwise end the reclaim before it
 * reached the handles under the share). The bounded query stays the guard
 * for the rest. Deliberately absent: 0x0012019f (GENERIC_READ |
 * GENERIC_WRITE), also a pipe pattern but the usual mask of a document
 * opened on a share, i.e. of the very handles to reclaim. */
static const uint32_t pipe_access[] = {
    0x00120189, /* CreatePipe read end: GENERIC_READ | FILE_WRITE_ATTRIBUTES */
    0x00120196, /* CreatePipe write end: GENERIC_WRITE | FILE_READ_ATTRIBUTES */
    0x001a019f, /* named pipe end: read/write | WRITE_OWNER */
    0x00100000, /* SYNCHRONIZE alone */
};

static bool is_pipe_access(uint32_t access)
{
    for (size_t i = 0; i < sizeof(pipe_access) / sizeof(pipe_access[0]); i++)
        if (access == pipe_access[i])
            return true;
    return false;
}

static void blocked_key(const struct nr_handle *h, const struct nr_plan_process *proc,
                        struct nr_blocked_key *key)
{
    key->pid = h->pid;
    key->started = proc->started;
    key->value = h->value;
}

/* Rule out one File handle of an examined process before any name query.
 * true: its name is needed (*reason untouched). */
static bool needs_name(struct build *b, const struct nr_handle *h,
                       const struct nr_plan_process *proc, enum nr_reason *reason)
{
    const struct nr_os *os = b->os;
    struct nr_blocked_key key;
    int remote = 1;

    if (is_pipe_access(h->access)) {
        *reason = NR_REASON_PIPE_ACCESS;
        return false;
    }
    /* A local device needs no name: cheaper than any query, and it spares
     * the query budget for the handles that may be remote. */
    if (b->prefilter && os->file_device(os->ctx, h->pid, h->value, &remote) == NR_OK && !remote) {
        *reason = NR_REASON_NOT_NETWORK;
        return false;
    }
    blocked_key(h, proc, &key);
    if (remembers(os) && os->was_blocked(os->ctx, &key)) {
        *reason = NR_REASON_BLOCKED_EARLIER;
        return false;
    }
    if (b->plan->name_queries == NR_PLAN_MAX_QUERIES) {
        *reason = NR_REASON_LIMIT;
        return false;
    }
    b->plan->name_queries++;
    return true;
}

/* Decide one queried handle from its name. */
static int decide(struct build *b, const struct nr_handle *h, const struct nr_plan_process *proc,
                  const struct nr_name_query *q, enum nr_reason *reason)
{
    const struct nr_os *os = b->os;
    const struct nr_reclaim_request *req = b->request;
    const nr_char *const end = b->names + NAMES_UNITS;
    struct nr_blocked_key key;
    struct nr_nt_name nt;
    size_t i;

    if (q->status == NR_TIMEOUT) {
        /* Its worker stays stuck until the query returns: never again. */
        blocked_key(h, proc, &key);
        if (remembers(os))
            os->remember_blocked(os->ctx, &key);
        b->timeouts++;
        *reason = NR_REASON_NAME_TIMEOUT;
    } else if (q->status == NR_LIMIT)
        *reason = NR_REASON_LIMIT;
    else if (q->status != NR_OK || q->len > NR_UNC_MAX ||
             (q->len && (!q->name || q->name < b->names || q->name > end - q->len)))
        *reason = NR_REASON_NAME_ERROR; /* a failure, or a seam out of bounds */
    else if (!nr_parse_nt_name(q->name, q->len, b->prefixes, req->prefix_count, &nt))
        *reason = NR_REASON_NOT_NETWORK;
    else if (!nr_unc_under(&nt.unc, &b->plan->target_unc))
        *reason = NR_REASON_OTHER_SHARE;
    else if (nt.plain_mup && q->protocol != NR_PROTOCOL_SMB)
        *reason = NR_REASON_NOT_SMB; /* fails closed where the protocol is unknown */
    else if (nt.has_luid && nt.luid != b->luid)
        *reason = NR_REASON_OTHER_SESSION;
    else {
        *reason = NR_REASON_CLOSE;
        if (h->attributes & NR_HANDLE_PROTECT_FROM_CLOSE)
            *reason = NR_REASON_PROTECT_FROM_CLOSE;
        else if (proc->strict)
            *reason = NR_REASON_STRICT_HANDLES;
        for (i = 0; *reason == NR_REASON_CLOSE && i < req->connected_count; i++)
            if (nr_unc_under(&nt.unc, &b->connected[i]))
                *reason = NR_REASON_CONNECTED;
        if (b->plan->row_count == NR_PLAN_MAX_ROWS ||
            q->len > NR_PLAN_MAX_NAME_UNITS - b->name_units)
            *reason = NR_REASON_LIMIT;
        else
            return add_row(b, h, proc, q->name, q->len, *reason);
    }
    return NR_OK;
}

/* Query the gathered batch, as many times as the seam needs to settle it
 * all, and decide each handle. Once the timeout budget is spent the rest
 * are over the limit, unqueried. */
static int flush_batch(struct build *b)
{
    const struct nr_os *os = b->os;
    enum nr_reason reason;
    size_t done = 0, i, settled;
    int status = NR_OK;

    while (status == NR_OK && done < b->batch_count) {
        if (b->timeouts == NR_PLAN_MAX_TIMEOUTS) {
            b->plan->reasons[NR_REASON_LIMIT] += b->batch_count - done;
            break;
        }
        settled =
            os->query_names(os->ctx, b->batch_proc->pid, &b->batch[done], b->batch_count - done,
                            b->request->timeout_ms, b->names, NAMES_UNITS);
        if (!settled || settled > b->batch_count - done) {
            /* A seam that breaks its contract settles nothing we can use. */
            b->plan->reasons[NR_REASON_NAME_ERROR] += b->batch_count - done;
            break;
        }
        for (i = done; status == NR_OK && i < done + settled; i++) {
            status = decide(b, b->batch_rows[i], b->batch_proc, &b->batch[i], &reason);
            b->plan->reasons[reason]++;
        }
        done += settled;
    }
    b->batch_count = 0;
    return status;
}

static int plan_handles(struct build *b)
{
    struct nr_plan *plan = b->plan;
    const struct nr_plan_process *proc;
    const struct nr_handle *h;
    enum nr_reason reason;
    size_t i;
    int status = NR_OK;

    if (!(b->names = malloc(NAMES_UNITS * sizeof(nr_char))))
        return NR_NOMEM;
    for (i = 0; status == NR_OK && i < b->snap.count; i++) {
        h = &b->snap.handles[i];
        if (h->type_index != b->file_type)
            continue;
        proc = find_process(plan, h->pid);
        reason = proc ? proc->reason : NR_REASON_LIMIT;
        if (reason == NR_REASON_CLOSE && needs_name(b, h, proc, &reason)) {
            if (b->batch_count && (b->batch_proc != proc || b->batch_count == BATCH_MAX))
                status = flush_batch(b);
            b->batch_proc = proc;
            b->batch_rows[b->batch_count] = h;
            memset(&b->batch[b->batch_count], 0, sizeof(b->batch[0]));
            b->batch[b->batch_count++].value = h->value;
            continue;
        }
        plan->reasons[reason]++;
    }
    if (status == NR_OK && b->batch_count)
        status = flush_batch(b);
    return status;
}

static void drop_kept(struct nr_plan *plan, struct nr_plan_row *row)
{
    if (row->kept)
        plan->os->drop_object(plan->os->ctx, row->kept);
    row->kept = 0;
}

static void free_rows(struct nr_plan *plan)
{
    size_t i;

    for (i = 0; i < plan->row_count; i++) {
        drop_kept(plan, &plan->rows[i]);
        free(plan->rows[i].name);
    }
    free(plan->rows);
    plan->rows = NULL;
    plan->row_count = 0;
    for (i = 0; i < plan->process_count; i++)
        free(plan->processes[i].image);
    free(plan->processes);
    plan->processes = NULL;
    plan->process_count = 0;
}

int nr_plan_build(const struct nr_os *os, const struct nr_reclaim_request *request,
                  struct nr_plan *plan)
{
    struct build b;
    const char *step = "target";
    bool have_snapshot = false;
    int status;

    memset(plan, 0, sizeof(*plan));
    memset(&b, 0, sizeof(b));
    b.os = os;
    b.request = request;
    b.plan = plan;
    plan->audit = request->audit;
    plan->timeout_ms = request->timeout_ms;
    plan->os = os;

    status = copy_target(plan, request->target);
    if (status == NR_OK) {
        step = "connected share list";
        status = parse_connected(&b);
    }
    if (status == NR_OK) {
        step = "prefix list";
        status = load_prefixes(&b);
    }
    if (status == NR_OK) {
        step = "caller logon session";
        status = os->caller_luid(os->ctx, &b.luid);
        plan->luid = b.luid;
        /* Dozens of services share each of these: a SYSTEM task's cancel
         * must not close the spooler's or a backup agent's handles. An
         * unread session stops the plan here, before anything is closed. */
        plan->service_session =
            status == NR_OK && nr_session_left_alone(true, b.luid, request->allow_service_sessions);
        plan->audit = plan->audit || plan->service_session;
    }
    if (status == NR_OK) {
        /* Before anything that could lead to a close: an unproven fact
         * makes the plan an audit (rule 5), an unproven prefilter names
         * every File handle. */
        if (os->self_check)
            os->self_check(os->ctx, &plan->checks);
        plan->refused = nr_selfcheck_refusal(&plan->checks);
        plan->checks_refuse = plan->refused != NR_CHECK_COUNT;
        plan->audit = plan->audit || plan->checks_refuse;
        plan->prefilter = b.prefilter = os->file_device && nr_selfcheck_prefilter(&plan->checks);
        step = "File type index";
        status = os->file_type_index(os->ctx, &b.file_type);
    }
    if (status == NR_OK) {
        step = "handle snapshot";
        status = os->snapshot(os->ctx, &b.snap);
        have_snapshot = status == NR_OK;
    }
    if (status == NR_OK) {
        plan->handle_count = b.snap.count;
        step = "process table";
        status = load_processes(&b);
    }
    if (status == NR_OK) {
        step = "handle names";
        status = plan_handles(&b);
    }

    if (have_snapshot)
        os->free_snapshot(os->ctx, &b.snap);
    free(b.names);
    free(b.prefixes);
    free(b.connected);
    if (status != NR_OK) {
        free_rows(plan);
        memset(plan->reasons, 0, sizeof(plan->reasons));
        plan->file_count = 0;
        plan->failed_step = step;
    }
    plan->status = status;
    return status;
}

size_t nr_plan_execute(const struct nr_os *os, struct nr_plan *plan)
{
    struct nr_plan_row *row;
    size_t i;

    for (i = 0; !plan->audit && i < plan->row_count; i++) {
        row = &plan->rows[i];
        if (row->reason != NR_REASON_CLOSE || row->result != NR_ROW_PENDING)
            continue;
        row->status = os->close_handle(os->ctx, row->pid, plan->luid, row->value, row->kept,
                                       row->name, row->name_len, plan->timeout_ms);
        /* Held no longer than the close: it keeps the object, and so the
         * user's session to the server, alive. */
        drop_kept(plan, row);
        if (row->status == NR_OK) {
            row->result = NR_ROW_CLOSED;
            plan->closed++;
        } else if (row->status == NR_CHANGED) {
            row->result = NR_ROW_CHANGED;
            plan->changed++;
        } else {
            row->result = NR_ROW_FAILED;
            plan->failed++;
        }
    }
    return plan->closed;
}

void nr_plan_free(struct nr_plan *plan)
{
    free_rows(plan);
    free(plan->target);
    memset(plan, 0, sizeof(*plan));
}
