/* ids.c — owns fetching new row ids from the database (see ids.h). */
#include "platform/ids.h"

#include <stdio.h>

int id_new(db_conn *c, char out[UUID_STR_LEN + 1])
{
    json_t *row = NULL;
    out[0] = 0;
    int rc = db_query_row(c, "SELECT UUID() AS id", NULL, 0, &row);
    const char *id = json_string_value(json_object_get(row, "id"));
    if (rc == DB_OK && id)
        snprintf(out, UUID_STR_LEN + 1, "%s", id);
    else if (rc == DB_OK)
        rc = DB_ERROR;
    json_decref(row);
    return rc;
}
