/* journal.c — owns the shared journal window: one GET /journal/requests pass
 * per run serves the SMS and tells the calls and voicemails streams whether
 * their endpoints hold anything they have not stored (docs/sync.md "One journal
 * window").
 *
 * The window is [oldest of: sms cursor − 1 h, calls cursor − 2 h, voicemails
 * cursor − 2 h, now] with types Message,MessageThread, plus Call when calls or
 * voicemails may skip their read this run (a voicemail is a Call entry with
 * state VoiceMail). It is paged like the SMS always were: the sms stream's
 * cursor and run_state carry the window and position (a killed read resumes),
 * the SMS are stored page by page, and the verdicts travel in the run_state:
 *   - calls_new: a Call entry started after the calls cursor less 2 h whose
 *     call /calls has not stored (mc_store_journal_known: the requestGuid,
 *     else number, client and start within ±2 s);
 *   - vm_new: the same for VoiceMail entries and the stored voicemails.
 * The last page's transaction writes them, the window's end and the journal's
 * proven page size to the integration's "journal" row of sync_cursors
 * (cursor_value, a small JSON object). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "platform/log.h"
#include "mightycall/mc_parse.h"
#include "messaging/sms_send.h"
#include "sync.h"

#define PAGE 1000 /* the journal's documented maximum */
#define SMS_OVERLAP_S 3600
#define BAND_S (2 * 3600) /* the calls' and voicemails' overlap: a call may be listed after a later one */
#define LOOKBACK_DAYS 366
#define JUDGE_SLACK_MS (86400 * 1000LL) /* Call entries only in a window at most a day longer than a stream needs */
#define SMS_TYPES "Message,MessageThread"
#define ALL_TYPES "Call,Message,MessageThread"

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

typedef struct {
    long long to_ms;     /* end of the last window read (0: none) */
    long long calls_at;  /* calls cursor it judged (0: Call entries not judged) */
    long long vm_at;     /* voicemails cursor it judged (0: not judged) */
    bool calls_new, vm_new;
    long long page_size; /* proven journal page size (0: not known) */
} journal_view;

static long long jint(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? json_integer_value(v) : 0;
}

static int view_load(sync_ctx *ctx, journal_view *v)
{
    memset(v, 0, sizeof *v);
    json_t *row = NULL;
    db_param p[] = {DBP_STR(ctx->integration_id)};
    int rc = db_query_row(ctx->db,
                          "SELECT cursor_value FROM sync_cursors WHERE integration_id = ? AND stream = 'journal'", p, 1,
                          &row);
    const char *cv = row ? json_string_value(json_object_get(row, "cursor_value")) : NULL;
    json_t *o = cv ? json_loads(cv, 0, NULL) : NULL;
    if (json_is_object(o)) {
        v->to_ms = jint(o, "to");
        v->calls_at = jint(o, "calls_at");
        v->vm_at = jint(o, "vm_at");
        v->calls_new = jint(o, "calls_new") != 0;
        v->vm_new = jint(o, "vm_new") != 0;
        v->page_size = jint(o, "page");
    }
    json_decref(o);
    json_decref(row);
    return rc;
}

/* A stream's committed cursor (epoch ms, 0 none) and whether a run of it is unfinished. */
static int cursor_of(sync_ctx *ctx, const char *stream, long long *cursor_ms, bool *unfinished)
{
    json_t *row = NULL;
    db_param p[] = {DBP_STR(ctx->integration_id), DBP_STR(stream)};
    int rc = db_query_row(ctx->db,
                          "SELECT cursor_value, run_state IS NOT NULL AS unfinished FROM sync_cursors "
                          "WHERE integration_id = ? AND stream = ?",
                          p, 2, &row);
    const char *cv = row ? json_string_value(json_object_get(row, "cursor_value")) : NULL;
    long long ms = cv && *cv ? mc_time_ms(cv) : 0;
    *cursor_ms = ms > 0 ? ms : 0;
    *unfinished = row && jint(row, "unfinished") != 0;
    json_decref(row);
    return rc;
}

