/* login_throttle.c — login throttling on rate_counters (see login_throttle.h). */
#include "identity/login_throttle.h"

#include "platform/rate_counter.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

long long login_window_wait(long long age_s, int window_s) { return rate_counter_wait(age_s, window_s); }

long long login_backoff_seconds(long long account_failures, int max_failures, int cap_s)
{
    if (account_failures < max_failures || cap_s <= 0)
        return 0;
    long long excess = account_failures - max_failures;
    if (excess >= 30)
        return cap_s;
    long long s = 1LL << excess;
    return s > cap_s ? cap_s : s;
}

static int bump(db_conn *c, const vs_config *cfg, const char *kind, const char *subject, bool failure,
                unsigned long long *n)
{
    return rate_counter_hit(c, kind, subject, cfg->login_window_seconds, failure, n);
}

static int window_age(db_conn *c, const char *kind, const char *subject, long long *age)
{
    return rate_counter_window_age(c, kind, subject, age);
}

static int give_back(db_conn *c, const char *kind, const char *subject)
{
    db_param p[] = {DBP_STR(kind), DBP_STR(subject)};
    return db_exec(c, "UPDATE rate_counters SET n = GREATEST(n - 1, 0) WHERE kind = ? AND subject = ?", p,
                   DB_NPARAMS(p), NULL);
}

static void pair_subject(char *out, size_t outsz, const char *email, const char *ip)
{
    snprintf(out, outsz, "%s\n%s", email, ip ? ip : "");
}

int login_throttle_begin(db_conn *c, const vs_config *cfg, const char *email, const char *ip,
                         long long *retry_after)
{
    *retry_after = 0;
    char pair[400];
    pair_subject(pair, sizeof pair, email, ip);
    unsigned long long n_ip = 0, n_pair = 0;
    long long age = 0;
    int rc = DB_OK;
    if (ip && *ip)
        rc = bump(c, cfg, "ip", ip, false, &n_ip);
    if (rc == DB_OK)
        rc = bump(c, cfg, "pair", pair, false, &n_pair);
    if (rc != DB_OK)
        return rc;
    if (n_pair > (unsigned long long)cfg->login_max_failures) {
        rc = window_age(c, "pair", pair, &age);
        *retry_after = login_window_wait(age, cfg->login_window_seconds);
        return rc;
    }
    if (n_ip > (unsigned long long)cfg->login_ip_max_failures) {
        rc = window_age(c, "ip", ip, &age);
        *retry_after = login_window_wait(age, cfg->login_window_seconds);
        return rc == DB_OK ? give_back(c, "pair", pair) : rc; /* the pair was not evaluated */
    }
    if (n_pair == 1)
        return DB_OK; /* this address has not failed for this account: never slowed */
    json_t *row = NULL;
    db_param p[] = {DBP_STR(email), DBP_INT(cfg->login_window_seconds), DBP_STR(pair)};
    rc = db_query_row(c,
                      "SELECT COALESCE(a.n, 0) AS fails,"
                      " COALESCE(TIMESTAMPDIFF(SECOND, p.last_fail_at, NOW(3)), 0) AS since"
                      " FROM rate_counters p"
                      " LEFT JOIN rate_counters a ON a.kind = 'account' AND a.subject = ?"
                      "  AND a.window_start > NOW(3) - INTERVAL ? SECOND"
                      " WHERE p.kind = 'pair' AND p.subject = ? AND p.last_fail_at IS NOT NULL",
                      p, DB_NPARAMS(p), &row);
    if (rc != DB_OK || !row)
        return rc;
    long long backoff = login_backoff_seconds(json_integer_value(json_object_get(row, "fails")),
                                              cfg->login_max_failures, cfg->login_backoff_max_seconds);
    long long since = json_integer_value(json_object_get(row, "since"));
    json_decref(row);
    if (backoff > since) {
        *retry_after = backoff - since;
        rc = give_back(c, "pair", pair); /* not evaluated: the pair keeps its allowance */
    }
    return rc;
}

int login_throttle_failed(db_conn *c, const vs_config *cfg, const char *email, const char *ip)
{
    char pair[400];
    pair_subject(pair, sizeof pair, email, ip);
    db_param p[] = {DBP_STR(pair)};
    int rc = db_exec(c, "UPDATE rate_counters SET last_fail_at = NOW(3) WHERE kind = 'pair' AND subject = ?", p,
                     DB_NPARAMS(p), NULL);
    unsigned long long n = 0;
    if (rc == DB_OK)
        rc = bump(c, cfg, "account", email, true, &n);
    if (rc == DB_OK) {
        /* keep the table small: forget counters whose window is long over */
        db_param w[] = {DBP_INT(cfg->login_window_seconds)};
        (void)db_exec(c, "DELETE FROM rate_counters WHERE window_start < NOW(3) - INTERVAL ? SECOND LIMIT 100", w,
                      DB_NPARAMS(w), NULL);
    }
    return rc;
}

int login_throttle_succeeded(db_conn *c, const char *email, const char *ip)
{
    char pair[400];
    pair_subject(pair, sizeof pair, email, ip);
    db_param p[] = {DBP_STR(pair), DBP_STR(email)};
    int rc = db_exec(c,
                     "DELETE FROM rate_counters WHERE (kind = 'pair' AND subject = ?)"
                     " OR (kind = 'account' AND subject = ?)",
                     p, DB_NPARAMS(p), NULL);
    if (rc == DB_OK && ip && *ip)
        rc = give_back(c, "ip", ip);
    return rc;
}

int login_throttle_address_check(db_conn *c, const vs_config *cfg, const char *ip, int max,
                                 long long *retry_after)
{
    *retry_after = 0;
    if (!ip || !*ip)
        return DB_OK;
    json_t *row = NULL;
    db_param p[] = {DBP_STR(ip), DBP_INT(cfg->login_window_seconds)};
    int rc = db_query_row(c,
                          "SELECT n, TIMESTAMPDIFF(SECOND, window_start, NOW(3)) AS age FROM rate_counters"
                          " WHERE kind = 'service' AND subject = ? AND window_start > NOW(3) - INTERVAL ? SECOND",
                          p, DB_NPARAMS(p), &row);
    if (rc != DB_OK || !row)
        return rc;
    if (json_integer_value(json_object_get(row, "n")) >= max)
        *retry_after = login_window_wait(json_integer_value(json_object_get(row, "age")), cfg->login_window_seconds);
    json_decref(row);
    return DB_OK;
}

int login_throttle_address_fail(db_conn *c, const vs_config *cfg, const char *ip)
{
    unsigned long long n = 0;
    if (!ip || !*ip)
        return DB_OK;
    return bump(c, cfg, "service", ip, true, &n);
}
