/* nrconform: the Windows facts netreclaim relies on, checked on the machine
 * it runs on (Windows or Wine), one named check each. Internal interfaces
 * between its small files. */
#ifndef NRCONFORM_H
#define NRCONFORM_H

#include "win/nrwin.h"

#define NRC_USERS 2
#define NRC_SERVERS 4
#define NRC_NAME_CCH 4096
#define NRC_TIMEOUT_MS 500u /* one bounded query */
#define NRC_CHILD_WAIT_MS 30000u

/* What the run works on: a share reachable under four spellings of one
 * server, each a different server to the redirector (docs/design.md, name
 * forms): servers[0] for the Q245006 sequence through the stock provider,
 * servers[1] for the name and implicit-connection checks (as this
 * program's own user), servers[2] another spelling of servers[1],
 * servers[3] for the sequence through the provider order. Two users
 * (user[i], password[i]: never printed or written). */
struct nrc_env {
    WCHAR share[81]; /* NNLEN + 1; empty: no share, its checks skip */
    WCHAR servers[NRC_SERVERS][256];
    WCHAR user[NRC_USERS][256]; /* empty: no users, their checks skip */
    WCHAR password[NRC_USERS][64];
    WCHAR dir[MAX_PATH];      /* the share's folder, when made by --setup */
    BOOL netreclaim_in_order; /* ProviderOrder names NetReclaim */
};

/* check.c: one check's outcome, printed at once and kept for the report.
 * id: the fact it pins ("names.unc_parses_to_share"); answer: what this
 * platform answered, printf-style (%ls for wide strings). */
enum nrc_status { NRC_OK, NRC_FAILED, NRC_SKIPPED };
void nrc_check(const char *id, enum nrc_status status, const char *fmt, ...)
    __attribute__((format(gnu_printf, 3, 4)));
/* ok when cond holds, else FAILED, with the same answer. */
void nrc_expect(const char *id, int cond, const char *fmt, ...)
    __attribute__((format(gnu_printf, 3, 4)));
/* As nrc_expect, but a difference under Wine that docs/wine-notes.md
 * records is skipped there, naming the answer (Wine's own tests mark such
 * checks todo_wine). */
void nrc_expect_windows(const char *id, int cond, const char *fmt, ...)
    __attribute__((format(gnu_printf, 3, 4)));
BOOL nrc_on_wine(void);
/* RtlGetVersion's answer. */
void nrc_version(RTL_OSVERSIONINFOW *v);
int nrc_failures(void);
/* The JSON report of every check so far, UTF-8; FALSE if it cannot be written. */
BOOL nrc_write_report(const WCHAR *path, const struct nrc_env *env);
/* This platform in one line ("Windows 10.0.20348 x64", "Wine 8.0 on Windows 10.0.19045 x64"). */
void nrc_platform(char *buf, size_t size);

/* child.c: a second process (this program, --child) that holds handles.
 * It opens each path for reading (directories too), or with path "pipe" an
 * anonymous pipe whose read end has a synchronous read pending, and
 * reports each handle's value; it answers "check N" with "open" or
 * "closed" for its N-th handle and exits at "exit" or end of input. */
#define NRC_CHILD_MAX 4
struct nrc_child {
    PROCESS_INFORMATION pi;
    HANDLE to, from;
    int count;
    uint64_t value[NRC_CHILD_MAX];
    DWORD error[NRC_CHILD_MAX]; /* 0, or why the open failed */
};
BOOL nrc_child_start(struct nrc_child *c, int count, const WCHAR *const *paths);
/* 1 open, 0 closed, -1 no answer in time. */
int nrc_child_holds(struct nrc_child *c, int index);
void nrc_child_end(struct nrc_child *c);
int nrc_child_main(int argc, WCHAR **argv);

/* util.c */
/* \\server\share[\rest] into buf. */
void nrc_unc(WCHAR *buf, size_t cch, const WCHAR *server, const WCHAR *share, const WCHAR *rest);
/* The NT name of another process's handle through the seam's bounded query:
 * an nr_status; *protocol as the seam reports it. */
int nrc_name_in(uint32_t pid, uint64_t value, nr_char *buf, size_t cch, size_t *len,
                uint32_t *protocol);
/* Parse an NT name as the provider does (its prefixes from the registry);
 * TRUE and *out when it is the SMB redirector's. */
BOOL nrc_parse(const nr_char *name, size_t len, struct nr_nt_name *out);
/* Whether the parsed name is under \\server\share (case-insensitive). */
BOOL nrc_is_share(const struct nr_nt_name *n, const WCHAR *server, const WCHAR *share);
/* Whether (pid, value) is a row of a fresh handle table (the seam's snapshot). */
int nrc_in_table(uint32_t pid, uint64_t value, BOOL *found);
/* The stock provider's DLL (LanmanWorkstation's ProviderPath); NULL and why. */
HMODULE nrc_stock(char *why, size_t size);
/* Whether the stock enumeration lists a connection to remote (any local name). */
int nrc_listed(HMODULE stock, const WCHAR *remote, BOOL *listed);
/* A free drive letter ("Q:"), FALSE if none. */
BOOL nrc_free_drive(WCHAR drive[3]);
/* The process token's AuthenticationId. */
BOOL nrc_token_luid(uint64_t *luid);
/* UTF-8 of a wide string, for answers (static buffer of one call). */
const char *nrc_u8(const WCHAR *s, size_t len);

/* The groups of checks, one file each. */
void nrc_names(const struct nrc_env *env);    /* names.c */
void nrc_q245006(const struct nrc_env *env);  /* q245006.c */
void nrc_implicit(const struct nrc_env *env); /* implicit.c */
void nrc_tables(void);                        /* tables.c */
void nrc_closing(void);                       /* closing.c */
void nrc_blocking(const struct nrc_env *env); /* blocking.c */
void nrc_registration(struct nrc_env *env);   /* registration.c */

/* setup.c (Windows, elevated): a temporary share and two local users with
 * random passwords, removed by nrc_teardown whatever happened. */
BOOL nrc_setup(struct nrc_env *env, char *why, size_t size);
/* A random password (cch >= 29), for users made here or named by --users. */
BOOL nrc_password(WCHAR *out, size_t cch);
void nrc_teardown(void);

#endif
