/* cursor.c — owns the opaque keyset cursor of the call-data lists. */
#include "data/cursor.h"

#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define B64URL sodium_base64_VARIANT_URLSAFE_NO_PADDING

char *cursor_encode(const char *list, const char *key, const char *id)
{
    json_t *arr = json_pack("[i, s, s, s]", 1, list, key, id);
    if (!arr)
        return NULL;
    char *raw = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    if (!raw)
        return NULL;
    size_t n = strlen(raw), cap = sodium_base64_ENCODED_LEN(n, B64URL);
    char *out = malloc(cap);
    if (out)
        sodium_bin2base64(out, cap, (const unsigned char *)raw, n, B64URL);
    free(raw);
    return out;
}

/* "YYYY-MM-DD HH:MM:SS" optionally followed by "." and 1–6 digits. */
static bool time_key_ok(const char *s)
{
    static const char pat[] = "dddd-dd-dd dd:dd:dd";
    size_t n = strlen(s);
    if (n < 19)
        return false;
    for (size_t i = 0; i < 19; i++) {
        if (pat[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != pat[i])
            return false;
    }
    if (n != 19) {
        if (s[19] != '.' || n > 26 || n == 20)
            return false;
        for (size_t i = 20; i < n; i++)
            if (!isdigit((unsigned char)s[i]))
                return false;
    }
    /* a real date and time (also for the bare form): 9999-99-99 99:99:99 is not one */
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int mo = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    int h = (s[11] - '0') * 10 + (s[12] - '0'), mi = (s[14] - '0') * 10 + (s[15] - '0');
    int se = (s[17] - '0') * 10 + (s[18] - '0');
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1000 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[mo - 1] + (mo == 2 && leap);
}

bool cursor_decode(const char *text, const char *list, cursor_key_kind kind, list_cursor *out)
{
    memset(out, 0, sizeof *out);
    size_t n = strlen(text);
    if (n == 0 || n > CURSOR_TEXT_MAX)
        return false;
    unsigned char bin[CURSOR_TEXT_MAX];
    size_t len = 0;
    if (sodium_base642bin(bin, sizeof bin, text, n, NULL, &len, NULL, B64URL) != 0)
        return false;
    json_error_t jerr;
    json_t *v = json_loadb((const char *)bin, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!v)
        return false;
    bool ok = false;
    json_int_t ver = 0;
    const char *l = NULL, *key = NULL, *id = NULL;
    if (json_is_array(v) && json_array_size(v) == 4 &&
        json_unpack(v, "[I, s, s, s]", &ver, &l, &key, &id) == 0 && ver == 1 && strcmp(l, list) == 0 &&
        is_uuid(id) && strlen(key) <= CURSOR_KEY_MAX && utf8_chars(key) >= 0 &&
        (kind == CURSOR_KEY_TEXT || time_key_ok(key))) {
        snprintf(out->key, sizeof out->key, "%s", key);
        snprintf(out->id, sizeof out->id, "%s", id);
        out->present = true;
        ok = true;
    }
    json_decref(v);
    return ok;
}

void cursor_envelope_text(json_buf *b, long long total, const page_req *page, const char *list,
                          const db_rows_info *info)
{
    jb_lit(b, ",\"total\":");
    jb_int(b, total);
    jb_lit(b, ",\"skip\":");
    jb_int(b, page->skip);
    jb_lit(b, ",\"limit\":");
    jb_int(b, page->limit);
    jb_lit(b, ",\"next_cursor\":");
    char *next = info->more && info->has_pos && info->last_id[0] ? cursor_encode(list, info->last_pos, info->last_id)
                                                                      : NULL;
    if (next)
        jb_str(b, next, strlen(next));
    else
        jb_lit(b, "null");
    free(next);
    jb_lit(b, "}");
}

int cursor_page_text(db_conn *db, const char *page_sql, const char *total_sql, const db_param *p, int np, int nt,
                     const page_req *page, const char *list, char **body, size_t *body_len)
{
    *body = NULL;
    *body_len = 0;
    json_buf b = {0};
    db_rows_info info = {.max_rows = page->limit};
    jb_lit(&b, "{\"data\":");
    int rc = db_query_json(db, page_sql, p, np, &b, &info);
    long long total = info.total;
    if (rc == DB_OK && !info.has_total)
        rc = db_query_int(db, total_sql, p, nt, &total);
    if (rc != DB_OK) {
        jb_free(&b);
        return rc;
    }
    cursor_envelope_text(&b, total, page, list, &info);
    *body = jb_take(&b, body_len);
    return *body ? DB_OK : DB_ERROR;
}
