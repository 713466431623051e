/* paging.c — owns when a paged MightyCall listing is finished. MightyCall may
 * serve fewer items per page than asked (its Swagger promises no page size),
 * so a short page alone never ends a listing when the answer says how much
 * there is:
 *   - skip-paged lists (/calls, /voicemails) carry `total`: done when skip
 *     reaches it (or a page is empty);
 *   - contacts carry `pages` and `currentPage`: done at the last page;
 *   - the journal carries neither: done at an empty page, or at a page
 *     shorter than the longest page seen in this run (the server's real page
 *     size). journal.c also ends it at a page shorter than the page size an
 *     earlier run proved; without one a window that fits in one page costs
 *     one extra request.
 * Without the counts the old rule (a page shorter than asked) applies. */
#include "mightycall/mc_parse.h"
#include "sync.h"

long long sync_skip_total(json_t *root)
{
    json_t *total = json_object_get(mc_unwrap(root), "total");
    return json_is_integer(total) && json_integer_value(total) >= 0 ? (long long)json_integer_value(total) : -1;
}

bool sync_skip_done_total(long long total, size_t n, long long skip_after, int asked)
{
    if (n == 0)
        return true;
    if (total >= 0)
        return skip_after >= total;
    return n < (size_t)asked;
}

bool sync_skip_done(json_t *root, size_t n, long long skip_after, int asked)
{
    return sync_skip_done_total(sync_skip_total(root), n, skip_after, asked);
}

bool sync_pages_done(json_t *root, size_t n, int asked)
{
    json_t *data = mc_unwrap(root);
    json_t *pages = json_object_get(data, "pages");
    json_t *current = json_object_get(data, "currentPage");
    if (n == 0)
        return true;
    if (json_is_integer(pages) && json_is_integer(current))
        return json_integer_value(current) >= json_integer_value(pages);
    return n < (size_t)asked;
}

bool sync_journal_done(size_t n, size_t *longest)
{
    if (n == 0 || n < *longest)
        return true;
    *longest = n;
    return false;
}
