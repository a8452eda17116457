/* Bounded calls off-thread. Some queries block for as long as another process
 * keeps an operation pending (a name query on a synchronous pipe waits for
 * the file object's lock, held by a pending read). Such calls run on one
 * reusable worker thread and the caller waits at most its timeout. A call
 * may run in steps (a batch of queries, names.c): each step that ends
 * starts the timeout again, so the bound holds per step while the caller
 * is woken once per call, not once per step (the hand-off cost
 * more than the query). A call
 * that overruns is abandoned, never terminated (TerminateThread can leave a
 * lock held in the host process): the worker keeps it, releases it if it
 * ever returns, and exits; the next call gets a new worker. At most
 * NR_MAX_STUCK_QUERIES abandoned workers may exist; beyond that, calls answer
 * NR_LIMIT at once (the planner remembers what timed out, so each blocking
 * handle takes one of them once: blocked.c). Calls are serialised: one worker
 * runs one call at a time. */
#include "nrwin.h"

#define WORKER_STACK (64u << 10)

enum { CALL_PENDING, CALL_DONE, CALL_ABANDONED };

/* The hand-off is a lock and two condition variables rather than two
 * events: it needs no kernel object, and under Wine no wineserver round
 * trip (condition variables wait on futexes there, events through the
 * server), which made the events cost more than the name query itself
 * (tests/bench, docs/performance.md). The call's state is read and written
 * under mx only. */
struct worker {
    SRWLOCK mx;
    CONDITION_VARIABLE go;   /* call is posted */
    CONDITION_VARIABLE done; /* call has run */
    BOOL posted;
    HMODULE module; /* our module, pinned while the thread lives */
    struct nrwin_call *call;
};

static SRWLOCK lock = SRWLOCK_INIT;
static struct worker *idle; /* the worker between calls, under lock */
static volatile LONG stuck;

static DWORD WINAPI worker_main(void *param)
{
    struct worker *w = param;
    const HMODULE module = w->module;
    struct nrwin_call *call;

    AcquireSRWLockExclusive(&w->mx);
    for (;;) {
        while (!w->posted)
            SleepConditionVariableSRW(&w->go, &w->mx, INFINITE, 0);
        w->posted = FALSE;
        call = w->call;
        ReleaseSRWLockExclusive(&w->mx);
        call->run(call);
        AcquireSRWLockExclusive(&w->mx);
        if (call->state == CALL_PENDING) {
            call->state = CALL_DONE;
            WakeConditionVariable(&w->done);
            continue;
        }
        break;
    }
    ReleaseSRWLockExclusive(&w->mx);
    /* Abandoned: the call, and this worker, are ours to end. */
    call->release(call);
    nrwin_free(w);
    InterlockedDecrement(&stuck);
    FreeLibraryAndExitThread(module, 0);
}

static struct worker *worker_new(void)
{
    struct worker *w = nrwin_alloc(sizeof(*w));
    HANDLE thread;

    if (!w)
        return NULL;
    InitializeSRWLock(&w->mx);
    InitializeConditionVariable(&w->go);
    InitializeConditionVariable(&w->done);
    /* The thread holds a reference on our module, so that a stuck thread
     * never outlives the code it runs (FreeLibraryAndExitThread drops it). */
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS,
                            (const WCHAR *)(ULONG_PTR)worker_main, &w->module))
        goto fail;
    thread =
        CreateThread(NULL, WORKER_STACK, worker_main, w, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
    if (!thread) {
        FreeLibrary(w->module);
        goto fail;
    }
    CloseHandle(thread);
    return w;
fail:
    nrwin_free(w);
    return NULL;
}

BOOL nrwin_call_enter(struct nrwin_call *call)
{
    struct worker *w = call->worker;

    AcquireSRWLockExclusive(&w->mx);
    if (call->state == CALL_PENDING)
        return TRUE;
    ReleaseSRWLockExclusive(&w->mx);
    return FALSE;
}

void nrwin_call_leave(struct nrwin_call *call, BOOL last)
{
    struct worker *w = call->worker;

    call->steps++;
    call->step_tick = GetTickCount64();
    /* After the last step the run only returns: the caller waits for that
     * however long its timeout, so that it never takes a run that was
     * finishing for one that overran. (The call stays the worker's to
     * mark done: the caller may free it the moment it is.) */
    call->finished = last;
    ReleaseSRWLockExclusive(&w->mx);
}

int nrwin_call_bounded(struct nrwin_call *call, DWORD timeout_ms, size_t *steps)
{
    struct worker *w;
    ULONGLONG waited;
    int status = NR_OK;

    AcquireSRWLockExclusive(&lock);
    w = idle;
    if (!w && stuck >= NR_MAX_STUCK_QUERIES)
        status = NR_LIMIT;
    else if (!w && !(w = worker_new()))
        status = NR_ERROR;
    if (status != NR_OK) {
        call->release(call);
        goto done;
    }
    idle = NULL;
    AcquireSRWLockExclusive(&w->mx);
    call->state = CALL_PENDING;
    call->worker = w;
    call->steps = 0;
    call->finished = FALSE;
    call->step_tick = GetTickCount64();
    w->call = call;
    w->posted = TRUE;
    WakeConditionVariable(&w->go);
    /* Measured from the end of the last step. Spurious wake-ups, steps
     * ending meanwhile and the rounding of the tick count are why the
     * remaining time is recomputed each round. */
    while (call->state == CALL_PENDING) {
        waited = GetTickCount64() - call->step_tick;
        if (call->finished)
            waited = 0; /* bounded by the run's return, not by a query */
        else if (waited >= timeout_ms)
            break;
        SleepConditionVariableSRW(&w->done, &w->mx, (DWORD)(timeout_ms - waited), 0);
    }
    if (steps)
        *steps = call->steps; /* read while the call is still ours */
    if (call->state == CALL_PENDING) {
        /* Counted before the worker can see the hand-over, so that a worker
         * returning right after it never takes the count below zero. */
        InterlockedIncrement(&stuck);
        call->state = CALL_ABANDONED;
        ReleaseSRWLockExclusive(&w->mx);
        status = NR_TIMEOUT; /* w and call are the worker's now */
        goto done;
    }
    ReleaseSRWLockExclusive(&w->mx);
    idle = w;
done:
    ReleaseSRWLockExclusive(&lock);
    return status;
}

LONG nrwin_stuck_workers(void)
{
    return stuck;
}
