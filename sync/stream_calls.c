/* stream_calls.c — calls and their recordings from one pass over GET /calls
 * (skip paging, newest first, stops on `total`): status, parties, duration,
 * extension and agent name, recording (callRecord → recordings). The journal
 * is not read for calls: every field the product shows comes with /calls (the
 * agent's MightyCall user id from the extensions map, docs/sync.md "One pass"),
 * so 100k calls cost 100 requests, not 200.
 * The /calls pass runs only when the shared journal window (journal.c) shows
 * a call it has not stored, or when the last pass is older than
 * sync_reconcile_minutes (the journal does not show every later change of a
 * call, e.g. a recording attached late); the first run always reads.
 * Window: [cursor − 2 h overlap (calls appear when they end), now], or
 * --since, or the last 366 days on the first run. run_state holds the
 * position, committed with every page; the cursor moves to the window's end
 * with the last page. Each page is written in bulk (mc_store_bulk.h) while
 * the next one is fetched, parsed and made ready to write in a second thread
 * (prefetch.c, prepare_page); the window's last
 * page also recomputes call_reports_daily for the local days of every call
 * the run wrote. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/log.h"
#include "mightycall/mc_parse.h"
#include "mightycall/mc_store_bulk.h"
#include "sync.h"

#define CALLS_PAGE 1000 /* the largest page the simulator is known to accept (the Swagger names no cap) */
#define OVERLAP_S (2 * 3600)
#define LOOKBACK_DAYS 366

/* A /calls page made ready to write (prepare_page): in the prefetch thread
 * for every page after the first, so the writing thread only talks to the
 * database. */
typedef struct {
    size_t n;              /* items in the answer */
    long long total;       /* the answer's `total` (−1: none) */
    long skipped;          /* unusable items */
    long long lo, hi;      /* the page's start times (epoch ms; lo 0: none) */
    mc_bulk_page *bulk;
} calls_page;

typedef struct {
    calls_page *page;
    bool last;            /* the window's last page: recompute the reports in its transaction */
    long long *lo, *hi;   /* start times (epoch ms) the job has written so far */
} page_arg;

static void calls_page_free(void *v)
{
    calls_page *cp = v;
    if (!cp)
        return;
    mc_bulk_page_free(cp->bulk);
    free(cp);
}

static void span(long long *min_ms, long long *max_ms, long long t)
{
    if (t <= 0)
        return;
    if (*min_ms <= 0 || t < *min_ms)
        *min_ms = t;
    if (t > *max_ms)
        *max_ms = t;
}

/* sync_prepare_fn: parse the items, build the bulk texts (NULL: out of memory). */
static void *prepare_page(json_t *root, json_t *items)
{
    calls_page *cp = calloc(1, sizeof *cp);
    size_t cap = json_array_size(items), k = 0;
    mc_call *calls = cap ? malloc(cap * sizeof *calls) : NULL;
    if (!cp || (cap && !calls)) {
        free(cp);
        free(calls);
        return NULL;
    }
    cp->n = cap;
    cp->total = sync_skip_total(root);
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o)
    {
        if (mc_parse_call(o, &calls[k]) != 0) {
            cp->skipped++;
            continue;
        }
        span(&cp->lo, &cp->hi, mc_time_ms(calls[k].started_at));
        k++;
    }
    cp->bulk = mc_bulk_calls_prepare(calls, k);
    free(calls);
    if (!cp->bulk) {
        free(cp);
        return NULL;
    }
    return cp;
}

/* Reports are recomputed once per run, for the local days of everything it
 * wrote: the span travels in run_state (committed with each page, so a resumed
 * run still covers the pages of the killed one) and the last page's
 * transaction recomputes it. */
static int reports_span(sync_ctx *ctx, page_arg *pa)
{
    if (!pa->last) {
        if (*pa->lo > 0) {
            sync_state_set_int(ctx, "rep_lo", *pa->lo);
            sync_state_set_int(ctx, "rep_hi", *pa->hi);
        }
        return DB_OK;
    }
    if (*pa->lo <= 0)
        return DB_OK;
    char a[MC_TIME_LEN], b[MC_TIME_LEN];
    mc_sql_from_ms(*pa->lo, a);
    mc_sql_from_ms(*pa->hi, b);
    long rows = 0, created = 0;
    return mc_reports_recompute(ctx->db, ctx->org_id, ctx->tz, a, b, &rows, &created, NULL);
}

static int write_calls(sync_ctx *ctx, void *a, mc_counts *n)
{
    page_arg *pa = a;
    calls_page *cp = pa->page;
    span(pa->lo, pa->hi, cp->lo);
    span(pa->lo, pa->hi, cp->hi);
    mc_counts rec = {0}; /* recordings of the calls pass are not the job's items */
    int rc = mc_bulk_calls_write(ctx->db, ctx->org_id, ctx->integration_id, cp->bulk, n, &rec);
    return rc == DB_OK ? reports_span(ctx, pa) : rc;
}

