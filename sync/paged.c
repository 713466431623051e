/* paged.c — owns what the list streams share: the MightyCall list queries
 * (skip/pageSize over a startUtc/endUtc window, journal page/pageSize over
 * from/to), fetching one page with its shape checked, writing a page item by
 * item (with the known-ids set), retiring what a whole listing no longer
 * holds, and the whole loop of a windowed skip-paged stream (recordings,
 * voicemails). */
#include <stdio.h>
#include <stdlib.h>

#include "mightycall/mc_parse.h"
#include "sync.h"

void sync_skip_query(char *path, size_t size, int page_size, long long skip, const char *from, const char *to)
{
    char num[24];
    snprintf(num, sizeof num, "%d", page_size);
    mc_qs_add(path, size, "pageSize", num);
    snprintf(num, sizeof num, "%lld", skip);
    mc_qs_add(path, size, "skip", num);
    mc_qs_add(path, size, "startUtc", from);
    mc_qs_add(path, size, "endUtc", to);
}

void sync_journal_query(char *path, size_t size, const char *types, const char *from, const char *to, int page_size,
                        long long page)
{
    char num[24];
    mc_qs_add(path, size, "type", types);
    mc_qs_add(path, size, "from", from);
    mc_qs_add(path, size, "to", to);
    snprintf(num, sizeof num, "%d", page_size);
    mc_qs_add(path, size, "pageSize", num);
    snprintf(num, sizeof num, "%lld", page);
    mc_qs_add(path, size, "page", num);
}

sync_result sync_get_list(sync_ctx *ctx, const char *path, const char *key, const char *what, json_t **root,
                          json_t **items)
{
    mc_error err;
    json_t *got = NULL;
    *root = NULL;
    *items = NULL;
    if (mc_get(ctx->mc, path, &got, &err) != MC_OK)
        return sync_from_mc(ctx, &err, what);
    return sync_list_of(ctx, got, key, what, root, items);
}

sync_result sync_list_of(sync_ctx *ctx, json_t *got, const char *key, const char *what, json_t **root, json_t **items)
{
    *items = mc_list(got, key);
    if (!*items) {
        json_decref(got);
        *root = NULL;
        snprintf(ctx->error, sizeof ctx->error, "MightyCall's answer has no \"%s\" list (%s)", key, what);
        return SYNC_FAILED;
    }
    *root = got;
    return SYNC_OK;
}

json_t *sync_page_ids(json_t *items, const char *key, const char *alt)
{
    json_t *ids = json_array();
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o)
    {
        json_t *id = json_object_get(o, key);
        if ((!json_is_string(id) || !*json_string_value(id)) && alt)
            id = json_object_get(o, alt);
        if (json_is_string(id))
            json_array_append(ids, id);
    }
    return ids;
}

int sync_write_items(sync_ctx *ctx, json_t *items, const char *known_table, json_t *ids, sync_item_fn write,
                     mc_counts *n)
{
    int rc = DB_OK;
    if (known_table)
        n->known = mc_known_load(ctx->db, known_table, ctx->org_id, ids, &rc);
    json_decref(ids);
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o)
    {
        if (rc != DB_OK)
            break;
        rc = write(ctx, o, n);
    }
    if (known_table) {
        mc_known_free(n->known);
        n->known = NULL;
    }
    return rc;
}

int sync_retire_unseen(sync_ctx *ctx, int rc, json_t *seen, sync_retire_fn retire, mc_counts *n)
{
    if (rc == DB_OK) {
        char *js = json_dumps(seen, JSON_COMPACT);
        long retired = 0;
        rc = retire(ctx->db, ctx->org_id, ctx->integration_id, js, &retired);
        n->updated += retired;
        free(js);
    }
    json_decref(seen);
    return rc;
}

void sync_cursor_now(sync_ctx *ctx)
{
    char iso[32];
    mc_iso_from_ms((long long)time(NULL) * 1000, iso);
    snprintf(ctx->cursor, sizeof ctx->cursor, "%s", iso);
}

/* Epoch ms up to which another stream of the integration has stored its
 * window (its committed cursor, or the journal window's end when that showed
 * nothing new since), 0 when it has none. */
static long long covered_until(sync_ctx *ctx, const char *stream)
{
    json_t *row = NULL;
    db_param p[] = {DBP_STR(ctx->integration_id), DBP_STR(stream)};
    long long ms = 0;
    if (db_query_row(ctx->db, "SELECT cursor_value FROM sync_cursors WHERE integration_id = ? AND stream = ?", p, 2,
                     &row) == DB_OK &&
        row) {
        const char *cv = json_string_value(json_object_get(row, "cursor_value"));
        if (cv && *cv)
            ms = mc_time_ms(cv);
    }
    json_decref(row);
    return ms > 0 ? sync_journal_covered(ctx, stream, ms) : 0;
}

sync_result sync_skip_stream(sync_ctx *ctx, const sync_skip_spec *s)
{
    if (sync_cursor_load(ctx, s->stream) != DB_OK)
        return sync_from_db(ctx, DB_UNAVAILABLE, "reading the cursor");
    sync_window w;
    sync_window_begin(ctx, s->overlap_s, s->lookback_days, &w);
    char from[32], to[32], what[96];
    long long skip = sync_state_int(ctx, "skip", 0);
    if (s->covered_by && !ctx->since[0] && skip == 0) { /* no page of this window written yet */
        long long covered = covered_until(ctx, s->covered_by);
        if (covered > w.from_ms) {
            w.from_ms = covered < w.to_ms ? covered : w.to_ms;
            sync_state_set_int(ctx, "from", w.from_ms);
        }
        /* all of it stored by the other stream, or only a tail its next run stores: no request */
        if (w.from_ms >= w.to_ms || (covered > 0 && w.to_ms - covered < s->covered_slack_s * 1000LL)) {
            sync_window_finish(ctx, &w);
            return sync_commit_page(ctx, NULL, NULL, 0);
        }
    }
    mc_iso_from_ms(w.from_ms, from);
    mc_iso_from_ms(w.to_ms, to);
    for (;;) {
        char path[512];
        snprintf(path, sizeof path, "%s", s->path);
        sync_skip_query(path, sizeof path, s->page_size, skip, from, to);
        snprintf(what, sizeof what, "fetching %s %lld–%lld", s->noun, skip + 1, skip + s->page_size);
        json_t *root, *items;
        sync_result r = sync_get_list(ctx, path, s->list_key, what, &root, &items);
        if (r != SYNC_OK)
            return r;
        size_t n = json_array_size(items);
        skip += (long long)n;
        bool done = sync_skip_done(root, n, skip, s->page_size);
        if (done)
            sync_window_finish(ctx, &w);
        else
            sync_state_set_int(ctx, "skip", skip);
        r = sync_commit_page(ctx, s->write_page, items, (long)n);
        json_decref(root);
        if (r != SYNC_OK)
            return r;
        sync_progress(ctx, s->stream);
        if (done)
            return SYNC_OK;
    }
}
