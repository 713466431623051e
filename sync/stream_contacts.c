/* stream_contacts.c — GET /contacts?updatedSince= lists contacts changed after
 * a time, deleted ones included (state "deleted"), oldest change first. The
 * cursor is the newest `updated` committed, so every page advances it and a
 * killed run simply continues from there; re-reads start one minute earlier
 * (same-instant changes). First run: updatedSince = 1970 (everything). */
#include <stdio.h>
#include <string.h>

#include "mightycall/mc_parse.h"
#include "sync.h"

#define PAGE 1000
#define OVERLAP_S 60

typedef struct {
    json_t *items;
    char newest[MC_TIME_LEN];
} page_arg;

static int write_contact(sync_ctx *ctx, json_t *o, mc_counts *n)
{
    mc_contact c;
    if (mc_parse_contact(o, &c) != 0)
        return DB_OK;
    return mc_store_contact(ctx->db, ctx->org_id, ctx->integration_id, &c, n);
}

static int write_page(sync_ctx *ctx, void *a, mc_counts *n)
{
    page_arg *pa = a;
    return sync_write_items(ctx, pa->items, NULL, NULL, write_contact, n);
}

sync_result stream_contacts(sync_ctx *ctx)
{
    if (sync_cursor_load(ctx, "contacts") != DB_OK)
        return sync_from_db(ctx, DB_UNAVAILABLE, "reading the cursor");
    long long since_ms = 0;
    if (ctx->since[0])
        since_ms = mc_time_ms(ctx->since);
    else if (ctx->cursor[0] && mc_time_ms(ctx->cursor) > 0)
        since_ms = mc_time_ms(ctx->cursor) - OVERLAP_S * 1000LL;
    if (since_ms < 1000)
        since_ms = 1000;
    long long newest = ctx->cursor[0] ? mc_time_ms(ctx->cursor) : 0;
    char since_iso[32], num[24], what[96];
    mc_iso_from_ms(since_ms, since_iso);
    json_decref(ctx->run_state);
    ctx->run_state = NULL;
    for (long long page = 1;; page++) {
        char path[512] = "/contacts";
        mc_qs_add(path, sizeof path, "updatedSince", since_iso);
        snprintf(num, sizeof num, "%d", PAGE);
        mc_qs_add(path, sizeof path, "pageSize", num);
        snprintf(num, sizeof num, "%lld", page);
        mc_qs_add(path, sizeof path, "page", num);
        snprintf(what, sizeof what, "fetching page %lld of contacts", page);
        json_t *root, *items;
        sync_result r = sync_get_list(ctx, path, "contacts", what, &root, &items);
        if (r != SYNC_OK)
            return r;
        size_t n = json_array_size(items);
        bool done = sync_pages_done(root, n, PAGE);
        size_t i;
        json_t *o;
        json_array_foreach(items, i, o)
        {
            char t[MC_TIME_LEN];
            json_t *u = json_object_get(o, "updated");
            if (json_is_string(u) && mc_parse_time(json_string_value(u), t) == 0 && mc_time_ms(t) > newest)
                newest = mc_time_ms(t);
        }
        if (newest > 0)
            mc_iso_from_ms(newest, ctx->cursor);
        page_arg pa = {.items = items};
        r = sync_commit_page(ctx, write_page, &pa, (long)n);
        json_decref(root);
        if (r != SYNC_OK)
            return r;
        sync_progress(ctx, "contacts");
        if (done)
            return SYNC_OK;
    }
}
