/* UTF-16 code units: the portable core speaks the Windows layer's wide strings
 * without including any Windows header. On Windows nr_char is wchar_t itself
 * (unsigned short in C under mingw-w64, the type of WCHAR and of u"..."), so
 * WCHAR strings pass to the core and back without a cast; elsewhere wchar_t is
 * wider and nr_char is uint16_t, the type of u"..." there too. */
#ifndef NETRECLAIM_NRCHAR_H
#define NETRECLAIM_NRCHAR_H

#include <stddef.h>
#include <stdint.h>

#ifdef _WIN32
typedef wchar_t nr_char;
_Static_assert(sizeof(nr_char) == 2, "nr_char is one UTF-16 code unit");
#else
typedef uint16_t nr_char;
#endif

#endif
