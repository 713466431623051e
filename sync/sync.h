/* sync.h — the job runner and the streams of vs-sync.
 *
 * A stream pulls one kind of MightyCall data for one integration. It keeps a
 * cursor per (integration, stream) in sync_cursors: cursor_value is the
 * committed high-water mark, run_state the window and position of an unfinished
 * run. Every page is written in one transaction together with the cursor, the
 * run state and the job's progress (sync_commit_page), after checking that this
 * runner still holds the job's lease — so a run killed at any point resumes
 * where it stopped, loses nothing and duplicates nothing (upserts on
 * (org_id, external_id)). */
#ifndef VS_SYNC_SYNC_H
#define VS_SYNC_SYNC_H

#include <jansson.h>
#include <stdbool.h>
#include <time.h>

#include "platform/config.h"
#include "platform/db.h"
#include "platform/log.h"
#include "mightycall/mc_client.h"
#include "mightycall/mc_store.h"

typedef enum {
    SYNC_OK = 0,
    SYNC_FAILED,      /* error: plain message in ctx->error */
    SYNC_DEFERRED,    /* quota: resume at ctx->retry_at */
    SYNC_UNAVAILABLE, /* MightyCall or the database unreachable */
    SYNC_LEASE_LOST,  /* another runner owns the job now: stop without touching it */
} sync_result;

typedef struct sync_ctx {
    const vs_config *cfg;
    db_conn *db;
    mc_client *mc;
    char job_id[40];
    char org_id[40];
    char integration_id[40];
    char type[32];
    char owner[128];       /* lease owner id of this runner */
    int lease_seconds;
    char tz[64];           /* org time zone for reports */
    char since[32];        /* SQL datetime of an explicit start, "" = incremental */
    long long created_ms;  /* when the job was queued (epoch ms, the database's clock) */
    /* totals of this job (across attempts: a resumed job keeps counting) */
    mc_counts counts;
    long pages;
    long items;
    long requests_base; /* MightyCall requests of earlier attempts */
    /* cursor of the running stream, written by sync_commit_page */
    char stream[32];
    char cursor[256];
    json_t *run_state;     /* owned; NULL = finished */
    /* outcome */
    time_t retry_at;
    char error[600];
    bool lease_lost;
    bool tty;
    time_t last_renew;
    const char *label;     /* short org label for progress lines */
    struct timespec started;   /* job start (CLOCK_MONOTONIC), for the log's duration_ms */
    struct timespec last_page; /* previous page (or the start) */
} sync_ctx;

/* Structured log fields naming the job: job_id, type, org, integration. */
void sync_log_fields(const sync_ctx *ctx, log_fields *f);
/* Milliseconds since *since (CLOCK_MONOTONIC). */
double sync_ms_since(const struct timespec *since);

/* Writes one page's rows; adds to *n. Returns a DB_ code. */
typedef int (*sync_page_fn)(sync_ctx *ctx, void *arg, mc_counts *n);

/* One transaction: fn (may be NULL), the cursor (ctx->cursor / ctx->run_state)
 * and the job's progress, after verifying the lease. items = records fetched
 * for this page (progress only). */
sync_result sync_commit_page(sync_ctx *ctx, sync_page_fn fn, void *arg, long items);
/* Load ctx->cursor / ctx->run_state for stream. */
int sync_cursor_load(sync_ctx *ctx, const char *stream);
/* Renew the lease (and store progress); false when the lease is lost. */
bool sync_renew_lease(sync_ctx *ctx);
/* Map a client error to a result (and ctx->error / retry_at). what: "page 3 of calls". */
sync_result sync_from_mc(sync_ctx *ctx, const mc_error *err, const char *what);
/* DB failure → result with message. */
sync_result sync_from_db(sync_ctx *ctx, int rc, const char *what);
/* Progress line (terminal) or log line. */
void sync_progress(sync_ctx *ctx, const char *what);

/* Windowed streams: [from, to] in epoch ms, and where to resume. */
typedef struct {
    long long from_ms, to_ms;
    json_t *pos; /* borrowed from ctx->run_state: phase, skip, page… */
} sync_window;
/* Decide the window: resume an unfinished run, else since, else cursor −
 * overlap, else now − lookback. Sets ctx->run_state {from,to,job,…}. */
