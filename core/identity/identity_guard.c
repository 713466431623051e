/* identity_guard.c — owns the guard of a remembered identity (see the header). */
#include "identity/identity_guard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "identity/members.h"
#include "identity/org_view.h"

/* "<stamp>|<version>|<minute>"; NULL when the key is revoked or not of the org */
static const char KEY_GUARD[] =
    "(SELECT CONCAT_WS('|', 'k', k.id, o.timezone, COALESCE(v.version, 0), " ORG_VIEW_MINUTE_SQL ")"
    " FROM api_keys k JOIN orgs o ON o.id = k.org_id" ORG_VIEW_JOIN_VERSION
    " WHERE k.key_hash = ? AND k.revoked_at IS NULL AND k.org_id = ?)";

/* NULL when the user or the org is gone; "ended" once the token's session
 * (its refresh-token family, the same test as user_identity_load's) is over */
static const char USER_GUARD[] =
    "(SELECT CONCAT_WS('|', 'u', IF(u.global_role = 'platform_admin', 1, 0), COALESCE(m.role, ''),"
    " COALESCE(CAST(FLOOR(UNIX_TIMESTAMP(u.sessions_valid_after)) AS SIGNED), 0),"
    " IF(? IS NOT NULL AND NOT EXISTS (SELECT 1 FROM refresh_tokens f"
    "   WHERE f.family_id = ? AND f.user_id = u.id AND f.revoked_at IS NULL), 'ended', 'live'), o.timezone,"
    " COALESCE(v.version, 0), " ORG_VIEW_MINUTE_SQL ")"
    " FROM users u JOIN orgs o ON o.id = ?" ORG_VIEW_JOIN_VERSION
    " LEFT JOIN org_members m ON m.org_id = o.id AND m.user_id = u.id WHERE u.id = ?)";

bool identity_stamp(const principal *w, long long sessions_valid_after, char out[IDENTITY_STAMP_MAX])
{
    out[0] = 0;
    if (!w->org.loaded || !w->org.exists || !w->org.timezone[0])
        return false;
    int n;
    if (w->kind == PRINCIPAL_API_KEY) {
        n = snprintf(out, IDENTITY_STAMP_MAX, "k|%s|%s", w->key_id, w->org.timezone);
    } else if (w->kind == PRINCIPAL_USER) {
        const char *role = member_role_name(w->role_in_org);
        n = snprintf(out, IDENTITY_STAMP_MAX, "u|%d|%s|%lld|live|%s", w->platform_admin ? 1 : 0, role ? role : "",
                     sessions_valid_after, w->org.timezone);
    } else {
        return false;
    }
    return n > 0 && n < IDENTITY_STAMP_MAX;
}

void identity_guard_make(db_guard *g, const principal *w, const char *key_hash, const char *session_id)
{
    memset(g, 0, sizeof *g);
    if (w->kind == PRINCIPAL_API_KEY) {
        g->column = KEY_GUARD;
        g->params[0] = DBP_STR(key_hash);
        g->params[1] = DBP_STR(w->org.id);
        g->nparams = 2;
    } else {
        g->column = USER_GUARD;
        g->params[0] = DBP_STR(session_id);
        g->params[1] = DBP_STR(session_id);
        g->params[2] = DBP_STR(w->org.id);
        g->params[3] = DBP_STR(w->user_id);
        g->nparams = 4;
    }
}

bool identity_guard_holds(const db_guard *g, const char *stamp, unsigned long long *version, char minute[17])
{
    if (!g->consumed || g->is_null)
        return false;
    const char *v = g->value;
    size_t slen = strlen(stamp);
    if (strncmp(v, stamp, slen) != 0 || v[slen] != '|')
        return false;
    const char *ver = v + slen + 1;
    char *end = NULL;
    unsigned long long n = strtoull(ver, &end, 10);
    if (end == ver || *end != '|' || strlen(end + 1) != 16)
        return false;
    *version = n;
    memcpy(minute, end + 1, 17);
    return true;
}
