/* The level of each Event Log outcome, from the one list (netreclaim/events.h). */
#include "netreclaim/events.h"

enum nr_severity nr_event_severity(enum nr_event event)
{
    /* A switch, so that two outcomes with one id do not compile. */
    switch (event) {
#define NR_EVENT_CASE(name, id, level)                                                             \
    case NR_EVENT_##name:                                                                          \
        return level;
        NR_EVENTS(NR_EVENT_CASE)
#undef NR_EVENT_CASE
    }
    return NR_FAILURE;
}
