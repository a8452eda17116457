/* The stock provider's entries, for np.c and thunk.c to forward through and
 * for stock.c to fill; nothing else includes this. Each field of
 * NRP_ENTRIES is typed from the export it stands for, so the two cannot
 * disagree (mingw's PF_NPCloseEnum lacks WINAPI, which would break the
 * stack on i686), and named apart from it. A field of NRP_THUNKED has no
 * prototype to be typed from: it is the generic void (*)(void), only ever
 * jumped to by thunk.c with the caller's arguments in place. */
#ifndef NETRECLAIM_STOCK_TABLE_H
#define NETRECLAIM_STOCK_TABLE_H

#include "np_decl.h"
#include "entries.h"

struct nrp_stock_table {
    /* What a missing entry answers: WN_NOT_SUPPORTED, or WN_NO_NETWORK when
     * the stock DLL itself could not be loaded. */
    DWORD absent;
#define NRP_FIELD(field, export) __typeof__(export) *field;
    NRP_ENTRIES(NRP_FIELD)
#undef NRP_FIELD
#define NRP_THUNK_FIELD(field, export) void (*field)(void);
    NRP_THUNKED(NRP_THUNK_FIELD)
#undef NRP_THUNK_FIELD
};

/* Loaded on first use (once per process, thread-safe), never NULL; leaves
 * the thread's last error as it found it. Fields are NULL where the stock
 * DLL lacks the entry. */
const struct nrp_stock_table *nrp_stock_table(void);

#endif