void sync_window_begin(sync_ctx *ctx, long overlap_s, long lookback_days, sync_window *w);
/* Mark the window done: cursor = to, run_state cleared (committed with the last page). */
void sync_window_finish(sync_ctx *ctx, const sync_window *w);
long long sync_state_int(sync_ctx *ctx, const char *key, long long dflt);
const char *sync_state_str(sync_ctx *ctx, const char *key, const char *dflt);
void sync_state_set_int(sync_ctx *ctx, const char *key, long long v);
void sync_state_set_str(sync_ctx *ctx, const char *key, const char *v);

/* ---- list pages (paged.c) ---- */

/* Append pageSize, skip, startUtc, endUtc / type, from, to, pageSize, page
 * to a MightyCall list path. */
void sync_skip_query(char *path, size_t size, int page_size, long long skip, const char *from, const char *to);
void sync_journal_query(char *path, size_t size, const char *types, const char *from, const char *to, int page_size,
                        long long page);

/* paging.c: is a listing finished after a page of n items? skip_after is the
 * skip past this page; *longest is the longest journal page of this run
 * (start at 0). MightyCall may serve fewer items per page than asked. */
bool sync_skip_done(json_t *root, size_t n, long long skip_after, int asked);
/* The same with the answer's `total` read beforehand (−1: the answer had none). */
bool sync_skip_done_total(long long total, size_t n, long long skip_after, int asked);
/* The answer's `total` for sync_skip_done_total (−1 when it has none). */
long long sync_skip_total(json_t *root);
bool sync_pages_done(json_t *root, size_t n, int asked);
bool sync_journal_done(size_t n, size_t *longest);

/* GET path and find the array under key: SYNC_OK with *root (the caller's,
 * to decref) and *items (borrowed from it), else the failure, recorded in ctx
 * with what ("fetching calls 1–500"). */
sync_result sync_get_list(sync_ctx *ctx, const char *path, const char *key, const char *what, json_t **root,
                          json_t **items);
/* The array under key of an answer got (taken over): SYNC_OK with *root = got
 * and *items, else got is freed and the failure recorded in ctx. */
sync_result sync_list_of(sync_ctx *ctx, json_t *got, const char *key, const char *what, json_t **root, json_t **items);

/* ---- the next page in a second thread (prefetch.c) ---- */

/* Fetches one list page at a time in a second thread, with a database
 * connection of its own for the client's quota counter and token cache, while
 * the caller writes the page before it. Between start and wait the caller must
 * not use ctx->mc (mc_client_requests() excepted). NULL when no connection or
 * thread can be had: fetch in line then. */
typedef struct sync_prefetch sync_prefetch;
sync_prefetch *sync_prefetch_new(sync_ctx *ctx);
/* Start GET path; false when it cannot start (fetch in line then). */
bool sync_prefetch_start(sync_prefetch *p, const char *path);
/* The started request's answer, as sync_get_list gives it; renews the job's
 * lease while it waits. */
sync_result sync_prefetch_wait(sync_prefetch *p, const char *key, const char *what, json_t **root, json_t **items);
/* Optional, before the first start: the thread also runs prepare(root,
 * items) on each answer that has the list under key (no ctx, no database:
 * it runs beside the stream's writes) and frees the answer when it returns
 * non-NULL; discard frees a prepared page nobody collected. */
typedef void *(*sync_prepare_fn)(json_t *root, json_t *items);
void sync_prefetch_set_prepare(sync_prefetch *p, const char *key, sync_prepare_fn prepare,
                               void (*discard)(void *prepared));
/* With a prepare hook: the started request's page as prepare made it, or
 * the failure (the request's, a missing list, out of memory) recorded in ctx. */
sync_result sync_prefetch_wait_prepared(sync_prefetch *p, const char *what, void **prepared);
/* Waits for a started request (its answer is dropped), frees. NULL is fine. */
void sync_prefetch_free(sync_prefetch *p);

/* ids (JSON strings) of the items under key (or alt when that is absent or
 * empty), for mc_known_load; the caller's. */
json_t *sync_page_ids(json_t *items, const char *key, const char *alt);

/* Writes one item of a page (skipping what does not parse); a DB_ code. */
typedef int (*sync_item_fn)(sync_ctx *ctx, json_t *item, mc_counts *n);
/* A page item by item until one fails, with n->known loaded for known_table
 * from ids (taken; both NULL: no known set) and freed after. */
int sync_write_items(sync_ctx *ctx, json_t *items, const char *known_table, json_t *ids, sync_item_fn write,
                     mc_counts *n);

