/* The model's call log (calllog.c writes it) read back by test programs:
 * the lines one process added since a point, counted per NP entry of the
 * provider's own list (provider/entries.h). wine-npdiff and nrbench count
 * the stock calls this way. */
#ifndef NRMODEL_LOGREAD_H
#define NRMODEL_LOGREAD_H

#include <windows.h>

#include "entries.h"

#define NRMODEL_ONE_(field, export) +1
#define NRMODEL_ENTRIES (0 NRP_ENTRIES(NRMODEL_ONE_) NRP_THUNKED(NRMODEL_ONE_))

/* The entries' export names, in entries.h's order. */
extern const char *const nrmodel_entries[NRMODEL_ENTRIES];

struct nrmodel_counts {
    unsigned n[NRMODEL_ENTRIES];
    unsigned unknown; /* lines naming no entry of the list */
};

/* The log's size now: where the next count starts. */
ULONGLONG nrmodel_log_size(void);
/* The lines "<pid> <entry> ..." process pid added since `from` (marks "#"
 * are not calls). FALSE when the log cannot be read or grew by more than
 * 16 MiB. */
BOOL nrmodel_log_count(ULONGLONG from, DWORD pid, struct nrmodel_counts *c);

#endif
