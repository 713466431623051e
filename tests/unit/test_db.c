/* test_db.c — unit tests for core/platform/db.c without a server: the
 * classification of MariaDB error numbers into DB_* codes, the redaction of
 * values from logged server messages, the conversion of result cells to JSON
 * (db_internal.h), and the behaviour when the server cannot be reached
 * (DB_UNAVAILABLE, one repeat for reads only, the operator counters). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errmsg.h>
#include <mysqld_error.h>
#include <stdio.h>
#include <string.h>

#include "platform/db.h"
#include "platform/db_internal.h"

static void test_error_class(void **state)
{
    (void)state;
    /* the server or the connection is gone: 503, reconnect on next use */
    static const unsigned int gone[] = {CR_SERVER_GONE_ERROR, CR_SERVER_LOST, CR_CONNECTION_ERROR,
                                        CR_CONN_HOST_ERROR, CR_SERVER_LOST_EXTENDED, ER_CONNECTION_KILLED,
                                        ER_SERVER_SHUTDOWN, ER_NET_READ_ERROR, ER_NET_WRITE_INTERRUPTED,
                                        4031 /* ER_CLIENT_INTERACTION_TIMEOUT */};
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
        if (db_error_class(gone[i]) != DB_UNAVAILABLE)
            fail_msg("error %u is not DB_UNAVAILABLE", gone[i]);
    assert_int_equal(db_error_class(ER_DUP_ENTRY), DB_DUPLICATE);
    assert_int_equal(db_error_class(ER_DUP_UNIQUE), DB_DUPLICATE);
    assert_int_equal(db_error_class(ER_NO_REFERENCED_ROW), DB_FOREIGN_KEY);
    assert_int_equal(db_error_class(ER_NO_REFERENCED_ROW_2), DB_FOREIGN_KEY);
    assert_int_equal(db_error_class(ER_ROW_IS_REFERENCED), DB_FOREIGN_KEY);
    assert_int_equal(db_error_class(ER_ROW_IS_REFERENCED_2), DB_FOREIGN_KEY);
    assert_int_equal(db_error_class(ER_LOCK_DEADLOCK), DB_DEADLOCK);
    assert_int_equal(db_error_class(ER_LOCK_WAIT_TIMEOUT), DB_DEADLOCK);
    /* everything else is an internal error */
    assert_int_equal(db_error_class(ER_PARSE_ERROR), DB_ERROR);
    assert_int_equal(db_error_class(ER_NO_SUCH_TABLE), DB_ERROR);
    assert_int_equal(db_error_class(ER_BAD_FIELD_ERROR), DB_ERROR);
    assert_int_equal(db_error_class(ER_TRUNCATED_WRONG_VALUE_FOR_FIELD), DB_ERROR);
    assert_int_equal(db_error_class(ER_ACCESS_DENIED_ERROR), DB_ERROR);
    assert_int_equal(db_error_class(0), DB_ERROR);
}

static void redacted(unsigned int e, const char *msg, const char *want)
{
    char m[256];
    snprintf(m, sizeof m, "%s", msg);
    db_redact_value(e, m);
    assert_string_equal(m, want);
}

static void test_redact_value(void **state)
{
    (void)state;
    redacted(ER_DUP_ENTRY, "Duplicate entry 'ann@example.com' for key 'users_email'",
             "Duplicate entry '?' for key 'users_email'");
    /* the value itself may contain quotes and "' for ": the last one ends it */
    redacted(ER_DUP_ENTRY, "Duplicate entry 'it's' for me' for key 'k'", "Duplicate entry '?' for key 'k'");
    redacted(ER_DUP_ENTRY_WITH_KEY_NAME, "Duplicate entry 'secret-1' for key 'uq'", "Duplicate entry '?' for key 'uq'");
    redacted(ER_TRUNCATED_WRONG_VALUE_FOR_FIELD,
             "Incorrect integer value: 'abc' for column `victorysync`.`calls`.`duration` at row 1",
             "Incorrect integer value: '?' for column `victorysync`.`calls`.`duration` at row 1");
    /* no "' for ": up to the last quote */
    redacted(ER_TRUNCATED_WRONG_VALUE, "Truncated incorrect DOUBLE value: '12x'", "Truncated incorrect DOUBLE value: '?'");
    redacted(ER_WRONG_VALUE_FOR_TYPE, "Incorrect datetime value: '2024-13-01' for function str_to_date",
             "Incorrect datetime value: '?' for function str_to_date");
    redacted(ER_WRONG_VALUE, "Incorrect DATETIME value: 'x'", "Incorrect DATETIME value: '?'");
    /* nothing quoted, or only one quote: unchanged */
    redacted(ER_DUP_ENTRY, "Duplicate entry for key", "Duplicate entry for key");
    redacted(ER_DUP_ENTRY, "Duplicate entry 'cut", "Duplicate entry 'cut");
    /* other errors quote SQL or names, not data: unchanged */
    redacted(ER_PARSE_ERROR, "You have an error in your SQL syntax near 'FROM x' at line 1",
             "You have an error in your SQL syntax near 'FROM x' at line 1");
    redacted(ER_NO_SUCH_TABLE, "Table 'victorysync.nope' doesn't exist", "Table 'victorysync.nope' doesn't exist");
}

