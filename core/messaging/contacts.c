/* contacts.c — owns the contacts list/get and the upstream-first writes
 * (SQL in core/data/data_sql.c, MightyCall calls in core/mightycall/mc_contacts.c). */
#include "messaging/contacts.h"
#include "data/data_version.h"
#include "messaging/contacts_internal.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/activity.h"
#include "data/data_sql.h"
#include "data/search.h"
#include "mightycall/integration.h"
#include "platform/log.h"
#include "mightycall/mc_parse.h"
#include "mightycall/mc_store.h"
#include "platform/ids.h"

/* ------------------------------------------------------------------ reads */

int contacts_list(db_conn *db, const char *org_id, const char *search, const list_cursor *cur, const page_req *page,
                  char **body, size_t *body_len)
{
    char name[900] = "", ph1[64] = "", ph2[64] = "", email[900] = "";
    const char *n = NULL, *p1 = NULL, *p2 = NULL, *e = NULL;
    char digits[SEARCH_DIGITS_MAX + 1];
    switch (search_classify(search, digits)) {
    case SEARCH_EMAIL:
        search_like_prefix("", search, email, sizeof email);
        e = email;
        break;
    case SEARCH_NUMBER:
        search_like_prefix("+", digits, ph1, sizeof ph1);
        search_number_prefix(search, digits, ph2, sizeof ph2);
        p1 = ph1;
        p2 = ph2;
        break;
    case SEARCH_NAME:
        search_like_prefix("", search, name, sizeof name);
        n = name;
        break;
    case SEARCH_NONE:
        break;
    }
    const char *ck = cur->present ? cur->key : NULL, *cid = cur->present ? cur->id : NULL;
    if (n) { /* a word: display, first or last name, company or e-mail prefix (DSQL_CONTACTS_WORDS) */
        db_param w[2 * 2 * DSQL_CONTACT_WORD_BRANCHES + 6];
        int np = 0;
        for (int i = 0; i < 2 * DSQL_CONTACT_WORD_BRANCHES; i++) { /* the total's branches, then the list's */
            w[np++] = DBP_STR(org_id);
            w[np++] = DBP_STR(n);
        }
        w[np++] = DBP_STR(ck);
        w[np++] = DBP_STR(ck);
        w[np++] = DBP_STR(ck);
        w[np++] = DBP_STR(cid);
        w[np++] = DBP_INT(page->limit + 1);
        w[np++] = DBP_INT(page->skip);
        return cursor_page_text(db, DSQL_CONTACTS_WORDS[0], DSQL_CONTACTS_WORDS[1], w, np,
                                2 * DSQL_CONTACT_WORD_BRANCHES, page, "contacts", body, body_len);
    }
    int v = p1 ? 1 : e ? 2 : 0;
    db_param p[] = {DBP_STR(org_id), DBP_STR(n),  DBP_STR(n),  DBP_STR(p1), DBP_STR(p1), DBP_STR(p2),
                    DBP_STR(e),      DBP_STR(e),  DBP_STR(org_id), DBP_STR(n),  DBP_STR(n),  DBP_STR(p1),
                    DBP_STR(p1),     DBP_STR(p2), DBP_STR(e),  DBP_STR(e),  DBP_STR(ck), DBP_STR(ck),
                    DBP_STR(ck),     DBP_STR(cid), DBP_INT(page->limit + 1), DBP_INT(page->skip)};
    return cursor_page_text(db, DSQL_CONTACTS_LIST[v], DSQL_CONTACTS_TOTAL[v], p, DB_NPARAMS(p), 8, page, "contacts",
                            body, body_len);
}

int contact_get(db_conn *db, const char *org_id, const char *id, json_t **out)
{
    db_param p[] = {DBP_STR(id), DBP_STR(org_id)};
    int rc = db_query_row(db, DSQL_CONTACT_GET, p, DB_NPARAMS(p), out);
    if (rc == DB_OK && !*out)
        return CONTACT_NOT_FOUND;
    return rc;
}

/* ------------------------------------------------------------ the contact */

void contact_draft_free(contact_draft *d)
{
    json_decref(d->tags);
    json_decref(d->channels);
}

