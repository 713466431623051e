/* test_contacts.c — unit tests for the pure parts of core/messaging/contacts.c
 * (contacts_internal.h): merging a create/update into the stored contact,
 * the derived columns, the MightyCall ContactModel, If-Match etags and the
 * escaping of search patterns. The upstream-first writes need MightyCall and
 * MariaDB: tests/api/msg_contacts*.test.mjs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "messaging/contacts_internal.h"
#include "data/search.h"

static void test_like_prefix(void **state)
{
    (void)state;
    char out[64];
    search_like_prefix("", "ann", out, sizeof out);
    assert_string_equal(out, "ann%");
    search_like_prefix("+1", "212555", out, sizeof out);
    assert_string_equal(out, "+1212555%");
    search_like_prefix("", "", out, sizeof out);
    assert_string_equal(out, "%");
    /* LIKE wildcards and the escape character are taken literally */
    search_like_prefix("", "50%_off\\", out, sizeof out);
    assert_string_equal(out, "50\\%\\_off\\\\%");
    /* a small buffer cuts the input, never the final '%' or the NUL */
    char small[6];
    memset(small, 'x', sizeof small);
    search_like_prefix("", "abcdefgh", small, sizeof small);
    assert_string_equal(small, "abc%");
    search_like_prefix("", "a%bcdef", small, sizeof small);
    assert_string_equal(small, "a\\%%");
    search_like_prefix("", "%%%%", small, sizeof small);
    assert_string_equal(small, "\\%\\%%");
}

static void test_etag_matches(void **state)
{
    (void)state;
    /* no precondition, or any version */
    assert_true(contact_etag_matches(NULL, "abc123"));
    assert_true(contact_etag_matches("", "abc123"));
    assert_true(contact_etag_matches("*", "abc123"));
    assert_true(contact_etag_matches("*", NULL));
    /* bare, quoted and weak forms of the same etag */
    assert_true(contact_etag_matches("abc123", "abc123"));
    assert_true(contact_etag_matches("\"abc123\"", "abc123"));
    assert_true(contact_etag_matches("W/\"abc123\"", "abc123"));
    assert_true(contact_etag_matches("W/abc123", "abc123"));
    /* anything else is a conflict */
    assert_false(contact_etag_matches("abc124", "abc123"));
    assert_false(contact_etag_matches("abc12", "abc123"));
    assert_false(contact_etag_matches("abc1234", "abc123"));
    assert_false(contact_etag_matches("ABC123", "abc123"));
    assert_false(contact_etag_matches("\"abc123", "abc123"));
    assert_false(contact_etag_matches("abc123\"", "abc123"));
    assert_false(contact_etag_matches("w/\"abc123\"", "abc123"));
    assert_false(contact_etag_matches("\"abc123\"", NULL));
    assert_false(contact_etag_matches("abc123", NULL));
}

static json_t *model_channels(const contact_draft *d, bool creating)
{
    json_t *m = contact_draft_model(d, creating);
    json_t *c = json_incref(json_object_get(m, "channels"));
    json_decref(m);
    return c;
}

static void expect_json(json_t *got, const char *want_text)
{
    json_t *want = json_loads(want_text, 0, NULL);
    assert_non_null(want);
    if (!json_equal(got, want)) {
        char *g = json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS);
        fail_msg("got %s, want %s", g, want_text);
    }
    json_decref(want);
}

