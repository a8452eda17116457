/* netreclaim.exe: command line parsing and dispatch, help texts. */
#include <stdlib.h>
#include "cli.h"

#ifndef NR_VERSION
#define NR_VERSION L"0.0.0"
#endif

static const WCHAR exit_codes[] =
    L"Exit codes:\n"
    L"  0  success (status: installed; doctor: no problem left)\n"
    L"  1  failed, nothing changed (bad ProviderOrder, stock provider does not load...)\n"
    L"  2  usage error\n"
    L"  3  not elevated: run from an elevated prompt or as SYSTEM\n"
    L"  4  not installed (status)\n"
    L"  5  partial failure: some changes were made, others failed\n"
    L"  6  doctor found problems (run doctor --fix)\n"
    L"  7  why: a stale conflict (netreclaim clears it: see the advice)\n"
    L"  8  why: a true conflict (a live connection as another user, or one in use)\n"
    L"  9  reclaim --luid: that is not this program's logon session; nothing done\n";

const WCHAR *cli_unc_arg(const WCHAR *arg, WCHAR buf[CLI_UNC_CCH])
{
    return nr_unc_from_long(arg, (size_t)lstrlenW(arg), buf, CLI_UNC_CCH) ? buf : arg;
}

static int run_handles(const struct cli *cli)
{
    return cmd_handles(cli, 0);
}

static int run_reclaim(const struct cli *cli)
{
    return cmd_handles(cli, 1);
}

static const struct command {
    const WCHAR *name;
    const char *ascii;
    int (*run)(const struct cli *cli);
    const WCHAR *help;
} commands[] = {
    { L"install", "install", cmd_install,
      L"netreclaim install [--dll PATH] [--dll32 PATH] [--json]\n"
      L"  Puts NetReclaim in LanmanWorkstation's place in ProviderOrder and HwOrder.\n"
      L"  First checks that the stock provider loads and that both order values are sound;\n"
      L"  changes nothing otherwise. --dll copies the DLL to System32, --dll32 (default:\n"
      L"  x86\\netreclaim.dll beside --dll) the x86 build to SysWOW64. Safe to re-run.\n"
      L"  Needs elevation.\n" },
    { L"uninstall", "uninstall", cmd_uninstall,
      L"netreclaim uninstall [--json]\n"
      L"  Puts LanmanWorkstation back where NetReclaim stands (providers added since stay),\n"
      L"  removes the provider key, the event source and the install record. With nothing\n"
      L"  added since install the registry is as it was before. Safe to re-run.\n"
      L"  Needs elevation.\n" },
    { L"status", "status", cmd_status,
      L"netreclaim status [--json]\n"
      L"  Whether NetReclaim is installed, both orders, the stock provider and whether it\n"
      L"  loads, the mode from policy, the version, a summary of your session's ledger.\n"
      L"  Exit code 4 when not installed.\n" },
    { L"doctor", "doctor", cmd_doctor,
      L"netreclaim doctor [--fix] [--json]\n"
      L"  Looks for drift: an order naming NetReclaim without its key or DLL (no SMB provider\n"
      L"  at all), LanmanWorkstation restored or re-added beside NetReclaim, a changed or\n"
      L"  broken stock provider, duplicate or empty entries. Explains each finding; --fix\n"
      L"  repairs what it can (needs elevation) and, when NetReclaim cannot work, puts\n"
      L"  LanmanWorkstation back so SMB does. The MSI runs \"doctor --fix\" at every boot.\n" },
    { L"handles", "handles", run_handles,
      L"netreclaim handles \\\\server[\\share] [--json]\n"
      L"  Lists the file handles of your logon session under \\\\server[\\share]: process,\n"
      L"  PID, handle, path. Closes nothing.\n" },
    { L"reclaim", "reclaim", run_reclaim,
      L"netreclaim reclaim \\\\server\\share [--dry-run] [--luid 0xLUID] [--json]\n"
      L"  Closes the handles \"handles\" lists, under the provider's safety rules (never in\n"
      L"  another logon session, under a share still connected, or in an excluded process).\n"
      L"  --dry-run shows the plan and closes nothing. --luid is how the x86 provider of a\n"
      L"  32-bit program hands its reclaim over: refused (exit 9) unless it is this\n"
      L"  program's logon session; then as the provider does it after a cancel.\n" },
    { L"why", "why", cmd_why,
      L"netreclaim why \\\\server[\\share] [--user NAME] [--json]\n"
      L"  Says what holds error 1219 (another user's session) to that server in your logon\n"
      L"  session: each connection to it (local name, remote name, user, origin in the\n"
      L"  session ledger, the handles that keep it in use), the handles under the server\n"
      L"  that no connection covers, and the verdict netreclaim's provider would reach on\n"
      L"  an add: no conflict (exit 0), stale (exit 7: what clears it) or true conflict\n"
      L"  (exit 8: a connection as another user with a local name or recorded, or one with\n"
      L"  files open under it; the files, and the ways out with what each does to them).\n"
      L"  --user NAME: whether an add as NAME would conflict. Closes and cancels nothing.\n" },
};

