/* UTF-16 code units: the portable core speaks the Windows layer's wide strings
 * without including any Windows header. u"..." literals and WCHAR both fit. */
#ifndef NETRECLAIM_NRCHAR_H
#define NETRECLAIM_NRCHAR_H

#include <stddef.h>
#include <stdint.h>

typedef uint16_t nr_char;

#endif
