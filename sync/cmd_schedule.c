/* cmd_schedule.c — `vs-sync schedule`: enqueue the periodic syncs of every
 * active MightyCall integration. A type is due when its last completed job is
 * older than its interval (calls, sms, voicemails 15 min; recordings, contacts,
 * reports 1 h; phone numbers, extensions 6 h) or it never ran; an active job of
 * that org and type is never duplicated. Run by vs-sync-schedule.timer. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "platform/page.h"
#include "platform/text.h"
#include "platform/log.h"
#include "mightycall/sync_jobs.h"

static void usage(FILE *to)
{
    fprintf(to, "usage: vs-sync schedule [--org ID] [--all]\n\n"
                "Queue the periodic syncs that are due for every active MightyCall integration\n"
                "(--org: one organisation; --all: every type now, ignoring intervals).\n\n"
                "exit codes: 0 ok, 2 usage, 3 database unavailable\n");
}

static long interval_s(const char *type)
{
    if (!strcmp(type, "calls") || !strcmp(type, "sms") || !strcmp(type, "voicemails"))
        return 15 * 60;
    if (!strcmp(type, "phone_numbers") || !strcmp(type, "extensions"))
        return 6 * 3600;
    return 3600;
}

int cmd_schedule(const vs_config *cfg, int argc, char **argv)
{
    const char *org = NULL;
    bool all = false;
    static const struct option opts[] = {
        {"org", required_argument, 0, 'o'}, {"all", no_argument, 0, 'a'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int o;
    optind = 1;
    while ((o = getopt_long(argc, argv, "o:ah", opts, NULL)) != -1) {
        switch (o) {
        case 'o': org = optarg; break;
        case 'a': all = true; break;
        case 'h': usage(stdout); return EXIT_OK;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    if (cli_args_done("schedule", argc, org, usage))
        return EXIT_USAGE;
    db_conn *db = db_open(cfg);
    json_t *rows = NULL;
    db_param p[] = {DBP_STR(org)};
    int rc = db_query(db,
                      "SELECT id, org_id FROM integrations WHERE integration_type = 'mightycall' AND status <> "
                      "'disabled' AND (? IS NULL OR org_id = ?) ORDER BY created_at",
                      (db_param[]){p[0], p[0]}, 2, &rows);
    if (rc != DB_OK) {
        fprintf(stderr, "vs-sync schedule: database unavailable\n");
        db_close(db);
        return EXIT_UNAVAILABLE;
    }
    int queued = 0, integrations = 0;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *iid = json_string_value(json_object_get(row, "id"));
        const char *oid = json_string_value(json_object_get(row, "org_id"));
        integrations++;
        for (int t = 0; t < SYNC_TYPE_COUNT; t++) {
            const char *type = sync_types[t];
            if (!all) {
                long long due = 0;
                db_param q[] = {DBP_STR(oid), DBP_STR(type), DBP_INT(interval_s(type) - 30)};
                rc = db_query_int(db,
                                  "SELECT COUNT(*) = 0 FROM sync_jobs WHERE org_id = ? AND type = ? AND "
                                  "status = 'completed' AND completed_at > NOW(3) - INTERVAL ? SECOND",
                                  q, 3, &due);
                if (rc != DB_OK)
                    break;
                if (!due)
                    continue;
            }
            char job_id[40];
            bool created = false;
            rc = sync_job_enqueue(db, oid, iid, type, NULL, "schedule", NULL, job_id, &created);
            if (rc != DB_OK)
                break;
            queued += created;
        }
        if (rc != DB_OK)
            break;
    }
    json_decref(rows);
    db_close(db);
    if (rc != DB_OK) {
        fprintf(stderr, "vs-sync schedule: database %s\n", rc == DB_UNAVAILABLE ? "unavailable" : "error");
        return rc == DB_UNAVAILABLE ? EXIT_UNAVAILABLE : EXIT_FAILURE_;
    }
    printf("schedule: %d job(s) queued for %d integration(s)\n", queued, integrations);
    log_info("schedule: %d job(s) queued for %d integration(s)", queued, integrations);
    return EXIT_OK;
}
