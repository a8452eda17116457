/* A stand-in for schtasks.exe in the MSI tests: Wine's schtasks supports
 * neither /RU nor /SC, so the tests put this one in its place (a native
 * override) and check the command line the MSI gave it. It appends that line
 * to C:\nr-schtasks.log, and keeps the task as a file: /Create writes the
 * line to C:\nr-schtasks.task, /Delete removes it (and fails, as schtasks
 * does, when there is no task). When C:\nr-schtasks.fail exists and the line
 * holds the word it contains (e.g. "/Create"), it logs the line as refused
 * and fails, changing nothing: how the tests make a deferred step fail.
 * Never shipped. */
#include <string.h>
#include <windows.h>

#define LOG_FILE L"C:\\nr-schtasks.log"
#define TASK_FILE L"C:\\nr-schtasks.task"
#define FAIL_FILE L"C:\\nr-schtasks.fail"

static int write_file(const WCHAR *path, DWORD disposition, DWORD access, const char *text,
                      DWORD len)
{
    HANDLE file;
    DWORD done = 0;
    BOOL ok;

    file = CreateFileW(path, access, FILE_SHARE_READ, NULL, disposition, 0, NULL);
    if (file == INVALID_HANDLE_VALUE)
        return 0;
    ok = WriteFile(file, text, len, &done, NULL) && done == len;
    CloseHandle(file);
    return ok;
}

/* The word in FAIL_FILE, if that file exists; "" otherwise. */
static void fail_word(char *word, DWORD cch)
{
    HANDLE file;
    DWORD n = 0;

    word[0] = 0;
    file = CreateFileW(FAIL_FILE, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (file == INVALID_HANDLE_VALUE)
        return;
    if (!ReadFile(file, word, cch - 1, &n, NULL))
        n = 0;
    CloseHandle(file);
    while (n && (word[n - 1] == '\n' || word[n - 1] == '\r' || word[n - 1] == ' '))
        n--;
    word[n] = 0;
}

int wmain(void)
{
    static const char refused[] = "REFUSED: ";
    char text[4096], word[64];
    int n;

    n = WideCharToMultiByte(CP_UTF8, 0, GetCommandLineW(), -1, text, sizeof(text) - 2, NULL,
                            NULL);
    if (n <= 0)
        return 1;
    text[n - 1] = '\n';
    fail_word(word, sizeof(word));
    if (word[0] && strstr(text, word)) {
        write_file(LOG_FILE, OPEN_ALWAYS, FILE_APPEND_DATA, refused, sizeof(refused) - 1);
        write_file(LOG_FILE, OPEN_ALWAYS, FILE_APPEND_DATA, text, (DWORD)n);
        return 1;
    }
    if (!write_file(LOG_FILE, OPEN_ALWAYS, FILE_APPEND_DATA, text, (DWORD)n))
        return 1;
    if (strstr(text, "/Create"))
        return write_file(TASK_FILE, CREATE_ALWAYS, GENERIC_WRITE, text, (DWORD)n) ? 0 : 1;
    if (strstr(text, "/Delete"))
        return DeleteFileW(TASK_FILE) ? 0 : 1;
    return 0;
}
