/* Small helpers shared by the Windows layer. */
#include "nrwin.h"
#include "ntapi.h"

static volatile LONG live_blocks;

/* A heap of our own, not the process heap. An abandoned worker (worker.c)
 * frees its call whenever the call returns, possibly while the host process
 * exits; exit kills it wherever it is, and if that is inside the process
 * heap's lock, the DLL detach code of the host's other modules waits on
 * that lock forever (measured under Wine: 2-4 exits in 40 hang with threads
 * freeing on the process heap, none with a private heap). Our heap's lock
 * is needed by nobody at exit. */
static INIT_ONCE heap_once = INIT_ONCE_STATIC_INIT;
static HANDLE heap;

static BOOL CALLBACK create_heap(INIT_ONCE *once, void *param, void **context)
{
    (void)once;
    (void)param;
    (void)context;
    heap = HeapCreate(0, 0, 0);
    return heap != NULL;
}

static HANDLE our_heap(void)
{
    return InitOnceExecuteOnce(&heap_once, create_heap, NULL, NULL) ? heap : NULL;
}

void *nrwin_alloc(size_t size)
{
    const HANDLE h = our_heap();
    void *p = h ? HeapAlloc(h, HEAP_ZERO_MEMORY, size) : NULL;

    if (p)
        InterlockedIncrement(&live_blocks);
    return p;
}

void nrwin_free(void *p)
{
    if (p && HeapFree(heap, 0, p))
        InterlockedDecrement(&live_blocks);
}

void nrwin_heap_end(void)
{
    if (heap)
        HeapDestroy(heap);
    heap = NULL;
}

LONG nrwin_live_blocks(void)
{
    return live_blocks;
}

HMODULE nrwin_module(void)
{
    HMODULE module = NULL;

    /* This function's own address lies in the module that linked us. */
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                                GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (const WCHAR *)(ULONG_PTR)nrwin_module, &module))
        return NULL;
    return module;
}

void nrwin_format(WCHAR *buf, DWORD cch, const WCHAR *fmt, const DWORD_PTR *args)
{
    WCHAR *text = NULL;

    /* Allocated by FormatMessageW so a long insertion truncates instead of
     * failing; on any failure the bare format is better than nothing. */
    if (FormatMessageW(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ARGUMENT_ARRAY |
                           FORMAT_MESSAGE_ALLOCATE_BUFFER,
                       fmt, 0, 0, (WCHAR *)&text, 0, (va_list *)args)) {
        lstrcpynW(buf, text, (int)cch);
        LocalFree(text);
    } else {
        lstrcpynW(buf, fmt, (int)cch);
    }
}

int nrwin_status(DWORD error)
{
    switch (error) {
    case ERROR_SUCCESS:
        return NR_OK;
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
    case ERROR_INVALID_PARAMETER:
    case ERROR_INVALID_HANDLE:
        return NR_GONE;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
        return NR_NOMEM;
    case ERROR_INSUFFICIENT_BUFFER:
        return NR_TOO_SMALL;
    default:
        return NR_ERROR;
    }
}

int nrwin_open_process(uint32_t pid, DWORD access, HANDLE *process)
{
    *process = OpenProcess(access, FALSE, pid);
    return *process ? NR_OK : nrwin_status(GetLastError());
}

static BOOL read_at(HANDLE file, LONG offset, void *buf, DWORD size)
{
    DWORD done;

    return SetFilePointer(file, offset, NULL, FILE_BEGIN) != INVALID_SET_FILE_POINTER &&
           ReadFile(file, buf, size, &done, NULL) && done == size;
}

int nrwin_pe_header(const WCHAR *path, IMAGE_FILE_HEADER *header)
{
    IMAGE_DOS_HEADER dos;
    DWORD signature, error;
    HANDLE file;
    int status = NR_ERROR;

    file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                       0, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        error = GetLastError();
        return error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND ? NR_GONE : NR_ERROR;
    }
    if (read_at(file, 0, &dos, sizeof(dos)) && dos.e_magic == IMAGE_DOS_SIGNATURE &&
        dos.e_lfanew > 0 && read_at(file, dos.e_lfanew, &signature, sizeof(signature)) &&
        signature == IMAGE_NT_SIGNATURE &&
        read_at(file, dos.e_lfanew + (LONG)sizeof(signature), header, sizeof(*header)))
        status = NR_OK;
    CloseHandle(file);
    return status;
}

int nrwin_ask_process(uint32_t pid, nrwin_process_question ask, void *out)
{
    HANDLE process;
    int status = nrwin_open_process(pid, PROCESS_QUERY_LIMITED_INFORMATION, &process);

    if (status != NR_OK)
        return status;
    status = ask(process, out);
    CloseHandle(process);
    return status;
}

void (*nrwin_proc(struct nrwin_proc *p))(void)
{
    BOOL pending;
    HMODULE module;

    if (InitOnceBeginInitialize(&p->once, 0, &pending, NULL) && pending) {
        /* GetProcAddress's FARPROC, through the generic function pointer. */
        if ((module = GetModuleHandleW(p->module)))
            p->fn = (void (*)(void))GetProcAddress(module, p->name);
        InitOnceComplete(&p->once, 0, NULL);
    }
    return p->fn;
}

/* The size to try after a length mismatch, 0 past the cap. In 64 bits, so
 * that a needed length near 4 GiB cannot wrap past the cap. */
static ULONG next_size(ULONG size, ULONG needed, ULONG cap, ULONG slack)
{
    const ULONGLONG base = needed > size ? needed : size;
    const ULONGLONG next = base + base / 4 + slack;

    return next <= cap ? (ULONG)next : 0;
}

int nrwin_query_sized(nrwin_sized_query query, const void *ctx, struct nrwin_buf *b, ULONG cap,
                      ULONG slack, NTSTATUS *nt, ULONG *len)
{
    for (int i = 0; i < NRWIN_QUERY_TRIES; i++) {
        ULONG written = 0, next;

        if (!b->p && !(b->p = nrwin_alloc(b->size)))
            return NR_NOMEM;
        *nt = query(ctx, b->p, b->size, &written);
        if (*nt != STATUS_INFO_LENGTH_MISMATCH) {
            *len = written < b->size ? written : b->size;
            return NR_OK;
        }
        nrwin_free(b->p);
        b->p = NULL;
        if (!(next = next_size(b->size, written, cap, slack)))
            break;
        b->size = next;
    }
    return NR_TOO_SMALL;
}
