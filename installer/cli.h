/* netreclaim.exe: what the command files share. */
#ifndef NETRECLAIM_CLI_H
#define NETRECLAIM_CLI_H

#include <stdio.h>
#include <windows.h>
#include "netreclaim/order.h"
#include "netreclaim/policy.h"
#include "netreclaim/unc.h"
#include "nrwin.h"

/* Exit codes (documented in --help and README.md; tests/docs_check.sh keeps the two equal). */
enum cli_exit {
    CLI_OK = 0,
    CLI_FAILED = 1, /* nothing changed: bad input, stock provider does not load... */
    CLI_USAGE = 2,
    CLI_NOT_ELEVATED = 3,
    CLI_NOT_INSTALLED = 4,
    CLI_PARTIAL = 5,       /* some changes made, some failed */
    CLI_DRIFT = 6,         /* doctor found problems and was not asked to fix them */
    CLI_STALE = 7,         /* why: a stale conflict, which netreclaim clears */
    CLI_CONFLICT = 8,      /* why: a true conflict, which netreclaim leaves to the user */
    CLI_WRONG_SESSION = 9, /* reclaim --luid: not this program's logon session */
};
/* The provider's WOW64 hand-off reads these codes (netreclaim/handoff.h). */
C_ASSERT(CLI_OK == NR_EXIT_OK && CLI_PARTIAL == NR_EXIT_PARTIAL &&
         CLI_WRONG_SESSION == NR_EXIT_WRONG_SESSION);

/* Registry paths under HKLM. */
#define KEY_ORDER L"SYSTEM\\CurrentControlSet\\Control\\NetworkProvider\\Order"
#define KEY_HWORDER L"SYSTEM\\CurrentControlSet\\Control\\NetworkProvider\\HwOrder"
#define KEY_STOCK L"SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\NetworkProvider"
#define KEY_SERVICE L"SYSTEM\\CurrentControlSet\\Services\\NetReclaim"
#define KEY_PROVIDER KEY_SERVICE L"\\NetworkProvider"
#define KEY_EVENTSOURCE L"SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\NetReclaim"
#define KEY_SETTINGS NRWIN_SETTINGS_KEY
#define KEY_RECORD KEY_SETTINGS L"\\Install"
/* In the record: this program's path, where the x86 provider in a WOW64
 * process finds the native netreclaim.exe (provider/win/handoff.c). */
#define RECORD_EXE L"ExePath"
#define OUR_PROVIDER_PATH L"%SystemRoot%\\System32\\netreclaim.dll"
#define OUR_DLL L"netreclaim.dll"
/* Services\NetReclaim's Group: what Microsoft asks of every network provider. */
#define OUR_GROUP L"NetworkProvider"

/* Parsed command line: the command's own arguments stay in argv. */
struct cli {
    int json;
    int argc;
    WCHAR **argv;
};

/* out.c: every line the program prints. Text mode prints as it goes;
 * --json collects and prints one object at out_finish. A message kind is
 * "change", "note", "finding", "fixed", "error" or "next" (what to do). */
void out_start(const char *command, int json);
void out_text(const WCHAR *text); /* as is: help texts */
void out_field(const char *key, const WCHAR *fmt, ...);
void out_flag(const char *key, int value);
void out_number(const char *key, unsigned long value);
void out_msg(const char *kind, const char *code, const WCHAR *fmt, ...);
int out_changes(void); /* "change" messages so far */
/* A list of flat objects: in JSON an array under `key` among the fields,
 * each item an object of `values` (text, else a flag, else a number); in
 * text one line per item, "<label>: <line>". */
struct out_value {
    const char *key;
    const WCHAR *text; /* a string, or NULL */
    int is_flag;       /* when text is NULL: true/false, else a number */
    unsigned long number;
};
void out_list_begin(const char *key);
void out_list_item(const char *label, const WCHAR *line, const struct out_value *values,
                   size_t count);
void out_list_end(void);
int out_finish(int exit_code);
/* A usage error (fmt with one %ls for arg), pointing at the command's --help;
 * returns CLI_USAGE. */
int out_usage_error(const WCHAR *command, const WCHAR *fmt, const WCHAR *arg);

/* cli.c: a \\server[\share] argument. Win32's long form \\?\UNC\server\share
 * is taken as \\server\share, written into buf; any other comes back as given
 * (the command parses it). The room holds a server, a share and a path
 * after them, so that "a path inside a share" can still be told. */
#define CLI_UNC_CCH (2 + NR_SERVER_MAX + 1 + NR_SHARE_MAX + 1 + MAX_PATH)
const WCHAR *cli_unc_arg(const WCHAR *arg, WCHAR buf[CLI_UNC_CCH]);

/* regutil.c: HKLM, 64-bit view, Win32 error codes. Writes happen only when
 * something differs and each one is reported ("change" or "error"). */
