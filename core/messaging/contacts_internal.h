/* contacts_internal.h — the pure pieces of contacts.c (merging a write into
 * the stored contact, the MightyCall model of it, etag and search pattern
 * handling), visible for tests/unit/test_contacts.c. Not for other modules:
 * they use contacts.h. */
#ifndef VS_CONTACTS_INTERNAL_H
#define VS_CONTACTS_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "messaging/contacts.h"
#include "mightycall/mc_parse.h"

/* A contact being written: the merged fields and their MightyCall model. */
typedef struct {
    const char *first_name, *last_name, *patronymic, *comment;
    const char *company; /* local only: not part of the MightyCall model */
    json_t *tags;     /* owned */
    json_t *channels; /* owned: [{channelId?, labels?, phone|email}] */
    char display_name[420];
    char phone[MC_PHONE_LEN];
    char email[255];
} contact_draft;


/* Merge in (given fields replace, has_* false keep) into current (the stored
 * row, or NULL when creating); derives display name, first phone and email.
 * The draft borrows strings of in and current; free with contact_draft_free. */
void contact_draft_make(contact_draft *d, json_t *current, const contact_input *in);
void contact_draft_free(contact_draft *d);
/* No name and no channel: nothing to store. */
bool contact_draft_empty(const contact_draft *d);
/* MightyCall ContactModel of d (creating: without channel ids); the company
 * is not in it (MightyCall has no such field). */
json_t *contact_draft_model(const contact_draft *d, bool creating);

/* Does If-Match `given` (absent, "*", "etag", "\"etag\"" or W/"etag") allow
 * writing a contact whose etag is stored? */
bool contact_etag_matches(const char *given, const char *stored);

#endif
