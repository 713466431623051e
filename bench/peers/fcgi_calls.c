/* fcgi_calls.c — bench peer: the smallest libfcgi + MariaDB Connector/C
 * program that answers the project's first page of the calls list,
 *     GET …/api/orgs/:orgId/calls[?limit=N]
 * with the same JSON as vs-api, so that bench/run.sh can measure how far the
 * product is from a direct implementation of the same work.
 *
 * Same work as the product:
 *   - the list statement is the product's own text, DSQL_CALLS_LIST[0] of
 *     core/data/data_sql.c (linked in), with the product's parameters for a
 *     first page without filters (org, 1970 … 2200, 8 NULL filters, 4 NULL
 *     cursor slots, limit + 1, offset 0), as a prepared statement;
 *   - the total is DSQL_COUNTS_ALL_TIME (org, "call_all", 8 NULL filters), the
 *     statement dl_count runs for a list without dates: one counter row, not
 *     a COUNT(*) over the org's rows (correct: the counters are kept exact by
 *     triggers, see docs/performance.md);
 *   - the same envelope {data, total, skip, limit, next_cursor}, the same
 *     field names in the same order, the same value types (integers,
 *     "YYYY-MM-DDTHH:MM:SSZ" dates, NULL → null), the same next_cursor
 *     (base64url of [1,"calls","<_pos>","<id>"]) and Jansson's
 *     JSON_ENSURE_ASCII escaping: for the same data the body is byte for byte
 *     the product's.
 *   - one process, N threads on FCGX_Accept_r, one MariaDB connection with
 *     its two prepared statements per thread.
 * What it skips: authentication and org access (no API key / JWT lookup),
 * rate limits, cursor/skip/filter/date parameters (only `limit` is read),
 * request ids and access logging, the Jansson tree (rows are written
 * straight into one growing buffer), graceful draining, metrics counters.
 *
 *   fcgi_calls --socket PATH --db-socket PATH --db-user U --db-name D
 *              --db-password-file F [--threads N]
 *   fcgi_calls --print-sql   {"list": "<SQL>", "total": "<SQL>"} on stdout,
 *              read by the Express peer so that both peers run the very text
 *              of the product.
 * Stop it with SIGTERM or SIGINT: the main thread waits for them (libfcgi's
 * own handlers would otherwise keep the process alive) and exits at once —
 * a measuring instrument has no requests worth draining. */
#include <errno.h>
#include <fcgiapp.h>
#include <mysql.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "data/data_sql.h"
#include "platform/json_out.h"

#define MAX_COLS 32
#define COL_CAP 65536 /* larger values would be truncated: answered as an error */

static const char *opt_socket, *opt_db_socket, *opt_db_user = "victorysync", *opt_db_name = "victorysync";
static char db_password[256];
static int listen_fd;

/* ------------------------------------------------------------ out buffer */

/* the product's JSON text buffer and string escaping (core/platform/json_out.c) */
typedef json_buf buf;
#define b_put jb_put
#define b_str jb_lit
#define b_json_str jb_str

static void b_fmt_u(buf *b, unsigned long long v)
{
    char t[24];
    int n = snprintf(t, sizeof t, "%llu", v);
    b_put(b, t, (size_t)n);
}

/* base64url without padding (the product's cursor encoding). */
static void b_b64url(buf *b, const unsigned char *s, size_t n)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t i = 0;
    for (; i + 2 < n; i += 3) {
        char o[4] = {a[s[i] >> 2], a[((s[i] & 3) << 4) | (s[i + 1] >> 4)], a[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)],
                     a[s[i + 2] & 63]};
        b_put(b, o, 4);
    }
    if (n - i == 1) {
        char o[2] = {a[s[i] >> 2], a[(s[i] & 3) << 4]};
        b_put(b, o, 2);
    } else if (n - i == 2) {
        char o[3] = {a[s[i] >> 2], a[((s[i] & 3) << 4) | (s[i + 1] >> 4)], a[(s[i + 1] & 15) << 2]};
        b_put(b, o, 3);
    }
}

/* ------------------------------------------------------------ database */

typedef enum { K_STR, K_INT, K_BOOL, K_REAL, K_DATE, K_SKIP } col_kind;