/* Its last full read is older than sync_reconcile_minutes. */
static bool reconcile_due(sync_ctx *ctx, long long cursor_ms)
{
    return now_ms() - cursor_ms >= (long long)ctx->cfg->sync_reconcile_minutes * 60000LL;
}

/* May this run skip stream's read on the journal's word? Then *at = its cursor. */
static int judgeable(sync_ctx *ctx, const char *stream, long long *at)
{
    bool unfinished = false;
    *at = 0;
    if (ctx->since[0])
        return DB_OK;
    int rc = cursor_of(ctx, stream, at, &unfinished);
    if (rc != DB_OK || unfinished || (*at > 0 && reconcile_due(ctx, *at)))
        *at = 0;
    return rc;
}

typedef struct {
    json_t *items;
    bool last;
    journal_view v; /* the last page: what the journal row will say */
} page_arg;

static int write_message(sync_ctx *ctx, json_t *o, mc_counts *n)
{
    mc_journal j;
    if (mc_parse_journal(o, &j) != 0 || (j.type != MC_J_MESSAGE && j.type != MC_J_THREAD))
        return DB_OK;
    return mc_store_sms(ctx->db, ctx->org_id, ctx->integration_id, &j, n);
}

/* The page's SMS; with the window's last page also the verdicts (journal row). */
static int write_page(sync_ctx *ctx, void *a, mc_counts *n)
{
    page_arg *pa = a;
    int rc = sync_write_items(ctx, pa->items, "sms_messages", sync_page_ids(pa->items, "requestGuid", "id"),
                              write_message, n);
    if (rc != DB_OK || !pa->last)
        return rc;
    const journal_view *v = &pa->v;
    json_t *o = json_pack("{s:I, s:I, s:i, s:I, s:i, s:I}", "to", (json_int_t)v->to_ms, "calls_at",
                          (json_int_t)v->calls_at, "calls_new", v->calls_new ? 1 : 0, "vm_at", (json_int_t)v->vm_at,
                          "vm_new", v->vm_new ? 1 : 0, "page", (json_int_t)v->page_size);
    char *js = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!js)
        return DB_ERROR;
    db_param p[] = {DBP_STR(ctx->integration_id), DBP_STR(ctx->org_id), DBP_STR(js), DBP_STR(ctx->job_id)};
    rc = db_exec(ctx->db,
                 "INSERT INTO sync_cursors (integration_id, stream, org_id, cursor_value, last_job_id) "
                 "VALUES (?, 'journal', ?, ?, ?) ON DUPLICATE KEY UPDATE cursor_value = VALUES(cursor_value), "
                 "last_job_id = VALUES(last_job_id)",
                 p, DB_NPARAMS(p), NULL);
    free(js);
    return rc;
}

/* Judge the Call entries of a page for the calls and voicemails streams (run_state). */
static int judge_page(sync_ctx *ctx, json_t *items)
{
    long long calls_at = sync_state_int(ctx, "calls_at", 0), vm_at = sync_state_int(ctx, "vm_at", 0);
    bool calls_new = sync_state_int(ctx, "calls_new", 0) != 0, vm_new = sync_state_int(ctx, "vm_new", 0) != 0;
    size_t i;
    json_t *o;
    int rc = DB_OK;
    json_array_foreach(items, i, o)
    {
        mc_journal j;
        if ((calls_new || !calls_at) && (vm_new || !vm_at))
            break;
        if (mc_parse_journal(o, &j) != 0 || j.type != MC_J_CALL)
            continue;
        long long t = mc_time_ms(j.created);
        bool known;
        if (calls_at && !calls_new && t > calls_at - BAND_S * 1000LL) {
            if ((rc = mc_store_journal_known(ctx->db, ctx->org_id, &j, false, &known)) != DB_OK)
                break;
            calls_new = !known;
        }
        if (vm_at && !vm_new && strcmp(j.state, "voicemail") == 0 && t > vm_at - BAND_S * 1000LL) {
            if ((rc = mc_store_journal_known(ctx->db, ctx->org_id, &j, true, &known)) != DB_OK)
                break;
            vm_new = !known;
        }
    }
    sync_state_set_int(ctx, "calls_new", calls_new);
    sync_state_set_int(ctx, "vm_new", vm_new);
    return rc;
}

