/* Small helpers shared by the Windows layer. */
#include "nrwin.h"

static volatile LONG live_blocks;

void *nrwin_alloc(size_t size)
{
    void *p = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, size);

    if (p)
        InterlockedIncrement(&live_blocks);
    return p;
}

void nrwin_free(void *p)
{
    if (p && HeapFree(GetProcessHeap(), 0, p))
        InterlockedDecrement(&live_blocks);
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