typedef struct {
    MYSQL *db;
    MYSQL_STMT *list, *total;
    unsigned ncol;
    char names[MAX_COLS][64];
    col_kind kind[MAX_COLS];
    int pos_col, id_col;
    MYSQL_BIND res[MAX_COLS];
    char *cell[MAX_COLS];
    unsigned long clen[MAX_COLS];
    my_bool cnull[MAX_COLS];
    /* parameters */
    char org[40];
    unsigned long org_len;
    long long limit1;
} conn;

static void conn_close(conn *c)
{
    if (c->list)
        mysql_stmt_close(c->list);
    if (c->total)
        mysql_stmt_close(c->total);
    if (c->db)
        mysql_close(c->db);
    for (unsigned i = 0; i < MAX_COLS; i++)
        free(c->cell[i]);
    memset(c, 0, sizeof *c);
}

static col_kind kind_of(const MYSQL_FIELD *f)
{
    switch (f->type) {
    case MYSQL_TYPE_TINY:
        if (f->length == 1) /* TINYINT(1): a boolean, as in core/platform/db.c */
            return K_BOOL;
        return K_INT;
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR:
        return K_INT;
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL:
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE:
        return K_REAL;
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP:
    case MYSQL_TYPE_DATETIME2:
    case MYSQL_TYPE_TIMESTAMP2:
        return K_DATE;
    default:
        return K_STR;
    }
}

static bool conn_open(conn *c)
{
    memset(c, 0, sizeof *c);
    c->db = mysql_init(NULL);
    if (!c->db || !mysql_real_connect(c->db, NULL, opt_db_user, db_password, opt_db_name, 0, opt_db_socket, 0)) {
        fprintf(stderr, "fcgi_calls: connect: %s\n", c->db ? mysql_error(c->db) : "out of memory");
        conn_close(c);
        return false;
    }
    mysql_set_character_set(c->db, "utf8mb4");
    c->list = mysql_stmt_init(c->db);
    c->total = mysql_stmt_init(c->db);
    const char *sql = DSQL_CALLS_LIST[0];
    if (!c->list || !c->total || mysql_stmt_prepare(c->list, sql, strlen(sql)) ||
        mysql_stmt_prepare(c->total, DSQL_COUNTS_ALL_TIME, strlen(DSQL_COUNTS_ALL_TIME))) {
        fprintf(stderr, "fcgi_calls: prepare: %s\n", mysql_error(c->db));
        conn_close(c);
        return false;
    }
    if (mysql_stmt_param_count(c->list) != 17 || mysql_stmt_param_count(c->total) != 10) {
        fprintf(stderr, "fcgi_calls: the product's statements changed their parameters (%lu, %lu; expected 17, 10)\n",
                mysql_stmt_param_count(c->list), mysql_stmt_param_count(c->total));
        conn_close(c);
        return false;
    }
    MYSQL_RES *meta = mysql_stmt_result_metadata(c->list);
    if (!meta || mysql_num_fields(meta) > MAX_COLS) {
        fprintf(stderr, "fcgi_calls: list metadata\n");
        if (meta)
            mysql_free_result(meta);
        conn_close(c);
        return false;
    }
    c->ncol = mysql_num_fields(meta);
    c->pos_col = c->id_col = -1;
    MYSQL_FIELD *f = mysql_fetch_fields(meta);
    for (unsigned i = 0; i < c->ncol; i++) {
        snprintf(c->names[i], sizeof c->names[i], "%s", f[i].name);
        c->kind[i] = kind_of(&f[i]);
        if (strcmp(f[i].name, "_pos") == 0)
            c->pos_col = (int)i, c->kind[i] = K_SKIP;
        if (strcmp(f[i].name, "id") == 0)
            c->id_col = (int)i;
        size_t cap = f[i].length < 64 ? 64 : f[i].length > COL_CAP ? COL_CAP : f[i].length;
        c->cell[i] = malloc(cap + 1);
        c->res[i].buffer_type = MYSQL_TYPE_STRING;
        c->res[i].buffer = c->cell[i];
        c->res[i].buffer_length = (unsigned long)cap + 1;
        c->res[i].length = &c->clen[i];
        c->res[i].is_null = &c->cnull[i];
    }
    mysql_free_result(meta);
    if (mysql_stmt_bind_result(c->list, c->res)) {
        fprintf(stderr, "fcgi_calls: bind result: %s\n", mysql_stmt_error(c->list));
        conn_close(c);
        return false;
    }

    /* parameters: bound once, values change in place (org, limit + 1) */
    static const char from[] = "1970-01-01 00:00:00.000", to[] = "2200-01-01 00:00:00.000", kind[] = "call_all";
    static long long zero = 0;
    MYSQL_BIND p[17];
    memset(p, 0, sizeof p);
    for (int i = 0; i < 17; i++)
        p[i].buffer_type = MYSQL_TYPE_NULL;
    p[0].buffer_type = MYSQL_TYPE_STRING, p[0].buffer = c->org, p[0].length = &c->org_len;
    p[1].buffer_type = MYSQL_TYPE_STRING, p[1].buffer = (void *)from, p[1].buffer_length = sizeof from - 1;
    p[2].buffer_type = MYSQL_TYPE_STRING, p[2].buffer = (void *)to, p[2].buffer_length = sizeof to - 1;
    p[15].buffer_type = MYSQL_TYPE_LONGLONG, p[15].buffer = &c->limit1;
    p[16].buffer_type = MYSQL_TYPE_LONGLONG, p[16].buffer = &zero;
    MYSQL_BIND q[10];
    memset(q, 0, sizeof q);
    for (int i = 0; i < 10; i++)
        q[i].buffer_type = MYSQL_TYPE_NULL;
    q[0] = p[0];
    q[1].buffer_type = MYSQL_TYPE_STRING, q[1].buffer = (void *)kind, q[1].buffer_length = sizeof kind - 1;
    if (mysql_stmt_bind_param(c->list, p) || mysql_stmt_bind_param(c->total, q)) {
        fprintf(stderr, "fcgi_calls: bind params: %s\n", mysql_error(c->db));
        conn_close(c);
        return false;
    }
    return true;
}

