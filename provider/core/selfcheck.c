/* The self-checks' judgements and what their results decide (rule 5: a fact
 * not proven on this machine closes nothing). Their text is report.c's. */

#include "netreclaim/selfcheck.h"

static const nr_char mup[] = u"\\Device\\Mup";
#define MUP_LEN (sizeof(mup) / sizeof(mup[0]) - 1)

static const char *const names[NR_CHECK_COUNT] = {
    [NR_CHECK_HANDLE_TABLE] = "handle-table",
    [NR_CHECK_LOCAL_NAME] = "local-name",
    [NR_CHECK_SAME_OBJECT] = "same-object",
    [NR_CHECK_VOLUME_NAME] = "volume-name",
};

static const char *const texts[NR_CHECK_COUNT] = {
    [NR_CHECK_HANDLE_TABLE] = "our own file handle is in the handle table at its value, with its "
                              "access and the File type",
    [NR_CHECK_LOCAL_NAME] = "our own local file's name is answered and is not a network name",
    [NR_CHECK_SAME_OBJECT] = "CompareObjectHandles tells the same object from another",
    [NR_CHECK_VOLUME_NAME] = "FileVolumeNameInformation names our own local file's volume, not "
                             "\\Device\\Mup",
};

const char *nr_check_name(enum nr_check check)
{
    return (unsigned)check < NR_CHECK_COUNT ? names[check] : "unknown";
}

const char *nr_check_text(enum nr_check check)
{
    return (unsigned)check < NR_CHECK_COUNT ? texts[check] : "unknown";
}

const char *nr_check_result_text(enum nr_check_result result)
{
    switch (result) {
    case NR_CHECK_PASSED:
        return "passed";
    case NR_CHECK_FAILED:
        return "FAILED";
    case NR_CHECK_ABSENT:
        return "not available";
    default:
        return "not run";
    }
}

enum nr_check nr_check_by_name(const nr_char *name, size_t len)
{
    enum nr_check c;

    for (c = 0; c < NR_CHECK_COUNT; c++)
        if (nr_equal_ascii_nocase(name, len, names[c]))
            break;
    return c;
}

enum nr_check nr_selfcheck_refusal(const struct nr_selfcheck *checks)
{
    if (checks->result[NR_CHECK_HANDLE_TABLE] != NR_CHECK_PASSED)
        return NR_CHECK_HANDLE_TABLE;
    if (checks->result[NR_CHECK_LOCAL_NAME] != NR_CHECK_PASSED)
        return NR_CHECK_LOCAL_NAME;
    if (checks->result[NR_CHECK_SAME_OBJECT] != NR_CHECK_PASSED &&
        checks->result[NR_CHECK_SAME_OBJECT] != NR_CHECK_ABSENT)
        return NR_CHECK_SAME_OBJECT;
    return NR_CHECK_COUNT;
}

bool nr_selfcheck_prefilter(const struct nr_selfcheck *checks)
{
    return checks->result[NR_CHECK_VOLUME_NAME] == NR_CHECK_PASSED;
}

enum nr_check_result nr_check_rows(const struct nr_handle *rows, size_t count,
                                   const struct nr_own_handles *own, uint16_t *file_type)
{
    const struct nr_handle *file = NULL, *other = NULL;
    size_t i;

    for (i = 0; i < count; i++) {
        if (rows[i].pid != own->pid)
            continue;
        if (rows[i].value == own->file)
            file = &rows[i];
        else if (rows[i].value == own->other)
            other = &rows[i];
    }
    if (!file || !other || file->access != own->file_access ||
        file->type_index == other->type_index)
        return NR_CHECK_FAILED;
    *file_type = file->type_index;
    return NR_CHECK_PASSED;
}

enum nr_check_result nr_check_local_name(const nr_char *name, size_t len,
                                         const struct nr_str *prefixes, size_t prefix_count)
{
    struct nr_nt_name nt;

    if (!len || nr_parse_nt_name(name, len, prefixes, prefix_count, &nt))
        return NR_CHECK_FAILED;
    return NR_CHECK_PASSED;
}

bool nr_volume_is_mup(const nr_char *volume, size_t len)
{
    return nr_equal_nocase(volume, len, mup, MUP_LEN);
}

enum nr_check_result nr_check_volume(const nr_char *volume, size_t volume_len,
                                     const nr_char *name, size_t name_len)
{
    if (!volume_len || nr_volume_is_mup(volume, volume_len) || name_len <= volume_len ||
        name[volume_len] != '\\' || !nr_equal_nocase(volume, volume_len, name, volume_len))
        return NR_CHECK_FAILED;
    return NR_CHECK_PASSED;
}
