/* migrate.h — forward-only schema migrations from sql/NNN_name.sql files,
 * recorded in schema_migrations (version, name, checksum, applied_at). */
#ifndef VS_MIGRATE_H
#define VS_MIGRATE_H

#include <stdio.h>

#include "db.h"

/* Apply every pending migration in dir, in version order. Returns 0 when all
 * are applied (including "nothing to do"), -1 on the first failure with the
 * file name and server error written to err. Progress lines go to progress. */
int migrate_run(db_conn *c, const char *dir, FILE *progress, char *err, size_t errsz);

#endif
