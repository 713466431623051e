/* input.h — validation of JSON bodies and their fields, and of path ids
 * (query parameters are declared per route and validated by the router:
 * fcgi/params.h). Each function either returns the value or fills res with
 * a 400 naming the field (404 for path ids) and returns false/NULL. */
#ifndef VS_INPUT_H
#define VS_INPUT_H

#include <stdbool.h>

#include "http.h"
#include "identity/users.h"
#include "platform/page.h"
#include "platform/text.h"


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
/* Required "email" field of an account (login, new member), normalised into
 * out (user_email_normalize: lowercased, at most USER_EMAIL_MAX bytes). */
bool field_email(json_t *obj, char out[USER_EMAIL_MAX + 1], vs_response *res);

/* Path parameter that must be a UUID; 404 (not 400) when it is not, since no
 * such resource can exist. */
bool param_uuid(const vs_request *r, vs_response *res, const char *name, const char **out);

#endif
