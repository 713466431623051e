/* cmd_org.c — `vs-sync org …`: organisations from the shell (bootstrap, demo).
 *   org create --name N [--timezone TZ]               prints the new id
 *   org add-member --org ID|SLUG --email E --role R   R: org_admin | manager | agent
 *   org list [--json]
 * Same rules as the REST API (core/identity/orgs.c, core/identity/members.c): slug from the
 * name and unique, time zone from mysql.time_zone_name, activity recorded. */
#include <stddef.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "subcommands.h"
#include "platform/db.h"
#include "platform/page.h"
#include "platform/text.h"
#include "identity/members.h"
#include "identity/orgs.h"
#include "identity/users.h"

static void print_usage(FILE *to)
{
    fprintf(to, "usage: vs-sync org create --name N [--timezone TZ]\n"
                "       vs-sync org add-member --org ID|SLUG --email E --role org_admin|manager|agent\n"
                "       vs-sync org list [--json]\n"
                "exit codes: 0 ok, 1 failed (exists / not found), 2 usage or invalid input, 3 database unavailable\n");
}

static int usage_error(const char *msg) { return cli_usage_error("org", msg, print_usage); }

static int db_failure(const char *what, int rc) { return cli_db_failure("org", what, rc); }

struct opts {
    const char *name, *timezone, *org, *email, *role;
    bool json;
};

static int org_create_cmd(const vs_config *cfg, db_conn *db, const void *opts)
{
    (void)cfg;
    const struct opts *o = opts;
    char slug[SLUG_MAX_BYTES];
    const char *problem;
    if (!o->name)
        return usage_error("--name is required");
    if ((problem = org_name_problem(o->name, slug))) {
        fprintf(stderr, "vs-sync org: --name %s\n", problem);
        return EXIT_USAGE;
    }
    const char *tz = o->timezone ? o->timezone : ORG_DEFAULT_TZ;
    bool tz_ok = false;
    int rc = org_timezone_check(db, tz, &tz_ok);
    if (rc != DB_OK)
        return db_failure("create", rc);
    if (!tz_ok) {
        fprintf(stderr, "vs-sync org: --timezone must be an IANA time zone name such as America/New_York\n");
        return EXIT_USAGE;
    }
    org_new n = {.name = o->name, .slug = slug, .timezone = tz};
    json_t *org = NULL;
    rc = org_create(db, &n, &org);
    if (rc == DB_DUPLICATE) {
        fprintf(stderr, "vs-sync org: an organization with slug %s already exists\n", slug);
        return EXIT_FAILURE_;
    }
    if (rc != DB_OK || !org)
        return db_failure("create", rc == DB_OK ? DB_ERROR : rc);
    printf("%s\n", json_string_value(json_object_get(org, "id")));
    fprintf(stderr, "vs-sync org: created \"%s\" (%s)\n", o->name, slug);
    json_decref(org);
    return EXIT_OK;
}

static int org_add_member_cmd(const vs_config *cfg, db_conn *db, const void *opts)
{
    (void)cfg;
    const struct opts *o = opts;
    char email[USER_EMAIL_MAX + 1], org_id[UUID_STR_LEN + 1];
    if (!o->org || !o->email || !o->role)
        return usage_error("--org, --email and --role are required");
    if (!user_email_normalize(o->email, email, sizeof email))
        return usage_error("--email is not a valid email address");
    if (member_role_parse(o->role) == ORG_ROLE_NONE)
        return usage_error("--role must be org_admin, manager or agent");
    int rc;
    if (is_uuid(o->org)) {
        snprintf(org_id, sizeof org_id, "%s", o->org);
    } else {
        bool found = false;
        rc = org_id_by_slug(db, o->org, org_id, &found);
        if (rc != DB_OK)
            return db_failure("add-member", rc);
        if (!found) {
            fprintf(stderr, "vs-sync org: no organization %s\n", o->org);
            return EXIT_FAILURE_;
        }
    }
    json_t *member = NULL;
    rc = member_add(db, org_id, email, o->role, NULL, &member);
    if (rc == MEMBER_NO_SUCH_USER) {
        fprintf(stderr, "vs-sync org: no user with email %s\n", email);
        return EXIT_FAILURE_;
    }
    if (rc == DB_DUPLICATE) {
        fprintf(stderr, "vs-sync org: %s is already a member\n", email);
        return EXIT_FAILURE_;
    }
    if (rc == DB_FOREIGN_KEY) {
        fprintf(stderr, "vs-sync org: no organization %s\n", o->org);
        return EXIT_FAILURE_;
    }
    if (rc != DB_OK || !member)
        return db_failure("add-member", rc == DB_OK ? DB_ERROR : rc);
    printf("%s\n", json_string_value(json_object_get(member, "id")));
    fprintf(stderr, "vs-sync org: %s added as %s\n", email, o->role);
    json_decref(member);
    return EXIT_OK;
}

static int org_list_cmd(const vs_config *cfg, db_conn *db, const void *opts)
{
    (void)cfg;
    const struct opts *o = opts;
    json_t *rows = NULL;
    long long total = 0;
    int rc = org_list(db, 0, 1000000, &rows, &total);
    if (rc != DB_OK)
        return db_failure("list", rc);
    static const cli_column cols[] = {{"ID", "id", 36},
                                      {"SLUG", "slug", 32},
                                      {"TIMEZONE", "timezone", 24},
                                      {"MEMBERS", "member_count", 7},
                                      {"NAME", "name", 0}};
    cli_print_rows(rows, o->json, cols);
    json_decref(rows);
    return EXIT_OK;
}

int cmd_org(const vs_config *cfg, int argc, char **argv)
{
    static const cli_option options[] = {{"name", CLI_STRING, offsetof(struct opts, name), NULL},
                                         {"timezone", CLI_STRING, offsetof(struct opts, timezone), NULL},
                                         {"org", CLI_STRING, offsetof(struct opts, org), NULL},
                                         {"email", CLI_STRING, offsetof(struct opts, email), NULL},
                                         {"role", CLI_STRING, offsetof(struct opts, role), NULL},
                                         {"json", CLI_FLAG, offsetof(struct opts, json), NULL},
                                         {NULL, 0, 0, NULL}};
    static const cli_subcommand subs[] = {
        {"create", org_create_cmd}, {"add-member", org_add_member_cmd}, {"list", org_list_cmd}, {NULL, NULL}};
    struct opts o;
    const cli_group g = {"org", print_usage, options, subs, &o, sizeof o};
    return cli_group_run(&g, cfg, argc, argv);
}
