/* cursor.h — the opaque paging cursor of every list of the call-data API
 * (calls, recordings, sms, voicemails, extensions, phone numbers, contacts).
 *
 * A cursor names the last row of a page by its sort key and id:
 * base64url (no padding) of the JSON array [1, "<list>", "<key>", "<uuid>"].
 * The next page is "rows after that position" (keyset pagination), so it
 * costs the same at any depth and no row is missed or repeated when rows are
 * added before the position meanwhile. Clients must treat it as opaque; the
 * server validates everything in it (version, list, key format, id) and
 * answers 400 naming `cursor` otherwise.
 *
 * Lists fetch limit+1 rows with a hidden "_pos" column (the sort key as
 * text); cursor_page_finish() drops the extra row and "_pos" and says whether
 * there is a next page. */
#ifndef VS_CURSOR_H
#define VS_CURSOR_H

#include <jansson.h>
#include <stdbool.h>

#include "platform/db.h"
#include "platform/json_out.h"
#include "platform/page.h"
#include "platform/text.h"

#define CURSOR_KEY_MAX 416  /* bytes of the sort key (names up to 400 chars fit) */
#define CURSOR_TEXT_MAX 1200 /* longest accepted cursor parameter */

typedef enum {
    CURSOR_KEY_TIME, /* "YYYY-MM-DD HH:MM:SS.ffffff" (DATETIME(3) printed with %f) */
    CURSOR_KEY_TEXT, /* any UTF-8 text (names, numbers, extensions) */
} cursor_key_kind;

typedef struct {
    bool present;
    char key[CURSOR_KEY_MAX + 1];
    char id[UUID_STR_LEN + 1];
} list_cursor;

/* base64url cursor for (list, key, id); malloc'd, NULL on allocation failure. */
char *cursor_encode(const char *list, const char *key, const char *id);

/* Decode text into out; false when it is not a valid cursor of `list`. */
bool cursor_decode(const char *text, const char *list, cursor_key_kind kind, list_cursor *out);

/* A keyset page written straight into text as {"data", "total", "skip",
 * "limit", "next_cursor"} (*body malloc'd): page_sql is fetched with LIMIT
 * limit+1, its rows carry "_pos" and "id" and its total as the hidden
 * "_total" whose nt parameters come first in p; an empty page (no row to
 * carry it) runs total_sql with those nt parameters. */
int cursor_page_text(db_conn *db, const char *page_sql, const char *total_sql, const db_param *p, int np, int nt,
                     const page_req *page, const char *list, char **body, size_t *body_len);

/* The rest of a list's text envelope after `{"data":[…]`:
 * `,"total":…,"skip":…,"limit":…,"next_cursor":…}` — the cursor from the
 * last written row's "_pos" and "id" when info says there are more rows. */
void cursor_envelope_text(json_buf *b, long long total, const page_req *page, const char *list,
                          const db_rows_info *info);

#endif
