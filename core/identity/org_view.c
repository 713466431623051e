/* org_view.c — reads the ORG_VIEW_COLUMNS of an identity row (see org_view.h). */
#include "identity/org_view.h"

#include <stdio.h>
#include <string.h>

static const char *str_or_empty(const json_t *row, const char *k)
{
    const char *s = json_string_value(json_object_get(row, k));
    return s ? s : "";
}

void org_view_from_row(const json_t *row, const char *org_id, org_view *out)
{
    memset(out, 0, sizeof *out);
    out->loaded = true;
    snprintf(out->id, sizeof out->id, "%s", org_id ? org_id : "");
    if (!row || !json_is_string(json_object_get(row, "o_id")))
        return;
    out->exists = true;
    snprintf(out->timezone, sizeof out->timezone, "%s", str_or_empty(row, "o_tz"));
    json_int_t v = json_integer_value(json_object_get(row, "o_version"));
    out->data_version = v > 0 ? (unsigned long long)v : 0;
    snprintf(out->local_minute, sizeof out->local_minute, "%s", str_or_empty(row, "o_minute"));
}