static json_t *cell(enum enum_field_types type, unsigned long length, const char *v)
{
    MYSQL_FIELD f;
    memset(&f, 0, sizeof f);
    f.type = type;
    f.length = length;
    f.name = "c";
    return db_cell_to_json(&f, v, (unsigned long)strlen(v));
}

static void expect_int(json_t *j, long long want)
{
    assert_true(json_is_integer(j));
    assert_true(json_integer_value(j) == want);
    json_decref(j);
}

static void expect_str(json_t *j, const char *want)
{
    assert_true(json_is_string(j));
    assert_string_equal(json_string_value(j), want);
    json_decref(j);
}

static void expect_real(json_t *j, double want)
{
    assert_true(json_is_real(j));
    assert_true(json_real_value(j) == want);
    json_decref(j);
}

static void test_cell_to_json(void **state)
{
    (void)state;
    json_t *j;
    /* TINYINT(1) is a boolean, wider TINYINTs are numbers */
    j = cell(MYSQL_TYPE_TINY, 1, "1");
    assert_true(json_is_true(j));
    json_decref(j);
    j = cell(MYSQL_TYPE_TINY, 1, "0");
    assert_true(json_is_false(j));
    json_decref(j);
    j = cell(MYSQL_TYPE_TINY, 1, "");
    assert_true(json_is_false(j));
    json_decref(j);
    expect_int(cell(MYSQL_TYPE_TINY, 4, "7"), 7);
    expect_int(cell(MYSQL_TYPE_TINY, 4, "-128"), -128);
    /* integers */
    expect_int(cell(MYSQL_TYPE_SHORT, 6, "-300"), -300);
    expect_int(cell(MYSQL_TYPE_LONG, 11, "2147483647"), 2147483647LL);
    expect_int(cell(MYSQL_TYPE_INT24, 9, "8388607"), 8388607);
    expect_int(cell(MYSQL_TYPE_LONGLONG, 21, "9223372036854775807"), 9223372036854775807LL);
    expect_int(cell(MYSQL_TYPE_LONGLONG, 21, "-9223372036854775807"), -9223372036854775807LL);
    expect_int(cell(MYSQL_TYPE_YEAR, 4, "2024"), 2024);
    /* DECIMAL / FLOAT / DOUBLE are reals */
    expect_real(cell(MYSQL_TYPE_NEWDECIMAL, 10, "12.50"), 12.5);
    expect_real(cell(MYSQL_TYPE_DECIMAL, 10, "-0.25"), -0.25);
    expect_real(cell(MYSQL_TYPE_DOUBLE, 22, "1e3"), 1000.0);
    expect_real(cell(MYSQL_TYPE_FLOAT, 12, "0.5"), 0.5);
    /* a number too long for the conversion buffer stays text */
    char digits[80];
    memset(digits, '9', sizeof digits - 1);
    digits[sizeof digits - 1] = 0;
    expect_str(cell(MYSQL_TYPE_LONGLONG, 21, digits), digits);
    expect_str(cell(MYSQL_TYPE_NEWDECIMAL, 65, digits), digits);
    /* DATETIME / TIMESTAMP → ISO 8601 UTC, fraction dropped */
    expect_str(cell(MYSQL_TYPE_DATETIME, 23, "2024-01-20 14:30:00.123"), "2024-01-20T14:30:00Z");
    expect_str(cell(MYSQL_TYPE_DATETIME, 19, "2024-01-20 14:30:00"), "2024-01-20T14:30:00Z");
    expect_str(cell(MYSQL_TYPE_TIMESTAMP, 19, "1999-12-31 23:59:59"), "1999-12-31T23:59:59Z");
    expect_str(cell(MYSQL_TYPE_DATETIME2, 23, "2024-02-29 00:00:00.000"), "2024-02-29T00:00:00Z");
    expect_str(cell(MYSQL_TYPE_TIMESTAMP2, 23, "2024-02-29 00:00:01.999"), "2024-02-29T00:00:01Z");
    expect_str(cell(MYSQL_TYPE_DATETIME, 19, "2024-01-20"), "2024-01-20"); /* too short: as is */
    /* DATE, TIME, strings and everything else: text */
    expect_str(cell(MYSQL_TYPE_DATE, 10, "2024-01-20"), "2024-01-20");
    expect_str(cell(MYSQL_TYPE_TIME, 10, "14:30:00"), "14:30:00");
    expect_str(cell(MYSQL_TYPE_VAR_STRING, 200, "J\xc3\xb6rg"), "J\xc3\xb6rg");
    expect_str(cell(MYSQL_TYPE_STRING, 36, "123e4567-e89b-12d3-a456-426614174000"),
               "123e4567-e89b-12d3-a456-426614174000");
    expect_str(cell(MYSQL_TYPE_BLOB, 65535, "{\"a\":1}"), "{\"a\":1}");

    /* the length given counts, not a terminating NUL */
    MYSQL_FIELD f;
    memset(&f, 0, sizeof f);
    f.type = MYSQL_TYPE_VAR_STRING;
    f.length = 10;
    expect_str(db_cell_to_json(&f, "abcdef", 3), "abc");
    f.type = MYSQL_TYPE_LONG;
    expect_int(db_cell_to_json(&f, "12345", 2), 12);
}

