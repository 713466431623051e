/* test_change_board.c — unit tests for platform/change_board.c: which writes
 * count as identity writes, which counters a touch moves, and that the board
 * is the file's memory (a write into the file, as an operator's script or the
 * test helper does, is seen by a mapping process). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platform/change_board.h"

#define ORG "aaaaaaaa-2222-3333-4444-555555555555"
#define ORG_UPPER "AAAAAAAA-2222-3333-4444-555555555555"
#define OTHER "11111111-2222-3333-4444-666666666666"

static char path[64];

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/vs-board-test-%ld", (long)getpid());
    unlink(path); /* a leftover of a killed run with the same pid */
    int fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW, 0600);
    if (fd < 0)
        return -1;
    close(fd); /* an empty file: change_board_open() sizes it */
    return change_board_open(path) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    change_board_close();
    unlink(path);
    return 0;
}

static void test_identity_writes(void **state)
{
    (void)state;
    assert_true(change_board_identity_write("UPDATE api_keys SET revoked_at = NOW(3) WHERE id = ?"));
    assert_true(change_board_identity_write("DELETE FROM org_members WHERE id = ?"));
    assert_true(change_board_identity_write("UPDATE users SET sessions_valid_after = ? WHERE id = ?"));
    assert_true(change_board_identity_write("update refresh_tokens set revoked_at = now() where family_id = ?"));
    assert_true(change_board_identity_write("UPDATE orgs SET timezone = ? WHERE id = ?"));
    assert_true(change_board_identity_write("DELETE FROM `orgs` WHERE id = ?"));
    assert_true(change_board_identity_write("INSERT INTO org_data_versions (org_id, version) SELECT org_id, 1 FROM x"));
    /* other tables, and names that only contain an identity table's */
    assert_false(change_board_identity_write("INSERT INTO calls (id, org_id) VALUES (?, ?)"));
    assert_false(change_board_identity_write("UPDATE org_settings SET value = ? WHERE org_id = ?"));
    assert_false(change_board_identity_write("UPDATE sync_jobs SET users_count = 1"));
    assert_false(change_board_identity_write("INSERT INTO sms_messages (id) VALUES (?)"));
}

static void test_touches(void **state)
{
    (void)state;
    assert_true(change_board_on());
    change_mark m, other;
    assert_true(change_board_mark(ORG, &m));
    assert_true(change_board_mark(OTHER, &other));
    assert_true(change_board_unchanged(ORG, &m));
    assert_true(change_board_unchanged(ORG_UPPER, &m)); /* route ids arrive in either case */

    change_board_touch_org(ORG); /* an org's write moves its counter, not the other org's */
    assert_false(change_board_unchanged(ORG, &m));
    assert_true(change_board_unchanged(OTHER, &other));

    assert_true(change_board_mark(ORG, &m));
    change_board_touch_identity(); /* an identity write moves every org's answer */
    assert_false(change_board_unchanged(ORG, &m));
    assert_false(change_board_unchanged(OTHER, &other));
}

static void test_external_word_in_the_file(void **state)
{
    (void)state;
    change_mark m;
    assert_true(change_board_mark(ORG, &m));
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    const unsigned char fresh[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    assert_int_equal(pwrite(fd, fresh, sizeof fresh, CHANGE_BOARD_EXTERNAL_OFFSET), 8);
    close(fd);
    assert_false(change_board_unchanged(ORG, &m));
}

static void test_off_reads_nothing(void **state)
{
    (void)state;
    change_board_close();
    change_mark m;
    assert_false(change_board_on());
    assert_false(change_board_mark(ORG, &m));
    assert_false(change_board_unchanged(ORG, &m)); /* off: never "unchanged" */
    change_board_touch_org(ORG);                   /* and touching is harmless */
    assert_true(change_board_open(""));            /* "" = off, not an error */
    assert_false(change_board_on());
    assert_false(change_board_open("/nonexistent-dir/board"));
    assert_true(change_board_open(path)); /* the same file again: its counters are still there */
    assert_true(change_board_on());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identity_writes),
        cmocka_unit_test(test_touches),
        cmocka_unit_test(test_external_word_in_the_file),
        cmocka_unit_test(test_off_reads_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
