/* Bounded calls off-thread. Some queries block for as long as another process
 * keeps an operation pending (a name query on a synchronous pipe waits for
 * the file object's lock, held by a pending read). Such calls run on one
 * reusable worker thread and the caller waits at most its timeout. A call
 * that overruns is abandoned, never terminated (TerminateThread can leave a
 * lock held in the host process): the worker keeps it, releases it if it
 * ever returns, and exits; the next call gets a new worker. At most
 * MAX_STUCK abandoned workers may exist; beyond that, calls answer NR_TIMEOUT
 * at once. Calls are serialised: one worker runs one call at a time. */
#include "nrwin.h"

#define MAX_STUCK 4
#define WORKER_STACK (64u << 10)

enum { CALL_PENDING, CALL_DONE, CALL_ABANDONED };

struct worker {
    HANDLE go;      /* auto-reset: call is posted */
    HANDLE done;    /* auto-reset: call has run */
    HMODULE module; /* our module, pinned while the thread lives */
    struct nrwin_call *call;
};

static SRWLOCK lock = SRWLOCK_INIT;
static struct worker *idle; /* the worker between calls, under lock */
static volatile LONG stuck;

static void worker_free(struct worker *w)
{
    if (w->go)
        CloseHandle(w->go);
    if (w->done)
        CloseHandle(w->done);
    nrwin_free(w);
}

static DWORD WINAPI worker_main(void *param)
{
    struct worker *w = param;
    const HMODULE module = w->module;
    struct nrwin_call *call;

    for (;;) {
        WaitForSingleObject(w->go, INFINITE);
        call = w->call;
        call->run(call);
        if (InterlockedCompareExchange(&call->state, CALL_DONE, CALL_PENDING) == CALL_PENDING) {
            SetEvent(w->done);
            continue;
        }
        /* Abandoned: the call, and this worker, are ours to end. */
        call->release(call);
        break;
    }
    worker_free(w);
    InterlockedDecrement(&stuck);
    FreeLibraryAndExitThread(module, 0);
}

static struct worker *worker_new(void)
{
    struct worker *w = nrwin_alloc(sizeof(*w));
    HANDLE thread;

    if (!w)
        return NULL;
    w->go = CreateEventW(NULL, FALSE, FALSE, NULL);
    w->done = CreateEventW(NULL, FALSE, FALSE, NULL);
    /* The thread holds a reference on our module, so that a stuck thread
     * never outlives the code it runs (FreeLibraryAndExitThread drops it). */
    if (!w->go || !w->done ||
        !GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS,
                            (const WCHAR *)(ULONG_PTR)worker_main, &w->module))
        goto fail;
    thread = CreateThread(NULL, WORKER_STACK, worker_main, w, STACK_SIZE_PARAM_IS_A_RESERVATION,
                          NULL);
    if (!thread) {
        FreeLibrary(w->module);
        goto fail;
    }
    CloseHandle(thread);
    return w;
fail:
    worker_free(w);
    return NULL;
}

int nrwin_call_bounded(struct nrwin_call *call, DWORD timeout_ms)
{
    struct worker *w;
    DWORD wait;
    int status = NR_OK;

    AcquireSRWLockExclusive(&lock);
    w = idle;
    if (!w && stuck >= MAX_STUCK)
        status = NR_TIMEOUT;
    else if (!w && !(w = worker_new()))
        status = NR_ERROR;
    if (status != NR_OK) {
        call->release(call);
        goto done;
    }
    idle = NULL;
    call->state = CALL_PENDING;
    w->call = call;
    SetEvent(w->go);
    wait = WaitForSingleObject(w->done, timeout_ms);
    if (wait != WAIT_OBJECT_0) {
        /* Counted before the hand-over, so that a worker returning right
         * after it never takes the count below zero. */
        InterlockedIncrement(&stuck);
        if (InterlockedCompareExchange(&call->state, CALL_ABANDONED, CALL_PENDING) ==
            CALL_PENDING) {
            status = NR_TIMEOUT; /* w and call are the worker's now */
            goto done;
        }
        /* It finished as we gave up; its done event is being set. */
        InterlockedDecrement(&stuck);
        WaitForSingleObject(w->done, INFINITE);
    }
    idle = w;
done:
    ReleaseSRWLockExclusive(&lock);
    return status;
}

LONG nrwin_stuck_workers(void)
{
    return stuck;
}
