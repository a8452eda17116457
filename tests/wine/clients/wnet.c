/* wnet.exe: a scriptable WNet client for the Wine scenarios.
 *
 *   wnet <command> [args]      run one command
 *   wnet batch                 run one command per stdin line ('#' lines echo)
 *
 * Commands (all wide-string WNet*W calls):
 *   add <remote> [--local Z:] [--user U] [--password P] [--api 1|2|3|use]
 *       [--provider NAME] [--flags N] [--type N]
 *   cancel <name> [--force] [--api 1|2] [--flags N]
 *   get-connection <local> [--bufsize CHARS]
 *   enum [--scope connected|remembered|global] [--remote \\srv] [--bufsize BYTES]
 *        [--count N]
 *   get-user [name] [--bufsize CHARS]
 *   universal <path> [--level 1|2] [--bufsize BYTES]
 *   resinfo <remote> [--provider NAME] [--bufsize BYTES]
 *   parent <remote> [--provider NAME] [--bufsize BYTES]
 *   provider-name [--type NETTYPE] [--bufsize CHARS]
 *   netinfo <provider>
 *   mark <text>                append "<pid> # <text>" to the model's call log
 *
 * Each call prints one canonical line "<API> <args> -> <rc> <NAME> last=<n>"
 * plus its out-values, so two runs can be diffed. A bufsize of 0 passes a
 * NULL buffer. Exit code: 0 when every command ran (whatever WNet returned:
 * read the output), 2 on a usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "np_decl.h"
#include "model/share.h"
#include "print.h"

#define MAX_ARGS 32

struct opts {
    const WCHAR *pos[4];
    int npos;
    const WCHAR *local, *user, *password, *provider, *scope, *remote, *api;
    BOOL force;
    DWORD flags, type, level, count;
    LONG bufsize; /* -1: default */
};

static BOOL parse(int argc, WCHAR **argv, struct opts *o)
{
    int i;

    memset(o, 0, sizeof(*o));
    o->bufsize = -1;
    o->level = UNIVERSAL_NAME_INFO_LEVEL;
    o->count = (DWORD)-1;
    for (i = 0; i < argc; i++) {
        const WCHAR *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!wcscmp(a, L"--force")) {
            o->force = TRUE;
            continue;
        }
        if (a[0] == '-' && a[1] == '-' && !v)
            return FALSE;
        if (!wcscmp(a, L"--local"))
            o->local = v;
        else if (!wcscmp(a, L"--user"))
            o->user = v;
        else if (!wcscmp(a, L"--password"))
            o->password = v;
        else if (!wcscmp(a, L"--provider"))
            o->provider = v;
        else if (!wcscmp(a, L"--scope"))
            o->scope = v;
        else if (!wcscmp(a, L"--remote"))
            o->remote = v;
        else if (!wcscmp(a, L"--api"))
            o->api = v;
        else if (!wcscmp(a, L"--flags"))
            o->flags = wcstoul(v, NULL, 0);
        else if (!wcscmp(a, L"--type"))
            o->type = wcstoul(v, NULL, 0);
        else if (!wcscmp(a, L"--level"))
            o->level = wcstoul(v, NULL, 0);
        else if (!wcscmp(a, L"--count"))
            o->count = wcstoul(v, NULL, 0);
        else if (!wcscmp(a, L"--bufsize"))
            o->bufsize = wcstol(v, NULL, 0);
        else if (a[0] == '-' && a[1] == '-')
            return FALSE;
        else if (o->npos < 4) {
            o->pos[o->npos++] = a;
            continue;
        } else
            return FALSE;
        i++;
    }
    return TRUE;
}

static const WCHAR *s(const WCHAR *str)
{
    return str ? str : L"null";
}

static BYTE *buffer_for(LONG bufsize, DWORD dflt, DWORD unit, DWORD *size)
{
    static BYTE buf[16384];

    *size = bufsize < 0 ? dflt : (DWORD)bufsize;
    if (*size * unit > sizeof(buf))
        *size = sizeof(buf) / unit;
    memset(buf, 0xcc, sizeof(buf));
    return bufsize == 0 ? NULL : buf;
}

