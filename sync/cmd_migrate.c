/* cmd_migrate.c — `vs-sync migrate`: apply pending migrations from sql/. */
#include <getopt.h>
#include <stdio.h>

#include "commands.h"
#include "db.h"
#include "migrate.h"

int cmd_migrate(const vs_config *cfg, int argc, char **argv)
{
    const char *dir = "sql";
    static const struct option opts[] = {{"dir", required_argument, 0, 'd'}, {0, 0, 0, 0}};
    int o;
    optind = 1;
    while ((o = getopt_long(argc, argv, "d:", opts, NULL)) != -1) {
        if (o != 'd')
            return EXIT_USAGE;
        dir = optarg;
    }
    db_conn *c = db_open(cfg);
    char err[512];
    int rc = migrate_run(c, dir, stdout, err, sizeof err);
    db_close(c);
    if (rc != 0) {
        fprintf(stderr, "vs-sync migrate: %s\n", err);
        return EXIT_FAILURE_;
    }
    return EXIT_OK;
}