static void test_create(void **state)
{
    (void)state;
    json_t *tags = json_pack("[s,s]", "vip", "2024");
    contact_input in = {.has_first_name = true, .first_name = "Ann", .has_last_name = true, .last_name = "Lee",
                        .has_phone = true, .phone = "+12125551234", .has_email = true, .email = "ann@example.com",
                        .has_tags = true, .tags = tags, .has_company = true, .company = "Acme Corp"};
    contact_draft d;
    contact_draft_make(&d, NULL, &in);
    assert_string_equal(d.display_name, "Ann Lee");
    assert_string_equal(d.phone, "+12125551234");
    assert_string_equal(d.email, "ann@example.com");
    assert_string_equal(d.company, "Acme Corp");
    assert_null(d.patronymic);
    assert_null(d.comment);
    assert_false(contact_draft_empty(&d));
    /* the draft has its own copy of the tags */
    assert_ptr_not_equal(d.tags, tags);
    json_array_append_new(tags, json_string("later"));
    assert_int_equal(json_array_size(d.tags), 2);

    json_t *m = contact_draft_model(&d, true);
    /* the company is ours alone: the MightyCall model (compared whole) has no such field */
    assert_null(json_object_get(m, "company"));
    expect_json(m, "{\"firstName\": \"Ann\", \"lastName\": \"Lee\", \"patronymic\": null, \"comment\": null,"
                   " \"tags\": [\"vip\", \"2024\"],"
                   " \"channels\": [{\"phone\": \"+12125551234\"}, {\"email\": \"ann@example.com\"}]}");
    json_decref(m);
    contact_draft_free(&d);
    json_decref(tags);

    /* a company alone is no contact (MightyCall would have nothing to hold) */
    contact_input co = {.has_company = true, .company = "Acme Corp"};
    contact_draft_make(&d, NULL, &co);
    assert_true(contact_draft_empty(&d));
    contact_draft_free(&d);

    /* only a last name, or only an e-mail: the display name has no stray space */
    contact_input last = {.has_last_name = true, .last_name = "Lee"};
    contact_draft_make(&d, NULL, &last);
    assert_string_equal(d.display_name, "Lee");
    assert_string_equal(d.phone, "");
    contact_draft_free(&d);
    contact_input mail = {.has_email = true, .email = "x@example.com"};
    contact_draft_make(&d, NULL, &mail);
    assert_string_equal(d.display_name, "");
    assert_false(contact_draft_empty(&d));
    m = contact_draft_model(&d, true);
    assert_true(json_is_null(json_object_get(m, "firstName")));
    expect_json(json_object_get(m, "tags"), "[]");
    json_decref(m);
    contact_draft_free(&d);
}

static void test_empty(void **state)
{
    (void)state;
    contact_draft d;
    contact_input none = {0};
    contact_draft_make(&d, NULL, &none);
    assert_true(contact_draft_empty(&d));
    contact_draft_free(&d);
    /* a patronymic, a comment or tags alone are no contact; empty names are none */
    json_t *tags = json_pack("[s]", "t");
    contact_input extras = {.has_patronymic = true, .patronymic = "P", .has_comment = true, .comment = "c",
                            .has_tags = true, .tags = tags, .has_first_name = true, .first_name = "",
                            .has_last_name = true, .last_name = ""};
    contact_draft_make(&d, NULL, &extras);
    assert_true(contact_draft_empty(&d));
    contact_draft_free(&d);
    json_decref(tags);
    /* a cleared phone leaves nothing */
    contact_input cleared = {.has_phone = true, .phone = NULL};
    contact_draft_make(&d, NULL, &cleared);
    assert_true(contact_draft_empty(&d));
    contact_draft_free(&d);
}

static const char *STORED =
    "{\"first_name\": \"Ann\", \"last_name\": \"Lee\", \"patronymic\": null, \"company\": \"Acme\", \"comment\": \"old\","
    " \"tags\": [\"a\"],"
    " \"channels\": [{\"channelId\": \"c1\", \"phone\": \"(212) 555-1234\", \"labels\": [\"work\"]},"
    "                {\"channelId\": \"c2\", \"email\": \"ann@old.example\"},"
    "                {\"channelId\": \"c3\", \"phone\": \"+442079460958\"}]}";