/* A fresh window: widen it to the calls' and voicemails' cursors when they may be judged. */
static void window_setup(sync_ctx *ctx, sync_window *w, long long calls_at, long long vm_at, long long page_size)
{
    /* a long SMS window (a first run, an old cursor) would list every call of
     * it: the streams are not judged then (they read their endpoints) */
    if (calls_at && w->from_ms < calls_at - BAND_S * 1000LL - JUDGE_SLACK_MS)
        calls_at = 0;
    if (vm_at && w->from_ms < vm_at - BAND_S * 1000LL - JUDGE_SLACK_MS)
        vm_at = 0;
    long long from = w->from_ms;
    if (calls_at && calls_at - BAND_S * 1000LL < from)
        from = calls_at - BAND_S * 1000LL;
    if (vm_at && vm_at - BAND_S * 1000LL < from)
        from = vm_at - BAND_S * 1000LL;
    if (from > 0 && from < w->from_ms) {
        w->from_ms = from;
        sync_state_set_int(ctx, "from", from);
    }
    sync_state_set_str(ctx, "types", calls_at || vm_at ? ALL_TYPES : SMS_TYPES);
    sync_state_set_int(ctx, "calls_at", calls_at);
    sync_state_set_int(ctx, "vm_at", vm_at);
    sync_state_set_int(ctx, "calls_new", 0);
    sync_state_set_int(ctx, "vm_new", 0);
    sync_state_set_int(ctx, "page_size", page_size);
}

sync_result sync_journal_read(sync_ctx *ctx)
{
    bool own = strcmp(ctx->type, "sms") == 0;
    mc_counts before = ctx->counts;
    long long calls_at = 0, vm_at = 0;
    journal_view v;
    if (judgeable(ctx, "calls", &calls_at) != DB_OK || judgeable(ctx, "voicemails", &vm_at) != DB_OK ||
        view_load(ctx, &v) != DB_OK || sync_cursor_load(ctx, "sms") != DB_OK)
        return sync_from_db(ctx, DB_UNAVAILABLE, "reading the cursors");
    sync_window w;
    sync_window_begin(ctx, SMS_OVERLAP_S, LOOKBACK_DAYS, &w);
    if (!json_object_get(ctx->run_state, "types")) {
        /* a fresh window, or an unfinished one of an older version: judged
         * only while none of it is stored (widening it is safe then) */
        bool untouched = sync_state_int(ctx, "page", 1) == 1;
        window_setup(ctx, &w, untouched ? calls_at : 0, untouched ? vm_at : 0, v.page_size);
    }
    const char *types = sync_state_str(ctx, "types", SMS_TYPES);
    char from[32], to[32], what[96];
    mc_iso_from_ms(w.from_ms, from);
    mc_iso_from_ms(w.to_ms, to);
    long long page = sync_state_int(ctx, "page", 1);
    size_t longest = 0;
    sync_result r = SYNC_OK;
    for (;;) {
        char path[512] = "/journal/requests";
        sync_journal_query(path, sizeof path, types, from, to, PAGE, page);
        snprintf(what, sizeof what, "fetching journal page %lld", page);
        json_t *root, *items;
        r = sync_get_list(ctx, path, "requests", what, &root, &items);
        if (r != SYNC_OK)
            break;
        size_t n = json_array_size(items);
        /* the server's page size, once proven: a page as long as asked, or
         * one followed by more entries (MightyCall may serve fewer than asked) */
        if (n >= PAGE)
            sync_state_set_int(ctx, "page_size", PAGE);
        else if (n > 0 && longest > 0)
            sync_state_set_int(ctx, "page_size", (long long)longest);
        long long proven = sync_state_int(ctx, "page_size", 0);
        bool done = sync_journal_done(n, &longest) || (proven > 0 && n < (size_t)proven);
        int rc = judge_page(ctx, items);
        if (rc != DB_OK) {
            json_decref(root);
            r = sync_from_db(ctx, rc, "checking the journal's calls");
            break;
        }
        page_arg pa = {.items = items, .last = done};
        if (done) { /* the verdicts leave the run_state here: the journal row keeps them */
            pa.v.to_ms = w.to_ms;
            pa.v.calls_at = sync_state_int(ctx, "calls_at", 0);
            pa.v.vm_at = sync_state_int(ctx, "vm_at", 0);
            pa.v.calls_new = sync_state_int(ctx, "calls_new", 0) != 0;
            pa.v.vm_new = sync_state_int(ctx, "vm_new", 0) != 0;
            pa.v.page_size = proven;
            sync_window_finish(ctx, &w);
        } else {
            sync_state_set_int(ctx, "page", ++page);
        }
        r = sync_commit_page(ctx, write_page, &pa, (long)n);
        json_decref(root);
        if (r != SYNC_OK)
            break;
        sync_progress(ctx, "journal");
        if (done)
            break;
    }
    if (!own) /* the SMS of the window are not this job's items */
        ctx->counts = before;
    if (r != SYNC_OK)
        return r;
    /* sends of unknown outcome: found in the journal → sent */
    int resolved = 0;
    int rc = sms_reconcile_org(ctx->db, ctx->org_id, &resolved);
    return rc == DB_OK ? SYNC_OK : sync_from_db(ctx, rc, "matching sent messages of unknown outcome");
}