static const char *nz(const char *s) { return s && *s ? s : NULL; }

/* Derived columns, the same way the sync derives them (mc_parse_contact). */
static void draft_derive(contact_draft *d)
{
    const char *f = d->first_name ? d->first_name : "", *l = d->last_name ? d->last_name : "";
    snprintf(d->display_name, sizeof d->display_name, "%s%s%s", f, *f && *l ? " " : "", l);
    d->phone[0] = d->email[0] = 0;
    size_t i;
    json_t *c;
    json_array_foreach(d->channels, i, c)
    {
        const char *ph = json_string_value(json_object_get(c, "phone"));
        const char *em = json_string_value(json_object_get(c, "email"));
        if (ph && !d->phone[0])
            phone_canonical(ph, d->phone, MC_PHONE_LEN);
        if (em && !d->email[0])
            snprintf(d->email, sizeof d->email, "%s", em);
    }
}

/* Replace the first channel holding `key` by value (NULL removes it). */
static void set_first_channel(json_t *channels, const char *key, const char *value)
{
    size_t i;
    json_t *c;
    json_array_foreach(channels, i, c)
    {
        if (json_object_get(c, key)) {
            if (value) {
                json_object_set_new(c, key, json_string(value));
            } else {
                json_array_remove(channels, i);
            }
            return;
        }
    }
    if (value)
        json_array_append_new(channels, json_pack("{s:s}", key, value));
}

/* current: the stored row (update) or NULL (create). */
void contact_draft_make(contact_draft *d, json_t *current, const contact_input *in)
{
    memset(d, 0, sizeof *d);
#define PICK(f) d->f = in->has_##f ? in->f : (current ? json_string_value(json_object_get(current, #f)) : NULL)
    PICK(first_name);
    PICK(last_name);
    PICK(patronymic);
    PICK(company);
    PICK(comment);
#undef PICK
    json_t *cur_tags = current ? json_object_get(current, "tags") : NULL;
    json_t *cur_ch = current ? json_object_get(current, "channels") : NULL;
    d->tags = json_deep_copy(in->has_tags ? in->tags : json_is_array(cur_tags) ? cur_tags : NULL);
    if (!d->tags)
        d->tags = json_array();
    d->channels = json_deep_copy(in->has_channels ? in->channels : json_is_array(cur_ch) ? cur_ch : NULL);
    if (!d->channels)
        d->channels = json_array();
    if (!in->has_channels) {
        if (in->has_phone)
            set_first_channel(d->channels, "phone", in->phone);
        if (in->has_email)
            set_first_channel(d->channels, "email", in->email);
    }
    draft_derive(d);
}

bool contact_draft_empty(const contact_draft *d)
{
    return !nz(d->first_name) && !nz(d->last_name) && json_array_size(d->channels) == 0;
}

/* MightyCall ContactModel (create: without channel ids). */
json_t *contact_draft_model(const contact_draft *d, bool creating)
{
    json_t *chans = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(d->channels, i, c)
    {
        json_t *o = json_object();
        const char *id = json_string_value(json_object_get(c, "channelId"));
        if (id && !creating)
            json_object_set_new(o, "channelId", json_string(id));
        json_t *labels = json_object_get(c, "labels");
        if (json_is_array(labels))
            json_object_set(o, "labels", labels);
        json_t *ph = json_object_get(c, "phone"), *em = json_object_get(c, "email");
        if (ph)
            json_object_set(o, "phone", ph);
        else if (em)
            json_object_set(o, "email", em);
        json_array_append_new(chans, o);
    }
    json_t *m = json_object();
    json_object_set_new(m, "firstName", d->first_name ? json_string(d->first_name) : json_null());
    json_object_set_new(m, "lastName", d->last_name ? json_string(d->last_name) : json_null());
    json_object_set_new(m, "patronymic", d->patronymic ? json_string(d->patronymic) : json_null());
    json_object_set_new(m, "comment", d->comment ? json_string(d->comment) : json_null());
    json_object_set(m, "tags", d->tags);
    json_object_set_new(m, "channels", chans);
    return m;
}

static void local_etag(char out[17])
{
    unsigned char r[8];
    randombytes_buf(r, sizeof r);
    sodium_bin2hex(out, 17, r, sizeof r);
}