static int cmd_add(struct opts *o)
{
    NETRESOURCEW res = { 0 };
    const WCHAR *api = o->api ? o->api : L"2";
    DWORD rc;

    if (o->npos < 1)
        return 2;
    res.dwType = o->type ? o->type : RESOURCETYPE_DISK;
    res.lpRemoteName = (WCHAR *)o->pos[0];
    res.lpLocalName = (WCHAR *)o->local;
    res.lpProvider = (WCHAR *)o->provider;
    /* Never print the password itself. */
    printf("%ls remote=%ls local=%ls user=%ls password=%s provider=%ls flags=0x%lx",
           !wcscmp(api, L"1")     ? L"WNetAddConnectionW"
           : !wcscmp(api, L"3")   ? L"WNetAddConnection3W"
           : !wcscmp(api, L"use") ? L"WNetUseConnectionW"
                                  : L"WNetAddConnection2W",
           s(o->pos[0]), s(o->local), s(o->user), o->password ? "set" : "null", s(o->provider),
           o->flags);
    SetLastError(0);
    if (!wcscmp(api, L"1"))
        rc = WNetAddConnectionW(o->pos[0], o->password, o->local);
    else if (!wcscmp(api, L"3"))
        rc = WNetAddConnection3W(NULL, &res, o->password, o->user, o->flags);
    else if (!wcscmp(api, L"use")) {
        WCHAR access[64] = L"";
        DWORD size = ARRAYSIZE(access), result = 0;
        rc = WNetUseConnectionW(NULL, &res, o->password, o->user, o->flags, access, &size, &result);
        print_rc(rc, GetLastError());
        printf(" access=\"%ls\" size=%lu result=0x%lx\n", access, size, result);
        return 0;
    } else
        rc = WNetAddConnection2W(&res, o->password, o->user, o->flags);
    print_rc(rc, GetLastError());
    printf("\n");
    return 0;
}

static int cmd_cancel(struct opts *o)
{
    DWORD rc;

    if (o->npos < 1)
        return 2;
    printf("WNetCancelConnection%lsW name=%ls force=%d flags=0x%lx",
           o->api && !wcscmp(o->api, L"1") ? L"" : L"2", o->pos[0], o->force, o->flags);
    SetLastError(0);
    if (o->api && !wcscmp(o->api, L"1"))
        rc = WNetCancelConnectionW(o->pos[0], o->force);
    else
        rc = WNetCancelConnection2W(o->pos[0], o->flags, o->force);
    print_rc(rc, GetLastError());
    printf("\n");
    return 0;
}

static int cmd_get_connection(struct opts *o)
{
    DWORD size, rc;
    WCHAR *buf;

    if (o->npos < 1)
        return 2;
    buf = (WCHAR *)buffer_for(o->bufsize, MAX_PATH, sizeof(WCHAR), &size);
    printf("WNetGetConnectionW local=%ls bufsize=%lu", o->pos[0], size);
    SetLastError(0);
    rc = WNetGetConnectionW(o->pos[0], buf, &size);
    print_rc(rc, GetLastError());
    printf(" size=%lu", size);
    if (rc == WN_SUCCESS)
        printf(" remote=\"%ls\"", buf);
    printf("\n");
    return 0;
}

static DWORD scope_value(const WCHAR *scope)
{
    if (!scope || !wcscmp(scope, L"connected"))
        return RESOURCE_CONNECTED;
    if (!wcscmp(scope, L"remembered"))
        return RESOURCE_REMEMBERED;
    if (!wcscmp(scope, L"global"))
        return RESOURCE_GLOBALNET;
    return wcstoul(scope, NULL, 0);
}

static int cmd_enum(struct opts *o)
{
    NETRESOURCEW start = { 0 };
    HANDLE h = NULL;
    DWORD rc, size, count, i, round;
    BYTE *buf;

    start.lpRemoteName = (WCHAR *)o->remote;
    start.dwUsage = RESOURCEUSAGE_CONTAINER;
    printf("WNetOpenEnumW scope=%ls remote=%ls", s(o->scope), s(o->remote));
    SetLastError(0);
    rc = WNetOpenEnumW(scope_value(o->scope), RESOURCETYPE_ANY, 0, o->remote ? &start : NULL, &h);
    print_rc(rc, GetLastError());
    printf("\n");
    if (rc != WN_SUCCESS)
        return 0;
    for (round = 0; round < 64; round++) {
        buf = buffer_for(o->bufsize, 16384, 1, &size);
        count = o->count;
        printf("WNetEnumResourceW count=%ld bufsize=%lu", (long)count, size);
        SetLastError(0);
        rc = WNetEnumResourceW(h, &count, buf, &size);
        print_rc(rc, GetLastError());
        printf(" count=%lu size=%lu\n", rc == WN_SUCCESS ? count : 0, size);
        if (rc == WN_SUCCESS)
            for (i = 0; i < count; i++)
                print_netres((NETRESOURCEW *)buf + i, buf, size);
        if (rc != WN_SUCCESS)
            break;
    }
    printf("WNetCloseEnum");
    SetLastError(0);
    rc = WNetCloseEnum(h);
    print_rc(rc, GetLastError());
    printf("\n");
    return 0;
}

