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
    n = GetSystemWow64DirectoryW(wow64, room);
    if (n && n < room)
        lstrcatW(wow64, L"\\" OUR_DLL);
    else
        wow64[0] = 0; /* 32-bit Windows */
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
