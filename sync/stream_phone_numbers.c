/* stream_phone_numbers.c — GET /phonenumbers (one request: the list is small
 * and has no change feed): upsert every live and deleted number, retire the
 * ones MightyCall no longer lists. Cursor: time of the last full listing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mightycall/mc_parse.h"
#include "sync.h"

typedef struct {
    json_t *live, *deleted;
} page_arg;

static int write_page(sync_ctx *ctx, void *a, mc_counts *n)
{
    page_arg *pa = a;
    json_t *seen = json_array();
    int rc = DB_OK;
    for (int pass = 0; pass < 2 && rc == DB_OK; pass++) {
        json_t *list = pass == 0 ? pa->live : pa->deleted;
        size_t i;
        json_t *o;
        json_array_foreach(list, i, o)
        {
            mc_phone p;
            if (mc_parse_phone(o, pass == 1, &p) != 0)
                continue;
            rc = mc_store_phone(ctx->db, ctx->org_id, ctx->integration_id, &p, n);
            if (rc != DB_OK)
                break;
            json_array_append_new(seen, json_string(p.external_id));
        }
    }
    return sync_retire_unseen(ctx, rc, seen, mc_store_phones_retire, n);
}

sync_result stream_phone_numbers(sync_ctx *ctx)
{
    if (sync_cursor_load(ctx, "phone_numbers") != DB_OK)
        return sync_from_db(ctx, DB_UNAVAILABLE, "reading the cursor");
    json_t *root = NULL;
    mc_error err;
    if (mc_get(ctx->mc, "/phonenumbers", &root, &err) != MC_OK)
        return sync_from_mc(ctx, &err, "listing phone numbers");
    page_arg pa = {.live = mc_list(root, "phoneNumbers"), .deleted = mc_list(root, "deletedPhoneNumbers")};
    if (!pa.live) {
        json_decref(root);
        snprintf(ctx->error, sizeof ctx->error, "MightyCall's phone number list has an unexpected shape");
        return SYNC_FAILED;
    }
    sync_cursor_now(ctx);
    sync_result r = sync_commit_page(ctx, write_page, &pa, (long)(json_array_size(pa.live) + json_array_size(pa.deleted)));
    json_decref(root);
    if (r == SYNC_OK)
        sync_progress(ctx, "done");
    return r;
}
