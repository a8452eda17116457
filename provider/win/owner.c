/* Named objects that only the caller's user may touch: the session ledger's
 * section and mutex (ledger_objects.c) and the reclaim lock (reclaim_lock.c). An
 * object someone else made under one of our names is refused as squatting
 * (docs/threat-model.md). */
#include <aclapi.h>
#include "nrwin.h"

int nrwin_caller_user(union nrwin_caller_user *u)
{
    HANDLE token;
    DWORD got;
    int status = NR_OK;

    if (!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token)) {
        if (GetLastError() != ERROR_NO_TOKEN ||
            !OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
            return nrwin_status(GetLastError());
    }
    if (!GetTokenInformation(token, TokenUser, &u->user, sizeof(*u), &got))
        status = nrwin_status(GetLastError());
    CloseHandle(token);
    return status;
}

BOOL nrwin_owner_only(struct nrwin_owner_sd *o, PSID user, DWORD access)
{
    return InitializeAcl(&o->acl.acl, sizeof(o->acl), ACL_REVISION) &&
           AddAccessAllowedAce(&o->acl.acl, ACL_REVISION, access, user) &&
           InitializeSecurityDescriptor(&o->sd, SECURITY_DESCRIPTOR_REVISION) &&
           SetSecurityDescriptorOwner(&o->sd, user, FALSE) &&
           SetSecurityDescriptorDacl(&o->sd, TRUE, &o->acl.acl, FALSE);
}

int nrwin_check_owner(HANDLE object, PSID user)
{
    PSECURITY_DESCRIPTOR sd = NULL;
    PSID owner = NULL;
    DWORD error;
    int status;

    error = GetSecurityInfo(object, SE_KERNEL_OBJECT, OWNER_SECURITY_INFORMATION, &owner, NULL,
                            NULL, NULL, &sd);
    if (error != ERROR_SUCCESS)
        return nrwin_status(error);
    status = owner && EqualSid(owner, user) ? NR_OK : NR_ERROR;
    LocalFree(sd);
    return status;
}
