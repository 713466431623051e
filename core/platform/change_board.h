/* change_board.h — a page of shared memory (a small file every VictorySync
 * process of the host maps) on which each write says "something changed".
 *
 * It carries no data, only counters: one per org slot (an org id hashes to
 * one of CHANGE_BOARD_SLOTS; orgs sharing a slot only see each other's
 * changes as their own), one for identities (API keys, users, members,
 * refresh tokens, orgs: whatever the identity guard of
 * identity/identity_guard.h reads) and one for writers outside the product
 * (maintenance scripts and tests write 8 fresh random bytes at
 * CHANGE_BOARD_EXTERNAL_OFFSET). platform/db.c moves them after every write
 * commits; fcgi/identity_cache.c answers an unchanged If-None-Match, or
 * sends an answer it remembers, without a round trip while the counters it
 * read before its last round trip have not moved (docs/performance.md, "The
 * zero-trip 304").
 *
 * A process that never opened the board (config key change_board empty, or
 * the file could not be mapped) moves nothing and reads nothing: readers
 * then always ask MariaDB. */
#ifndef VS_CHANGE_BOARD_H
#define VS_CHANGE_BOARD_H

#include <stdbool.h>
#include <stdint.h>

#define CHANGE_BOARD_SLOTS 4096
#define CHANGE_BOARD_EXTERNAL_OFFSET 16 /* bytes from the start of the file */

/* What a reader saw: compare it later with change_board_unchanged(). */
typedef struct {
    uint64_t identity, external, org;
} change_mark;

/* Map the board at path, creating the file (mode 0600) when missing. Once
 * per process, before any thread uses it; "" leaves the board off. False
 * (and logged) when the file cannot be opened or mapped. */
bool change_board_open(const char *path);

/* Unmap it (tests; processes just exit). */
void change_board_close(void);

/* Is the board mapped in this process? */
bool change_board_on(void);

/* The counters that decide whether org_id's views may have changed. False
 * when the board is off. */
bool change_board_mark(const char *org_id, change_mark *out);

/* Have none of m's counters moved since change_board_mark() filled it? */
bool change_board_unchanged(const char *org_id, const change_mark *m);

/* Something an identity guard reads has changed (any org). */
void change_board_touch_identity(void);

/* org_id's data version has changed. */
void change_board_touch_org(const char *org_id);

/* Does a write statement's text name a table the identity guard reads?
 * (A word match: "orgs" but not "org_settings".) */
bool change_board_identity_write(const char *sql);

#endif