static void test_is_read_only(void **state)
{
    (void)state;
    assert_true(db_is_read_only("SELECT 1"));
    assert_true(db_is_read_only("select id FROM calls"));
    assert_true(db_is_read_only("  \n  SELECT 1"));
    assert_true(db_is_read_only("(SELECT 1) UNION (SELECT 2)"));
    assert_false(db_is_read_only("INSERT INTO t VALUES (1)"));
    assert_false(db_is_read_only("UPDATE t SET a = 1"));
    assert_false(db_is_read_only("DELETE FROM t"));
    assert_false(db_is_read_only("WITH x AS (SELECT 1) DELETE FROM t"));
    assert_false(db_is_read_only("CALL p()"));
    assert_false(db_is_read_only(""));
}

/* ---- no server ---- */

static int count_call(db_conn *c, void *arg)
{
    (void)c;
    (*(int *)arg)++;
    return DB_OK;
}

static atomic_long st_open, st_busy, st_reconnects, st_failures;

static void test_unreachable_server(void **state)
{
    (void)state;
    static vs_config cfg; /* zeroed */
    snprintf(cfg.db_socket, sizeof cfg.db_socket, "/nonexistent-vs-test-dir/mysqld.sock");
    snprintf(cfg.db_user, sizeof cfg.db_user, "nobody");
    snprintf(cfg.db_name, sizeof cfg.db_name, "victorysync");
    db_stats_bind(&st_open, &st_busy, &st_reconnects, &st_failures);

    db_conn *c = db_open(&cfg);
    assert_non_null(c);
    json_t *rows = json_array(); /* must be replaced by NULL */
    json_t *keep = rows;
    db_param p[] = {DBP_INT(1)};

    /* a read is tried twice (once more on a fresh connection) */
    assert_int_equal(db_query(c, "SELECT ? AS one", p, 1, &rows), DB_UNAVAILABLE);
    assert_null(rows);
    json_decref(keep);
    assert_int_equal(atomic_load(&st_failures), 2);
    assert_true(strncmp(db_last_error(c), "2002: ", 6) == 0);
    /* a write is never repeated */
    unsigned long long affected = 99;
    assert_int_equal(db_exec(c, "INSERT INTO t VALUES (?)", p, 1, &affected), DB_UNAVAILABLE);
    assert_int_equal(atomic_load(&st_failures), 3);
    json_t *row = json_object(), *keep_row = row;
    assert_int_equal(db_query_row(c, "SELECT 1", NULL, 0, &row), DB_UNAVAILABLE);
    assert_null(row);
    json_decref(keep_row);
    assert_int_equal(atomic_load(&st_failures), 5);
    long long n = 42;
    assert_int_equal(db_query_int(c, "SELECT COUNT(*) FROM t", NULL, 0, &n), DB_UNAVAILABLE);
    assert_int_equal(n, 0);
    assert_false(db_ping(c));

    /* a transaction does not start, fn never runs */
    long before = atomic_load(&st_failures);
    assert_int_equal(db_begin(c), DB_UNAVAILABLE);
    assert_int_equal(atomic_load(&st_failures), before + 2); /* nothing done yet: one reconnect */
    int calls = 0;
    assert_int_equal(db_transaction(c, count_call, &calls), DB_UNAVAILABLE);
    assert_int_equal(calls, 0);
    char err[200];
    assert_int_equal(db_exec_script(c, "SELECT 1;", err, sizeof err), DB_UNAVAILABLE);
    assert_true(strncmp(err, "cannot connect: 2002: ", 22) == 0);

    /* nothing was ever open or busy, nothing reconnected */
    assert_int_equal(atomic_load(&st_open), 0);
    assert_int_equal(atomic_load(&st_busy), 0);
    assert_int_equal(atomic_load(&st_reconnects), 0);
    db_close(c);

    /* no connection object at all */
    assert_int_equal(db_query(NULL, "SELECT 1", NULL, 0, &rows), DB_UNAVAILABLE);
    assert_false(db_ping(NULL));
    assert_string_equal(db_last_error(NULL), "no connection");
    db_stats_bind(NULL, NULL, NULL, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_class),
        cmocka_unit_test(test_redact_value),
        cmocka_unit_test(test_cell_to_json),
        cmocka_unit_test(test_is_read_only),
        cmocka_unit_test(test_unreachable_server),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
