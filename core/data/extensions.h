/* extensions.h — the MightyCall users/extensions of an org (GET
 * …/extensions), ordered by extension, optional status filter (active |
 * inactive), keyset cursor. An org has tens to hundreds: counted exactly over
 * the (org_id, status, extension) index. */
#ifndef VS_EXTENSIONS_H
#define VS_EXTENSIONS_H

#include <jansson.h>

#include "data/cursor.h"
#include "platform/db.h"
#include "platform/page.h"
#include "platform/text.h"

extern const char *const extension_statuses[]; /* active, inactive */

/* *body = the page as JSON text (cursor_page_text), one statement unless empty. */
int extensions_list(db_conn *db, const char *org_id, const char *status, const list_cursor *cur,
                    const page_req *page, char **body, size_t *body_len);

#endif
