/* page.h — the offset page of every list (SPEC §2): skip (default 0), limit
 * (default 50, max 500) and the {data,total,skip,limit} envelope. Parsing the
 * page from a request is the API's job (fcgi/input.h). */
#ifndef VS_PAGE_H
#define VS_PAGE_H

#include <jansson.h>

#define PAGE_DEFAULT_LIMIT 50
#define PAGE_MAX_LIMIT 500
#define PAGE_MAX_SKIP 10000000LL

typedef struct {
    long long skip;
    int limit;
} page_req;

/* {"data": data, "total": N, "skip": S, "limit": L}; takes ownership of data. */
json_t *page_envelope(json_t *data, long long total, const page_req *page);

#endif
