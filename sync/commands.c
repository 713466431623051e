/* commands.c — the table of vs-sync subcommands. */
#include "commands.h"

#include <stddef.h>

const sync_command sync_commands[] = {
    {"migrate", cmd_migrate, "migrate [--dir DIR]", "apply pending SQL migrations (default dir: sql)"},
    {NULL, NULL, NULL, NULL},
};
