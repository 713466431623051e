/* ids.h — ids of new rows when the caller needs them before the INSERT.
 * Every id is made by MariaDB's UUID() (tables default their id column to
 * UUID()); this asks the server for one. Prefer it to INSERT ... RETURNING:
 * a failed execute of a cached statement that returns rows leaves the
 * connection waiting on its next execute (see db.c). */
#ifndef VS_IDS_H
#define VS_IDS_H

#include "platform/db.h"
#include "platform/text.h"

/* A fresh UUID from the database into out (36 chars + NUL). */
int id_new(db_conn *c, char out[UUID_STR_LEN + 1]);

#endif