static void test_update_merge(void **state)
{
    (void)state;
    json_t *cur = json_loads(STORED, 0, NULL);
    assert_non_null(cur);
    json_t *before = json_deep_copy(cur);
    contact_draft d;

    /* nothing given: everything kept; the phone is derived as E.164 */
    contact_input keep = {0};
    contact_draft_make(&d, cur, &keep);
    assert_string_equal(d.first_name, "Ann");
    assert_string_equal(d.last_name, "Lee");
    assert_string_equal(d.comment, "old");
    assert_string_equal(d.company, "Acme");
    assert_string_equal(d.display_name, "Ann Lee");
    assert_string_equal(d.phone, "+12125551234");
    assert_string_equal(d.email, "ann@old.example");
    expect_json(d.tags, "[\"a\"]");
    /* an update sends MightyCall the channel ids and labels, a create does not send ids */
    json_t *ch = model_channels(&d, false);
    expect_json(ch, "[{\"channelId\": \"c1\", \"phone\": \"(212) 555-1234\", \"labels\": [\"work\"]},"
                    " {\"channelId\": \"c2\", \"email\": \"ann@old.example\"},"
                    " {\"channelId\": \"c3\", \"phone\": \"+442079460958\"}]");
    json_decref(ch);
    ch = model_channels(&d, true);
    expect_json(ch, "[{\"phone\": \"(212) 555-1234\", \"labels\": [\"work\"]}, {\"email\": \"ann@old.example\"},"
                    " {\"phone\": \"+442079460958\"}]");
    json_decref(ch);
    contact_draft_free(&d);

    /* a cleared last name, a new e-mail in the first e-mail channel (its id kept) */
    contact_input upd = {.has_last_name = true, .last_name = NULL, .has_email = true, .email = "ann@new.example",
                         .has_comment = true, .comment = "new", .has_company = true, .company = NULL};
    contact_draft_make(&d, cur, &upd);
    assert_null(d.last_name);
    assert_null(d.company); /* cleared */
    assert_string_equal(d.display_name, "Ann");
    assert_string_equal(d.email, "ann@new.example");
    assert_string_equal(d.comment, "new");
    json_t *m = contact_draft_model(&d, false);
    assert_true(json_is_null(json_object_get(m, "lastName")));
    expect_json(json_object_get(m, "channels"),
                "[{\"channelId\": \"c1\", \"phone\": \"(212) 555-1234\", \"labels\": [\"work\"]},"
                " {\"channelId\": \"c2\", \"email\": \"ann@new.example\"},"
                " {\"channelId\": \"c3\", \"phone\": \"+442079460958\"}]");
    json_decref(m);
    contact_draft_free(&d);

    /* a cleared phone removes the first phone channel: the next one is the phone */
    contact_input nophone = {.has_phone = true, .phone = NULL};
    contact_draft_make(&d, cur, &nophone);
    assert_string_equal(d.phone, "+442079460958");
    assert_int_equal(json_array_size(d.channels), 2);
    contact_draft_free(&d);

    /* a new phone replaces the first phone channel's number only */
    contact_input newphone = {.has_phone = true, .phone = "+13105550000"};
    contact_draft_make(&d, cur, &newphone);
    assert_string_equal(d.phone, "+13105550000");
    ch = model_channels(&d, false);
    expect_json(json_array_get(ch, 0), "{\"channelId\": \"c1\", \"phone\": \"+13105550000\", \"labels\": [\"work\"]}");
    json_decref(ch);
    contact_draft_free(&d);

    /* channels given replace all of them; phone/email are then ignored */
    json_t *chans = json_loads("[{\"email\": \"only@example.com\", \"labels\": \"not-an-array\"}]", 0, NULL);
    contact_input all = {.has_channels = true, .channels = chans, .has_phone = true, .phone = "+13105550000"};
    contact_draft_make(&d, cur, &all);
    assert_string_equal(d.phone, "");
    assert_string_equal(d.email, "only@example.com");
    ch = model_channels(&d, false);
    expect_json(ch, "[{\"email\": \"only@example.com\"}]"); /* labels that are no array are dropped */
    json_decref(ch);
    contact_draft_free(&d);
    json_decref(chans);

    /* no name left and no channels: empty */
    json_t *none = json_array();
    contact_input wipe = {.has_first_name = true, .first_name = NULL, .has_last_name = true, .last_name = NULL,
                          .has_channels = true, .channels = none};
    contact_draft_make(&d, cur, &wipe);
    assert_true(contact_draft_empty(&d));
    contact_draft_free(&d);
    json_decref(none);

    /* the stored row was never modified */
    assert_true(json_equal(cur, before));
    json_decref(before);
    json_decref(cur);
}

static void test_stored_row_odd_shapes(void **state)
{
    (void)state;
    /* tags / channels that are not arrays in the row count as none */
    json_t *cur = json_loads("{\"first_name\": \"Bo\", \"tags\": null, \"channels\": \"[]\"}", 0, NULL);
    contact_draft d;
    contact_input in = {.has_email = true, .email = "bo@example.com"};
    contact_draft_make(&d, cur, &in);
    expect_json(d.tags, "[]");
    expect_json(d.channels, "[{\"email\": \"bo@example.com\"}]");
    assert_string_equal(d.display_name, "Bo");
    contact_draft_free(&d);
    json_decref(cur);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_like_prefix),
        cmocka_unit_test(test_etag_matches),
        cmocka_unit_test(test_create),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_update_merge),
        cmocka_unit_test(test_stored_row_odd_shapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
