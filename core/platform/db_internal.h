/* db_internal.h — the pure pieces of db.c (error classification, redaction of
 * logged server messages, result value conversion), visible for
 * tests/unit/test_db.c. Not for other modules: they use db.h. */
#ifndef VS_DB_INTERNAL_H
#define VS_DB_INTERNAL_H

#include <jansson.h>
#include <mysql.h>
#include <stdbool.h>

/* DB_* code of a MariaDB client or server error number. */
int db_error_class(unsigned int mysql_errno);
/* In the server message m of error e, replace the quoted value by '?' (only
 * for errors whose messages quote a value). */
void db_redact_value(unsigned int e, char *m);
/* One result cell (text form, as fetched) as JSON, by the column's type. */
json_t *db_cell_to_json(const MYSQL_FIELD *f, const char *v, unsigned long len);
/* Does sql only read (may it be repeated on a new connection)? */
bool db_is_read_only(const char *sql);

#endif