static bool query_total(conn *c, long long *total)
{
    MYSQL_BIND r;
    long long v = 0;
    my_bool isnull = 0;
    memset(&r, 0, sizeof r);
    r.buffer_type = MYSQL_TYPE_LONGLONG;
    r.buffer = &v;
    r.is_null = &isnull;
    if (mysql_stmt_execute(c->total) || mysql_stmt_bind_result(c->total, &r))
        return false;
    int f = mysql_stmt_fetch(c->total);
    while (f == 0 && mysql_stmt_fetch(c->total) == 0) {
    }
    mysql_stmt_free_result(c->total);
    if (f != 0)
        return false;
    *total = isnull ? 0 : v;
    return true;
}

/* The page as JSON into out; false on a database error. */
static bool calls_page(conn *c, int limit, buf *out)
{
    c->limit1 = limit + 1;
    if (mysql_stmt_execute(c->list))
        return false;
    b_str(out, "{\"data\":[");
    char pos[64] = "", id[64] = "";
    int n = 0, f;
    bool more = false;
    while ((f = mysql_stmt_fetch(c->list)) == 0) {
        if (n == limit) { /* the extra row only says that a next page exists */
            more = true;
            continue;
        }
        if (n++)
            b_put(out, ",", 1);
        b_put(out, "{", 1);
        bool first = true;
        for (unsigned i = 0; i < c->ncol; i++) {
            if (c->kind[i] == K_SKIP)
                continue;
            if (!first)
                b_put(out, ",", 1);
            first = false;
            b_put(out, "\"", 1);
            b_str(out, c->names[i]);
            b_put(out, "\":", 2);
            const char *v = c->cell[i];
            unsigned long len = c->clen[i];
            if (c->cnull[i])
                b_put(out, "null", 4);
            else if (c->kind[i] == K_INT)
                b_put(out, v, len);
            else if (c->kind[i] == K_BOOL)
                b_str(out, len && v[0] != '0' ? "true" : "false");
            else if (c->kind[i] == K_DATE && len >= 19) { /* "2024-01-20 14:30:00.123" → "2024-01-20T14:30:00Z" */
                char iso[22];
                memcpy(iso + 1, v, 19);
                iso[0] = '"', iso[11] = 'T', iso[20] = 'Z', iso[21] = '"';
                b_put(out, iso, 22);
            } else if (c->kind[i] == K_REAL) { /* Jansson: %.12g, then ".0" when it reads as an integer */
                char t[40];
                int m = snprintf(t, sizeof t, "%.12g", strtod(v, NULL));
                b_put(out, t, (size_t)m);
                if (!strpbrk(t, ".eE"))
                    b_put(out, ".0", 2);
            } else
                b_json_str(out, v, len);
        }
        b_put(out, "}", 1);
        if (n == limit && c->pos_col >= 0 && c->id_col >= 0) {
            snprintf(pos, sizeof pos, "%.*s", (int)c->clen[c->pos_col], c->cell[c->pos_col]);
            snprintf(id, sizeof id, "%.*s", (int)c->clen[c->id_col], c->cell[c->id_col]);
        }
    }
    mysql_stmt_free_result(c->list);
    if (f != MYSQL_NO_DATA)
        return false; /* 1 = error, MYSQL_DATA_TRUNCATED = a value over COL_CAP */
    long long total;
    if (!query_total(c, &total))
        return false;
    b_str(out, "],\"total\":");
    b_fmt_u(out, (unsigned long long)(total < 0 ? 0 : total));
    b_str(out, ",\"skip\":0,\"limit\":");
    b_fmt_u(out, (unsigned long long)limit);
    b_str(out, ",\"next_cursor\":");
    if (more && *pos && *id) {
        buf raw = {0};
        b_str(&raw, "[1,\"calls\",");
        b_json_str(&raw, pos, strlen(pos));
        b_put(&raw, ",", 1);
        b_json_str(&raw, id, strlen(id));
        b_put(&raw, "]", 1);
        b_put(out, "\"", 1);
        if (!raw.oom)
            b_b64url(out, (const unsigned char *)raw.p, raw.len);
        b_put(out, "\"", 1);
        free(raw.p);
    } else {
        b_put(out, "null", 4);
    }
    b_str(out, "}\n");
    return !out->oom;
}

