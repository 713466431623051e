/* commands.c — the table of vs-sync subcommands. */
#include "commands.h"

#include <stddef.h>

#include "platform/db.h"

const sync_command sync_commands[] = {
    {"migrate", cmd_migrate, "migrate [--dir DIR] [--lock-timeout S]", "apply pending SQL migrations (default dir: sql; one host at a time)"},
    {"user", cmd_user, "user create|set-password|grant-admin|list ...", "administer users (passwords on stdin)"},
    {"org", cmd_org, "org create|add-member|list ...", "administer organizations"},
    {"run", cmd_run, "run --org ID --type TYPE|all [--since DATE]", "run one sync now (waits for a running one)"},
    {"drain", cmd_drain, "drain [--org ID] [--limit N] [--lease S]", "process queued sync jobs until none is left"},
    {"rotate-master-key", cmd_rotate_master_key, "rotate-master-key --new-key-file FILE", "re-encrypt stored secrets under a new master key (one transaction)"},
    {"schedule", cmd_schedule, "schedule [--org ID] [--all]", "queue the periodic syncs that are due"},
    {NULL, NULL, NULL, NULL},
};

int cli_usage_error(const char *cmd, const char *msg, void (*print_usage)(FILE *to))
{
    fprintf(stderr, "vs-sync %s: %s\n", cmd, msg);
    print_usage(stderr);
    return EXIT_USAGE;
}

int cli_db_failure(const char *cmd, const char *what, int rc)
{
    if (rc == DB_UNAVAILABLE) {
        fprintf(stderr, "vs-sync %s: %s: database unavailable\n", cmd, what);
        return EXIT_UNAVAILABLE;
    }
    fprintf(stderr, "vs-sync %s: %s failed (database error)\n", cmd, what);
    return EXIT_FAILURE_;
}
