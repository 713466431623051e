/* stream_voicemails.c — GET /voicemails (skip paging, newest first) over a
 * window [cursor − 2 h, now] (first run: 366 days), upserted on the voicemail
 * id and linked to the stored call (same caller, number and time). Read only
 * when the shared journal window shows a voicemail it has not stored, or when
 * its last read is older than sync_reconcile_minutes (journal.c: the journal
 * does not show a read state or a recording changed later). */
#include <stdio.h>
#include <string.h>

#include "mightycall/mc_parse.h"
#include "sync.h"

#define PAGE 500
#define OVERLAP_S (2 * 3600)
#define LOOKBACK_DAYS 366

static int write_voicemail(sync_ctx *ctx, json_t *o, mc_counts *n)
{
    mc_voicemail v;
    if (mc_parse_voicemail(o, &v) != 0)
        return DB_OK;
    return mc_store_voicemail(ctx->db, ctx->org_id, ctx->integration_id, &v, n);
}

static int write_page(sync_ctx *ctx, void *a, mc_counts *n)
{
    return sync_write_items(ctx, a, NULL, NULL, write_voicemail, n);
}

sync_result stream_voicemails(sync_ctx *ctx)
{
    static const sync_skip_spec spec = {.stream = "voicemails", .path = "/voicemails", .list_key = "voicemails",
                                        .noun = "voicemails", .page_size = PAGE, .overlap_s = OVERLAP_S,
                                        .lookback_days = LOOKBACK_DAYS, .write_page = write_page};
    bool read = true;
    sync_result r = sync_journal_gate(ctx, "voicemails", &read);
    if (r != SYNC_OK || !read)
        return r;
    return sync_skip_stream(ctx, &spec);
}