static int cmd_get_user(struct opts *o)
{
    DWORD size, rc;
    WCHAR *buf = (WCHAR *)buffer_for(o->bufsize, 64, sizeof(WCHAR), &size);

    printf("WNetGetUserW name=%ls bufsize=%lu", s(o->npos ? o->pos[0] : NULL), size);
    SetLastError(0);
    rc = WNetGetUserW(o->npos ? o->pos[0] : NULL, buf, &size);
    print_rc(rc, GetLastError());
    printf(" size=%lu", size);
    if (rc == WN_SUCCESS)
        printf(" user=\"%ls\"", buf);
    printf("\n");
    return 0;
}

static int cmd_universal(struct opts *o)
{
    DWORD size, rc;
    BYTE *buf;

    if (o->npos < 1)
        return 2;
    buf = buffer_for(o->bufsize, 1024, 1, &size);
    printf("WNetGetUniversalNameW path=%ls level=%lu bufsize=%lu", o->pos[0], o->level, size);
    SetLastError(0);
    rc = WNetGetUniversalNameW(o->pos[0], o->level, buf, &size);
    print_rc(rc, GetLastError());
    printf(" size=%lu", size);
    if (rc == WN_SUCCESS && o->level == UNIVERSAL_NAME_INFO_LEVEL)
        print_str("universal", ((UNIVERSAL_NAME_INFOW *)buf)->lpUniversalName, buf, size);
    else if (rc == WN_SUCCESS && o->level == REMOTE_NAME_INFO_LEVEL) {
        REMOTE_NAME_INFOW *info = (REMOTE_NAME_INFOW *)buf;
        print_str("universal", info->lpUniversalName, buf, size);
        print_str("connection", info->lpConnectionName, buf, size);
        print_str("remaining", info->lpRemainingPath, buf, size);
    }
    printf("\n");
    return 0;
}

static int cmd_resource(struct opts *o, BOOL parent)
{
    NETRESOURCEW res = { 0 };
    WCHAR *system = NULL;
    DWORD size, rc;
    BYTE *buf;

    if (o->npos < 1)
        return 2;
    res.lpRemoteName = (WCHAR *)o->pos[0];
    res.lpProvider = (WCHAR *)o->provider;
    res.dwType = RESOURCETYPE_ANY;
    buf = buffer_for(o->bufsize, 1024, 1, &size);
    printf("%s remote=%ls provider=%ls bufsize=%lu",
           parent ? "WNetGetResourceParentW" : "WNetGetResourceInformationW", o->pos[0],
           s(o->provider), size);
    SetLastError(0);
    if (parent)
        rc = WNetGetResourceParentW(&res, buf, &size);
    else
        rc = WNetGetResourceInformationW(&res, buf, &size, &system);
    print_rc(rc, GetLastError());
    printf(" size=%lu", size);
    if (rc == WN_SUCCESS && !parent)
        print_str("system", system, buf, size);
    printf("\n");
    if (rc == WN_SUCCESS)
        print_netres((NETRESOURCEW *)buf, buf, size);
    return 0;
}

static int cmd_provider_name(struct opts *o)
{
    DWORD size, rc, type = o->type ? o->type : WNNC_NET_LANMAN;
    WCHAR *buf = (WCHAR *)buffer_for(o->bufsize, 64, sizeof(WCHAR), &size);

    printf("WNetGetProviderNameW type=0x%lx bufsize=%lu", type, size);
    SetLastError(0);
    rc = WNetGetProviderNameW(type, buf, &size);
    print_rc(rc, GetLastError());
    printf(" size=%lu", size);
    if (rc == WN_SUCCESS)
        printf(" name=\"%ls\"", buf);
    printf("\n");
    return 0;
}

