/* change_board.c — owns the shared change counters (see change_board.h).
 *
 * The file: a header (magic, the identity counter, the external word), then
 * CHANGE_BOARD_SLOTS org counters, each a 64-bit word moved with atomic adds
 * (MAP_SHARED: every process mapping the file sees the same words). */
#include "platform/change_board.h"

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform/log.h"

#define BOARD_MAGIC 0x31447242437356ULL /* "VsCBrD1" */

typedef struct {
    _Atomic uint64_t magic;
    _Atomic uint64_t identity;
    _Atomic uint64_t external; /* at CHANGE_BOARD_EXTERNAL_OFFSET */
    _Atomic uint64_t reserved;
    _Atomic uint64_t org[CHANGE_BOARD_SLOTS];
} board_page;

_Static_assert(offsetof(board_page, external) == CHANGE_BOARD_EXTERNAL_OFFSET, "external word offset");

static board_page *board;

bool change_board_open(const char *path)
{
    if (board || !path || !*path)
        return true;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        log_warn("change board: cannot open %s (%s): conditional requests always ask MariaDB", path, strerror(errno));
        return false;
    }
    struct stat st;
    bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
              ((size_t)st.st_size >= sizeof(board_page) || ftruncate(fd, sizeof(board_page)) == 0);
    void *p = ok ? mmap(NULL, sizeof(board_page), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : MAP_FAILED;
    int err = errno;
    close(fd);
    if (p == MAP_FAILED) {
        log_warn("change board: cannot map %s (%s): conditional requests always ask MariaDB", path, strerror(err));
        return false;
    }
    board = p;
    uint64_t zero = 0; /* a new file: say what it is (another process may be doing the same) */
    atomic_compare_exchange_strong(&board->magic, &zero, BOARD_MAGIC);
    return true;
}

void change_board_close(void)
{
    if (board)
        munmap(board, sizeof(board_page));
    board = NULL;
}

bool change_board_on(void) { return board != NULL; }

/* FNV-1a of the org id, lowercased (route ids arrive in either case). */
static _Atomic uint64_t *org_word(const char *org_id)
{
    uint32_t h = 2166136261u;
    for (const char *p = org_id ? org_id : ""; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        h = (h ^ (ch >= 'A' && ch <= 'Z' ? ch + 32u : ch)) * 16777619u;
    }
    return &board->org[h % CHANGE_BOARD_SLOTS];
}

bool change_board_mark(const char *org_id, change_mark *out)
{
    if (!board)
        return false;
    out->identity = atomic_load(&board->identity);
    out->external = atomic_load(&board->external);
    out->org = atomic_load(org_word(org_id));
    return true;
}

bool change_board_unchanged(const char *org_id, const change_mark *m)
{
    change_mark now;
    return change_board_mark(org_id, &now) && now.identity == m->identity && now.external == m->external &&
           now.org == m->org;
}

void change_board_touch_identity(void)
{
    if (board)
        atomic_fetch_add(&board->identity, 1);
}

void change_board_touch_org(const char *org_id)
{
    if (board)
        atomic_fetch_add(org_word(org_id), 1);
}

static bool ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Does sql name table as a whole word (case-insensitive)? */
static bool names_table(const char *sql, const char *table)
{
    size_t n = strlen(table);
    for (const char *p = sql; (p = strcasestr(p, table)) != NULL; p += n)
        if ((p == sql || !ident_char(p[-1])) && !ident_char(p[n]))
            return true;
    return false;
}

bool change_board_identity_write(const char *sql)
{
    static const char *const tables[] = {"api_keys", "users", "org_members", "refresh_tokens", "orgs",
                                         "org_data_versions"};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        if (names_table(sql, tables[i]))
            return true;
    return false;
}
