/* nrledger.exe: looks at and mistreats the session ledger for the Wine
 * scenarios, through the same nrwin_ledger.h the provider uses.
 *
 *   nrledger dump             "ledger count=N live=N sequence=N" and one
 *                             "entry <state> <local|-> <remote> <user|->
 *                             seq=N origin=<added|rebuilt> vouches=<0|1>" per
 *                             entry of this session; "ledger invalid fault=N",
 *                             "ledger none" or "ledger busy" otherwise. Never
 *                             rebuilds: it shows what the provider left.
 *   nrledger sd               reads back owner and DACL of both objects and
 *                             checks them: owner and single allow ACE = the
 *                             token user. "sd ok <SDDL>" or "sd bad ...".
 *   nrledger keep             holds the objects open (so the image outlives
 *                             the test's short-lived processes), formatting an
 *                             empty image if there is none; "READY", then
 *                             waits for a line on stdin.
 *   nrledger hold             takes the lock, "HOLDING", waits for a line.
 *   nrledger reclaim-lock     takes the session's reclaim lock (a reclaim
 *                             running elsewhere), "HOLDING", waits for a line.
 *   nrledger crash            takes the lock, leaves a half-written update,
 *                             "HOLDING", waits to be killed.
 *   nrledger scribble         fills the image with garbage.
 *   nrledger fill <n>         adds n live entries of another session.
 *   nrledger plant <local|-> <remote> <user>
 *                             adds a live entry of this session, as a
 *                             process of the same user could: "planted".
 *   nrledger conns <dll>      the stock DLL's RESOURCE_CONNECTED enumeration:
 *                             "conn <local|-> <remote>".
 * Exit code 0 on success, 1 on failure, 2 on a usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>
#include <aclapi.h>
#include <sddl.h>
#include <winnetwk.h>
#include <npapi.h>
#include "win/nrwin_ledger.h"
#include "win/nrwin_reclaim.h"

#define WAIT_LINE_MS 120000u
#define OTHER_LUID 0xfeedull

static int format_empty(void *ctx, void *image, size_t size, uint64_t luid, uint64_t time)
{
    (void)ctx;
    (void)luid;
    (void)time;
    return nr_ledger_init(image, size, NR_LEDGER_CAPACITY) == NR_LEDGER_OK ? NR_OK : NR_ERROR;
}

static void wait_line(void)
{
    char line[16];

    fflush(stdout);
    fgets(line, sizeof(line), stdin);
}

static const WCHAR *or_dash(const nr_char *s)
{
    return s[0] ? s : L"-";
}

struct dump {
    uint64_t luid;
};

static int print_entry(void *ctx, const struct nr_ledger_entry *e)
{
    const struct dump *d = ctx;

    if (e->luid == d->luid)
        printf("entry %s %ls %ls %ls seq=%llu origin=%s vouches=%d\n",
               e->state == NR_LEDGER_LIVE ? "live" : "cancelled", or_dash(e->local), e->remote,
               or_dash(e->user), (unsigned long long)e->sequence,
               e->origin == NR_LEDGER_ADDED ? "added" : "rebuilt", nr_ledger_vouches(e));
    return 0;
}

static int cmd_dump(void)
{
    struct nr_ledger_summary sum;
    struct nrwin_ledger l;
    struct dump d;
    int status = nrwin_ledger_acquire(&l, NULL, NULL);

    if (status == NR_GONE) {
        printf("ledger none\n");
        return 0;
    }
    if (status == NR_TIMEOUT) {
        printf("ledger busy\n");
        return 1;
    }
    if (status != NR_OK) {
        printf("ledger invalid fault=%d\n", (int)l.fault);
        return 0;
    }
    d.luid = l.luid;
    nr_ledger_summarize(l.image, l.size, l.luid, &sum);
    printf("ledger count=%u live=%u session_live=%u sequence=%llu abandoned=%d\n", sum.count,
           sum.live, sum.live_in_session, (unsigned long long)sum.sequence, l.abandoned);
    nr_ledger_walk(l.image, l.size, print_entry, &d);
    nrwin_ledger_release(&l);
    return 0;
}

/* Owner and DACL of one object, checked against the token user. */
static int check_sd(HANDLE object, const char *what, PSID user)
{
    PSECURITY_DESCRIPTOR sd = NULL;
    PSID owner = NULL;
    ACL *dacl = NULL;
    ACCESS_ALLOWED_ACE *ace = NULL;
    WCHAR *sddl = NULL;
    int ok;

    if (GetSecurityInfo(object, SE_KERNEL_OBJECT,
                        OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &owner, NULL, &dacl,
                        NULL, &sd) != ERROR_SUCCESS) {
        printf("sd bad %s: unreadable\n", what);
        return 1;
    }
    ok = owner && EqualSid(owner, user) && dacl && dacl->AceCount == 1 &&
         GetAce(dacl, 0, (void **)&ace) && ace->Header.AceType == ACCESS_ALLOWED_ACE_TYPE &&
         EqualSid((PSID)&ace->SidStart, user);
    ConvertSecurityDescriptorToStringSecurityDescriptorW(
        sd, SDDL_REVISION_1, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &sddl, NULL);
    printf("sd %s %s %ls\n", ok ? "ok" : "bad", what, sddl ? sddl : L"?");
    LocalFree(sddl);
    LocalFree(sd);
    return ok ? 0 : 1;
}

