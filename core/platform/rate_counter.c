/* rate_counter.c — owns the rate_counters table (see rate_counter.h). */
#include "platform/rate_counter.h"

int rate_counter_hit(db_conn *c, const char *kind, const char *subject, int window_s, bool failure,
                     unsigned long long *n)
{
    /* LAST_INSERT_ID(expr) carries the new count back with the statement */
    db_param p[] = {DBP_STR(kind), DBP_STR(subject), DBP_INT(failure ? 1 : 0), DBP_INT(window_s),
                    DBP_INT(failure ? 1 : 0)};
    int rc = db_exec_id(c,
                        "INSERT INTO rate_counters (kind, subject, n, window_start, last_fail_at)"
                        " VALUES (?, ?, LAST_INSERT_ID(1), NOW(3), IF(? = 1, NOW(3), NULL))"
                        " ON DUPLICATE KEY UPDATE"
                        " n = LAST_INSERT_ID(IF(window_start <= NOW(3) - INTERVAL ? SECOND, 1, n + 1)),"
                        " window_start = IF(n = 1, NOW(3), window_start),"
                        " last_fail_at = IF(? = 1, NOW(3), last_fail_at)",
                        p, DB_NPARAMS(p), n);
    if (rc == DB_OK && *n == 0)
        return DB_ERROR; /* the server did not report the count */
    return rc;
}

int rate_counter_window_age(db_conn *c, const char *kind, const char *subject, long long *age)
{
    db_param p[] = {DBP_STR(kind), DBP_STR(subject)};
    return db_query_int(c,
                        "SELECT TIMESTAMPDIFF(SECOND, window_start, NOW(3)) FROM rate_counters"
                        " WHERE kind = ? AND subject = ?",
                        p, DB_NPARAMS(p), age);
}

long long rate_counter_wait(long long age_s, int window_s)
{
    long long wait = (long long)window_s - age_s;
    return wait < 1 ? 1 : wait;
}
