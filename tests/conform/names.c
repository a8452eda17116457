/* The NT names of files on a share, as the provider reads them (docs/design.md
 * rule 4, "Which names lie under a share", and the name forms among the
 * Windows facts): each parsed by the core, with the registry's prefixes, to
 * the \\server\share it was opened through. */
#include <stdio.h>
#include "netreclaim/unc.h"
#include "nrconform.h"

struct opened {
    HANDLE h;
    nr_char name[NRC_NAME_CCH];
    size_t len;
    struct nr_nt_name parsed;
    BOOL parses;
};

/* Opens path in this process and reads its name as the seam does. */
static DWORD open_named(const WCHAR *path, struct opened *o)
{
    memset(o, 0, sizeof(*o));
    o->h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                       NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    if (o->h == INVALID_HANDLE_VALUE) {
        o->h = NULL;
        return GetLastError();
    }
    if (nrwin_name_of(o->h, NRC_TIMEOUT_MS, o->name, NRC_NAME_CCH, &o->len) == NR_OK)
        o->parses = nrc_parse(o->name, o->len, &o->parsed);
    return 0;
}

static void close_opened(struct opened *o)
{
    if (o->h)
        CloseHandle(o->h);
    o->h = NULL;
}

/* One check: path opened, its name parsed to \\server\share. */
static void expect_share(const char *id, const WCHAR *path, struct opened *o, const WCHAR *server,
                         const WCHAR *share)
{
    const DWORD error = open_named(path, o);
    char what[3 * MAX_PATH], name[3 * NRC_NAME_CCH],
        parsed[3 * MAX_PATH] = "not parsed as the "
                               "SMB redirector's";
    WCHAR unc[MAX_PATH];

    snprintf(what, sizeof(what), "%s", nrc_u8(path, wcslen(path)));
    if (error) {
        nrc_check(id, NRC_FAILED, "%s does not open: error %lu", what, error);
        return;
    }
    snprintf(name, sizeof(name), "%s", nrc_u8(o->name, o->len));
    if (o->parses) {
        swprintf(unc, ARRAYSIZE(unc), L"\\\\%.*ls\\%.*ls", (int)o->parsed.unc.server.len,
                 o->parsed.unc.server.str, (int)o->parsed.unc.share.len, o->parsed.unc.share.str);
        snprintf(parsed, sizeof(parsed), "parsed to %s", nrc_u8(unc, wcslen(unc)));
    }
    nrc_expect(id, o->parses && nrc_is_share(&o->parsed, server, share), "%s is named %s: %s", what,
               name, parsed);
}

/* Maps drive (left empty when none is made; the caller cancels it). */
static void drive_letter(const struct nrc_env *env, struct opened *o, WCHAR drive[3])
{
    const char *id = "names.drive_letter_parses_to_share";
    WCHAR remote[MAX_PATH], path[MAX_PATH];
    NETRESOURCEW res = { .dwType = RESOURCETYPE_DISK,
                         .lpLocalName = drive,
                         .lpRemoteName = remote };
    DWORD error;

    if (!nrc_free_drive(drive)) {
        drive[0] = 0;
        nrc_check(id, NRC_SKIPPED, "no free drive letter from Q: to Y:");
        return;
    }
    nrc_unc(remote, ARRAYSIZE(remote), env->servers[1], env->share, NULL);
    if ((error = WNetAddConnection2W(&res, NULL, NULL, 0))) {
        nrc_check(id, NRC_FAILED, "WNetAddConnection2 %ls to %s answered %lu", drive,
                  nrc_u8(remote, wcslen(remote)), error);
        drive[0] = 0;
        return;
    }
    swprintf(path, ARRAYSIZE(path), L"%ls\\f.txt", drive);
    if ((error = open_named(path, o)))
        nrc_check(id, NRC_SKIPPED,
                  "the add of %ls succeeded but %ls\\f.txt does not open (error %lu): "
                  "the provider made no drive (Wine's model makes none)",
                  drive, drive, error);
    else
        expect_share(id, path, o, env->servers[1], env->share);
}

/* The ;X:<hex> component of any name that has one carries the logon
 * session of the token that opened it (rule 4 compares it with the caller's). */
static void luid_component(const struct opened *names, size_t count)
{
    const char *id = "names.luid_component_is_token_authid";
    uint64_t token;

    for (size_t i = 0; i < count; i++) {
        if (!names[i].parses || !names[i].parsed.has_luid)
            continue;
        if (!nrc_token_luid(&token)) {
            nrc_check(id, NRC_FAILED, "the token's statistics do not read: error %lu",
                      GetLastError());
            return;
        }
        nrc_expect(id, names[i].parsed.luid == token,
                   "%s carries 0x%llx, the token's AuthenticationId is 0x%llx",
                   nrc_u8(names[i].name, names[i].len), (unsigned long long)names[i].parsed.luid,
                   (unsigned long long)token);
        return;
    }
    nrc_check(id, NRC_SKIPPED, "no name read here carries a ;X:<hex> component");
}

/* FileRemoteProtocolInfo of a UNC file: what proves a plain \Device\Mup name SMB. */
static void remote_protocol(const struct opened *o)
{
    const char *id = "names.remote_protocol_is_smb";
    FILE_REMOTE_PROTOCOL_INFO info;

    if (!o->h) {
        nrc_check(id, NRC_SKIPPED, "no UNC file open");
        return;
    }
    if (!GetFileInformationByHandleEx(o->h, FileRemoteProtocolInfo, &info, sizeof(info))) {
        nrc_check(id, NRC_SKIPPED, "FileRemoteProtocolInfo is not answered: error %lu",
                  GetLastError());
        return;
    }
    nrc_expect(id, info.Protocol == NR_PROTOCOL_SMB, "protocol 0x%08lx (SMB is 0x%08x)",
               info.Protocol, NR_PROTOCOL_SMB);
}

void nrc_names(const struct nrc_env *env)
{
    static const char *const ids[] = { "names.unc_parses_to_share",
                                       "names.other_spelling_parses_to_its_own_server",
                                       "names.directory_parses_to_share" };
    struct opened *o = nrwin_alloc(4 * sizeof(*o));
    WCHAR path[MAX_PATH], drive[3];

    if (!o) {
        nrc_check("names", NRC_FAILED, "out of memory");
        return;
    }
    drive_letter(env, &o[3], drive);
    nrc_unc(path, ARRAYSIZE(path), env->servers[1], env->share, L"f.txt");
    expect_share(ids[0], path, &o[0], env->servers[1], env->share);
    nrc_unc(path, ARRAYSIZE(path), env->servers[2], env->share, L"f.txt");
    expect_share(ids[1], path, &o[1], env->servers[2], env->share);
    nrc_unc(path, ARRAYSIZE(path), env->servers[1], env->share, L"dir");
    expect_share(ids[2], path, &o[2], env->servers[1], env->share);
    luid_component(o, 4);
    remote_protocol(&o[0]);
    for (int i = 0; i < 4; i++)
        close_opened(&o[i]);
    if (drive[0])
        WNetCancelConnection2W(drive, 0, TRUE);
    nrwin_free(o);
}
