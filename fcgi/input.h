/* input.h — validation of everything a client sends: query parameters,
 * pagination, JSON bodies and their fields. Each function either returns the
 * value or fills res with a 400 naming the field and returns false/NULL. */
#ifndef VS_INPUT_H
#define VS_INPUT_H

#include <stdbool.h>

#include "http.h"
#include "platform/page.h"
#include "platform/text.h"


/* Decoded query parameter: 1 found, 0 absent, -1 invalid (400 set). */
int query_get(const vs_request *r, vs_response *res, const char *name, char *out, size_t outsz);
bool page_parse(const vs_request *r, vs_response *res, page_req *page);

/* Body must be a JSON object; NULL (400 set) when empty, malformed or not an object. */
json_t *body_object(const vs_request *r, vs_response *res);

/* String field, length in characters within [min,max], no control characters.
 * Absent optional field: *out = NULL and true. */
bool field_string(json_t *obj, const char *name, bool required, size_t min, size_t max,
                  const char **out, vs_response *res);
/* String field that must be one of allowed (NULL-terminated list). */
bool field_enum(json_t *obj, const char *name, bool required, const char *const *allowed,
                const char **out, vs_response *res);
bool field_uuid(json_t *obj, const char *name, bool required, const char **out, vs_response *res);

/* Optional query parameter holding an ISO date-time; *present tells if given. */
bool query_datetime(const vs_request *r, vs_response *res, const char *name, char out[20], bool *present);
/* Path parameter that must be a UUID; 404 (not 400) when it is not, since no
 * such resource can exist. */
bool param_uuid(const vs_request *r, vs_response *res, const char *name, const char **out);

#endif