static int cmd_sd(void)
{
    union {
        TOKEN_USER user;
        BYTE raw[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
    } token;
    WCHAR section_name[NRWIN_LEDGER_NAME_CCH], mutex_name[NRWIN_LEDGER_NAME_CCH];
    HANDLE process_token, mutex, section;
    struct nrwin_ledger l;
    DWORD got;
    int rc;

    if (nrwin_ledger_acquire(&l, format_empty, NULL) != NR_OK)
        return 1;
    nrwin_ledger_names(l.luid, section_name, mutex_name, NRWIN_LEDGER_NAME_CCH);
    printf("names %ls %ls\n", section_name, mutex_name);
    nrwin_ledger_release(&l);
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &process_token) ||
        !GetTokenInformation(process_token, TokenUser, &token, sizeof(token), &got))
        return 1;
    CloseHandle(process_token);
    mutex = OpenMutexW(READ_CONTROL, FALSE, mutex_name);
    section = OpenFileMappingW(READ_CONTROL, FALSE, section_name);
    if (!mutex || !section) {
        printf("sd bad: objects not found by name\n");
        return 1;
    }
    rc = check_sd(mutex, "mutex", token.user.User.Sid) |
         check_sd(section, "section", token.user.User.Sid);
    CloseHandle(mutex);
    CloseHandle(section);
    return rc;
}

/* Takes the ledger (formatting it if needed) and runs `what` on it. */
static int with_ledger(int (*what)(struct nrwin_ledger *l, WCHAR **args), WCHAR **args,
                       BOOL release)
{
    struct nrwin_ledger l;
    int rc;

    if (nrwin_ledger_acquire(&l, format_empty, NULL) != NR_OK) {
        printf("ledger unavailable\n");
        return 1;
    }
    rc = what(&l, args);
    if (release)
        nrwin_ledger_release(&l);
    return rc;
}

static int keep(struct nrwin_ledger *l, WCHAR **args)
{
    (void)l;
    (void)args;
    return 0;
}

static int hold(struct nrwin_ledger *l, WCHAR **args)
{
    (void)l;
    (void)args;
    printf("HOLDING\n");
    wait_line();
    return 0;
}

static int reclaim_lock(void)
{
    HANDLE lock;

    if (nrwin_reclaim_lock(1000, &lock) != NR_OK) {
        printf("reclaim lock not taken\n");
        return 1;
    }
    printf("HOLDING\n");
    wait_line();
    nrwin_reclaim_unlock(lock);
    return 0;
}

