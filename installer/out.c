/* Output: human lines as they come, or with --json one object at the end:
 * {"command": ..., <fields>, "messages": [{"kind", "code", "text"}], "exit": n}.
 * Text is UTF-16 inside, UTF-8 on pipes and files, wide on a console. */
#include <stdarg.h>
#include <stdlib.h>
#include "cli.h"

#define LINE_CCH 4096

struct buf {
    char *p;
    size_t len, cap;
};

static struct {
    const char *command;
    int json;
    int changes;
    size_t list_items; /* in the open list */
    struct buf fields, messages;
} out;

static void buf_add(struct buf *b, const char *s, size_t n)
{
    char *grown;
    size_t cap;

    if (b->len + n + 1 > b->cap) {
        cap = b->cap ? b->cap * 2 : 1024;
        while (cap < b->len + n + 1)
            cap *= 2;
        grown = realloc(b->p, cap);
        if (!grown)
            return; /* the object comes out shorter; nothing better to do */
        b->p = grown;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

static void buf_ascii(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static void buf_utf8(struct buf *b, const WCHAR *s, int cch)
{
    char chunk[LINE_CCH * 3];
    const int n = WideCharToMultiByte(CP_UTF8, 0, s, cch, chunk, sizeof(chunk), NULL, NULL);

    if (n > 0)
        buf_add(b, chunk, (size_t)n);
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void buf_json_string(struct buf *b, const WCHAR *s)
{
    const WCHAR *run = s;
    char esc[8];

    buf_ascii(b, "\"");
    for (; *s; s++) {
        if (*s >= 0x20 && *s != '"' && *s != '\\')
            continue;
        buf_utf8(b, run, (int)(s - run));
        if (*s == '"' || *s == '\\')
            snprintf(esc, sizeof(esc), "\\%c", (char)*s);
        else
            snprintf(esc, sizeof(esc), "\\u%04x", (unsigned)*s);
        buf_ascii(b, esc);
        run = s + 1;
    }
    buf_utf8(b, run, (int)(s - run));
    buf_ascii(b, "\"");
}

static void buf_json_key(struct buf *b, const char *key)
{
    buf_ascii(b, b->len ? ", \"" : "\"");
    buf_ascii(b, key);
    buf_ascii(b, "\": ");
}

static void write_text(DWORD which, const WCHAR *s)
{
    HANDLE h = GetStdHandle(which);
    struct buf b = { 0 };
    DWORD mode, done;

    if (h == NULL || h == INVALID_HANDLE_VALUE)
        return;
    if (GetConsoleMode(h, &mode)) {
        WriteConsoleW(h, s, (DWORD)lstrlenW(s), &done, NULL);
        return;
    }
    buf_utf8(&b, s, lstrlenW(s));
    if (b.p)
        WriteFile(h, b.p, (DWORD)b.len, &done, NULL);
    free(b.p);
}

void out_text(const WCHAR *text)
{
    write_text(STD_OUTPUT_HANDLE, text);
}

static void format(WCHAR *line, const WCHAR *fmt, va_list ap)
{
    if (_vsnwprintf(line, LINE_CCH, fmt, ap) < 0)
        lstrcpyW(line + LINE_CCH - 5, L"...");
    line[LINE_CCH - 1] = 0;
}

void out_start(const char *command, int json)
{
    out.command = command;
    out.json = json;
}

void out_field(const char *key, const WCHAR *fmt, ...)
{
    WCHAR line[LINE_CCH], text[LINE_CCH + 64];
    va_list ap;

    va_start(ap, fmt);
    format(line, fmt, ap);
    va_end(ap);
    if (out.json) {
        buf_json_key(&out.fields, key);
        buf_json_string(&out.fields, line);
        return;
    }
    _snwprintf(text, ARRAYSIZE(text), L"%hs: %ls\n", key, line);
    text[ARRAYSIZE(text) - 1] = 0;
    write_text(STD_OUTPUT_HANDLE, text);
}

void out_number(const char *key, unsigned long value)
{
    char text[32];

    if (!out.json) {
        out_field(key, L"%lu", value);
        return;
    }
    snprintf(text, sizeof(text), "%lu", value);
    buf_json_key(&out.fields, key);
    buf_ascii(&out.fields, text);
}

void out_flag(const char *key, int value)
{
    if (out.json) {
        buf_json_key(&out.fields, key);
        buf_ascii(&out.fields, value ? "true" : "false");
        return;
    }
    out_field(key, value ? L"yes" : L"no");
}

void out_msg(const char *kind, const char *code, const WCHAR *fmt, ...)
{
    static const char *const labels[][2] = {
        { "change", "changed" }, { "note", "note" },   { "finding", "problem" },
        { "fixed", "fixed" },    { "error", "error" }, { "next", "next" },
    };
    WCHAR line[LINE_CCH], text[LINE_CCH + 64];
    const char *label = kind;
    struct buf *m = &out.messages;
    va_list ap;

    va_start(ap, fmt);
    format(line, fmt, ap);
    va_end(ap);
    out.changes += !strcmp(kind, "change");
    if (out.json) {
        buf_ascii(m, m->len ? ", {\"kind\": \"" : "{\"kind\": \"");
        buf_ascii(m, kind);
        if (code) {
            buf_ascii(m, "\", \"code\": \"");
            buf_ascii(m, code);
        }
        buf_ascii(m, "\", \"text\": ");
        buf_json_string(m, line);
        buf_ascii(m, "}");
        return;
    }
    for (size_t i = 0; i < ARRAYSIZE(labels); i++)
        if (!strcmp(labels[i][0], kind))
            label = labels[i][1];
    _snwprintf(text, ARRAYSIZE(text), L"%hs: %ls\n", label, line);
    text[ARRAYSIZE(text) - 1] = 0;
    write_text(strcmp(kind, "error") ? STD_OUTPUT_HANDLE : STD_ERROR_HANDLE, text);
}

int out_usage_error(const WCHAR *command, const WCHAR *fmt, const WCHAR *arg)
{
    WCHAR text[512];

    _snwprintf(text, ARRAYSIZE(text), fmt, arg);
    text[ARRAYSIZE(text) - 1] = 0;
    out_msg("error", "usage", L"%ls. See \"netreclaim %ls%ls--help\".", text, command,
            command[0] ? L" " : L"");
    return CLI_USAGE;
}

/* A list is one JSON array of flat objects among the fields; in text each
 * item is its own line, given whole by the caller. Lists do not nest, and
 * no field is written while one is open. */
void out_list_begin(const char *key)
{
    if (!out.json)
        return;
    buf_json_key(&out.fields, key);
    buf_ascii(&out.fields, "[");
    out.list_items = 0;
}

void out_list_item(const char *label, const WCHAR *line, const struct out_value *values,
                   size_t count)
{
    WCHAR text[LINE_CCH + 64];
    char number[32];
    struct buf *f = &out.fields;

    if (!out.json) {
        _snwprintf(text, ARRAYSIZE(text), L"%hs: %ls\n", label, line);
        text[ARRAYSIZE(text) - 1] = 0;
        write_text(STD_OUTPUT_HANDLE, text);
        return;
    }
    buf_ascii(f, out.list_items++ ? ", {" : "{");
    for (size_t i = 0; i < count; i++) {
        buf_ascii(f, i ? ", \"" : "\"");
        buf_ascii(f, values[i].key);
        buf_ascii(f, "\": ");
        if (values[i].text) {
            buf_json_string(f, values[i].text);
        } else if (values[i].is_flag) {
            buf_ascii(f, values[i].number ? "true" : "false");
        } else {
            snprintf(number, sizeof(number), "%lu", values[i].number);
            buf_ascii(f, number);
        }
    }
    buf_ascii(f, "}");
}

void out_list_end(void)
{
    if (out.json)
        buf_ascii(&out.fields, "]");
}

int out_changes(void)
{
    return out.changes;
}

int out_finish(int exit_code)
{
    struct buf b = { 0 };
    char tail[64];
    DWORD done;

    if (out.json) {
        buf_ascii(&b, "{\"command\": \"");
        buf_ascii(&b, out.command);
        buf_ascii(&b, "\"");
        if (out.fields.p) {
            buf_ascii(&b, ", ");
            buf_ascii(&b, out.fields.p);
        }
        buf_ascii(&b, ", \"messages\": [");
        if (out.messages.p)
            buf_ascii(&b, out.messages.p);
        snprintf(tail, sizeof(tail), "], \"exit\": %d}\n", exit_code);
        buf_ascii(&b, tail);
        if (b.p)
            WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), b.p, (DWORD)b.len, &done, NULL);
    }
    free(b.p);
    free(out.fields.p);
    free(out.messages.p);
    out.fields = out.messages = (struct buf){ 0 };
    return exit_code;
}
