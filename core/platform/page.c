/* page.c — owns the list envelope of SPEC §2. */
#include "platform/page.h"

json_t *page_envelope(json_t *data, long long total, const page_req *page)
{
    return json_pack("{s:o, s:I, s:I, s:i}", "data", data, "total", (json_int_t)total, "skip",
                     (json_int_t)page->skip, "limit", page->limit);
}
