/* The named events the bench driver and its holders meet on. */
#include <stdio.h>
#include <wchar.h>
#include "events.h"

HANDLE bench_event(const WCHAR *tag, const WCHAR *what, int id)
{
    WCHAR name[128];

    if (id >= 0)
        swprintf(name, ARRAYSIZE(name), L"Local\\%ls-%ls-%d", tag, what, id);
    else
        swprintf(name, ARRAYSIZE(name), L"Local\\%ls-%ls", tag, what);
    return CreateEventW(NULL, FALSE, FALSE, name);
}
