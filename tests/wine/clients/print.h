/* Canonical text for WNet and NP results, shared by wnet.exe and npdiff.exe
 * so that two runs can be compared with diff. Pointers into an out-buffer
 * print as their offset, so identical layouts print identically. */
#ifndef NRTEST_PRINT_H
#define NRTEST_PRINT_H

#include <windows.h>
#include <winnetwk.h>

const char *err_name(DWORD rc);
/* " -> 1219 ERROR_SESSION_CREDENTIAL_CONFLICT last=1219" */
void print_rc(DWORD rc, DWORD last);
/* A string that may point into [base, base + size): "\"text\"@off" or "null". */
void print_str(const char *label, const WCHAR *s, const void *base, DWORD size);
void print_netres(const NETRESOURCEW *r, const void *base, DWORD size);

#endif
