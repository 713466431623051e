/* migrate.h — forward-only schema migrations from sql/NNN_name.sql files,
 * recorded in schema_migrations (version, name, checksum, applied_at). */
#ifndef VS_MIGRATE_H
#define VS_MIGRATE_H

#include <stdio.h>

#include "platform/db.h"

#define MIGRATE_LOCK_NAME "victorysync.migrate"
#define MIGRATE_LOCK_TIMEOUT_DEFAULT 3600 /* seconds */

/* Apply every pending migration in dir, in version order. Returns 0 when all
 * are applied (including "nothing to do"), -1 on the first failure with the
 * file name and server error written to err. Progress lines go to progress.
 *
 * The whole run holds the MariaDB named lock MIGRATE_LOCK_NAME (GET_LOCK), so
 * two hosts never migrate at once: the second waits up to lock_timeout_s
 * seconds, then finds nothing left to do. The lock belongs to the connection;
 * a crashed run releases it. */
int migrate_run(db_conn *c, const char *dir, int lock_timeout_s, FILE *progress, char *err, size_t errsz);

/* Highest applied migration (0 when none): reading it proves more than a
 * ping — the server answers and the schema is there (GET /health). */
int migrate_schema_version(db_conn *c, long long *version);

#endif
