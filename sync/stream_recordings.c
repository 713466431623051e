/* stream_recordings.c — recordings come with the calls API (callRecord
 * {fileName, uri}); MightyCall has no recordings endpoint, and the calls
 * stream's /calls pass already stores every recording it lists. So this stream
 * pages GET /calls only for the part of its window the calls stream has not
 * covered yet (after the calls cursor), and only when that part is longer
 * than the calls stream's schedule interval (a shorter tail is stored by the
 * next calls run: usually no request at all), upserting
 * one recording per recorded call and attaching the URL to the stored call.
 * With --since it pages its whole window. Same window rules as the calls
 * stream otherwise. */
#include <stdio.h>
#include <string.h>

#include "mightycall/mc_parse.h"
#include "sync.h"

#define PAGE 1000
#define OVERLAP_S (2 * 3600)
#define LOOKBACK_DAYS 366
#define CALLS_EVERY_S (15 * 60) /* the calls stream's schedule (cmd_schedule.c) */

static int write_recording(sync_ctx *ctx, json_t *o, mc_counts *n)
{
    mc_call c;
    if (mc_parse_call(o, &c) != 0 || !c.recording_url[0])
        return DB_OK;
    return mc_store_recording(ctx->db, ctx->org_id, ctx->integration_id, &c, n, true);
}

static int write_page(sync_ctx *ctx, void *a, mc_counts *n)
{
    json_t *items = a;
    size_t i;
    json_t *o;
    json_t *ids = json_array(); /* of the recorded calls only */
    json_array_foreach(items, i, o)
    {
        json_t *id = json_object_get(o, "id");
        if (json_is_string(id) && json_object_get(o, "callRecord"))
            json_array_append(ids, id);
    }
    return sync_write_items(ctx, items, "recordings", ids, write_recording, n);
}

sync_result stream_recordings(sync_ctx *ctx)
{
    static const sync_skip_spec spec = {.stream = "recordings", .path = "/calls", .list_key = "calls",
                                        .noun = "calls for recordings", .page_size = PAGE, .overlap_s = OVERLAP_S,
                                        .lookback_days = LOOKBACK_DAYS, .write_page = write_page,
                                        .covered_by = "calls", .covered_slack_s = CALLS_EVERY_S};
    return sync_skip_stream(ctx, &spec);
}
