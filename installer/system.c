/* What the commands check on the machine: the stock provider, where our DLL
 * lives, whether the caller may change HKLM. */
#include "cli.h"

static int names_us(const WCHAR *path)
{
    const WCHAR *base = path;

    for (const WCHAR *p = path; *p; p++)
        if (*p == '\\' || *p == '/')
            base = p + 1;
    return CompareStringOrdinal(base, -1, OUR_DLL, -1, TRUE) == CSTR_EQUAL;
}

/* Loads it as MPR would and asks for the one entry every provider has. */
static void probe_load(struct stock *s)
{
    HMODULE dll;

    if (names_us(s->path)) {
        s->error = ERROR_INVALID_DATA; /* it would forward to itself */
        return;
    }
    dll = LoadLibraryExW(s->path, NULL, 0);
    if (!dll) {
        s->error = GetLastError();
        return;
    }
    if (GetProcAddress(dll, "NPGetCaps"))
        s->loads = 1;
    else
        s->error = ERROR_PROC_NOT_FOUND;
    FreeLibrary(dll);
}

void stock_probe(struct stock *s)
{
    struct nrwin_value v;
    DWORD n;

    ZeroMemory(s, sizeof(*s));
    s->status = nrwin_reg_value(HKEY_LOCAL_MACHINE, KEY_STOCK, L"ProviderPath", &v);
    if (s->status == NR_OK) {
        if (v.type != REG_SZ && v.type != REG_EXPAND_SZ) {
            s->status = NR_ERROR;
        } else {
            n = ExpandEnvironmentStringsW((const WCHAR *)v.data, s->path, ARRAYSIZE(s->path));
            if (!n || n > ARRAYSIZE(s->path))
                s->status = NR_TOO_SMALL;
        }
        nrwin_free(v.data);
    }
    if (s->status == NR_OK)
        probe_load(s);
    else
        s->path[0] = 0;
    if (nrwin_reg_value(HKEY_LOCAL_MACHINE, KEY_STOCK, L"Name", &s->name) == NR_OK &&
        s->name.type != REG_SZ) {
        nrwin_free(s->name.data);
        s->name.data = NULL;
    }
    /* Copied as stored; an empty one names no redirector, so it counts as none. */
    if (nrwin_reg_value(HKEY_LOCAL_MACHINE, KEY_STOCK, L"DeviceName", &s->device) == NR_OK &&
        ((s->device.type != REG_SZ && s->device.type != REG_EXPAND_SZ) ||
         !((const WCHAR *)s->device.data)[0])) {
        nrwin_free(s->device.data);
        s->device.data = NULL;
    }
    if (nrwin_reg_value(HKEY_LOCAL_MACHINE, KEY_STOCK, L"Class", &v) == NR_OK) {
        s->has_class = v.type == REG_DWORD && v.size == sizeof(DWORD);
        if (s->has_class)
            CopyMemory(&s->class_value, v.data, sizeof(DWORD));
        nrwin_free(v.data);
    }
}

void stock_free(struct stock *s)
{
    nrwin_free(s->name.data);
    s->name.data = NULL;
    nrwin_free(s->device.data);
    s->device.data = NULL;
}

static int dir_exists(const WCHAR *path)
{
    const DWORD attributes = GetFileAttributesW(path);

    return attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY);
}

void our_dll_paths(WCHAR native[MAX_PATH], WCHAR wow64[MAX_PATH])
{
    const UINT room = MAX_PATH - ARRAYSIZE(L"\\Sysnative\\" OUR_DLL);
    BOOL wow = FALSE;
    UINT n;

    /* A 32-bit process on 64-bit Windows sees SysWOW64 as System32. */
    if (IsWow64Process(GetCurrentProcess(), &wow) && wow) {
        n = GetWindowsDirectoryW(native, room);
        lstrcpyW(native + (n < room ? n : 0), L"\\Sysnative");
    } else {
        n = GetSystemDirectoryW(native, room);
        native[n < room ? n : 0] = 0;
    }
    lstrcatW(native, L"\\" OUR_DLL);
    /* No folder: 32-bit Windows, or a Server Core that removed WOW64; either
     * way no 32-bit program runs, so none needs the x86 build. */
    n = GetSystemWow64DirectoryW(wow64, room);
    if (n && n < room && dir_exists(wow64))
        lstrcatW(wow64, L"\\" OUR_DLL);
    else
        wow64[0] = 0;
}

int file_exists(const WCHAR *path)
{
    const DWORD attributes = GetFileAttributesW(path);

    return attributes != INVALID_FILE_ATTRIBUTES && !(attributes & FILE_ATTRIBUTE_DIRECTORY);
}

/* Membership in Administrators, as CheckTokenMembership sees it: a UAC
 * filtered token holds the group deny-only and answers no. */
int is_elevated(void)
{
    SID_IDENTIFIER_AUTHORITY nt = { SECURITY_NT_AUTHORITY };
    PSID admins;
    BOOL member = FALSE;

    if (!AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_ADMINS, 0,
                                  0, 0, 0, 0, 0, &admins))
        return 0;
    if (!CheckTokenMembership(NULL, admins, &member))
        member = FALSE;
    FreeSid(admins);
    return member;
}

int need_admin(void)
{
    if (is_elevated())
        return CLI_OK;
    out_msg("error", "not-elevated",
            L"this changes HKLM: run it from an elevated prompt "
            L"(Run as administrator) or as SYSTEM.");
    return CLI_NOT_ELEVATED;
}

typedef BOOL(WINAPI *wow64_process2_fn)(HANDLE process, USHORT *process_machine,
                                        USHORT *native_machine);

