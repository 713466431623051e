/* stream_sms.c — SMS are journal entries of type Message and MessageThread
 * (the thread head). GET /journal/requests?type=Message,MessageThread with a
 * from/to window (the journal is a live newest-first list: a fixed window keeps
 * page numbers stable), page by page until a short page. Window: [cursor − 1 h,
 * now], first run 366 days. external_id = requestGuid (= the messages/send id
 * of messages sent through the API). */
#include <stdio.h>
#include <string.h>

#include "mightycall/mc_parse.h"
#include "messaging/sms_send.h"
#include "sync.h"

#define PAGE 1000
#define OVERLAP_S 3600
#define LOOKBACK_DAYS 366

static int write_message(sync_ctx *ctx, json_t *o, mc_counts *n)
{
    mc_journal j;
    if (mc_parse_journal(o, &j) != 0 || (j.type != MC_J_MESSAGE && j.type != MC_J_THREAD))
        return DB_OK;
    return mc_store_sms(ctx->db, ctx->org_id, ctx->integration_id, &j, n);
}

static int write_page(sync_ctx *ctx, void *a, mc_counts *n)
{
    json_t *items = a;
    return sync_write_items(ctx, items, "sms_messages", sync_page_ids(items, "requestGuid", "id"), write_message, n);
}

sync_result stream_sms(sync_ctx *ctx)
{
    if (sync_cursor_load(ctx, "sms") != DB_OK)
        return sync_from_db(ctx, DB_UNAVAILABLE, "reading the cursor");
    sync_window w;
    sync_window_begin(ctx, OVERLAP_S, LOOKBACK_DAYS, &w);
    char from[32], to[32], what[96];
    mc_iso_from_ms(w.from_ms, from);
    mc_iso_from_ms(w.to_ms, to);
    long long page = sync_state_int(ctx, "page", 1);
    size_t longest = 0;
    for (;;) {
        char path[512] = "/journal/requests";
        sync_journal_query(path, sizeof path, "Message,MessageThread", from, to, PAGE, page);
        snprintf(what, sizeof what, "fetching journal page %lld of messages", page);
        json_t *root, *items;
        sync_result r = sync_get_list(ctx, path, "requests", what, &root, &items);
        if (r != SYNC_OK)
            return r;
        size_t n = json_array_size(items);
        bool done = sync_journal_done(n, &longest);
        if (done)
            sync_window_finish(ctx, &w);
        else
            sync_state_set_int(ctx, "page", ++page);
        r = sync_commit_page(ctx, write_page, items, (long)n);
        json_decref(root);
        if (r != SYNC_OK)
            return r;
        sync_progress(ctx, "messages");
        if (done) {
            /* sends of unknown outcome: found in the journal → sent */
            int resolved = 0;
            int rc = sms_reconcile_org(ctx->db, ctx->org_id, &resolved);
            return rc == DB_OK ? SYNC_OK : sync_from_db(ctx, rc, "matching sent messages of unknown outcome");
        }
    }
}