/* ------------------------------------------------------------ integration */

typedef struct {
    bool active;
    mc_integration it;
    mc_client *client;
} upstream;

/* Does the org push contacts upstream? 0 ok (u->active tells), CONTACT_INTEGRATION or a DB_ code. */
static int upstream_open(db_conn *db, const vs_config *cfg, const char *org_id, upstream *u)
{
    memset(u, 0, sizeof *u);
    int rc = integration_for_org(db, cfg, org_id, &u->it);
    if (rc == INTEGRATION_NOT_FOUND)
        return DB_OK;
    if (rc == INTEGRATION_DECRYPT_FAILED) {
        integration_wipe(&u->it);
        return CONTACT_INTEGRATION;
    }
    if (rc != INTEGRATION_OK)
        return rc;
    if (strcmp(u->it.status, "disabled") == 0) {
        integration_wipe(&u->it);
        return DB_OK;
    }
    u->client = integration_client(cfg, db, &u->it);
    if (!u->client) {
        integration_wipe(&u->it);
        return CONTACT_INTEGRATION;
    }
    /* interactive: one attempt (a retried PUT could meet its own new etag);
     * the client answers 503 and may retry */
    mc_backoff_policy pol = {.base_ms = 200, .cap_ms = 1000, .max_wait_ms = 2000};
    mc_client_set_retry(u->client, 1, &pol);
    u->active = true;
    return DB_OK;
}

static void upstream_close(upstream *u)
{
    if (u->client)
        mc_client_free(u->client);
    integration_wipe(&u->it);
}

static int upstream_failure(mcc_result r, const mc_error *err, contact_outcome *oc)
{
    oc->upstream = r;
    oc->err = *err;
    return CONTACT_UPSTREAM;
}

/* ------------------------------------------------------------ local writes */

typedef struct {
    const char *org_id, *actor, *type;
    char description[600];
    /* one of: */
    const mc_contact *synced;      /* upsert of MightyCall's version */
    const char *integration_id;
    const contact_draft *company_of; /* with synced: the API write whose company is stored beside it */
    const contact_draft *local;            /* local-only insert/update */
    const char *id;                /* local row id (insert: new id) */
    const char *expect_etag;       /* local update: optimistic check */
    char new_etag[17];
    bool inserting;
    bool deleting;
    bool check_etag;
    bool lost;                     /* the row changed meanwhile (local update/delete matched nothing) */
} local_write;

static int local_tx(db_conn *db, void *arg)
{
    local_write *w = arg;
    int rc = DB_OK;
    unsigned long long n = 0;
    w->lost = false;
    if (w->deleting) {
        db_param p[] = {DBP_STR(w->id), DBP_STR(w->org_id), DBP_INT(w->check_etag), DBP_STR(w->expect_etag)};
        rc = db_exec(db, DSQL_CONTACT_MARK_DELETED, p, DB_NPARAMS(p), &n);
        if (rc == DB_OK && n == 0) {
            w->lost = true;
            return DB_OK;
        }
    } else if (w->synced) {
        mc_counts counts = {0};
        rc = mc_store_contact(db, w->org_id, w->integration_id, w->synced, &counts);
        if (rc == DB_OK && w->company_of) { /* ours alone: MightyCall's answer has no company */
            db_param p[] = {DBP_STR(nz(w->company_of->company)), DBP_STR(w->org_id), DBP_STR(w->synced->id)};
            rc = db_exec(db, DSQL_CONTACT_SET_COMPANY, p, DB_NPARAMS(p), &n);
        }
    } else {
        const contact_draft *d = w->local;
        char *ch = json_dumps(d->channels, JSON_COMPACT), *tags = json_dumps(d->tags, JSON_COMPACT);
        if (w->inserting) {
            db_param p[] = {DBP_STR(w->id),          DBP_STR(w->org_id),       DBP_STR(w->new_etag),
                            DBP_STR(nz(d->first_name)), DBP_STR(nz(d->last_name)), DBP_STR(nz(d->patronymic)),
                            DBP_STR(nz(d->company)), DBP_STR(d->display_name), DBP_STR(nz(d->phone)),
                            DBP_STR(nz(d->email)),   DBP_STR(ch),             DBP_STR(tags),
                            DBP_STR(nz(d->comment))};
            rc = db_exec(db, DSQL_CONTACT_INSERT_LOCAL, p, DB_NPARAMS(p), &n);
        } else {
            db_param p[] = {DBP_STR(w->new_etag),       DBP_STR(nz(d->first_name)), DBP_STR(nz(d->last_name)),
                            DBP_STR(nz(d->patronymic)), DBP_STR(nz(d->company)),    DBP_STR(d->display_name),
                            DBP_STR(nz(d->phone)),
                            DBP_STR(nz(d->email)),      DBP_STR(ch),                DBP_STR(tags),
                            DBP_STR(nz(d->comment)),    DBP_STR(w->id),             DBP_STR(w->org_id),
                            DBP_STR(w->expect_etag)};
            rc = db_exec(db, DSQL_CONTACT_UPDATE_LOCAL, p, DB_NPARAMS(p), &n);
            if (rc == DB_OK && n == 0)
                w->lost = true;
        }
        free(ch);
        free(tags);
        if (w->lost)
            return DB_OK;
    }
    if (rc != DB_OK || (rc = org_data_version_bump(db, w->org_id)) != DB_OK)
        return rc;
    return activity_record(db, w->org_id, w->actor, w->type, w->description);
}