static int cmd_netinfo(struct opts *o)
{
    NETINFOSTRUCT info;
    DWORD rc;

    if (o->npos < 1)
        return 2;
    memset(&info, 0, sizeof(info));
    info.cbStructure = sizeof(info);
    printf("WNetGetNetworkInformationW provider=%ls", o->pos[0]);
    SetLastError(0);
    rc = WNetGetNetworkInformationW(o->pos[0], &info);
    print_rc(rc, GetLastError());
    if (rc == WN_SUCCESS)
        printf(" version=0x%lx nettype=0x%x", info.dwProviderVersion, info.wNetType);
    printf("\n");
    return 0;
}

static int cmd_mark(struct opts *o)
{
    char line[256];
    HANDLE file;
    DWORD done;
    int n;

    n = snprintf(line, sizeof(line), "%lu # %ls\n", GetCurrentProcessId(),
                 o->npos ? o->pos[0] : L"");
    if (n < 0 || n >= (int)sizeof(line))
        return 2;
    CreateDirectoryW(NRMODEL_DIR, NULL);
    file = CreateFileW(NRMODEL_LOG, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                       OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE)
        return 1;
    WriteFile(file, line, n, &done, NULL);
    CloseHandle(file);
    return 0;
}

static int run(int argc, WCHAR **argv)
{
    struct opts o;
    const WCHAR *cmd;
    int rc = 2;

    if (argc < 1)
        return 2;
    cmd = argv[0];
    if (!parse(argc - 1, argv + 1, &o))
        rc = 2;
    else if (!wcscmp(cmd, L"add"))
        rc = cmd_add(&o);
    else if (!wcscmp(cmd, L"cancel"))
        rc = cmd_cancel(&o);
    else if (!wcscmp(cmd, L"get-connection"))
        rc = cmd_get_connection(&o);
    else if (!wcscmp(cmd, L"enum"))
        rc = cmd_enum(&o);
    else if (!wcscmp(cmd, L"get-user"))
        rc = cmd_get_user(&o);
    else if (!wcscmp(cmd, L"universal"))
        rc = cmd_universal(&o);
    else if (!wcscmp(cmd, L"resinfo"))
        rc = cmd_resource(&o, FALSE);
    else if (!wcscmp(cmd, L"parent"))
        rc = cmd_resource(&o, TRUE);
    else if (!wcscmp(cmd, L"provider-name"))
        rc = cmd_provider_name(&o);
    else if (!wcscmp(cmd, L"netinfo"))
        rc = cmd_netinfo(&o);
    else if (!wcscmp(cmd, L"mark"))
        rc = cmd_mark(&o);
    if (rc == 2)
        printf("wnet: usage error in '%ls'\n", cmd);
    fflush(stdout);
    return rc;
}

/* Splits a line on blanks; "double quotes" group. Modifies the line. */
static int split(WCHAR *line, WCHAR **argv)
{
    int argc = 0;
    WCHAR *p = line;

    while (*p && argc < MAX_ARGS) {
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            p++;
        if (!*p)
            break;
        if (*p == '"') {
            argv[argc++] = ++p;
            while (*p && *p != '"')
                p++;
        } else {
            argv[argc++] = p;
            while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
                p++;
        }
        if (*p)
            *p++ = 0;
    }
    return argc;
}

static int batch(void)
{
    char line[1024];
    WCHAR wline[1024], *argv[MAX_ARGS];
    int argc, worst = 0, rc;

    while (fgets(line, sizeof(line), stdin)) {
        if (!MultiByteToWideChar(CP_UTF8, 0, line, -1, wline, ARRAYSIZE(wline)))
            continue;
        if (wline[0] == '#') {
            printf("%ls", wline);
            continue;
        }
        if (!(argc = split(wline, argv)))
            continue;
        rc = run(argc, argv);
        if (rc > worst)
            worst = rc;
    }
    return worst;
}

int wmain(int argc, WCHAR **argv)
{
    /* Each line as it is printed: a run that hangs still shows how far it got. */
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc >= 2 && !wcscmp(argv[1], L"batch"))
        return batch();
    return run(argc - 1, argv + 1);
}
