/* etag.h — conditional GETs of an org's data views (lists, reports,
 * metrics: the table in etag.c). */
#ifndef VS_ETAG_H
#define VS_ETAG_H

#include <stdbool.h>

#include "router.h"

#define ETAG_MAX 64 /* W/"<version>-<16 hex>" and its NUL */

/* The tag of this request (tag[0] = 0 when the route has none) and, when
 * If-None-Match carries it, a 304 without a body in res: returns true and
 * the handler must not run. Call after the parameters are validated. */
bool etag_not_modified(const route *rt, const vs_request *req, vs_response *res, char tag[ETAG_MAX]);

/* Is rt one of the tagged views (a GET of an org's data)? */
bool etag_route_tagged(const route *rt);

/* The tag of this request from req->who.org as it stands (tag[0] = 0 when
 * the route has none). */
void etag_make(const route *rt, const vs_request *req, char tag[ETAG_MAX]);

/* The ETag header on a 200 answer of a tagged route. */
void etag_attach(vs_response *res, const char *tag);

#endif