static void describe(local_write *w, const char *verb, const char *name)
{
    snprintf(w->description, sizeof w->description, "Contact %s %s", *name ? name : "(no name)", verb);
}

/* The stored state of a contact that if_match still matches: DB_OK with *row
 * (the caller's), else CONTACT_NOT_FOUND, CONTACT_CONFLICT (oc->etag the
 * stored one) or the database's failure, *row NULL. */
static int load_state(db_conn *db, const char *org_id, const char *id, const char *if_match, json_t **row,
                      contact_outcome *oc)
{
    db_param p[] = {DBP_STR(id), DBP_STR(org_id)};
    *row = NULL;
    int rc = db_query_row(db, DSQL_CONTACT_STATE, p, DB_NPARAMS(p), row);
    if (rc == DB_OK && !*row)
        return CONTACT_NOT_FOUND;
    if (rc != DB_OK)
        return rc;
    const char *stored_etag = json_string_value(json_object_get(*row, "etag"));
    if (!contact_etag_matches(if_match, stored_etag)) {
        snprintf(oc->etag, sizeof oc->etag, "%s", stored_etag ? stored_etag : "");
        json_decref(*row);
        *row = NULL;
        return CONTACT_CONFLICT;
    }
    return DB_OK;
}

static int id_by_external(db_conn *db, const char *org_id, const char *ext, char id[UUID_STR_LEN + 1])
{
    json_t *row = NULL;
    db_param p[] = {DBP_STR(org_id), DBP_STR(ext)};
    int rc = db_query_row(db, DSQL_CONTACT_ID_BY_EXT, p, DB_NPARAMS(p), &row);
    if (rc == DB_OK && !row)
        rc = DB_ERROR;
    if (rc == DB_OK)
        snprintf(id, UUID_STR_LEN + 1, "%s", json_string_value(json_object_get(row, "id")));
    json_decref(row);
    return rc;
}

/* Refresh the local copy with MightyCall's current version (after a 412). */
static void refresh_from_upstream(db_conn *db, const char *org_id, const char *integration_id, const mc_contact *c)
{
    if (!c->id[0])
        return;
    mc_counts counts = {0};
    if (mc_store_contact(db, org_id, integration_id, c, &counts) != DB_OK)
        log_warn("contacts: could not refresh a contact after a 412: %s", db_last_error(db));
}

/* MightyCall holds a newer version (412): refresh ours, answer a conflict
 * naming MightyCall's etag. */
static int upstream_modified(db_conn *db, const char *org_id, const char *integration_id, const mc_contact *c,
                             contact_outcome *oc)
{
    refresh_from_upstream(db, org_id, integration_id, c);
    snprintf(oc->etag, sizeof oc->etag, "%s", c->etag);
    return CONTACT_CONFLICT;
}

