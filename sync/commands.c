/* commands.c — the table of vs-sync subcommands and what their command
 * lines share (usage errors, the end of option parsing, progress vs logs). */
#include "commands.h"

#include <getopt.h>
#include <stddef.h>
#include <unistd.h>

#include "platform/db.h"
#include "platform/log.h"
#include "platform/text.h"

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

int cli_args_done(const char *cmd, int argc, const char *org, void (*print_usage)(FILE *to))
{
    if (optind < argc) {
        print_usage(stderr);
        return EXIT_USAGE;
    }
    if (org && !is_uuid(org)) {
        fprintf(stderr, "vs-sync %s: --org must be an organisation id (UUID)\n", cmd);
        return EXIT_USAGE;
    }
    return 0;
}

void cli_progress_on_tty(const vs_config *cfg)
{
    if (isatty(STDERR_FILENO) && log_level_from_str(cfg->log_level) == LOG_INFO)
        log_set_level(LOG_WARN);
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