static int usage(void)
{
    WCHAR text[4096];
    int n = _snwprintf(text, ARRAYSIZE(text),
                       L"netreclaim %ls: installs and checks the NetReclaim network provider.\n\n"
                       L"Usage: netreclaim <command> [options]   (netreclaim <command> --help)\n\n",
                       NR_VERSION);

    for (size_t i = 0; i < ARRAYSIZE(commands) && n > 0; i++)
        n += _snwprintf(text + n, ARRAYSIZE(text) - n, L"%ls\n", commands[i].help);
    text[ARRAYSIZE(text) - 1] = 0;
    out_text(text);
    out_text(exit_codes);
    return CLI_OK;
}

/* --json and --help may stand anywhere; the rest is the command's. */
static int split(int argc, WCHAR **argv, struct cli *cli, int *help)
{
    cli->argv = malloc(sizeof(*cli->argv) * (size_t)argc);
    if (!cli->argv)
        return 0;
    for (int i = 2; i < argc; i++) {
        if (!lstrcmpW(argv[i], L"--json"))
            cli->json = 1;
        else if (!lstrcmpW(argv[i], L"--help") || !lstrcmpW(argv[i], L"/?"))
            *help = 1;
        else
            cli->argv[cli->argc++] = argv[i];
    }
    return 1;
}

int wmain(int argc, WCHAR **argv)
{
    struct cli cli = { 0 };
    int help = 0, rc = CLI_USAGE;

    /* No "insert disk" dialogs when a probed DLL is missing. */
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOOPENFILEERRORBOX);
    if (argc < 2) {
        usage();
        return CLI_USAGE;
    }
    if (!lstrcmpW(argv[1], L"--help") || !lstrcmpW(argv[1], L"/?") || !lstrcmpW(argv[1], L"help"))
        return usage();
    if (!lstrcmpW(argv[1], L"--version")) {
        out_text(NR_VERSION L"\n");
        return CLI_OK;
    }
    for (size_t i = 0; i < ARRAYSIZE(commands); i++) {
        if (lstrcmpiW(argv[1], commands[i].name))
            continue;
        if (!split(argc, argv, &cli, &help)) {
            out_msg("error", NULL, L"out of memory");
            return CLI_FAILED;
        }
        if (help) {
            out_text(commands[i].help);
            out_text(exit_codes);
            rc = CLI_OK;
        } else {
            out_start(commands[i].ascii, cli.json);
            rc = out_finish(commands[i].run(&cli));
        }
        free(cli.argv);
        return rc;
    }
    out_start("netreclaim", 0);
    out_usage_error(L"", L"unknown command \"%ls\"", argv[1]);
    return CLI_USAGE;
}
