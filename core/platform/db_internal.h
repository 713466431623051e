/* db_internal.h — the pure pieces of db.c (error classification, redaction of
 * logged server messages, result value conversion), visible for
 * tests/unit/test_db.c. Not for other modules: they use db.h. */
#ifndef VS_DB_INTERNAL_H
#define VS_DB_INTERNAL_H

#include <jansson.h>
#include <mysql.h>
#include <stdbool.h>

#include "platform/db.h"

/* DB_* code of a MariaDB client or server error number. */
int db_error_class(unsigned int mysql_errno);
/* In the server message m of error e, replace the quoted value by '?' (only
 * for errors whose messages quote a value). */
void db_redact_value(unsigned int e, char *m);
/* One result cell (text form, as fetched) as JSON, by the column's type. */
json_t *db_cell_to_json(const MYSQL_FIELD *f, const char *v, unsigned long len);
/* Does sql only read (may it be repeated on a new connection)? */
bool db_is_read_only(const char *sql);

/* The fetch step of a query, after a successful execute: reads st's rows
 * into arg. *plan is the statement's cached column plan (db_json.c; NULL
 * until made, freed with the statement). Returns a DB_ code; a failed fetch
 * is retried on a fresh connection like any read, so it must leave arg as it
 * found it. */
typedef int (*db_fetch_fn)(db_conn *c, MYSQL_STMT *st, void **plan, void *arg);
int db_run_fetch(db_conn *c, const char *sql, const db_param *p, int np, db_fetch_fn fetch, void *arg);
/* Record st's error as the connection's last error; its DB_ code. */
int db_stmt_fail(db_conn *c, MYSQL_STMT *st);
/* Record a client-side failure ("too many columns"); DB_ERROR. */
int db_fail(db_conn *c, const char *what);
/* Free a column plan of db_json.c (NULL is fine). */
void db_plan_free(void *plan);

#endif
