/* --setup (Windows, elevated): what the share checks need on a machine that
 * has nothing for them, made for this run and removed by nrc_teardown
 * whatever happens (also on Ctrl+C and on a crash): a folder shared as
 * nrconform<hex>$, reached through four spellings of this machine
 * (docs/design.md, name forms: each a different server to the
 * redirector), and two local users with random passwords that exist only
 * in this process's memory. */
#include <stdio.h>
#include "nrconform.h"
#include <lm.h>
#include <bcrypt.h>

#define PASSWORD_LEN 24

static struct {
    BOOL share, user[NRC_USERS];
    WCHAR share_name[NNLEN + 1], user_name[NRC_USERS][UNLEN + 1], dir[MAX_PATH];
    struct nrc_env *env;
    volatile LONG torn;
} made;

static BOOL random_bytes(BYTE *buf, ULONG size)
{
    return BCRYPT_SUCCESS(BCryptGenRandom(NULL, buf, size, BCRYPT_USE_SYSTEM_PREFERRED_RNG));
}

/* Long, random, and of every class the default password policy asks for. */
BOOL nrc_password(WCHAR *out, size_t cch)
{
    static const WCHAR alphabet[] =
        L"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.!#";
    BYTE r[PASSWORD_LEN];

    if (cch < PASSWORD_LEN + 5 || !random_bytes(r, sizeof(r)))
        return FALSE;
    for (size_t i = 0; i < PASSWORD_LEN; i++)
        out[i] = alphabet[r[i] % (ARRAYSIZE(alphabet) - 1)];
    lstrcpyW(out + PASSWORD_LEN, L"Aa1!");
    SecureZeroMemory(r, sizeof(r));
    return TRUE;
}

static BOOL write_file(const WCHAR *path)
{
    HANDLE f = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL);
    DWORD n;
    BOOL ok;

    if (f == INVALID_HANDLE_VALUE)
        return FALSE;
    ok = WriteFile(f, "data\r\n", 6, &n, NULL);
    CloseHandle(f);
    return ok;
}

/* The share's folder, with f.txt and dir\g.txt, at the root of the system
 * drive, where the Users group may read (a profile's temp folder is
 * closed to other users). */
static BOOL make_folder(const WCHAR *hex)
{
    WCHAR drive[4], path[MAX_PATH];

    if (!GetEnvironmentVariableW(L"SystemDrive", drive, ARRAYSIZE(drive)))
        return FALSE;
    swprintf(made.dir, MAX_PATH, L"%ls\\nrconform-%ls", drive, hex);
    if (!CreateDirectoryW(made.dir, NULL))
        return FALSE;
    swprintf(path, MAX_PATH, L"%ls\\f.txt", made.dir);
    if (!write_file(path))
        return FALSE;
    swprintf(path, MAX_PATH, L"%ls\\dir", made.dir);
    if (!CreateDirectoryW(path, NULL))
        return FALSE;
    swprintf(path, MAX_PATH, L"%ls\\dir\\g.txt", made.dir);
    return write_file(path);
}

/* A local user in the Users group (by SID: the group's name is localised). */
static NET_API_STATUS make_user(int i, const WCHAR *hex)
{
    USER_INFO_1 info = { 0 };
    LOCALGROUP_MEMBERS_INFO_3 member;
    SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
    WCHAR group[GNLEN + 1], domain[DNLEN + 1], qualified[DNLEN + UNLEN + 2];
    DWORD group_cch = ARRAYSIZE(group), domain_cch = ARRAYSIZE(domain);
    SID_NAME_USE use;
    PSID users = NULL;
    NET_API_STATUS rc;

    swprintf(made.user_name[i], UNLEN + 1, L"nrc%ls%c", hex, 'a' + i);
    if (!nrc_password(made.env->password[i], ARRAYSIZE(made.env->password[i])))
        return ERROR_GEN_FAILURE;
    info.usri1_name = made.user_name[i];
    info.usri1_password = made.env->password[i];
    info.usri1_priv = USER_PRIV_USER;
    info.usri1_comment = L"nrconform: removed at the end of its run";
    info.usri1_flags = UF_SCRIPT | UF_DONT_EXPIRE_PASSWD;
    if ((rc = NetUserAdd(NULL, 1, (BYTE *)&info, NULL)))
        return rc;
    made.user[i] = TRUE;
    if (!AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_USERS, 0, 0,
                                  0, 0, 0, 0, &users) ||
        !LookupAccountSidW(NULL, users, group, &group_cch, domain, &domain_cch, &use)) {
        rc = GetLastError();
    } else {
        GetEnvironmentVariableW(L"COMPUTERNAME", domain, ARRAYSIZE(domain));
        swprintf(qualified, ARRAYSIZE(qualified), L"%ls\\%ls", domain, made.user_name[i]);
        member.lgrmi3_domainandname = qualified;
        rc = NetLocalGroupAddMembers(NULL, group, 3, (BYTE *)&member, 1);
        if (rc == ERROR_MEMBER_IN_ALIAS)
            rc = 0;
        /* A local account on this machine, as a remote server names it. */
        lstrcpynW(made.env->user[i], qualified, ARRAYSIZE(made.env->user[i]));
    }
    if (users)
        FreeSid(users);
    return rc;
}

