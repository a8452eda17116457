/* nrconform: the Windows facts netreclaim relies on, checked where it runs.
 * One program for Windows and Wine, as Wine's conformance tests are: each
 * check is named for the fact it pins and prints ok, FAILED or skipped with
 * the reason, and what this platform answered; --report writes the same as
 * JSON (docs/windows-evidence.md says how to run it and where to send it). */
#include <stdio.h>
#include "nrconform.h"

#define EXIT_FAILED 1
#define EXIT_USAGE 2

static const char usage[] =
    "usage: nrconform [--report FILE] [--setup [--servers A,B,C,D]]\n"
    "       nrconform [--report FILE] --share NAME --servers A,B,C,D --users U1,U2\n"
    "  --report FILE   write the checks as JSON to FILE\n"
    "  --setup         (Windows, elevated) make a temporary share and two local users with\n"
    "                  random passwords for the share checks, and remove them at the end;\n"
    "                  the share is reached as this computer's name, 127.0.0.1, localhost\n"
    "                  and 127.0.0.2 unless --servers names others\n"
    "  --share NAME    a share reachable as \\\\A\\NAME ... \\\\D\\NAME (four spellings of one\n"
    "                  server), with f.txt and dir\\ in it\n"
    "  --servers A,B,C,D  A: the Q245006 sequence through the stock provider; B: the name and\n"
    "                  implicit-connection checks; C: another spelling of B; D: the Q245006\n"
    "                  sequence through the provider order\n"
    "  --users U1,U2   two users the provider accepts with any password (a test provider)\n"
    "Without a share only the checks that need none run. Exit 0: no check FAILED; 1: some\n"
    "did; 2: usage error.\n";

/* Splits a comma list into count fields of cch each; FALSE unless exactly count. */
static BOOL split(const WCHAR *list, int count, size_t cch, WCHAR *fields)
{
    int n = 0;

    for (const WCHAR *p = list; n < count; n++) {
        const WCHAR *end = wcschr(p, L',');
        const size_t len = end ? (size_t)(end - p) : wcslen(p);

        if (!len || len >= cch)
            return FALSE;
        lstrcpynW(fields + n * cch, p, (int)len + 1);
        if (!end)
            return n + 1 == count;
        p = end + 1;
    }
    return FALSE;
}

/* FALSE on a usage error. */
static BOOL parse(int argc, WCHAR **argv, struct nrc_env *env, const WCHAR **report, BOOL *setup)
{
    BOOL ok = TRUE;

    for (int i = 1; i < argc && ok; i++) {
        const WCHAR *value = i + 1 < argc ? argv[i + 1] : L"";

        if (!wcscmp(argv[i], L"--setup")) {
            *setup = TRUE;
            continue;
        }
        if (!wcscmp(argv[i], L"--report"))
            *report = value;
        else if (!wcscmp(argv[i], L"--share"))
            ok = *value && wcslen(value) < ARRAYSIZE(env->share) && lstrcpyW(env->share, value);
        else if (!wcscmp(argv[i], L"--servers"))
            ok = split(value, NRC_SERVERS, ARRAYSIZE(env->servers[0]), env->servers[0]);
        else if (!wcscmp(argv[i], L"--users"))
            ok = split(value, NRC_USERS, ARRAYSIZE(env->user[0]), env->user[0]);
        else
            ok = FALSE;
        ok = ok && *value;
        i++;
    }
    /* A share needs its servers; --setup makes its own share and users. */
    return ok &&
           (*setup ? !env->share[0] && !env->user[0][0] : !env->share[0] == !env->servers[0][0]);
}

int wmain(int argc, WCHAR **argv)
{
    static struct nrc_env env;
    const WCHAR *report = NULL;
    char why[512], platform[160];
    BOOL setup = FALSE;
    int rc;

    if (argc > 1 && !wcscmp(argv[1], L"--child"))
        return nrc_child_main(argc - 2, argv + 2);
    if (argc == 2 && (!wcscmp(argv[1], L"--help") || !wcscmp(argv[1], L"-h"))) {
        fputs(usage, stdout);
        return 0;
    }
    if (!parse(argc, argv, &env, &report, &setup)) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    nrc_platform(platform, sizeof(platform));
    printf("nrconform on %s\n", platform);
    for (int i = 0; i < NRC_USERS && env.user[i][0]; i++)
        nrc_password(env.password[i], ARRAYSIZE(env.password[i]));
    if (setup && !nrc_setup(&env, why, sizeof(why))) {
        nrc_check("setup", NRC_FAILED, "%s: the share checks skip", why);
        env.share[0] = 0;
        env.user[0][0] = 0;
    }
    nrc_registration(&env);
    nrc_tables();
    nrc_closing();
    nrc_blocking(&env);
    if (env.share[0]) {
        nrc_names(&env);
        nrc_implicit(&env);
    } else {
        nrc_check("names", NRC_SKIPPED, "no share: run with --setup (elevated) or --share");
        nrc_check("implicit", NRC_SKIPPED, "no share: run with --setup (elevated) or --share");
    }
    nrc_q245006(&env);
    if (setup)
        nrc_teardown();
    rc = nrc_failures() ? EXIT_FAILED : 0;
    if (report && !nrc_write_report(report, &env)) {
        fprintf(stderr, "nrconform: cannot write the report to %ls\n", report);
        rc = EXIT_FAILED;
    }
    printf("nrconform: %d check(s) FAILED\n", nrc_failures());
    return rc;
}