/* The machine this program is built for: only such DLLs load into it. */
#if defined(__x86_64__)
#define OWN_MACHINE IMAGE_FILE_MACHINE_AMD64
#elif defined(__i386__)
#define OWN_MACHINE IMAGE_FILE_MACHINE_I386
#elif defined(__aarch64__)
#define OWN_MACHINE IMAGE_FILE_MACHINE_ARM64
#else
#define OWN_MACHINE IMAGE_FILE_MACHINE_UNKNOWN
#endif

/* TEST HOOK, read by netreclaim.exe only (never by the DLL):
 * NETRECLAIM_TEST_NATIVE_MACHINE=ARM64 makes it take the machine for ARM64,
 * which Wine cannot be. It can name ARM64 and nothing else, on which the CLI
 * refuses more, never less, and every run it applies to says so in a note. */
#define TEST_HOOK L"NETRECLAIM_TEST_NATIVE_MACHINE"

static USHORT test_hook_machine(void)
{
    WCHAR value[16];
    const DWORD n = GetEnvironmentVariableW(TEST_HOOK, value, ARRAYSIZE(value));

    if (!n)
        return IMAGE_FILE_MACHINE_UNKNOWN;
    if (n < ARRAYSIZE(value) && !lstrcmpiW(value, L"ARM64")) {
        out_msg("note", "test-hook", L"test hook %ls=ARM64: taking this machine for ARM64.",
                TEST_HOOK);
        return IMAGE_FILE_MACHINE_ARM64;
    }
    out_msg("note", "test-hook", L"test hook %ls ignored: its only value is ARM64.", TEST_HOOK);
    return IMAGE_FILE_MACHINE_UNKNOWN;
}

/* IsWow64Process2's native machine: on ARM64 an x64 program runs emulated,
 * not under WOW64, so IsWow64Process and GetNativeSystemInfo answer x64 there.
 * It came with Windows 10 1709 (Microsoft's IsWow64Process2 page), as did
 * Windows on ARM64: where it is absent, the machine is not ARM64. */
USHORT native_machine(void)
{
    static USHORT machine;
    wow64_process2_fn wow64_process2;
    USHORT process;
    SYSTEM_INFO info;

    if (machine)
        return machine;
    machine = test_hook_machine();
    if (machine)
        return machine;
    wow64_process2 = (wow64_process2_fn)(void (*)(void))GetProcAddress(
        GetModuleHandleW(L"kernel32.dll"), "IsWow64Process2");
    if (wow64_process2 && wow64_process2(GetCurrentProcess(), &process, &machine) && machine)
        return machine;
    GetNativeSystemInfo(&info);
    machine = info.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_AMD64 ? IMAGE_FILE_MACHINE_AMD64
                                                                          : IMAGE_FILE_MACHINE_I386;
    return machine;
}

const WCHAR *machine_name(USHORT machine)
{
    static const struct {
        USHORT machine;
        const WCHAR *name;
    } names[] = {
        { IMAGE_FILE_MACHINE_I386, L"x86" },
        { IMAGE_FILE_MACHINE_AMD64, L"x64" },
        { IMAGE_FILE_MACHINE_ARM64, L"ARM64" },
        { IMAGE_FILE_MACHINE_ARMNT, L"ARM" },
    };

    for (size_t i = 0; i < ARRAYSIZE(names); i++)
        if (names[i].machine == machine)
            return names[i].name;
    return L"another machine";
}

/* The PE file header's machine, or IMAGE_FILE_MACHINE_UNKNOWN when the file
 * is no DLL: what a loader would look at first. */
static USHORT pe_dll_machine(const WCHAR *path)
{
    IMAGE_FILE_HEADER header;

    if (nrwin_pe_header(path, &header) != NR_OK || !(header.Characteristics & IMAGE_FILE_DLL))
        return IMAGE_FILE_MACHINE_UNKNOWN;
    return header.Machine;
}

int dll_serves(const WCHAR *path, USHORT machine, WCHAR *why, size_t why_cch)
{
    USHORT built;
    HMODULE dll;
    DWORD error = ERROR_SUCCESS;

    why[0] = 0;
    if (!file_exists(path)) {
        _snwprintf(why, why_cch, L"%ls is missing", path);
    } else if (!(built = pe_dll_machine(path))) {
        _snwprintf(why, why_cch, L"%ls is not a Windows DLL", path);
    } else if (built != machine) {
        _snwprintf(why, why_cch, L"%ls is built for %ls, not for the %ls processes it serves", path,
                   machine_name(built), machine_name(machine));
    } else if (machine == OWN_MACHINE) {
        /* Only a DLL of our own machine can be loaded here to prove it. */
        dll = LoadLibraryExW(path, NULL, 0);
        if (!dll)
            error = GetLastError();
        else if (!GetProcAddress(dll, "NPGetCaps"))
            error = ERROR_PROC_NOT_FOUND;
        if (dll)
            FreeLibrary(dll);
        if (error)
            _snwprintf(why, why_cch, L"%ls does not load (%ls)", path, error_text(error));
    }
    why[why_cch - 1] = 0;
    return !why[0];
}

int stock_connections(struct nrwin_conns *conns, HMODULE *dll)
{
    struct nrwin_enum api;
    WCHAR why[1024];
    int status;

    if (nrwin_stock_load(dll, why, ARRAYSIZE(why)) != NR_OK) {
        out_msg("note", "stock", L"%ls", why);
        return NR_ERROR;
    }
    nrwin_stock_enum(*dll, &api);
    status = nrwin_conns_list(&api, conns);
    if (status != NR_OK) {
        FreeLibrary(*dll);
        *dll = NULL;
    }
    return status;
}
