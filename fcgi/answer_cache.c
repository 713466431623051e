/* answer_cache.c — owns the remembered answers of an org's data views.
 *
 * The ETag of a data view (fcgi/etag.c) determines its body: the org's data
 * version (bumped in the transaction of every write), the caller's kind and
 * role, the org's time zone and local date (minute for metrics), the route
 * and every validated parameter. A 304 already relies on that. A worker
 * process therefore keeps the last 200 answers it sent, each with its tag,
 * and answers a later request from memory when the tag of that request —
 * computed from the version the identity guard brings back in its one round
 * trip (fcgi/identity_cache.c) — is exactly the remembered tag. Any write in
 * between moves the version, so the tag differs and the statement runs.
 *
 * Only a remembered identity's GET is answered from memory (its guard is the
 * check), never a first request. The lookup key (org, kind and role, route,
 * raw query) only finds the candidate; the tag decides. Bounded: at most
 * answer_cache_entries answers (config, 0 = off), each at most
 * ANSWER_BODY_MAX bytes, all together at most ANSWER_BYTES_MAX; the least
 * recently used make room. Shared by the threads of the process (one mutex,
 * held for a lookup and a copy). A client that wants the statement run
 * anyway sends Cache-Control: no-cache (or Pragma: no-cache). */
#include "answer_cache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "respond.h"
#include "stats.h"

#define ANSWER_BODY_MAX (1024u * 1024u)
#define ANSWER_BYTES_MAX (16u * 1024u * 1024u)

typedef struct {
    char *key;  /* NULL = free */
    char tag[ETAG_MAX];
    char *body; /* JSON text without its trailing newline */
    size_t len;
    char headers[MAX_EXTRA_HEADERS][sizeof(((vs_response *)0)->extra_headers[0])];
    int nheaders;
    unsigned long long used; /* LRU clock */
} answer;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static answer *answers;
static int capacity = -1; /* -1: not sized yet */
static size_t bytes;
static unsigned long long clock_now;

static void forget(answer *a)
{
    bytes -= a->len;
    free(a->key);
    free(a->body);
    memset(a, 0, sizeof *a);
}

/* Under lock: the answer stored under key, or NULL. */
static answer *find(const char *key)
{
    for (int i = 0; i < capacity; i++)
        if (answers[i].key && strcmp(answers[i].key, key) == 0)
            return &answers[i];
    return NULL;
}

/* Under lock: the least recently used answer, or NULL when none is held. */
static answer *oldest(void)
{
    answer *v = NULL;
    for (int i = 0; i < capacity; i++)
        if (answers[i].key && (!v || answers[i].used < v->used))
            v = &answers[i];
    return v;
}

/* Under lock: a free slot, made by forgetting the oldest answer if need be. */
static answer *free_slot(void)
{
    for (int i = 0; i < capacity; i++)
        if (!answers[i].key)
            return &answers[i];
    answer *a = oldest();
    forget(a);
    return a;
}

static bool header_says_no_cache(const vs_request *req, const char *name)
{
    const char *v = req_header(req, name);
    return v && strcasestr(v, "no-cache") != NULL;
}

bool answer_cache_key(const vs_request *req, const char *pattern, char key[ANSWER_KEY_MAX])
{
    pthread_mutex_lock(&lock);
    if (capacity < 0) {
        int n = req->cfg ? req->cfg->answer_cache_entries : 0;
        answers = n > 0 ? calloc((size_t)n, sizeof *answers) : NULL;
        capacity = answers ? n : 0;
    }
    bool on = capacity > 0;
    pthread_mutex_unlock(&lock);
    if (!on || header_says_no_cache(req, "cache-control") || header_says_no_cache(req, "pragma"))
        return false;
    int n = snprintf(key, ANSWER_KEY_MAX, "%s|%d/%d|%s|%s", req->who.org.id, (int)req->who.kind,
                     (int)req->who.role_in_org, pattern, req->query ? req->query : "");
    return n > 0 && n < ANSWER_KEY_MAX;
}

bool answer_cache_known(const char *key)
{
    pthread_mutex_lock(&lock);
    bool known = capacity > 0 && find(key) != NULL;
    pthread_mutex_unlock(&lock);
    return known;
}

bool answer_cache_get(const char *key, const char *tag, vs_response *res)
{
    bool hit = false;
    char *copy = NULL;
    pthread_mutex_lock(&lock);
    answer *a = capacity > 0 ? find(key) : NULL;
    if (a && strcmp(a->tag, tag) == 0 && (copy = malloc(a->len + 1))) {
        memcpy(copy, a->body, a->len + 1);
        resp_json_text(res, 200, copy, a->len);
        for (int i = 0; i < a->nheaders; i++)
            resp_add_header(res, "%s", a->headers[i]);
        a->used = ++clock_now;
        hit = true;
    }
    pthread_mutex_unlock(&lock);
    if (hit)
        stats_answer_from_memory();
    return hit;
}

void answer_cache_put(const char *key, const char *tag, const vs_response *res)
{
    if (res->status != 200 || res->content_type || !tag[0])
        return;
    char *body;
    size_t len;
    if (res->text) {
        len = res->text_len ? res->text_len : strlen(res->text);
        body = len <= ANSWER_BODY_MAX ? malloc(len + 1) : NULL;
        if (body) {
            memcpy(body, res->text, len);
            body[len] = 0;
        }
    } else {
        body = res->body ? json_dumps(res->body, RESPOND_JSON_FLAGS) : NULL;
        len = body ? strlen(body) : 0;
    }
    char *key_copy = strdup(key);
    if (!body || !key_copy || len > ANSWER_BODY_MAX) {
        free(body);
        free(key_copy);
        return;
    }
    pthread_mutex_lock(&lock);
    if (capacity > 0) {
        answer *a = find(key);
        if (a)
            forget(a);
        while (bytes + len > ANSWER_BYTES_MAX && (a = oldest()))
            forget(a);
        a = free_slot();
        a->key = key_copy;
        a->body = body;
        a->len = len;
        snprintf(a->tag, sizeof a->tag, "%s", tag);
        a->nheaders = res->nextra;
        memcpy(a->headers, res->extra_headers, sizeof a->headers);
        a->used = ++clock_now;
        bytes += len;
        key_copy = body = NULL;
    }
    pthread_mutex_unlock(&lock);
    free(key_copy);
    free(body);
}
