/* Each check's outcome: one line on stdout as it happens ("<id>: ok",
 * "<id>: FAILED", "<id>: skipped: <reason>", the answer after " -- "), and
 * the same in the JSON report, so a report from any machine says which
 * platform answered what. */
#include <stdarg.h>
#include <stdio.h>
#include "nrconform.h"

#define MAX_CHECKS 128
#define ANSWER_MAX 512

struct outcome {
    const char *id;
    enum nrc_status status;
    char answer[ANSWER_MAX];
};

static struct outcome outcomes[MAX_CHECKS];
static int outcome_count, failures;

static const char *const status_words[] = { "ok", "FAILED", "skipped" };

static void record(const char *id, enum nrc_status status, const char *fmt, va_list ap)
{
    struct outcome *o = outcome_count < MAX_CHECKS ? &outcomes[outcome_count++] : NULL;
    char answer[ANSWER_MAX];

    vsnprintf(answer, sizeof(answer), fmt, ap);
    if (status == NRC_FAILED)
        failures++;
    if (status == NRC_SKIPPED)
        printf("%s: skipped: %s\n", id, answer);
    else
        printf("%s: %s -- %s\n", id, status_words[status], answer);
    fflush(stdout);
    if (!o) {
        printf("nrconform: more than %d checks, the report keeps the first\n", MAX_CHECKS);
        return;
    }
    o->id = id;
    o->status = status;
    memcpy(o->answer, answer, sizeof(answer));
}

void nrc_check(const char *id, enum nrc_status status, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    record(id, status, fmt, ap);
    va_end(ap);
}

void nrc_expect(const char *id, int cond, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    record(id, cond ? NRC_OK : NRC_FAILED, fmt, ap);
    va_end(ap);
}

BOOL nrc_on_wine(void)
{
    /* Wine says so through an export of its ntdll (Wine's conformance tests
     * tell the platforms apart the same way). */
    return GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "wine_get_version") != NULL;
}

void nrc_expect_windows(const char *id, int cond, const char *fmt, ...)
{
    char answer[ANSWER_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(answer, sizeof(answer), fmt, ap);
    va_end(ap);
    if (cond || !nrc_on_wine())
        nrc_expect(id, cond, "%s", answer);
    else
        nrc_check(id, NRC_SKIPPED, "Wine differs here, as docs/wine-notes.md records: %s", answer);
}

int nrc_failures(void)
{
    return failures;
}

void nrc_version(RTL_OSVERSIONINFOW *v)
{
    NTSTATUS(NTAPI * get_version)(RTL_OSVERSIONINFOW *);

    /* The version as it is, not as a manifest-less program is told. */
    memset(v, 0, sizeof(*v));
    v->dwOSVersionInfoSize = sizeof(*v);
    get_version = (NTSTATUS(NTAPI *)(RTL_OSVERSIONINFOW *))(void *)GetProcAddress(
        GetModuleHandleW(L"ntdll.dll"), "RtlGetVersion");
    if (get_version)
        get_version(v);
}

void nrc_platform(char *buf, size_t size)
{
    const char *(CDECL * wine_version)(void);
    RTL_OSVERSIONINFOW v;
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    USHORT process = 0, native = 0;
    BOOL(WINAPI * wow64_2)(HANDLE, USHORT *, USHORT *);
    BOOL wow64 = FALSE;
    char wine[64] = "";

    wine_version = (const char *(CDECL *)(void))(void *)GetProcAddress(ntdll, "wine_get_version");
    if (wine_version)
        snprintf(wine, sizeof(wine), "Wine %s on ", wine_version());
    nrc_version(&v);
    wow64_2 = (BOOL(WINAPI *)(HANDLE, USHORT *, USHORT *))(void *)GetProcAddress(
        GetModuleHandleW(L"kernel32.dll"), "IsWow64Process2");
    if (wow64_2)
        wow64_2(GetCurrentProcess(), &process, &native);
    else
        IsWow64Process(GetCurrentProcess(), &wow64);
    snprintf(buf, size, "%sWindows %lu.%lu.%lu %s%s", wine, v.dwMajorVersion, v.dwMinorVersion,
             v.dwBuildNumber, sizeof(void *) == 8 ? "x64" : "x86",
             process || wow64 ? " under WOW64" : "");
}

/* A JSON string: UTF-8 as is, quotes, backslashes and controls escaped. */
static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        const unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

BOOL nrc_write_report(const WCHAR *path, const struct nrc_env *env)
{
    FILE *f = _wfopen(path, L"wb");
    char platform[160];
    int count[3] = { 0 };

    if (!f)
        return FALSE;
    nrc_platform(platform, sizeof(platform));
    fputs("{\n  \"program\": \"nrconform\",\n  \"platform\": ", f);
    json_string(f, platform);
    fprintf(f, ",\n  \"netreclaim_in_order\": %s,\n  \"checks\": [",
            env->netreclaim_in_order ? "true" : "false");
    for (int i = 0; i < outcome_count; i++) {
        count[outcomes[i].status]++;
        fputs(i ? ",\n    {\"id\": " : "\n    {\"id\": ", f);
        json_string(f, outcomes[i].id);
        fputs(", \"status\": ", f);
        json_string(f, status_words[outcomes[i].status]);
        fputs(", \"answer\": ", f);
        json_string(f, outcomes[i].answer);
        fputc('}', f);
    }
    fprintf(f, "\n  ],\n  \"ok\": %d,\n  \"failed\": %d,\n  \"skipped\": %d\n}\n", count[NRC_OK],
            count[NRC_FAILED], count[NRC_SKIPPED]);
    return fclose(f) == 0;
}
