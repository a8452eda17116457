/* Registry writes of the CLI: HKLM only, always the 64-bit view (the x86
 * build on 64-bit Windows must edit the same keys MPR reads), and a value is
 * written only when its type or bytes differ, so re-runs change nothing. */
#include "cli.h"

static LONG open_key(const WCHAR *subkey, REGSAM access, HKEY *key)
{
    return RegOpenKeyExW(HKEY_LOCAL_MACHINE, subkey, 0, access | KEY_WOW64_64KEY, key);
}

static int same_value(HKEY key, const WCHAR *name, DWORD type, const void *data, DWORD size)
{
    struct nrwin_value old;
    int same;

    if (nrwin_reg_value(key, NULL, name, &old) != NR_OK)
        return 0;
    same = old.type == type && old.size == size && !memcmp(old.data, data, size);
    nrwin_free(old.data);
    return same;
}

static void report_set(const WCHAR *subkey, const WCHAR *name, DWORD type, const void *data,
                       LONG error)
{
    if (error != ERROR_SUCCESS)
        out_msg("error", "registry", L"cannot write HKLM\\%ls\\%ls: %ls", subkey, name,
                error_text(error));
    else if (type == REG_SZ || type == REG_EXPAND_SZ)
        out_msg("change", NULL, L"HKLM\\%ls\\%ls = \"%ls\" (%ls)", subkey, name,
                (const WCHAR *)data, reg_type_name(type));
    else if (type == REG_DWORD)
        out_msg("change", NULL, L"HKLM\\%ls\\%ls = %lu (REG_DWORD)", subkey, name,
                *(const DWORD *)data);
    else
        out_msg("change", NULL, L"HKLM\\%ls\\%ls set (%ls)", subkey, name, reg_type_name(type));
}

LONG reg_set(const WCHAR *subkey, const WCHAR *name, DWORD type, const void *data, DWORD size)
{
    HKEY key;
    LONG error;

    error = RegCreateKeyExW(HKEY_LOCAL_MACHINE, subkey, 0, NULL, 0,
                            KEY_QUERY_VALUE | KEY_SET_VALUE | KEY_WOW64_64KEY, NULL, &key, NULL);
    if (error == ERROR_SUCCESS) {
        if (same_value(key, name, type, data, size)) {
            RegCloseKey(key);
            return ERROR_SUCCESS;
        }
        error = RegSetValueExW(key, name, 0, type, data, size);
        RegCloseKey(key);
    }
    report_set(subkey, name, type, data, error);
    return error;
}

LONG reg_set_string(const WCHAR *subkey, const WCHAR *name, DWORD type, const WCHAR *s)
{
    return reg_set(subkey, name, type, s, (DWORD)(lstrlenW(s) + 1) * sizeof(WCHAR));
}

LONG reg_set_dword(const WCHAR *subkey, const WCHAR *name, DWORD value)
{
    return reg_set(subkey, name, REG_DWORD, &value, sizeof(value));
}

/* A key without subkeys (its values go with it); a missing one is no error. */
LONG reg_delete_key(const WCHAR *subkey)
{
    LONG error = RegDeleteKeyExW(HKEY_LOCAL_MACHINE, subkey, KEY_WOW64_64KEY, 0);

    if (error == ERROR_FILE_NOT_FOUND)
        return ERROR_SUCCESS;
    if (error == ERROR_SUCCESS)
        out_msg("change", NULL, L"removed HKLM\\%ls", subkey);
    else
        out_msg("error", "registry", L"cannot remove HKLM\\%ls: %ls", subkey, error_text(error));
    return error;
}

/* One value; a missing value or key is no error. */
LONG reg_delete_value(const WCHAR *subkey, const WCHAR *name)
{
    HKEY key;
    LONG error;

    error = open_key(subkey, KEY_SET_VALUE, &key);
    if (error == ERROR_SUCCESS) {
        error = RegDeleteValueW(key, name);
        RegCloseKey(key);
    }
    if (error == ERROR_FILE_NOT_FOUND)
        return ERROR_SUCCESS;
    if (error == ERROR_SUCCESS)
        out_msg("change", NULL, L"removed HKLM\\%ls\\%ls", subkey, name);
    else
        out_msg("error", "registry", L"cannot remove HKLM\\%ls\\%ls: %ls", subkey, name,
                error_text(error));
    return error;
}

/* Only when it holds nothing: an admin's settings beside our record stay. */
LONG reg_delete_if_empty(const WCHAR *subkey)
{
    DWORD subkeys, values;
    HKEY key;
    LONG error;

    error = open_key(subkey, KEY_QUERY_VALUE, &key);
    if (error != ERROR_SUCCESS)
        return error == ERROR_FILE_NOT_FOUND ? ERROR_SUCCESS : error;
    error = RegQueryInfoKeyW(key, NULL, NULL, NULL, &subkeys, NULL, NULL, &values, NULL, NULL, NULL,
                             NULL);
    RegCloseKey(key);
    if (error != ERROR_SUCCESS || subkeys || values)
        return error;
    return reg_delete_key(subkey);
}

int reg_key_exists(const WCHAR *subkey)
{
    HKEY key;

    if (open_key(subkey, KEY_QUERY_VALUE, &key) != ERROR_SUCCESS)
        return 0;
    RegCloseKey(key);
    return 1;
}

/* FormatMessage's text for a Win32 error, one line. Not reentrant. */
const WCHAR *error_text(DWORD error)
{
    static WCHAR text[256];
    DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                             error, 0, text, ARRAYSIZE(text), NULL);

    while (n &&
           (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' ' || text[n - 1] == '.'))
        text[--n] = 0;
    if (!n)
        _snwprintf(text, ARRAYSIZE(text), L"error %lu", error);
    else
        _snwprintf(text + n, ARRAYSIZE(text) - n, L" (error %lu)", error);
    text[ARRAYSIZE(text) - 1] = 0;
    return text;
}

const WCHAR *reg_type_name(DWORD type)
{
    switch (type) {
    case REG_SZ:
        return L"REG_SZ";
    case REG_EXPAND_SZ:
        return L"REG_EXPAND_SZ";
    case REG_BINARY:
        return L"REG_BINARY";
    case REG_DWORD:
        return L"REG_DWORD";
    case REG_MULTI_SZ:
        return L"REG_MULTI_SZ";
    case REG_QWORD:
        return L"REG_QWORD";
    default:
        return L"another type";
    }
}
