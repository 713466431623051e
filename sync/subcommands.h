/* subcommands.h — the shared shape of the vs-sync commands that have
 * sub-commands (`org …`, `user …`): a table of long options parsed into the
 * command's options struct, a table of sub-commands dispatched with one
 * database connection, and the `list` output (aligned columns or --json).
 * Exit codes and messages are those of commands.h. */
#ifndef VS_SYNC_SUBCOMMANDS_H
#define VS_SYNC_SUBCOMMANDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "commands.h"
#include "platform/db.h"

typedef enum {
    CLI_STRING, /* --name VALUE → const char * field at offset */
    CLI_FLAG,   /* --name → bool field at offset set true */
    CLI_REFUSED /* --name is refused with the message `refusal` (EXIT_USAGE) */
} cli_option_kind;

typedef struct {
    const char *name; /* without "--"; NULL ends the table */
    cli_option_kind kind;
    size_t offset;       /* offsetof(the options struct, field) */
    const char *refusal; /* CLI_REFUSED only */
} cli_option;

typedef struct {
    const char *name; /* NULL ends the table */
    int (*run)(const vs_config *cfg, db_conn *db, const void *opts);
} cli_subcommand;

typedef struct {
    const char *cmd;                /* "org": messages say "vs-sync org: …" */
    void (*print_usage)(FILE *to);  /* --help on stdout, after a usage error on stderr */
    const cli_option *options;
    const cli_subcommand *subcommands;
    void *opts;       /* the command's options struct, zeroed before parsing */
    size_t opts_size;
} cli_group;

/* `vs-sync CMD SUB [options]` (argv[0] = CMD): --help/-h, then the options
 * (an unknown option or an extra argument is a usage error), then the
 * sub-command by name; opens the database only for a known sub-command. */
int cli_group_run(const cli_group *g, const vs_config *cfg, int argc, char **argv);

typedef struct {
    const char *title, *key; /* column heading, row field (string or integer) */
    int width;               /* 0: the last column, not padded */
} cli_column;

/* rows (an array of objects) as pretty JSON or as a table with a heading. */
void cli_print_rows(json_t *rows, bool as_json, const cli_column *cols);

#endif
