/* db_test_change_board.c — which counters of the change board
 * (core/platform/change_board.c) the writes of platform/db.c move, and when:
 * against a real MariaDB (the test stack's, migrated), with a board file of
 * its own (the stack's workers never see it).
 *
 *   - an autocommitted write of an identity table moves the identity counter;
 *   - org_data_version_bump() inside a transaction moves the org's counter
 *     only once the transaction has ended (after COMMIT: a reader that saw the
 *     counters before could otherwise have read the old version), and not the
 *     identity counter;
 *   - a write of another table, and a bookkeeping write (an API key's
 *     last_used_at), move nothing.
 *
 * Run by scripts/test-all.sh as
 *   VS_CONFIG=$VS_CONF CREDENTIALS_DIRECTORY=$VS_SECRETS build/tests/unit/db_test_change_board
 * Without VS_CONFIG it fails (exit 1) saying so; it never skips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "platform/change_board.h"
#include "platform/config.h"
#include "platform/data_version.h"
#include "platform/db.h"
#include "db_check.h"

static vs_config cfg;
static db_conn *db;
static char org[40];
static char board_path[64];


static change_mark mark(void)
{
    change_mark m;
    assert_true(change_board_mark(org, &m));
    return m;
}

static void test_identity_write_autocommit(void **state)
{
    (void)state;
    change_mark before = mark();
    db_param p[] = {DBP_STR("db-test-change-board renamed"), DBP_STR(org)};
    CHECK_DB(db_exec(db, "UPDATE orgs SET name = ? WHERE id = ?", p, 2, NULL));
    change_mark after = mark();
    assert_true(after.identity != before.identity);
    assert_int_equal(after.org, before.org);
}

static void test_org_bump_moves_after_commit(void **state)
{
    (void)state;
    change_mark before = mark();
    CHECK_DB(db_begin(db));
    CHECK_DB(org_data_version_bump(db, org));
    change_mark inside = mark();
    assert_int_equal(inside.org, before.org); /* not before MariaDB has it */
    CHECK_DB(db_commit(db));
    change_mark after = mark();
    assert_true(after.org != before.org);
    assert_int_equal(after.identity, before.identity); /* only this org's answers */

    CHECK_DB(db_begin(db)); /* a rolled-back bump moves it too: harmless, one more round trip */
    CHECK_DB(org_data_version_bump(db, org));
    CHECK_DB(db_rollback(db));
    assert_true(mark().org != after.org);
}

static void test_other_writes_move_nothing(void **state)
{
    (void)state;
    change_mark before = mark();
    db_param p[] = {DBP_STR(org)};
    CHECK_DB(db_exec(db, "UPDATE calls SET agent_name = agent_name WHERE org_id = ?", p, 1, NULL));
    db_param k[] = {DBP_STR("00000000-0000-0000-0000-000000000000")};
    CHECK_DB(db_exec_bookkeeping(db, "UPDATE api_keys SET last_used_at = NOW(3) WHERE id = ?", k, 1));
    change_mark after = mark();
    assert_int_equal(after.identity, before.identity);
    assert_int_equal(after.org, before.org);
    assert_int_equal(after.external, before.external);
    /* the same statement as an ordinary write names api_keys: the identity counter moves */
    CHECK_DB(db_exec(db, "UPDATE api_keys SET last_used_at = NOW(3) WHERE id = ?", k, 1, NULL));
    assert_true(mark().identity != before.identity);
}

static int setup(void **state)
{
    (void)state;
    char err[256];
    if (config_load(&cfg, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "db_test_change_board: configuration: %s\n", err);
        return -1;
    }
    snprintf(board_path, sizeof board_path, "/tmp/vs-board-db-test-%ld", (long)getpid());
    unlink(board_path); /* a leftover of a killed run with the same pid */
    int fd = open(board_path, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW, 0600);
    if (fd < 0 || (close(fd), !change_board_open(board_path))) {
        fprintf(stderr, "db_test_change_board: cannot make a board file\n");
        return -1;
    }
    db = db_open(&cfg);
    json_t *row = NULL;
    if (!db || db_query_row(db, "SELECT CAST(UUID() AS CHAR) AS o", NULL, 0, &row) != DB_OK || !row) {
        fprintf(stderr, "db_test_change_board: cannot reach the database (%s)\n", db ? db_last_error(db) : "no memory");
        json_decref(row);
        return -1;
    }
    snprintf(org, sizeof org, "%s", json_string_value(json_object_get(row, "o")));
    json_decref(row);
    char name[80], slug[80];
    snprintf(name, sizeof name, "db-test-change-board-%s", org);
    snprintf(slug, sizeof slug, "db-test-change-board-%s", org);
    db_param o[] = {DBP_STR(org), DBP_STR(name), DBP_STR(slug)};
    if (db_exec(db, "INSERT INTO orgs (id, name, slug) VALUES (?, ?, ?)", o, 3, NULL) != DB_OK) {
        fprintf(stderr, "db_test_change_board: cannot create the org (%s)\n", db_last_error(db));
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_param o[] = {DBP_STR(org)};
    db_exec(db, "DELETE FROM orgs WHERE id = ?", o, 1, NULL);
    db_close(db);
    change_board_close();
    unlink(board_path);
    return 0;
}

int main(void)
{
    if (!getenv("VS_CONFIG") || !*getenv("VS_CONFIG")) {
        fprintf(stderr, "db_test_change_board: FAILED: VS_CONFIG is not set. This test needs the test stack's "
                        "MariaDB (migrated): run it as VS_CONFIG=$VS_CONF CREDENTIALS_DIRECTORY=$VS_SECRETS %s after "
                        "`source scripts/env.sh PROFILE` and `scripts/stack.sh db-start PROFILE` + migrate "
                        "(scripts/test-all.sh does).\n",
                "build/tests/unit/db_test_change_board");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identity_write_autocommit),
        cmocka_unit_test(test_org_bump_moves_after_commit),
        cmocka_unit_test(test_other_writes_move_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
