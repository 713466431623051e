/* login_throttle.c — owns the login_attempts table (see login_throttle.h). */
#include "identity/login_throttle.h"

#include <jansson.h>

long long login_throttle_wait(long long failures, long long oldest_age_s, int max_failures, int window_s)
{
    if (failures < max_failures)
        return 0;
    long long wait = (long long)window_s - oldest_age_s;
    return wait < 1 ? 1 : wait;
}

static int check_one(db_conn *c, const vs_config *cfg, const char *kind, const char *subject, long long *wait)
{
    json_t *row = NULL;
    db_param p[] = {DBP_STR(kind), DBP_STR(subject), DBP_INT(cfg->login_window_seconds)};
    *wait = 0;
    int rc = db_query_row(c,
                          "SELECT COUNT(*) AS n,"
                          " COALESCE(TIMESTAMPDIFF(SECOND, MIN(created_at), NOW(3)), 0) AS age"
                          " FROM login_attempts"
                          " WHERE kind = ? AND subject = ? AND created_at > NOW(3) - INTERVAL ? SECOND",
                          p, DB_NPARAMS(p), &row);
    if (rc != DB_OK || !row)
        return rc;
    *wait = login_throttle_wait(json_integer_value(json_object_get(row, "n")),
                                json_integer_value(json_object_get(row, "age")), cfg->login_max_failures,
                                cfg->login_window_seconds);
    json_decref(row);
    return DB_OK;
}

int login_throttle_check(db_conn *c, const vs_config *cfg, const char *email, const char *ip,
                         long long *retry_after)
{
    long long a = 0, b = 0;
    int rc = check_one(c, cfg, "account", email, &a);
    if (rc == DB_OK && ip && *ip)
        rc = check_one(c, cfg, "ip", ip, &b);
    *retry_after = a > b ? a : b;
    return rc;
}

int login_throttle_fail(db_conn *c, const vs_config *cfg, const char *email, const char *ip)
{
    db_param a[] = {DBP_STR(email)};
    int rc = db_exec(c, "INSERT INTO login_attempts (kind, subject) VALUES ('account', ?)", a, DB_NPARAMS(a), NULL);
    if (rc == DB_OK && ip && *ip) {
        db_param b[] = {DBP_STR(ip)};
        rc = db_exec(c, "INSERT INTO login_attempts (kind, subject) VALUES ('ip', ?)", b, DB_NPARAMS(b), NULL);
    }
    if (rc == DB_OK) {
        /* keep the table small: forget failures that left every window */
        db_param w[] = {DBP_INT(cfg->login_window_seconds)};
        (void)db_exec(c, "DELETE FROM login_attempts WHERE created_at < NOW(3) - INTERVAL ? SECOND LIMIT 100", w,
                      DB_NPARAMS(w), NULL);
    }
    return rc;
}

int login_throttle_clear(db_conn *c, const char *email)
{
    db_param a[] = {DBP_STR(email)};
    return db_exec(c, "DELETE FROM login_attempts WHERE kind = 'account' AND subject = ?", a, DB_NPARAMS(a), NULL);
}
