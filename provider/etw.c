/* The trace as an ETW provider, for Windows: registered on first use and
 * written only while a session listens (EventProviderEnabled), so that an
 * admin can record it with logman or WPR without touching the registry
 * (docs/events.md, "The trace"). Under Wine the ETW calls are stubs: the
 * provider never counts as enabled there (docs/wine-notes.md), and the
 * registry-switched debug-string trace (trace.c) is what the tests read.
 * The provider has no enable callback, so ETW never calls into this DLL. */
#include "nrprov.h"
#include <evntprov.h>

/* NetReclaim's trace provider: {282edbf5-623b-44d4-8c49-f0f7c40088d4}. Fixed:
 * the logman command and the WPR profile in docs/ name it. */
static const GUID provider_guid = { 0x282edbf5, 0x623b, 0x44d4,
                                    { 0x8c, 0x49, 0xf0, 0xf7, 0xc4, 0x00, 0x88, 0xd4 } };

static INIT_ONCE register_once = INIT_ONCE_STATIC_INIT;
static REGHANDLE provider; /* 0 when EventRegister failed */

static BOOL CALLBACK register_provider(INIT_ONCE *once, void *param, void **context)
{
    (void)once;
    (void)param;
    (void)context;
    if (EventRegister(&provider_guid, NULL, NULL, &provider) != ERROR_SUCCESS)
        provider = 0;
    return TRUE;
}

BOOL nrp_etw_listening(void)
{
    InitOnceExecuteOnce(&register_once, register_provider, NULL, NULL);
    /* Level and keyword 0: whether any session enabled the provider at all. */
    return provider && EventProviderEnabled(provider, 0, 0);
}

void nrp_etw_write(const WCHAR *line)
{
    if (nrp_etw_listening())
        EventWriteString(provider, 0, 0, line);
}

void nrp_etw_end(void)
{
    if (provider)
        EventUnregister(provider);
    provider = 0;
}
