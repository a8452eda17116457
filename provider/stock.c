/* The stock provider: the DLL named by LanmanWorkstation's NetworkProvider
 * key (ntlanman.dll on Windows), loaded once per process on first use and
 * never unloaded. If it cannot be loaded we say why, once, and every entry
 * answers as if there were no network. */
#include "nrprov.h"
#include "win/nrwin.h"
#include "messages.h"

#define STOCK_KEY L"SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\NetworkProvider"
/* The longest path Windows file APIs take, in WCHARs with the NUL. */
#define PATH_CCH 32768u

static struct nr_stock stock;
static INIT_ONCE stock_once = INIT_ONCE_STATIC_INIT;

/* fmt gets %1 = the path (or the key), %2 = a Win32 error. */
static void unavailable(const WCHAR *fmt, const WCHAR *path, DWORD error)
{
    const DWORD_PTR args[2] = { (DWORD_PTR)path, error };
    WCHAR text[1024];

    nrwin_format(text, ARRAYSIZE(text), fmt, args);
    nrwin_log(NR_FAILURE, NR_MSG_STOCK_UNAVAILABLE, text);
}

static HMODULE load(void)
{
    struct nrwin_value value;
    WCHAR *path = NULL;
    HMODULE dll = NULL;
    DWORD cch;

    if (nrwin_reg_value(HKEY_LOCAL_MACHINE, STOCK_KEY, L"ProviderPath", &value) != NR_OK ||
        (value.type != REG_SZ && value.type != REG_EXPAND_SZ)) {
        unavailable(L"HKLM\\%1\\ProviderPath is missing or not a string.", STOCK_KEY, 0);
        goto done;
    }
    path = nrwin_alloc(PATH_CCH * sizeof(*path));
    if (!path) {
        unavailable(L"out of memory reading %1.", STOCK_KEY, 0);
        goto done;
    }
    cch = ExpandEnvironmentStringsW((const WCHAR *)value.data, path, PATH_CCH);
    if (!cch || cch > PATH_CCH) {
        unavailable(L"ProviderPath \"%1\" cannot be expanded (error %2!lu!).",
                    (const WCHAR *)value.data, cch ? ERROR_FILENAME_EXCED_RANGE : GetLastError());
        goto done;
    }
    /* Loaded the way MPR loads providers, so the stock DLL resolves as before. */
    dll = LoadLibraryW(path);
    if (!dll) {
        unavailable(L"\"%1\" cannot be loaded (error %2!lu!).", path, GetLastError());
        goto done;
    }
    /* A ProviderPath naming us would forward every call to itself. */
    if (dll == nrwin_module()) {
        FreeLibrary(dll);
        dll = NULL;
        unavailable(L"ProviderPath \"%1\" names netreclaim itself.", path, 0);
    } else if (!GetProcAddress(dll, "NPGetCaps")) {
        /* MPR itself refuses such a DLL as a provider; so do we, and say so. */
        FreeLibrary(dll);
        dll = NULL;
        unavailable(L"\"%1\" is not a network provider (it exports no NPGetCaps).", path, 0);
    }
done:
    nrwin_free(path);
    nrwin_free(value.data);
    return dll;
}

/* GetProcAddress's FARPROC goes through the generic function pointer type
 * void (*)(void), which converts to any other without a warning. */
#define RESOLVE(dll, entry)                                                                        \
    (stock.entry = (__typeof__(stock.entry))(void (*)(void))GetProcAddress(dll, #entry))

static BOOL CALLBACK init(INIT_ONCE *once, void *param, void **context)
{
    HMODULE dll = load();

    (void)once;
    (void)param;
    (void)context;
    if (!dll) {
        stock.absent = WN_NO_NETWORK;
        return TRUE;
    }
    stock.absent = WN_NOT_SUPPORTED;
    RESOLVE(dll, NPGetCaps);
    RESOLVE(dll, NPAddConnection);
    RESOLVE(dll, NPAddConnection3);
    RESOLVE(dll, NPAddConnection4);
    RESOLVE(dll, NPCancelConnection);
    RESOLVE(dll, NPCancelConnection2);
    RESOLVE(dll, NPGetConnection);
    RESOLVE(dll, NPGetConnection3);
    RESOLVE(dll, NPGetConnectionPerformance);
    RESOLVE(dll, NPGetUniversalName);
    RESOLVE(dll, NPGetUser);
    RESOLVE(dll, NPOpenEnum);
    RESOLVE(dll, NPEnumResource);
    RESOLVE(dll, NPCloseEnum);
    RESOLVE(dll, NPGetResourceInformation);
    RESOLVE(dll, NPGetResourceParent);
    RESOLVE(dll, NPFormatNetworkName);
    RESOLVE(dll, NPGetPersistentUseOptionsForConnection);
    return TRUE;
}

const struct nr_stock *nr_stock(void)
{
    /* The first call reads the registry and loads a DLL; the caller of the
     * NP entry must not see that in its last error. */
    const DWORD error = GetLastError();

    InitOnceExecuteOnce(&stock_once, init, NULL, NULL);
    SetLastError(error);
    return &stock;
}