/* The local write after MightyCall applied the change: its failure is
 * CONTACT_LOCAL_FAILED (oc says the database's code and that MightyCall has it). */
static int local_after_upstream(db_conn *db, local_write *w, contact_outcome *oc)
{
    int rc = db_transaction(db, local_tx, w);
    if (rc != DB_OK) {
        oc->db_rc = rc;
        oc->upstream_applied = true;
        rc = CONTACT_LOCAL_FAILED;
    }
    return rc;
}

bool contact_etag_matches(const char *given, const char *stored)
{
    if (!given || !*given || strcmp(given, "*") == 0)
        return true;
    const char *g = given;
    if (strncmp(g, "W/", 2) == 0)
        g += 2;
    size_t n = strlen(g);
    if (n >= 2 && g[0] == '"' && g[n - 1] == '"')
        g++, n -= 2;
    return stored && strlen(stored) == n && strncmp(g, stored, n) == 0;
}

/* ------------------------------------------------------------------ create */

int contact_create(db_conn *db, const vs_config *cfg, const char *org_id, const char *actor_user_id,
                   const contact_input *in, json_t **out, contact_outcome *oc)
{
    *out = NULL;
    memset(oc, 0, sizeof *oc);
    contact_draft d;
    contact_draft_make(&d, NULL, in);
    if (contact_draft_empty(&d)) {
        contact_draft_free(&d);
        return CONTACT_EMPTY;
    }
    upstream u;
    int rc = upstream_open(db, cfg, org_id, &u);
    if (rc != DB_OK) {
        contact_draft_free(&d);
        return rc;
    }
    char id[UUID_STR_LEN + 1];
    local_write w = {.org_id = org_id, .actor = actor_user_id, .type = "contact_created"};
    describe(&w, "created", d.display_name);
    json_t *root = NULL;
    mc_contact mc;
    if (u.active) {
        json_t *model = contact_draft_model(&d, true);
        mcc_result r = mc_contact_create(u.client, model, &root, &mc, &oc->err);
        json_decref(model);
        if (r != MCC_OK) {
            rc = upstream_failure(r, &oc->err, oc);
            goto done;
        }
        w.synced = &mc;
        w.integration_id = u.it.id;
        w.company_of = &d;
        rc = db_transaction(db, local_tx, &w);
        if (rc == DB_OK)
            rc = id_by_external(db, org_id, mc.id, id);
        if (rc != DB_OK) {
            /* nothing half-written: take the new contact back out of MightyCall */
            json_t *r2 = NULL;
            mc_error e2;
            if (mc_contact_delete(u.client, mc.id, mc.etag, &r2, NULL, &e2) != MCC_OK)
                log_warn("contacts: local insert failed and MightyCall contact could not be removed (MightyCall HTTP %d)",
                         e2.http_status);
            json_decref(r2);
            goto done;
        }
    } else {
        rc = id_new(db, id);
        if (rc != DB_OK)
            goto done;
        local_etag(w.new_etag);
        w.local = &d;
        w.id = id;
        w.inserting = true;
        rc = db_transaction(db, local_tx, &w);
        if (rc != DB_OK)
            goto done;
    }
    rc = contact_get(db, org_id, id, out);
done:
    json_decref(root);
    upstream_close(&u);
    contact_draft_free(&d);
    return rc;
}

/* ------------------------------------------------------------------ update */