bool sync_journal_fresh(sync_ctx *ctx)
{
    journal_view v;
    return view_load(ctx, &v) == DB_OK && v.to_ms > 0 && ctx->created_ms > 0 && v.to_ms >= ctx->created_ms;
}

sync_result sync_journal_gate(sync_ctx *ctx, const char *stream, bool *read)
{
    bool calls = strcmp(stream, "calls") == 0;
    long long at = 0;
    *read = true;
    if (judgeable(ctx, stream, &at) != DB_OK)
        return sync_from_db(ctx, DB_UNAVAILABLE, "reading the cursors");
    if (!at) /* --since, first run, unfinished run, or the reconcile is due */
        return SYNC_OK;
    journal_view v;
    if (!sync_journal_fresh(ctx)) {
        sync_result r = sync_journal_read(ctx);
        if (r != SYNC_OK)
            return r;
    }
    if (view_load(ctx, &v) != DB_OK)
        return sync_from_db(ctx, DB_UNAVAILABLE, "reading the journal window");
    long long judged = calls ? v.calls_at : v.vm_at;
    bool fresh_news = calls ? v.calls_new : v.vm_new;
    /* judged against this cursor or an older one (nothing new since then is nothing new since this) */
    *read = !judged || judged > at || fresh_news;
    if (!*read)
        log_info("sync %s: the journal shows nothing new up to its window's end; %s not read", stream,
                 calls ? "/calls" : "/voicemails");
    return SYNC_OK;
}

long long sync_journal_covered(sync_ctx *ctx, const char *stream, long long cursor_ms)
{
    journal_view v;
    if (cursor_ms <= 0 || view_load(ctx, &v) != DB_OK)
        return cursor_ms;
    bool calls = strcmp(stream, "calls") == 0;
    long long judged = calls ? v.calls_at : v.vm_at;
    bool news = calls ? v.calls_new : v.vm_new;
    return judged && judged <= cursor_ms && !news && v.to_ms > cursor_ms ? v.to_ms : cursor_ms;
}
