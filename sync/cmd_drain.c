/* cmd_drain.c — `vs-sync drain`: claim and run ready jobs (queued, or deferred
 * whose time has come) until none is left. Safe to run on several hosts at
 * once: jobs are claimed with SELECT … FOR UPDATE SKIP LOCKED; jobs whose
 * runner died are re-queued when their lease expires. SIGTERM/SIGINT: finish
 * the current job's page loop is not interrupted, no new job is claimed. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "platform/page.h"
#include "platform/text.h"
#include "platform/log.h"
#include "sync.h"

int sync_lease_arg(const char *s);

static volatile sig_atomic_t stop_requested;
static void on_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void usage(FILE *to)
{
    fprintf(to, "usage: vs-sync drain [--org ID] [--limit N] [--lease SECONDS]\n\n"
                "Process queued sync jobs (and deferred ones whose time has come) until none\n"
                "is left, then exit. --org limits it to one organisation, --limit to N jobs.\n"
                "--lease S: job lease in seconds (default 120); a runner that dies holds a\n"
                "job at most this long before another drain re-queues it.\n\n"
                "exit codes: 0 all completed (or nothing to do), 1 a job failed, 2 usage,\n"
                "3 database or MightyCall unavailable, 4 a job was deferred (quota)\n");
}

int cmd_drain(const vs_config *cfg, int argc, char **argv)
{
    const char *org = NULL;
    long limit = 0;
    int lease = 120;
    static const struct option opts[] = {{"org", required_argument, 0, 'o'},   {"limit", required_argument, 0, 'n'},
                                         {"lease", required_argument, 0, 'l'}, {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int o;
    optind = 1;
    while ((o = getopt_long(argc, argv, "o:n:l:h", opts, NULL)) != -1) {
        switch (o) {
        case 'o': org = optarg; break;
        case 'n': {
            char *end;
            limit = strtol(optarg, &end, 10);
            if (*end || limit < 1) {
                fprintf(stderr, "vs-sync drain: --limit must be a positive number\n");
                return EXIT_USAGE;
            }
            break;
        }
        case 'l':
            if ((lease = sync_lease_arg(optarg)) < 0) {
                fprintf(stderr, "vs-sync drain: --lease must be 2..86400 seconds\n");
                return EXIT_USAGE;
            }
            break;
        case 'h': usage(stdout); return EXIT_OK;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    if (cli_args_done("drain", argc, org, usage))
        return EXIT_USAGE;
    struct sigaction sa = {.sa_handler = on_stop};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    cli_progress_on_tty(cfg);
    db_conn *db = db_open(cfg);
    char owner[128];
    sync_owner_id(owner);
    int done = 0, nf = 0, nu = 0, nd = 0;
    bool db_down = false;
    while (!stop_requested && (limit == 0 || done < limit)) {
        long rq, fl;
        if (sync_requeue_expired(db, &rq, &fl) == DB_UNAVAILABLE) {
            db_down = true;
            break;
        }
        sync_ctx ctx;
        int c = sync_claim(db, NULL, org, owner, lease, &ctx);
        if (c < 0) {
            db_down = c == DB_UNAVAILABLE;
            if (!db_down)
                nf++;
            break;
        }
        if (c == 0)
            break;
        sync_result r = sync_run_job(cfg, db, &ctx);
        sync_report_job(&ctx, r);
        done++;
        if (r == SYNC_FAILED)
            nf++;
        else if (r == SYNC_UNAVAILABLE)
            nu++;
        else if (r == SYNC_DEFERRED)
            nd++;
    }
    db_close(db);
    if (db_down) {
        fprintf(stderr, "vs-sync drain: database unavailable\n");
        return EXIT_UNAVAILABLE;
    }
    printf("drain: %d job(s) run: %d completed, %d failed, %d deferred%s\n", done, done - nf - nu - nd, nf + nu, nd,
           stop_requested ? " (stopped by signal)" : "");
    return sync_exit_code(nf, nu, nd);
}
