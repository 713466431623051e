/* input.h — validation of everything a client sends: query parameters,
 * pagination, JSON bodies and their fields. Each function either returns the
 * value or fills res with a 400 naming the field and returns false/NULL. */
#ifndef VS_INPUT_H
#define VS_INPUT_H

#include <stdbool.h>

#include "http.h"

#define PAGE_DEFAULT_LIMIT 50
#define PAGE_MAX_LIMIT 500
#define PAGE_MAX_SKIP 10000000LL

typedef struct {
    long long skip;
    int limit;
} page_req;

/* Decoded query parameter: 1 found, 0 absent, -1 invalid (400 set). */
int query_get(const vs_request *r, vs_response *res, const char *name, char *out, size_t outsz);
bool page_parse(const vs_request *r, vs_response *res, page_req *page);
/* {"data": data, "total": N, "skip": S, "limit": L}; takes ownership of data. */
json_t *page_envelope(json_t *data, long long total, const page_req *page);

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

bool is_uuid(const char *s);
bool is_email(const char *s);
/* Number of UTF-8 code points, or -1 if s is not valid UTF-8 or has control chars. */
long utf8_chars(const char *s);
/* ISO 8601 date or date-time (Z or ±hh:mm) → "YYYY-MM-DD HH:MM:SS" UTC. */
bool iso_to_sql_datetime(const char *iso, char out[20]);
/* Optional query parameter holding an ISO date-time; *present tells if given. */
bool query_datetime(const vs_request *r, vs_response *res, const char *name, char out[20], bool *present);
/* Path parameter that must be a UUID; 404 (not 400) when it is not, since no
 * such resource can exist. */
bool param_uuid(const vs_request *r, vs_response *res, const char *name, const char **out);

#endif
