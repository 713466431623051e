/* commands.h — the vs-sync subcommands; one cmd_*.c file each. */
#ifndef VS_SYNC_COMMANDS_H
#define VS_SYNC_COMMANDS_H

#include <stdio.h>

#include "platform/config.h"

typedef struct {
    const char *name;
    int (*run)(const vs_config *cfg, int argc, char **argv); /* argv[0] = command name */
    const char *usage;                                       /* one line: "migrate [--dir DIR]" */
    const char *help;                                        /* one line description */
} sync_command;

/* Exit codes shared by every command. */
enum { EXIT_OK = 0, EXIT_FAILURE_ = 1, EXIT_USAGE = 2, EXIT_UNAVAILABLE = 3, EXIT_DEFERRED = 4 };

extern const sync_command sync_commands[];

/* "vs-sync CMD: msg", then the command's usage on stderr; EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *msg, void (*print_usage)(FILE *to));
/* After a command's getopt_long loop (argc and the global optind): an extra
 * argument is a usage error (usage on stderr), and so is an --org given that
 * is not a UUID ("vs-sync CMD: --org must be an organisation id (UUID)").
 * EXIT_USAGE, or 0 to go on. */
int cli_args_done(const char *cmd, int argc, const char *org, void (*print_usage)(FILE *to));
/* On a terminal the progress line replaces the per-page info logs. */
void cli_progress_on_tty(const vs_config *cfg);
/* "vs-sync CMD: WHAT: database unavailable" (EXIT_UNAVAILABLE) or
 * "vs-sync CMD: WHAT failed (database error)" (EXIT_FAILURE_) for DB_ code rc. */
int cli_db_failure(const char *cmd, const char *what, int rc);

int cmd_migrate(const vs_config *cfg, int argc, char **argv);
int cmd_run(const vs_config *cfg, int argc, char **argv);
int cmd_drain(const vs_config *cfg, int argc, char **argv);
int cmd_schedule(const vs_config *cfg, int argc, char **argv);
int cmd_user(const vs_config *cfg, int argc, char **argv);
int cmd_org(const vs_config *cfg, int argc, char **argv);
int cmd_rotate_master_key(const vs_config *cfg, int argc, char **argv);

#endif
