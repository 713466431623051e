/* stream_extensions.c — GET /team (users; no envelope) upserted as extensions,
 * users gone from the team become inactive. /team has no extension numbers:
 * for users still without one, one journal page (the agents of recent calls)
 * fills them in; the calls stream keeps them current afterwards. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mightycall/mc_parse.h"
#include "sync.h"

static int write_team(sync_ctx *ctx, void *a, mc_counts *n)
{
    json_t *users = a;
    json_t *seen = json_array();
    int rc = DB_OK;
    size_t i;
    json_t *o;
    json_array_foreach(users, i, o)
    {
        mc_user u;
        if (mc_parse_team_user(o, &u) != 0)
            continue;
        rc = mc_store_user(ctx->db, ctx->org_id, ctx->integration_id, &u, n);
        if (rc != DB_OK)
            break;
        json_array_append_new(seen, json_string(u.id));
    }
    return sync_retire_unseen(ctx, rc, seen, mc_store_users_retire, n);
}

static int write_agents(sync_ctx *ctx, void *a, mc_counts *n)
{
    json_t *requests = a;
    size_t i;
    json_t *o;
    json_array_foreach(requests, i, o)
    {
        mc_journal j;
        if (mc_parse_journal(o, &j) != 0 || !j.agent_id[0] || !j.agent_ext[0])
            continue;
        int changed = 0;
        int rc = mc_store_agent_extension(ctx->db, ctx->org_id, j.agent_id, j.agent_ext, j.agent_email, &changed);
        if (rc != DB_OK)
            return rc;
        (void)changed; /* filling in a number learnt elsewhere is not counted as an update */
    }
    (void)n;
    return DB_OK;
}

sync_result stream_extensions(sync_ctx *ctx)
{
    if (sync_cursor_load(ctx, "extensions") != DB_OK)
        return sync_from_db(ctx, DB_UNAVAILABLE, "reading the cursor");
    json_t *root, *users;
    sync_result r = sync_get_list(ctx, "/team", "users", "listing the team", &root, &users);
    if (r != SYNC_OK)
        return r;
    sync_cursor_now(ctx);
    r = sync_commit_page(ctx, write_team, users, (long)json_array_size(users));
    json_decref(root);
    if (r != SYNC_OK)
        return r;

    long long missing = 0;
    db_param p[] = {DBP_STR(ctx->org_id)};
    db_query_int(ctx->db, "SELECT COUNT(*) FROM extensions WHERE org_id = ? AND status = 'active' AND extension IS NULL",
                 p, 1, &missing);
    if (missing > 0) {
        char path[256] = "/journal/requests";
        mc_qs_add(path, sizeof path, "type", "Call");
        mc_qs_add(path, sizeof path, "pageSize", "1000");
        mc_qs_add(path, sizeof path, "page", "1");
        root = NULL;
        mc_error err;
        if (mc_get(ctx->mc, path, &root, &err) != MC_OK)
            return sync_from_mc(ctx, &err, "reading agents' extensions from the journal");
        json_t *reqs = mc_list(root, "requests");
        r = sync_commit_page(ctx, write_agents, reqs, 0);
        json_decref(root);
    }
    if (r == SYNC_OK)
        sync_progress(ctx, "done");
    return r;
}