LONG reg_set(const WCHAR *subkey, const WCHAR *name, DWORD type, const void *data, DWORD size);
LONG reg_set_string(const WCHAR *subkey, const WCHAR *name, DWORD type, const WCHAR *s);
LONG reg_set_dword(const WCHAR *subkey, const WCHAR *name, DWORD value);
LONG reg_delete_key(const WCHAR *subkey);
LONG reg_delete_value(const WCHAR *subkey, const WCHAR *name);
LONG reg_delete_if_empty(const WCHAR *subkey);
int reg_key_exists(const WCHAR *subkey);
const WCHAR *reg_type_name(DWORD type);
const WCHAR *error_text(DWORD error);

/* orders.c: ProviderOrder and HwOrder as values to edit. */
enum order_which { ORDER_PROVIDER = 0, ORDER_HW = 1, ORDER_COUNT };
struct order {
    const WCHAR *label; /* "ProviderOrder" or "HwOrder\ProviderOrder" */
    const WCHAR *key;
    int status; /* nrwin_reg_value's; NR_GONE when missing */
    struct nrwin_value raw;
    const WCHAR *text;  /* into raw.data, NUL-terminated */
    size_t len;         /* units, without the terminating NUL */
    unsigned int flags; /* nr_order_check's, once the value is a string */
    int usable;         /* a string type, an even size, no finding that edits refuse */
};
typedef int (*order_edit)(const nr_char *in, size_t len, nr_char *out, size_t out_cch,
                          size_t *out_len);
void orders_load(struct order orders[ORDER_COUNT]);
void orders_free(struct order orders[ORDER_COUNT]);
/* Says why a value cannot be edited (as an "error" or "finding" message);
 * returns 1 when it can. A missing HwOrder can be left alone. */
int order_explain(const struct order *o, const char *kind);
/* Applies `edit` (the core refuses only empty, too long or malformed values:
 * callers decide what else to refuse), writes the result when it differs (keeping the value's
 * type), or `original` when the result names the same entries (MPR matches
 * them case-insensitively), so a round trip restores the bytes. Returns a Win32 error. */
LONG order_apply(const struct order *o, order_edit edit, const struct nrwin_value *original);
int order_names(const struct order *o, unsigned int flag);

/* system.c: where things are and whether they work. */
struct stock {
    int status;           /* reading ProviderPath */
    WCHAR path[MAX_PATH]; /* expanded */
    int loads;
    DWORD error; /* why not */
    struct nrwin_value name;
    struct nrwin_value device; /* DeviceName (MUP's ranking): data NULL unless a string */
    int has_class;
    DWORD class_value;
};
void stock_probe(struct stock *s);
/* The session's connections from the stock provider's own enumeration, as
 * the provider lists them (whole or not at all; a note says why not). On
 * NR_OK *dll is the stock DLL, still loaded for the caller's other stock
 * calls: FreeLibrary it. */
int stock_connections(struct nrwin_conns *conns, HMODULE *dll);
void stock_free(struct stock *s);
/* Native System32 and (on 64-bit Windows) SysWOW64 paths of netreclaim.dll;
 * wow64[0] is 0 where no 32-bit program runs: 32-bit Windows, or 64-bit
 * Windows without a SysWOW64 folder (Server Core can remove WOW64). */
void our_dll_paths(WCHAR native[MAX_PATH], WCHAR wow64[MAX_PATH]);
int file_exists(const WCHAR *path);
int is_elevated(void);
/* CLI_OK when elevated, else the refusal said and CLI_NOT_ELEVATED. */
int need_admin(void);
/* The machine native processes run as (IMAGE_FILE_MACHINE_*), and its name. */
USHORT native_machine(void);
const WCHAR *machine_name(USHORT machine);
/* Whether the DLL at `path` can serve processes of `machine`: a PE DLL built
 * for it and, where this process can tell, one that loads and has NPGetCaps.
 * Returns 1, or 0 with the reason in `why` (a clause: "<path> is missing"). */
int dll_serves(const WCHAR *path, USHORT machine, WCHAR *why, size_t why_cch);

/* settings.c: HKLM\SOFTWARE\NetReclaim, then the policy key over it, as
 * the provider applies them; values it ignores are noted. */
void settings_load(struct nr_policy *policy);

/* cmd_install.c: the preflight and every change of "install", also what
 * "doctor --fix" runs to register NetReclaim again. dll/dll32 NULL: the DLLs
 * are expected in place. CLI_OK, CLI_FAILED (nothing changed) or CLI_PARTIAL. */
struct install_opts {
    const WCHAR *dll;   /* x64 (or x86 on 32-bit Windows) build to copy */
    const WCHAR *dll32; /* x86 build for SysWOW64 */
};
int install_run(const struct install_opts *opt);

/* The commands. */
int cmd_install(const struct cli *cli);
int cmd_uninstall(const struct cli *cli);
int cmd_status(const struct cli *cli);
int cmd_doctor(const struct cli *cli);
int cmd_handles(const struct cli *cli, int reclaim);
int cmd_why(const struct cli *cli);

#endif
