/* contacts.h — the contacts of an org, kept in step with MightyCall /contacts.
 *
 * Writes go upstream first through the org's integration (core/mightycall/mc_contacts.h)
 * and only then into MariaDB, in one transaction with the activity event:
 * when MightyCall refuses or cannot be reached nothing is written here. A
 * stale etag (ours, or MightyCall's 412 ContactWasModified) is a conflict;
 * after a 412 the local copy is refreshed with MightyCall's current version so
 * that the client can read it and retry.
 *
 * Orgs without an active integration (none, or status "disabled") keep their
 * contacts locally only: external_id stays NULL ("synced": false), the etag
 * is ours, and such contacts are never pushed later.
 *
 * company is local to VictorySync for every contact: MightyCall's contact
 * model has no such field, so it is never sent upstream, and the contacts
 * sync never writes it (sql/105). A write stores it next to MightyCall's
 * answer in the same local transaction. */
#ifndef VS_CONTACTS_H
#define VS_CONTACTS_H

#include <jansson.h>
#include <stdbool.h>

#include "platform/config.h"
#include "data/cursor.h"
#include "platform/db.h"
#include "platform/page.h"
#include "platform/text.h"
#include "mightycall/mc_client.h"
#include "mightycall/mc_contacts.h"

#define CONTACT_NAME_MAX 200
#define CONTACT_COMMENT_MAX 2000
#define CONTACT_TAGS_MAX 20
#define CONTACT_CHANNELS_MAX 10

/* Fields of a create or update; has_* false = not given (an update keeps
 * the current value); given as NULL = cleared. */
typedef struct {
    bool has_first_name, has_last_name, has_patronymic, has_company, has_comment, has_tags, has_channels, has_phone,
        has_email;
    const char *first_name, *last_name, *patronymic, *comment;
    const char *company; /* local only, never sent to MightyCall */
    const char *phone; /* E.164: replaces the first phone channel */
    const char *email; /* replaces the first email channel */
    json_t *tags;      /* array of strings (borrowed) */
    json_t *channels;  /* array of {phone|email, labels?} (borrowed), replaces all channels */
    const char *if_match; /* the etag the client last read (optional) */
} contact_input;

/* vs_result members (platform/result.h) under this module's names */
#define CONTACT_NOT_FOUND VS_ERR_NOT_FOUND
#define CONTACT_CONFLICT VS_ERR_CONFLICT       /* etag mismatch (ours or MightyCall's): outcome.etag is the current one */
#define CONTACT_UPSTREAM VS_ERR_UPSTREAM       /* MightyCall refused or failed: outcome.upstream / outcome.err */
#define CONTACT_INTEGRATION VS_ERR_SECRET      /* the integration's credentials cannot be read */
#define CONTACT_EMPTY VS_ERR_INVALID           /* the result would have no name, phone or email */
#define CONTACT_LOCAL_FAILED VS_ERR_PARTIAL    /* MightyCall has the change but MariaDB failed: outcome.db_rc */

typedef struct {
    mcc_result upstream;
    mc_error err;
    char etag[65];
    int db_rc;
    bool upstream_applied; /* CONTACT_LOCAL_FAILED: MightyCall kept the change */
} contact_outcome;

/* search: a number (digits): prefix of the phone number; contains '@': prefix
 * of the email; else a word: prefix of the display, first or last name, of
 * the company or of the email; NULL = all. Ordered by display name. *body = the
 * page as JSON text (cursor_page_text), one statement unless empty. */
int contacts_list(db_conn *db, const char *org_id, const char *search, const list_cursor *cur, const page_req *page,
                  char **body, size_t *body_len);
int contact_get(db_conn *db, const char *org_id, const char *id, json_t **out);

int contact_create(db_conn *db, const vs_config *cfg, const char *org_id, const char *actor_user_id,
                   const contact_input *in, json_t **out, contact_outcome *oc);
int contact_update(db_conn *db, const vs_config *cfg, const char *org_id, const char *id, const char *actor_user_id,
                   const contact_input *in, json_t **out, contact_outcome *oc);
int contact_delete(db_conn *db, const vs_config *cfg, const char *org_id, const char *id, const char *actor_user_id,
                   const char *if_match, contact_outcome *oc);

#endif
