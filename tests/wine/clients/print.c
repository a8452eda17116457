/* Canonical printing of return codes, strings and NETRESOURCEW. */
#include <stdio.h>
#include "print.h"

static const struct {
    DWORD code;
    const char *name;
} names[] = {
    { 0, "NO_ERROR" },
    { 5, "ERROR_ACCESS_DENIED" },
    { 6, "ERROR_INVALID_HANDLE" },
    { 50, "ERROR_NOT_SUPPORTED" },
    { 67, "ERROR_BAD_NET_NAME" },
    { 85, "ERROR_ALREADY_ASSIGNED" },
    { 86, "ERROR_INVALID_PASSWORD" },
    { 87, "ERROR_INVALID_PARAMETER" },
    { 124, "ERROR_INVALID_LEVEL" },
    { 234, "ERROR_MORE_DATA" },
    { 259, "ERROR_NO_MORE_ITEMS" },
    { 487, "ERROR_INVALID_ADDRESS" },
    { 1200, "ERROR_BAD_DEVICE" },
    { 1203, "ERROR_NO_NET_OR_BAD_PATH" },
    { 1204, "ERROR_BAD_PROVIDER" },
    { 1219, "ERROR_SESSION_CREDENTIAL_CONFLICT" },
    { 1222, "ERROR_NO_NETWORK" },
    { 1326, "ERROR_LOGON_FAILURE" },
    { 2250, "ERROR_NOT_CONNECTED" },
    { 2401, "ERROR_OPEN_FILES" },
};

const char *err_name(DWORD rc)
{
    size_t i;

    for (i = 0; i < ARRAYSIZE(names); i++)
        if (names[i].code == rc)
            return names[i].name;
    return "?";
}

void print_rc(DWORD rc, DWORD last)
{
    printf(" -> %lu %s last=%lu", rc, err_name(rc), last);
}

void print_str(const char *label, const WCHAR *s, const void *base, DWORD size)
{
    const BYTE *p = (const BYTE *)s, *b = base;

    if (!s) {
        printf(" %s=null", label);
        return;
    }
    if (b && p >= b && p < b + size)
        printf(" %s=\"%ls\"@%u", label, s, (unsigned)(p - b));
    else
        printf(" %s=\"%ls\"@ext", label, s);
}

void print_netres(const NETRESOURCEW *r, const void *base, DWORD size)
{
    printf("  res scope=%lu type=%lu display=%lu usage=0x%lx", r->dwScope, r->dwType,
           r->dwDisplayType, r->dwUsage);
    print_str("local", r->lpLocalName, base, size);
    print_str("remote", r->lpRemoteName, base, size);
    print_str("comment", r->lpComment, base, size);
    print_str("provider", r->lpProvider, base, size);
    printf("\n");
}
