/* list_params.h — query parameters of the data lists (fcgi side): date spans,
 * phone and enum filters, the keyset cursor. Each fills res with a 400 naming
 * the parameter and returns false when it is malformed. */
#ifndef VS_LIST_PARAMS_H
#define VS_LIST_PARAMS_H

#include <stdbool.h>

#include "data/cursor.h"
#include "data/data_list.h"
#include "http.h"
#include "input.h"

/* date_from / date_to of a list request. Accepted: ISO 8601 date-times (UTC
 * unless they carry an offset; date_to includes its whole second) and plain
 * dates, which are days of the org's time zone (date_to includes the whole
 * day). 400 naming the field when malformed or when date_from > date_to. */
bool dl_span_parse(vs_request *req, vs_response *res, const char *org_id, dl_span *out);

/* A phone-number query parameter → E.164 in out (false + 400 naming it when
 * it has no 7–15 digits). *present false when absent. */
bool dl_phone_param(const vs_request *req, vs_response *res, const char *name, char out[33], bool *present);
/* An enum query parameter (NULL-terminated allowed list). */
bool dl_enum_param(const vs_request *req, vs_response *res, const char *name, const char *const *allowed,
                   char *out, size_t outsz, bool *present);

/* The `cursor` query parameter: true with out->present false when absent;
 * false with a 400 naming "cursor" when invalid, or when combined with a
 * non-zero skip (a cursor already says where the page starts). */
bool cursor_from_query(const vs_request *r, vs_response *res, const char *list, cursor_key_kind kind,
                       const page_req *page, list_cursor *out);

#endif
