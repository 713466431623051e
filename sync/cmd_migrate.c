/* cmd_migrate.c — `vs-sync migrate`: apply pending migrations from sql/,
 * holding the MariaDB named lock victorysync.migrate for the whole run (a
 * second host waits, then finds nothing to do). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "platform/db.h"
#include "platform/migrate.h"

int cmd_migrate(const vs_config *cfg, int argc, char **argv)
{
    const char *dir = "sql";
    int lock_timeout = MIGRATE_LOCK_TIMEOUT_DEFAULT;
    static const struct option opts[] = {{"dir", required_argument, 0, 'd'},
                                         {"lock-timeout", required_argument, 0, 'l'},
                                         {0, 0, 0, 0}};
    int o;
    optind = 1;
    while ((o = getopt_long(argc, argv, "d:", opts, NULL)) != -1) {
        if (o == 'd') {
            dir = optarg;
        } else if (o == 'l') {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (end == optarg || *end || v < 0 || v > 86400 * 7) {
                fprintf(stderr, "vs-sync migrate: --lock-timeout must be seconds in [0, 604800]\n");
                return EXIT_USAGE;
            }
            lock_timeout = (int)v;
        } else {
            return EXIT_USAGE;
        }
    }
    db_conn *c = db_open(cfg);
    char err[512];
    int rc = migrate_run(c, dir, lock_timeout, stdout, err, sizeof err);
    db_close(c);
    if (rc != 0) {
        fprintf(stderr, "vs-sync migrate: %s\n", err);
        return EXIT_FAILURE_;
    }
    return EXIT_OK;
}
