/* The self-checks: the Windows facts a close relies on, proven by the seam
 * on the machine it runs on, once per process, on objects of its own
 * (docs/design.md, "Self-checks"). Which failures turn every reclaim of the
 * process into an audit, and which only turn the device prefilter off, is
 * decided here, so the unit tests can pin it against a fake seam. */
#ifndef NETRECLAIM_SELFCHECK_H
#define NETRECLAIM_SELFCHECK_H

#include "netreclaim/os.h"
#include "netreclaim/unc.h"

enum nr_check {
    /* Our own File handle is in the handle table at its value, with its
     * access, in our pid, under a type index no other type's row has: the
     * row layout (also as WOW64 converts it) that decides what is a File
     * handle and whose it is. */
    NR_CHECK_HANDLE_TABLE,
    /* Our own local file's name is answered and the core parses it as not
     * a network file: names are read, and a local file is never taken for
     * one under a share. */
    NR_CHECK_LOCAL_NAME,
    /* CompareObjectHandles tells a copy of our handle for the same object
     * and another of ours for another: the identity proof of a close. */
    NR_CHECK_SAME_OBJECT,
    /* FileVolumeNameInformation answers our own local file's volume, the
     * device its name lies under, and not \Device\Mup: the device
     * prefilter. It decides which handles are named, never a close. */
    NR_CHECK_VOLUME_NAME,
    NR_CHECK_COUNT
};

/* The zero value acts as a failure: a check the seam never ran proves
 * nothing (rule 5). */
enum nr_check_result {
    NR_CHECK_UNTRIED = 0,
    NR_CHECK_PASSED,
    NR_CHECK_FAILED,
    NR_CHECK_ABSENT, /* this Windows lacks what the check is about */
};

struct nr_selfcheck {
    enum nr_check_result result[NR_CHECK_COUNT];
    /* What the OS answered, for the record: an NTSTATUS or Win32 error
     * where a call failed, else 0. */
    uint32_t detail[NR_CHECK_COUNT];
    int forced; /* a test hook forced a failure (Windows layer) */
};

/* The check's plain name ("handle-table"), as records, doctor and the
 * test hook spell it; "unknown" out of range. */
const char *nr_check_name(enum nr_check check);
/* What it proves, one sentence without a full stop. */
const char *nr_check_text(enum nr_check check);
const char *nr_check_result_text(enum nr_check_result result);
/* The check named by `name` (ASCII, any case), or NR_CHECK_COUNT. */
enum nr_check nr_check_by_name(const nr_char *name, size_t len);

/* The first check whose result forbids closing in this process, or
 * NR_CHECK_COUNT when closes may go on. handle-table and local-name must
 * have passed. same-object must have passed or be absent: without
 * CompareObjectHandles (before Windows 10) identity is proven by the name
 * alone, as the close did before the check existed; a compare that answers
 * wrongly is worse than none. volume-name never forbids a close. */
enum nr_check nr_selfcheck_refusal(const struct nr_selfcheck *checks);

/* Whether the device prefilter may rule handles out: only once
 * volume-name passed; else every File handle is named. */
bool nr_selfcheck_prefilter(const struct nr_selfcheck *checks);

/* The judgements of the checks, from what the seam read. */

/* Our own handles as we know them without the table. */
struct nr_own_handles {
    uint32_t pid;
    uint64_t file;        /* a File handle of ours */
    uint32_t file_access; /* its granted access, as the object manager tells it */
    uint64_t other;       /* a handle of ours to an object of another type */
};
/* PASSED when rows hold the file's row (pid, value, access) and the other
 * handle's row (pid, value) with a different type index; *file_type is then
 * the file row's index. */
enum nr_check_result nr_check_rows(const struct nr_handle *rows, size_t count,
                                   const struct nr_own_handles *own, uint16_t *file_type);
/* PASSED when a local file's NT name was answered (not empty) and does not
 * parse as a redirector's file with these prefixes. */
enum nr_check_result nr_check_local_name(const nr_char *name, size_t len,
                                         const struct nr_str *prefixes, size_t prefix_count);
/* PASSED when a local file's volume (FileVolumeNameInformation) is not
 * empty, is not \Device\Mup, and its NT name lies under it. */
enum nr_check_result nr_check_volume(const nr_char *volume, size_t volume_len,
                                     const nr_char *name, size_t name_len);
/* What the device prefilter decides for one handle from its volume:
 * whether it may be remote (\Device\Mup, any case). */
bool nr_volume_is_mup(const nr_char *volume, size_t len);

/* The checks as one text, for the Event Log record of a process whose
 * checks forbid closing or turn the prefilter off, and for doctor: the
 * verdict, then one line per check. NUL-terminated, truncated to cch.
 * Returns the units written, NUL excluded. */
size_t nr_selfcheck_format(const struct nr_selfcheck *checks, nr_char *buf, size_t cch);

#endif
