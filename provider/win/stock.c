/* The stock provider's DLL: the one LanmanWorkstation's NetworkProvider key
 * names (ntlanman.dll on Windows), loaded the way MPR loads providers. The
 * provider forwards to it; the CLI lists the session's connections with it. */
#include "nrwin.h"

/* The longest path Windows file APIs take, in WCHARs with the NUL. */
#define PATH_CCH 32768u

/* why gets fmt with %1 = the path (or the key), %2 = a Win32 error. */
static void say(WCHAR *why, DWORD cch, const WCHAR *fmt, const WCHAR *path, DWORD error)
{
    const DWORD_PTR args[2] = { (DWORD_PTR)path, error };

    nrwin_format(why, cch, fmt, args);
}

static HMODULE load(WCHAR *why, DWORD cch)
{
    struct nrwin_value value;
    WCHAR *path = NULL;
    HMODULE dll = NULL;
    DWORD n;

    if (nrwin_reg_value(HKEY_LOCAL_MACHINE, NRWIN_STOCK_KEY, L"ProviderPath", &value) != NR_OK ||
        (value.type != REG_SZ && value.type != REG_EXPAND_SZ)) {
        say(why, cch, L"HKLM\\%1\\ProviderPath is missing or not a string.", NRWIN_STOCK_KEY, 0);
        goto done;
    }
    if (!(path = nrwin_alloc(PATH_CCH * sizeof(*path)))) {
        say(why, cch, L"out of memory reading %1.", NRWIN_STOCK_KEY, 0);
        goto done;
    }
    n = ExpandEnvironmentStringsW((const WCHAR *)value.data, path, PATH_CCH);
    if (!n || n > PATH_CCH) {
        say(why, cch, L"ProviderPath \"%1\" cannot be expanded (error %2!lu!).",
            (const WCHAR *)value.data, n ? ERROR_FILENAME_EXCED_RANGE : GetLastError());
        goto done;
    }
    if (!(dll = LoadLibraryW(path))) {
        say(why, cch, L"\"%1\" cannot be loaded (error %2!lu!).", path, GetLastError());
        goto done;
    }
    /* A ProviderPath naming the module we are in would forward to itself. */
    if (dll == nrwin_module()) {
        FreeLibrary(dll);
        dll = NULL;
        say(why, cch, L"ProviderPath \"%1\" names netreclaim itself.", path, 0);
    } else if (!GetProcAddress(dll, "NPGetCaps")) {
        /* MPR itself refuses such a DLL as a provider. */
        FreeLibrary(dll);
        dll = NULL;
        say(why, cch, L"\"%1\" is not a network provider (it exports no NPGetCaps).", path, 0);
    }
done:
    nrwin_free(path);
    nrwin_free(value.data);
    return dll;
}

int nrwin_stock_load(HMODULE *dll, WCHAR *why, DWORD cch)
{
    why[0] = 0;
    *dll = load(why, cch);
    return *dll ? NR_OK : NR_ERROR;
}

/* GetProcAddress's FARPROC goes through the generic function pointer type
 * void (*)(void), which converts to any other without a warning. */
#define ENTRY(dll, type, name) ((type)(void (*)(void))GetProcAddress(dll, name))

void nrwin_stock_enum(HMODULE dll, struct nrwin_enum *api)
{
    api->open = ENTRY(dll, __typeof__(api->open), "NPOpenEnum");
    api->next = ENTRY(dll, __typeof__(api->next), "NPEnumResource");
    api->close = ENTRY(dll, __typeof__(api->close), "NPCloseEnum");
}
