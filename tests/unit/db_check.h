/* db_check.h — the one helper the database unit tests (db_test_*.c) share:
 * CHECK_DB(call) fails the test with the statement's error unless call
 * returns DB_OK. Include after <cmocka.h>; the file's connection is `db`. */
#ifndef VS_TEST_DB_CHECK_H
#define VS_TEST_DB_CHECK_H

#include "platform/db.h"

#define CHECK_DB(call)                                                                                   \
    do {                                                                                                 \
        int rc_ = (call);                                                                                \
        if (rc_ != DB_OK)                                                                                \
            fail_msg("%s: rc %d (%s)", #call, rc_, db_last_error(db));                                   \
    } while (0)

#endif