/* The page at skip, fetched in line (the first, or when no prefetch thread
 * can be had) and prepared here. */
static sync_result fetch_in_line(sync_ctx *ctx, const char *path, const char *what, calls_page **out)
{
    json_t *root = NULL, *items = NULL;
    *out = NULL;
    sync_result r = sync_get_list(ctx, path, "calls", what, &root, &items);
    if (r != SYNC_OK)
        return r;
    *out = prepare_page(root, items);
    json_decref(root);
    if (!*out) {
        snprintf(ctx->error, sizeof ctx->error, "out of memory preparing a page (%s)", what);
        return SYNC_FAILED;
    }
    return SYNC_OK;
}

sync_result stream_calls(sync_ctx *ctx)
{
    bool read = true;
    sync_result gate = sync_journal_gate(ctx, "calls", &read);
    if (gate != SYNC_OK || !read)
        return gate;
    if (sync_cursor_load(ctx, "calls") != DB_OK)
        return sync_from_db(ctx, DB_UNAVAILABLE, "reading the cursor");
    sync_window w;
    sync_window_begin(ctx, OVERLAP_S, LOOKBACK_DAYS, &w);
    char from[32], to[32];
    mc_iso_from_ms(w.from_ms, from);
    mc_iso_from_ms(w.to_ms, to);
    sync_result r = SYNC_OK;
    char what[96];
    long long lo = sync_state_int(ctx, "rep_lo", 0), hi = sync_state_int(ctx, "rep_hi", 0);

    /* a run_state of an older version may still say "journal": its /calls
     * pass is complete, only the window's end is left to commit */
    bool listed = strcmp(sync_state_str(ctx, "phase", "calls"), "calls") != 0;
    long long skip = listed ? 0 : sync_state_int(ctx, "skip", 0);
    /* page N+1 is fetched while page N is written (prefetch.c); in line when
     * no second connection or thread can be had */
    sync_prefetch *pf = listed ? NULL : sync_prefetch_new(ctx);
    sync_prefetch_set_prepare(pf, "calls", prepare_page, calls_page_free);
    bool fetching = false; /* the request for the page at skip is in flight */
    for (;;) {
        calls_page *cp = NULL, none = {0};
        bool done = true;
        if (!listed) {
            snprintf(what, sizeof what, "fetching calls %lld–%lld", skip + 1, skip + CALLS_PAGE);
            if (fetching) {
                void *got = NULL;
                r = sync_prefetch_wait_prepared(pf, what, &got);
                cp = got;
                fetching = false;
            } else {
                char path[512] = "/calls";
                sync_skip_query(path, sizeof path, CALLS_PAGE, skip, from, to);
                r = fetch_in_line(ctx, path, what, &cp);
            }
            if (r != SYNC_OK) {
                sync_prefetch_free(pf);
                return r;
            }
            skip += (long long)cp->n;
            done = sync_skip_done_total(cp->total, cp->n, skip, CALLS_PAGE);
        } else {
            none.bulk = mc_bulk_calls_prepare(NULL, 0);
            if (!none.bulk) {
                sync_prefetch_free(pf);
                return sync_from_db(ctx, DB_ERROR, "finishing the calls window");
            }
        }
        if (done)
            sync_window_finish(ctx, &w);
        else
            sync_state_set_int(ctx, "skip", skip);
        if (!done && pf) {
            char next[512] = "/calls";
            sync_skip_query(next, sizeof next, CALLS_PAGE, skip, from, to);
            fetching = sync_prefetch_start(pf, next);
        }
        calls_page *page = cp ? cp : &none;
        page_arg pa = {.page = page, .last = done, .lo = &lo, .hi = &hi};
        r = sync_commit_page(ctx, write_calls, &pa, (long)page->n);
        long skipped = page->skipped;
        calls_page_free(cp);
        mc_bulk_page_free(none.bulk);
        if (r != SYNC_OK) {
            sync_prefetch_free(pf); /* waits for the request in flight, drops its answer */
            return r;
        }
        if (skipped)
            log_warn("sync calls: %ld unusable call record(s) skipped", skipped);
        sync_progress(ctx, "calls");
        if (done)
            break;
    }
    sync_prefetch_free(pf);
    int rc = mc_store_refresh_last_call(ctx->db, ctx->org_id);
    if (rc != DB_OK)
        return sync_from_db(ctx, rc, "updating the numbers' last call times");
    return SYNC_OK;
}