/* ------------------------------------------------------------ requests */

static void respond(FCGX_Request *fr, int status, const char *reason, const char *body, size_t len)
{
    char head[256];
    int n = snprintf(head, sizeof head,
                     "Status: %d %s\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: %zu\r\n"
                     "Cache-Control: no-store\r\n\r\n",
                     status, reason, len);
    FCGX_PutStr(head, n, fr->out);
    FCGX_PutStr(body, (int)len, fr->out);
}

static void respond_error(FCGX_Request *fr, int status, const char *reason, const char *msg)
{
    char body[256];
    int n = snprintf(body, sizeof body, "{\"error\":\"%s\"}\n", msg);
    respond(fr, status, reason, body, (size_t)n);
}

/* ".../api/orgs/<uuid>/calls" → org; false when the path is not that. */
static bool parse_path(const char *uri, char org[40], unsigned long *len)
{
    const char *p = uri ? strstr(uri, "/api/orgs/") : NULL;
    if (!p)
        return false;
    p += 10;
    size_t n = strcspn(p, "/?");
    if (n != 36 || strncmp(p + n, "/calls", 6) != 0 || (p[n + 6] && p[n + 6] != '?'))
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? ch != '-' : !((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')))
            return false;
    }
    memcpy(org, p, n);
    org[n] = 0;
    *len = (unsigned long)n;
    return true;
}

/* limit=N in the query string: 1..500, default 50 (as the product). */
static int parse_limit(const char *qs)
{
    for (const char *p = qs; p && *p;) {
        if (strncmp(p, "limit=", 6) == 0) {
            char *end;
            long v = strtol(p + 6, &end, 10);
            return (end != p + 6 && (*end == 0 || *end == '&') && v >= 1 && v <= 500) ? (int)v : -1;
        }
        p = strchr(p, '&');
        if (p)
            p++;
    }
    return 50;
}

static void serve(FCGX_Request *fr, conn *c, buf *out)
{
    const char *method = FCGX_GetParam("REQUEST_METHOD", fr->envp);
    if (!method || strcmp(method, "GET") != 0) {
        respond_error(fr, 405, "Method Not Allowed", "method not allowed");
        return;
    }
    if (!parse_path(FCGX_GetParam("DOCUMENT_URI", fr->envp), c->org, &c->org_len)) {
        respond_error(fr, 404, "Not Found", "not found");
        return;
    }
    int limit = parse_limit(FCGX_GetParam("QUERY_STRING", fr->envp));
    if (limit < 0) {
        respond_error(fr, 400, "Bad Request", "limit must be an integer from 1 to 500");
        return;
    }
    out->len = 0;
    out->oom = false;
    if (!c->db && !conn_open(c)) {
        respond_error(fr, 503, "Service Unavailable", "database unavailable");
        return;
    }
    if (!calls_page(c, limit, out)) {
        fprintf(stderr, "fcgi_calls: query: %s\n", mysql_error(c->db));
        conn_close(c); /* reconnect on the next request */
        respond_error(fr, 500, "Internal Server Error", "database error");
        return;
    }
    respond(fr, 200, "OK", out->p, out->len);
}

static void *thread_main(void *arg)
{
    (void)arg;
    mysql_thread_init();
    conn c;
    if (!conn_open(&c))
        memset(&c, 0, sizeof c);
    buf out = {0};
    FCGX_Request fr;
    FCGX_InitRequest(&fr, listen_fd, 0);
    for (;;) {
        if (FCGX_Accept_r(&fr) < 0) {
            usleep(10 * 1000);
            continue;
        }
        serve(&fr, &c, &out);
        FCGX_Finish_r(&fr);
    }
    return NULL;
}

static void usage(void)
{
    fprintf(stderr, "usage: fcgi_calls --socket PATH --db-socket PATH --db-password-file F "
                    "[--db-user U] [--db-name D] [--threads N]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *pw_file = NULL;
    int threads = 16;
    if (argc == 2 && strcmp(argv[1], "--print-sql") == 0) {
        buf o = {0};
        b_str(&o, "{\"list\":");
        b_json_str(&o, DSQL_CALLS_LIST[0], strlen(DSQL_CALLS_LIST[0]));
        b_str(&o, ",\"total\":");
        b_json_str(&o, DSQL_COUNTS_ALL_TIME, strlen(DSQL_COUNTS_ALL_TIME));
        b_str(&o, "}\n");
        fwrite(o.p, 1, o.len, stdout);
        free(o.p);
        return o.oom;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            usage();
        if (strcmp(a, "--socket") == 0)
            opt_socket = v;
        else if (strcmp(a, "--db-socket") == 0)
            opt_db_socket = v;
        else if (strcmp(a, "--db-user") == 0)
            opt_db_user = v;
        else if (strcmp(a, "--db-name") == 0)
            opt_db_name = v;
        else if (strcmp(a, "--db-password-file") == 0)
            pw_file = v;
        else if (strcmp(a, "--threads") == 0)
            threads = atoi(v);
        else
            usage();
        i++;
    }
    if (!opt_socket || !opt_db_socket || !pw_file || threads < 1 || threads > 256)
        usage();
    FILE *pf = fopen(pw_file, "r");
    if (!pf || !fgets(db_password, sizeof db_password, pf)) {
        fprintf(stderr, "fcgi_calls: cannot read %s: %s\n", pw_file, strerror(errno));
        return 1;
    }
    fclose(pf);
    db_password[strcspn(db_password, "\r\n")] = 0;

    if (mysql_library_init(0, NULL, NULL) || FCGX_Init() != 0) {
        fprintf(stderr, "fcgi_calls: library init failed\n");
        return 1;
    }
    unlink(opt_socket);
    listen_fd = FCGX_OpenSocket(opt_socket, 1024);
    if (listen_fd < 0) {
        fprintf(stderr, "fcgi_calls: cannot listen on %s\n", opt_socket);
        return 1;
    }
    chmod(opt_socket, 0660);
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL); /* inherited by the threads: only sigwait below takes them */
    for (int i = 0; i < threads; i++) {
        pthread_t tid;
        if (pthread_create(&tid, NULL, thread_main, NULL) != 0) {
            fprintf(stderr, "fcgi_calls: pthread_create failed\n");
            return 1;
        }
        pthread_detach(tid);
    }
    fprintf(stderr, "fcgi_calls: %d threads on %s\n", threads, opt_socket);
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "fcgi_calls: signal %d, exiting\n", sig);
    unlink(opt_socket);
    _exit(0);
}
