/* The real OS seam: the core's view of Windows. */
#include "nrwin.h"

void nrwin_report(void *ctx, enum nr_event event, const nr_char *text)
{
    (void)ctx;
    nrwin_log(event, text);
}

void nrwin_os(struct nr_os *os)
{
    os->ctx = NULL;
    os->snapshot = nrwin_snapshot;
    os->free_snapshot = nrwin_free_snapshot;
    os->file_type_index = nrwin_file_type_index;
    os->caller_luid = nrwin_caller_luid;
    os->process_luid = nrwin_process_luid;
    os->process_image = nrwin_process_image;
    os->query_names = nrwin_query_names;
    os->close_handle = nrwin_close_handle;
    os->report = nrwin_report;
    /* The prefilter is used only where the self-check volume-name passed
     * (not under Wine 8, which does not answer class 58). */
    os->self_check = nrwin_self_check;
    os->file_device = nrwin_file_device;
    os->process_strict = nrwin_process_strict;
    os->keep_object = nrwin_keep_object;
    os->drop_object = nrwin_drop_object;
    os->process_started = nrwin_process_started;
    os->was_blocked = nrwin_was_blocked;
    os->remember_blocked = nrwin_remember_blocked;
}
