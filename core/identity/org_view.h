/* org_view.h — what a request needs to know about the org it names (exists,
 * time zone, data version, the org-local minute), read as extra columns of
 * the caller's one identity statement (api_keys.c, users.c, members.c) so
 * authentication, membership and the org cost one round trip together. */
#ifndef VS_ORG_VIEW_H
#define VS_ORG_VIEW_H

#include <jansson.h>
#include <stdbool.h>

#include "platform/text.h"

typedef struct {
    bool loaded; /* the lookup ran for id */
    bool exists;
    char id[UUID_STR_LEN + 1];
    char timezone[64];
    unsigned long long data_version; /* org_data_versions (sql/032), 0 without a row */
    char local_minute[17];           /* "YYYY-MM-DD HH:MM" now in the org's zone */
} org_view;

/* Columns of an org aliased o, with org_data_versions aliased v joined by
 * ORG_VIEW_JOIN_VERSION; org_view_from_row() reads them back. */
#define ORG_VIEW_MINUTE_SQL \
    "DATE_FORMAT(COALESCE(CONVERT_TZ(UTC_TIMESTAMP(), '+00:00', o.timezone), UTC_TIMESTAMP()), '%Y-%m-%d %H:%i')"
#define ORG_VIEW_COLUMNS                                                                                     \
    " o.id AS o_id, o.timezone AS o_tz, CAST(COALESCE(v.version, 0) AS SIGNED) AS o_version, "                \
    ORG_VIEW_MINUTE_SQL " AS o_minute"
#define ORG_VIEW_JOIN_VERSION " LEFT JOIN org_data_versions v ON v.org_id = o.id"

/* Fill out from a row with ORG_VIEW_COLUMNS (row NULL: the org does not exist). */
void org_view_from_row(const json_t *row, const char *org_id, org_view *out);

#endif
