/* migrate.c — owns discovery, ordering, checksum and recording of migrations. */
#include "platform/migrate.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#define MAX_MIGRATIONS 512
#define MAX_MIGRATION_BYTES (4 * 1024 * 1024)

struct migration {
    int version;
    char name[256];
};

static int cmp_migration(const void *a, const void *b)
{
    return ((const struct migration *)a)->version - ((const struct migration *)b)->version;
}

static char *read_file(const char *path, char *err, size_t errsz)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errsz, "cannot read %s", path);
        return NULL;
    }
    char *buf = malloc(MAX_MIGRATION_BYTES + 1);
    size_t n = buf ? fread(buf, 1, MAX_MIGRATION_BYTES + 1, f) : 0;
    fclose(f);
    if (!buf || n > MAX_MIGRATION_BYTES) {
        snprintf(err, errsz, "%s is too large", path);
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    return buf;
}

static void checksum_hex(const char *text, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
    sodium_bin2hex(out, 65, h, sizeof h);
}

/* GET_LOCK in slices of at most 10 s: one long blocking call would run into
 * the client's read timeout (core/platform/db.c). */
static int take_lock(db_conn *c, int timeout_s, FILE *progress, char *err, size_t errsz)
{
    int waited = 0, slice = 0;
    for (;;) {
        long long got = 0;
        db_param p[] = {DBP_STR(MIGRATE_LOCK_NAME), DBP_INT(slice)};
        if (db_query_int(c, "SELECT COALESCE(GET_LOCK(?, ?), -1)", p, 2, &got) != DB_OK) {
            snprintf(err, errsz, "cannot take the migration lock: %s", db_last_error(c));
            return -1;
        }
        if (got == 1)
            return 0;
        if (got != 0) {
            snprintf(err, errsz, "cannot take the migration lock %s", MIGRATE_LOCK_NAME);
            return -1;
        }
        if (waited == 0 && slice == 0 && progress) {
            fprintf(progress, "migrate: waiting for the migration lock (another vs-sync migrate is running)\n");
            fflush(progress);
        }
        waited += slice;
        if (waited >= timeout_s) {
            snprintf(err, errsz, "timed out after %d s waiting for the migration lock %s", timeout_s,
                     MIGRATE_LOCK_NAME);
            return -1;
        }
        slice = timeout_s - waited < 10 ? timeout_s - waited : 10;
    }
}

/* Still ours? A dropped connection would have released it silently. */
static int lock_held(db_conn *c, char *err, size_t errsz)
{
    long long mine = 0;
    db_param p[] = {DBP_STR(MIGRATE_LOCK_NAME)};
    if (db_query_int(c, "SELECT COALESCE(IS_USED_LOCK(?) = CONNECTION_ID(), 0)", p, 1, &mine) != DB_OK || mine != 1) {
        snprintf(err, errsz, "lost the migration lock %s (database connection dropped?)", MIGRATE_LOCK_NAME);
        return -1;
    }
    return 0;
}

static int migrate_locked(db_conn *c, const char *dir, FILE *progress, char *err, size_t errsz);

int migrate_run(db_conn *c, const char *dir, int lock_timeout_s, FILE *progress, char *err, size_t errsz)
{
    if (lock_timeout_s < 0)
        lock_timeout_s = 0;
    if (take_lock(c, lock_timeout_s, progress, err, errsz) != 0)
        return -1;
    int rc = migrate_locked(c, dir, progress, err, errsz);
    db_param p[] = {DBP_STR(MIGRATE_LOCK_NAME)};
    long long released = 0;
    db_query_int(c, "SELECT RELEASE_LOCK(?)", p, 1, &released);
    return rc;
}

static int migrate_locked(db_conn *c, const char *dir, FILE *progress, char *err, size_t errsz)
{
    static struct migration list[MAX_MIGRATIONS];
    int n = 0, rc = -1;
    char *text = NULL;
    if (db_exec_script(c,
                       "CREATE TABLE IF NOT EXISTS schema_migrations ("
                       " version INT NOT NULL PRIMARY KEY,"
                       " name VARCHAR(128) NOT NULL,"
                       " checksum CHAR(64) NOT NULL,"
                       " applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)"
                       ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
                       err, errsz) != DB_OK)
        return -1;
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errsz, "cannot open migrations folder %s", dir);
        return -1;
    }
    struct dirent *e;
    while ((e = readdir(d)) && n < MAX_MIGRATIONS) {
        size_t len = strlen(e->d_name);
        if (len < 8 || len >= 128 || strcmp(e->d_name + len - 4, ".sql") != 0)
            continue;
        char *end;
        long v = strtol(e->d_name, &end, 10);
        if (end == e->d_name || *end != '_' || v <= 0)
            continue;
        list[n].version = (int)v;
        snprintf(list[n].name, sizeof list[n].name, "%s", e->d_name);
        n++;
    }
    closedir(d);
    qsort(list, (size_t)n, sizeof list[0], cmp_migration);
    for (int i = 1; i < n; i++)
        if (list[i].version == list[i - 1].version) {
            snprintf(err, errsz, "two migrations share version %d: %s and %s", list[i].version,
                     list[i - 1].name, list[i].name);
            return -1;
        }

    int applied = 0;
    for (int i = 0; i < n; i++) {
        char path[1024], sum[65], sql_err[300];
        snprintf(path, sizeof path, "%s/%s", dir, list[i].name);
        free(text);
        text = read_file(path, err, errsz);
        if (!text)
            goto out;
        checksum_hex(text, sum);
        json_t *row = NULL;
        db_param p[] = {DBP_INT(list[i].version)};
        if (db_query_row(c, "SELECT checksum FROM schema_migrations WHERE version = ?", p, 1, &row) != DB_OK) {
            snprintf(err, errsz, "cannot read schema_migrations: %s", db_last_error(c));
            goto out;
        }
        if (row) {
            const char *old = json_string_value(json_object_get(row, "checksum"));
            if (old && strcmp(old, sum) != 0 && progress)
                fprintf(progress, "migrate: warning: %s changed after it was applied (forward-only: add a new migration)\n",
                        list[i].name);
            json_decref(row);
            continue;
        }
        if (lock_held(c, err, errsz) != 0)
            goto out;
        if (progress)
            fprintf(progress, "migrate: applying %s\n", list[i].name);
        if (db_exec_script(c, text, sql_err, sizeof sql_err) != DB_OK) {
            snprintf(err, errsz, "migration %s failed: %s", list[i].name, sql_err);
            goto out;
        }
        db_param rec[] = {DBP_INT(list[i].version), DBP_STR(list[i].name), DBP_STR(sum)};
        if (db_exec(c, "INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)", rec, 3, NULL) != DB_OK) {
            snprintf(err, errsz, "cannot record %s: %s", list[i].name, db_last_error(c));
            goto out;
        }
        applied++;
    }
    if (progress)
        fprintf(progress, "migrate: %d applied, %d already up to date\n", applied, n - applied);
    rc = 0;
out:
    free(text);
    return rc;
}

int migrate_schema_version(db_conn *c, long long *version)
{
    *version = 0;
    return db_query_int(c, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", NULL, 0, version);
}