/* The whole-list streams (phone numbers, extensions): when rc is DB_OK,
 * retire the integration's rows whose external id is not in seen (counted as
 * updated); seen is taken. Returns rc or retire's. */
typedef int (*sync_retire_fn)(db_conn *db, const char *org_id, const char *integration_id, const char *seen_json,
                              long *affected);
int sync_retire_unseen(sync_ctx *ctx, int rc, json_t *seen, sync_retire_fn retire, mc_counts *n);
/* Cursor of a whole-list stream: the time of this listing (now, ISO 8601). */
void sync_cursor_now(sync_ctx *ctx);

/* A windowed stream paged by skip over [from, to] until a short page or the
 * reported total; each page goes to write_page (arg = the items array). */
typedef struct {
    const char *stream;   /* cursor and progress name: "recordings" */
    const char *path;     /* "/calls" */
    const char *list_key; /* array in the answer: "calls" */
    const char *noun;     /* for messages: "calls for recordings" */
    int page_size;
    long overlap_s, lookback_days;
    sync_page_fn write_page;
    /* Optional: a stream that already stores these items up to its cursor
     * ("calls" for recordings): without --since, a fresh window starts at
     * that cursor, and a window it covers whole costs no request; so does
     * one whose part after that cursor is shorter than covered_slack_s (the
     * other stream's next run stores that part: calls run every 15 min). */
    const char *covered_by;
    long covered_slack_s;
} sync_skip_spec;
sync_result sync_skip_stream(sync_ctx *ctx, const sync_skip_spec *s);

/* ---- the shared journal window (journal.c) ----
 * One journal read per run serves calls, voicemails and SMS: the window
 * [oldest of the three cursors (less their overlaps), now] of types Call,
 * Message and MessageThread. SMS are stored from it (the sms stream's cursor
 * and run_state carry it, so a killed read resumes); its Call entries say
 * whether /calls or /voicemails hold anything their streams have not stored. */

/* Read the journal window now (the SMS stored, the verdicts saved in the
 * "journal" row of sync_cursors). Outside an sms job the SMS counts are not
 * the job's. */
sync_result sync_journal_read(sync_ctx *ctx);
/* Has the journal window been read since this job was queued? */
bool sync_journal_fresh(sync_ctx *ctx);
/* Must stream ("calls" | "voicemails") page its endpoint this run? true with
 * --since, on a first run, to finish an unfinished run, when its last full
 * read is older than sync_reconcile_minutes, or when the journal window
 * (read first if it is not fresh) holds an entry it has not stored. */
sync_result sync_journal_gate(sync_ctx *ctx, const char *stream, bool *read);
/* Up to when stream's data is known to be stored: its cursor (epoch ms), or
 * the journal window's end when that window showed nothing new since it. */
long long sync_journal_covered(sync_ctx *ctx, const char *stream, long long cursor_ms);

/* Streams (one file each). */
sync_result stream_phone_numbers(sync_ctx *ctx);
sync_result stream_extensions(sync_ctx *ctx);
sync_result stream_calls(sync_ctx *ctx);
sync_result stream_recordings(sync_ctx *ctx);
sync_result stream_voicemails(sync_ctx *ctx);
sync_result stream_sms(sync_ctx *ctx);
sync_result stream_contacts(sync_ctx *ctx);
sync_result stream_reports(sync_ctx *ctx);

/* ---- jobs (job.c) ---- */
typedef struct {
    int lease_seconds;
    bool quiet;
} sync_runner_opts;

void sync_owner_id(char out[128]);
/* Re-queue (or fail, past max_attempts) running jobs whose lease expired. */
int sync_requeue_expired(db_conn *db, long *requeued, long *failed);
/* Claim the next ready job (or job_id when given, ignoring run_after).
 * 1 claimed (ctx filled), 0 none, negative DB_ code. */
int sync_claim(db_conn *db, const char *job_id, const char *org_filter, const char *owner, int lease_seconds,
               sync_ctx *ctx);
/* Run a claimed job to its end state. */
sync_result sync_run_job(const vs_config *cfg, db_conn *db, sync_ctx *ctx);
/* Final line for a job ("completed: 120 synced, 3 new, 1 updated"). */
void sync_report_job(const sync_ctx *ctx, sync_result r);

/* Exit code for a set of results: failed > unavailable > deferred > ok. */
int sync_exit_code(int n_failed, int n_unavailable, int n_deferred);

/* Shared option parsing helpers. */
bool sync_parse_since(const char *arg, char out[32]);

#endif