/* A count raised without its entry or checksum: what a crash mid-add leaves. */
static int crash(struct nrwin_ledger *l, WCHAR **args)
{
    struct nr_ledger_header *hdr = l->image;

    (void)args;
    hdr->count++;
    printf("HOLDING\n");
    fflush(stdout);
    Sleep(WAIT_LINE_MS);
    return 1;
}

static int scribble(struct nrwin_ledger *l, WCHAR **args)
{
    BYTE *p = l->image;
    uint32_t x = 0x2545f491u;

    (void)args;
    for (size_t i = 0; i < l->size; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        p[i] = (BYTE)x;
    }
    printf("scribbled %lu bytes\n", (unsigned long)l->size);
    return 0;
}

static int fill(struct nrwin_ledger *l, WCHAR **args)
{
    const long n = wcstol(args[0], NULL, 10);
    WCHAR remote[32];

    for (long i = 0; i < n; i++) {
        swprintf(remote, ARRAYSIZE(remote), L"\\\\fill\\s%ld", i);
        if (nr_ledger_add(l->image, l->size, OTHER_LUID, L"", remote, L"filler",
                          nrwin_ledger_now()) < 0)
            return 1;
    }
    printf("filled %ld\n", n);
    return 0;
}

static int plant(struct nrwin_ledger *l, WCHAR **args)
{
    const WCHAR *local = wcscmp(args[0], L"-") ? args[0] : L"";

    if (nr_ledger_add(l->image, l->size, l->luid, local, args[1], args[2], nrwin_ledger_now()) < 0)
        return 1;
    printf("planted %ls %ls\n", args[0], args[1]);
    return 0;
}

/* The stock DLL's RESOURCE_CONNECTED enumeration, listed the way the
 * provider lists it. */
static int cmd_conns(const WCHAR *dll_path)
{
    HMODULE dll = LoadLibraryW(dll_path);
    struct nrwin_conns conns;
    struct nrwin_enum api;

    if (!dll)
        return 1;
    nrwin_stock_enum(dll, &api);
    if (nrwin_conns_list(&api, &conns) != NR_OK)
        return 1;
    for (size_t i = 0; i < conns.count; i++) {
        const struct nr_conn *c = &conns.items[i];

        printf("conn %ls %ls\n", c->local[0] ? c->local : L"-", c->remote);
    }
    nrwin_conns_free(&conns);
    return 0;
}

int wmain(int argc, WCHAR **argv)
{
    const WCHAR *cmd = argc > 1 ? argv[1] : L"";
    int rc = 2;

    if (!wcscmp(cmd, L"dump"))
        rc = cmd_dump();
    else if (!wcscmp(cmd, L"sd"))
        rc = cmd_sd();
    else if (!wcscmp(cmd, L"keep")) {
        rc = with_ledger(keep, NULL, TRUE);
        printf("READY\n");
        wait_line();
    } else if (!wcscmp(cmd, L"hold"))
        rc = with_ledger(hold, NULL, TRUE);
    else if (!wcscmp(cmd, L"reclaim-lock"))
        rc = reclaim_lock();
    else if (!wcscmp(cmd, L"crash"))
        rc = with_ledger(crash, NULL, FALSE);
    else if (!wcscmp(cmd, L"scribble"))
        rc = with_ledger(scribble, NULL, TRUE);
    else if (!wcscmp(cmd, L"fill") && argc > 2)
        rc = with_ledger(fill, argv + 2, TRUE);
    else if (!wcscmp(cmd, L"plant") && argc > 4)
        rc = with_ledger(plant, argv + 2, TRUE);
    else if (!wcscmp(cmd, L"conns") && argc > 2)
        rc = cmd_conns(argv[2]);
    fflush(stdout);
    return rc;
}
