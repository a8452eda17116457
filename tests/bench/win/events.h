/* The named events the bench driver and its holders meet on. */
#ifndef NETRECLAIM_BENCH_EVENTS_H
#define NETRECLAIM_BENCH_EVENTS_H

#include <windows.h>

/* Local\<tag>-<what>[-<id>], auto-reset; id < 0 leaves the suffix out. */
HANDLE bench_event(const WCHAR *tag, const WCHAR *what, int id);

#endif