static LONG WINAPI on_crash(EXCEPTION_POINTERS *e)
{
    (void)e;
    nrc_teardown();
    return EXCEPTION_CONTINUE_SEARCH;
}

static BOOL WINAPI on_ctrl(DWORD type)
{
    (void)type;
    nrc_teardown();
    return FALSE;
}

BOOL nrc_setup(struct nrc_env *env, char *why, size_t size)
{
    SHARE_INFO_2 share = { 0 };
    WCHAR hex[9], computer[MAX_COMPUTERNAME_LENGTH + 1];
    DWORD cch = ARRAYSIZE(computer);
    BYTE r[4];
    NET_API_STATUS rc;

    made.env = env;
    SetUnhandledExceptionFilter(on_crash);
    SetConsoleCtrlHandler(on_ctrl, TRUE);
    if (!random_bytes(r, sizeof(r)) || !GetComputerNameW(computer, &cch)) {
        snprintf(why, size, "no random bytes or no computer name: error %lu", GetLastError());
        return FALSE;
    }
    swprintf(hex, ARRAYSIZE(hex), L"%02x%02x%02x%02x", r[0], r[1], r[2], r[3]);
    if (!make_folder(hex)) {
        snprintf(why, size, "cannot make the share's folder under %%SystemDrive%%: error %lu",
                 GetLastError());
        return FALSE;
    }
    swprintf(made.share_name, ARRAYSIZE(made.share_name), L"nrconform%ls$", hex);
    share.shi2_netname = made.share_name;
    share.shi2_type = STYPE_DISKTREE;
    share.shi2_remark = L"nrconform: removed at the end of its run";
    share.shi2_max_uses = (DWORD)-1;
    share.shi2_path = made.dir;
    if ((rc = NetShareAdd(NULL, 2, (BYTE *)&share, NULL))) {
        snprintf(why, size, "NetShareAdd: %lu (is the Server service running?)", rc);
        return FALSE;
    }
    made.share = TRUE;
    for (int i = 0; i < NRC_USERS; i++) {
        if ((rc = make_user(i, hex))) {
            snprintf(why, size, "cannot make local user %d: %lu", i + 1, rc);
            return FALSE;
        }
    }
    lstrcpyW(env->share, made.share_name);
    /* Spellings given (a second run, while the first one's sessions may
     * linger) are kept. */
    if (!env->servers[0][0]) {
        lstrcpyW(env->servers[0], computer);
        lstrcpyW(env->servers[1], L"127.0.0.1");
        lstrcpyW(env->servers[2], L"localhost");
        lstrcpyW(env->servers[3], L"127.0.0.2");
    }
    lstrcpyW(env->dir, made.dir);
    return TRUE;
}

static void remove_folder(void)
{
    static const WCHAR *const files[] = { L"dir\\g.txt", L"f.txt" };
    WCHAR path[MAX_PATH];

    for (size_t i = 0; i < ARRAYSIZE(files); i++) {
        swprintf(path, MAX_PATH, L"%ls\\%ls", made.dir, files[i]);
        DeleteFileW(path);
    }
    swprintf(path, MAX_PATH, L"%ls\\dir", made.dir);
    RemoveDirectoryW(path);
    RemoveDirectoryW(made.dir);
}

void nrc_teardown(void)
{
    if (InterlockedExchange(&made.torn, 1))
        return;
    if (made.share)
        NetShareDel(NULL, made.share_name, 0);
    for (int i = 0; i < NRC_USERS; i++) {
        if (made.user[i])
            NetUserDel(NULL, made.user_name[i]);
        if (made.env)
            SecureZeroMemory(made.env->password[i], sizeof(made.env->password[i]));
    }
    if (made.dir[0])
        remove_folder();
}
