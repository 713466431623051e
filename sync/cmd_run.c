/* cmd_run.c — `vs-sync run --org ID --type TYPE|all [--since DATE]`: enqueue
 * (or pick up the active) job of that org and type and run it now, in the
 * foreground. A job already running on another runner is waited for. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "platform/page.h"
#include "platform/text.h"
#include "mightycall/integration.h"
#include "platform/log.h"
#include "sync.h"
#include "mightycall/sync_jobs.h"

static void usage(FILE *to)
{
    fprintf(to,
            "usage: vs-sync run --org ID --type TYPE [--since DATE] [--lease SECONDS]\n\n"
            "Run one sync now for an organisation (waits for a job of that type already\n"
            "running elsewhere). TYPE: phone_numbers, extensions, calls, recordings,\n"
            "voicemails, sms, contacts, reports, or all (every type in that order).\n"
            "--since DATE   start from DATE (ISO 8601) instead of the stored cursor\n"
            "--lease S      job lease in seconds (default 120)\n\n"
            "exit codes: 0 completed, 1 failed, 2 usage, 3 unavailable, 4 deferred (quota)\n");
}

int sync_lease_arg(const char *s);

int sync_lease_arg(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    return (*end || v < 2 || v > 86400) ? -1 : (int)v;
}

static int run_type(const vs_config *cfg, db_conn *db, const char *org, const char *integration_id, const char *type,
                    const char *since, int lease, int *nf, int *nu, int *nd)
{
    char job_id[40], owner[128];
    bool created = false;
    int rc = sync_job_enqueue(db, org, integration_id, type, since[0] ? since : NULL, "cli", NULL, job_id, &created);
    if (rc != DB_OK) {
        fprintf(stderr, "vs-sync run: cannot queue the %s job (database %s)\n", type,
                rc == DB_UNAVAILABLE ? "unavailable" : "error");
        (*nu)++;
        return rc;
    }
    sync_owner_id(owner);
    sync_ctx ctx;
    bool told = false;
    for (;;) {
        long rq, fl;
        sync_requeue_expired(db, &rq, &fl);
        int c = sync_claim(db, job_id, NULL, owner, lease, &ctx);
        if (c < 0) {
            fprintf(stderr, "vs-sync run: database unavailable\n");
            (*nu)++;
            return c;
        }
        if (c == 1)
            break;
        json_t *job = NULL;
        sync_job_fetch(db, job_id, &job);
        const char *st = json_string_value(json_object_get(job, "status"));
        if (!st || strcmp(st, "running") != 0) {
            /* finished elsewhere meanwhile: report that outcome */
            const char *msg = json_string_value(json_object_get(job, "error_message"));
            printf("%s: %s (job %s)%s%s\n", type, st ? st : "gone", job_id, msg ? " — " : "", msg ? msg : "");
            if (st && strcmp(st, "failed") == 0)
                (*nf)++;
            else if (st && strcmp(st, "deferred") == 0)
                (*nd)++;
            json_decref(job);
            return DB_OK;
        }
        json_decref(job);
        if (!told) {
            fprintf(stderr, "vs-sync run: a %s job for this organisation is running elsewhere (job %s); waiting\n",
                    type, job_id);
            told = true;
        }
        sleep(1);
    }
    sync_result r = sync_run_job(cfg, db, &ctx);
    sync_report_job(&ctx, r);
    switch (r) {
    case SYNC_OK:
        printf("%s: completed — %ld synced, %ld new, %ld updated (job %s)\n", type, ctx.counts.synced,
               ctx.counts.created, ctx.counts.updated, job_id);
        break;
    case SYNC_DEFERRED:
        printf("%s: deferred — %s (job %s)\n", type, ctx.error, job_id);
        (*nd)++;
        break;
    case SYNC_UNAVAILABLE:
        printf("%s: failed — %s (job %s)\n", type, ctx.error, job_id);
        (*nu)++;
        break;
    default:
        printf("%s: failed — %s (job %s)\n", type, ctx.error, job_id);
        (*nf)++;
        break;
    }
    fflush(stdout);
    return DB_OK;
}

int cmd_run(const vs_config *cfg, int argc, char **argv)
{
    const char *org = NULL, *type = NULL, *since_arg = NULL;
    int lease = 120;
    static const struct option opts[] = {{"org", required_argument, 0, 'o'},   {"type", required_argument, 0, 't'},
                                         {"since", required_argument, 0, 's'}, {"lease", required_argument, 0, 'l'},
                                         {"help", no_argument, 0, 'h'},        {0, 0, 0, 0}};
    int o;
    optind = 1;
    while ((o = getopt_long(argc, argv, "o:t:s:l:h", opts, NULL)) != -1) {
        switch (o) {
        case 'o': org = optarg; break;
        case 't': type = optarg; break;
        case 's': since_arg = optarg; break;
        case 'l':
            if ((lease = sync_lease_arg(optarg)) < 0) {
                fprintf(stderr, "vs-sync run: --lease must be 2..86400 seconds\n");
                return EXIT_USAGE;
            }
            break;
        case 'h': usage(stdout); return EXIT_OK;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    if (!org || !type) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (cli_args_done("run", argc, org, usage))
        return EXIT_USAGE;
    bool all = strcmp(type, "all") == 0;
    if (!all && !sync_type_valid(type)) {
        fprintf(stderr, "vs-sync run: unknown type '%s'\n", type);
        return EXIT_USAGE;
    }
    char since[32] = "";
    if (since_arg && !sync_parse_since(since_arg, since)) {
        fprintf(stderr, "vs-sync run: --since must be an ISO 8601 date or date-time, e.g. 2024-01-20\n");
        return EXIT_USAGE;
    }
    cli_progress_on_tty(cfg);
    db_conn *db = db_open(cfg);
    mc_integration it;
    int rc = integration_for_org(db, cfg, org, &it);
    if (rc < 0) {
        fprintf(stderr, "vs-sync run: database unavailable\n");
        db_close(db);
        return EXIT_UNAVAILABLE;
    }
    if (rc == INTEGRATION_NOT_FOUND) {
        fprintf(stderr, "vs-sync run: organisation %s has no MightyCall integration\n", org);
        db_close(db);
        return EXIT_FAILURE_;
    }
    char integration_id[40];
    snprintf(integration_id, sizeof integration_id, "%s", it.id);
    integration_wipe(&it);
    int nf = 0, nu = 0, nd = 0;
    /* all: queue every type first, so the journal window that the calls job
     * reads counts as read after the voicemails and sms jobs were queued (one
     * journal request for the three, docs/sync.md) */
    for (int i = 0; all && i < SYNC_TYPE_COUNT; i++) {
        char job_id[40];
        bool created = false;
        if (sync_job_enqueue(db, org, integration_id, sync_types[i], since[0] ? since : NULL, "cli", NULL, job_id,
                             &created) != DB_OK) {
            fprintf(stderr, "vs-sync run: cannot queue the %s job\n", sync_types[i]);
            db_close(db);
            return EXIT_UNAVAILABLE;
        }
    }
    for (int i = 0; i < SYNC_TYPE_COUNT; i++) {
        const char *t = all ? sync_types[i] : type;
        if (run_type(cfg, db, org, integration_id, t, since, lease, &nf, &nu, &nd) == DB_UNAVAILABLE)
            break;
        if (!all)
            break;
    }
    db_close(db);
    return sync_exit_code(nf, nu, nd);
}
