/* stream_recordings.c — recordings come with the calls API (callRecord
 * {fileName, uri}); MightyCall has no recordings endpoint. Pages through
 * GET /calls over its own window and cursor, upserting one recording per
 * recorded call and attaching the URL to the stored call. Same window rules as
 * the calls stream. */
#include <stdio.h>
#include <string.h>

#include "mc_parse.h"
#include "sync.h"

#define PAGE 500
#define OVERLAP_S (2 * 3600)
#define LOOKBACK_DAYS 366

static int write_page(sync_ctx *ctx, void *a, mc_counts *n)
{
    json_t *items = a;
    size_t i;
    json_t *o;
    json_t *ids = json_array();
    json_array_foreach(items, i, o)
    {
        json_t *id = json_object_get(o, "id");
        if (json_is_string(id) && json_object_get(o, "callRecord"))
            json_array_append(ids, id);
    }
    int rc = DB_OK;
    n->known = mc_known_load(ctx->db, "recordings", ctx->org_id, ids, &rc);
    json_decref(ids);
    json_array_foreach(items, i, o)
    {
        if (rc != DB_OK)
            break;
        mc_call c;
        if (mc_parse_call(o, &c) != 0 || !c.recording_url[0])
            continue;
        rc = mc_store_recording(ctx->db, ctx->org_id, ctx->integration_id, &c, n, true);
    }
    mc_known_free(n->known);
    n->known = NULL;
    return rc;
}

sync_result stream_recordings(sync_ctx *ctx)
{
    if (sync_cursor_load(ctx, "recordings") != DB_OK)
        return sync_from_db(ctx, DB_UNAVAILABLE, "reading the cursor");
    sync_window w;
    sync_window_begin(ctx, OVERLAP_S, LOOKBACK_DAYS, &w);
    char from[32], to[32], num[24], what[96];
    mc_iso_from_ms(w.from_ms, from);
    mc_iso_from_ms(w.to_ms, to);
    long long skip = sync_state_int(ctx, "skip", 0);
    mc_error err;
    for (;;) {
        char path[512] = "/calls";
        snprintf(num, sizeof num, "%d", PAGE);
        mc_qs_add(path, sizeof path, "pageSize", num);
        snprintf(num, sizeof num, "%lld", skip);
        mc_qs_add(path, sizeof path, "skip", num);
        mc_qs_add(path, sizeof path, "startUtc", from);
        mc_qs_add(path, sizeof path, "endUtc", to);
        snprintf(what, sizeof what, "fetching calls %lld–%lld for recordings", skip + 1, skip + PAGE);
        json_t *root = NULL;
        if (mc_get(ctx->mc, path, &root, &err) != MC_OK)
            return sync_from_mc(ctx, &err, what);
        json_t *items = mc_list(root, "calls");
        if (!items) {
            json_decref(root);
            snprintf(ctx->error, sizeof ctx->error, "MightyCall's call list has an unexpected shape (%s)", what);
            return SYNC_FAILED;
        }
        json_t *total = json_object_get(mc_unwrap(root), "total");
        size_t n = json_array_size(items);
        skip += (long long)n;
        bool done = n < PAGE || (json_is_integer(total) && skip >= json_integer_value(total));
        if (done)
            sync_window_finish(ctx, &w);
        else
            sync_state_set_int(ctx, "skip", skip);
        sync_result r = sync_commit_page(ctx, write_page, items, (long)n);
        json_decref(root);
        if (r != SYNC_OK)
            return r;
        sync_progress(ctx, "recordings");
        if (done)
            return SYNC_OK;
    }
}