int contact_update(db_conn *db, const vs_config *cfg, const char *org_id, const char *id, const char *actor_user_id,
                   const contact_input *in, json_t **out, contact_outcome *oc)
{
    *out = NULL;
    memset(oc, 0, sizeof *oc);
    json_t *cur = NULL;
    int rc = load_state(db, org_id, id, in->if_match, &cur, oc);
    if (rc != DB_OK)
        return rc;
    const char *stored_etag = json_string_value(json_object_get(cur, "etag"));
    const char *ext = json_string_value(json_object_get(cur, "external_id"));
    contact_draft d;
    contact_draft_make(&d, cur, in);
    if (contact_draft_empty(&d)) {
        contact_draft_free(&d);
        json_decref(cur);
        return CONTACT_EMPTY;
    }
    upstream u;
    memset(&u, 0, sizeof u);
    if (ext) {
        rc = upstream_open(db, cfg, org_id, &u);
        if (rc != DB_OK) {
            contact_draft_free(&d);
            json_decref(cur);
            return rc;
        }
    }
    local_write w = {.org_id = org_id, .actor = actor_user_id, .type = "contact_updated", .id = id};
    describe(&w, "updated", d.display_name);
    json_t *root = NULL;
    mc_contact mc;
    if (u.active) {
        json_t *model = contact_draft_model(&d, false);
        mcc_result r = mc_contact_replace(u.client, ext, stored_etag, model, &root, &mc, &oc->err);
        json_decref(model);
        if (r == MCC_MODIFIED) {
            rc = upstream_modified(db, org_id, u.it.id, &mc, oc);
            goto done;
        }
        if (r == MCC_NOT_FOUND) { /* deleted in MightyCall meanwhile */
            local_write del = {.org_id = org_id, .actor = actor_user_id, .type = "contact_deleted", .id = id,
                               .deleting = true};
            describe(&del, "deleted in MightyCall", d.display_name);
            rc = db_transaction(db, local_tx, &del);
            rc = rc == DB_OK ? CONTACT_NOT_FOUND : rc;
            goto done;
        }
        if (r != MCC_OK) {
            rc = upstream_failure(r, &oc->err, oc);
            goto done;
        }
        w.synced = &mc;
        w.integration_id = u.it.id;
        w.company_of = &d;
        rc = local_after_upstream(db, &w, oc);
        if (rc != DB_OK)
            goto done;
    } else {
        local_etag(w.new_etag);
        w.local = &d;
        w.expect_etag = stored_etag;
        rc = db_transaction(db, local_tx, &w);
        if (rc != DB_OK)
            goto done;
        if (w.lost) { /* changed by someone else between our read and write */
            rc = CONTACT_CONFLICT;
            goto done;
        }
    }
    rc = contact_get(db, org_id, id, out);
done:
    json_decref(root);
    upstream_close(&u);
    contact_draft_free(&d);
    json_decref(cur);
    return rc;
}

/* ------------------------------------------------------------------ delete */

int contact_delete(db_conn *db, const vs_config *cfg, const char *org_id, const char *id, const char *actor_user_id,
                   const char *if_match, contact_outcome *oc)
{
    memset(oc, 0, sizeof *oc);
    json_t *cur = NULL;
    int rc = load_state(db, org_id, id, if_match, &cur, oc);
    if (rc != DB_OK)
        return rc;
    const char *stored_etag = json_string_value(json_object_get(cur, "etag"));
    const char *ext = json_string_value(json_object_get(cur, "external_id"));
    const char *name = json_string_value(json_object_get(cur, "display_name"));
    upstream u;
    memset(&u, 0, sizeof u);
    if (ext) {
        rc = upstream_open(db, cfg, org_id, &u);
        if (rc != DB_OK) {
            json_decref(cur);
            return rc;
        }
    }
    local_write w = {.org_id = org_id, .actor = actor_user_id, .type = "contact_deleted", .id = id, .deleting = true};
    describe(&w, "deleted", name ? name : "");
    json_t *root = NULL;
    if (u.active) {
        mc_contact mc;
        mcc_result r = mc_contact_delete(u.client, ext, stored_etag, &root, &mc, &oc->err);
        if (r == MCC_MODIFIED) {
            rc = upstream_modified(db, org_id, u.it.id, &mc, oc);
            goto done;
        }
        if (r != MCC_OK && r != MCC_NOT_FOUND) { /* already gone upstream: delete here too */
            rc = upstream_failure(r, &oc->err, oc);
            goto done;
        }
        rc = local_after_upstream(db, &w, oc);
        if (rc != DB_OK)
            goto done;
    } else {
        w.check_etag = true;
        w.expect_etag = stored_etag;
        rc = db_transaction(db, local_tx, &w);
        if (rc == DB_OK && w.lost)
            rc = CONTACT_CONFLICT;
    }
done:
    json_decref(root);
    upstream_close(&u);
    json_decref(cur);
    return rc;
}
