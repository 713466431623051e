/* identity_cache.h — the one-round-trip read: a worker thread remembers the
 * identities it resolved and answers a later GET of an org's data view with
 * the remembered one, checked in the same round trip as the data (see
 * identity_cache.c). */
#ifndef VS_IDENTITY_CACHE_H
#define VS_IDENTITY_CACHE_H

#include <stdbool.h>

#include "router.h"

/* Answer req with a remembered identity: true when res holds the answer (the
 * identity held when the data were read); false when the full path must run
 * (nothing remembered, or it no longer holds: res and req->who are reset). */
bool identity_cache_answer(const route *rt, vs_request *req, vs_response *res);

/* After the full path: remember req->who for later reads of this org. */
void identity_cache_learn(const route *rt, const vs_request *req, const vs_response *res);

#endif
