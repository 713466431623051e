/* cmd_org.c — `vs-sync org …`: organisations from the shell (bootstrap, demo).
 *   org create --name N [--timezone TZ]               prints the new id
 *   org add-member --org ID|SLUG --email E --role R   R: org_admin | manager | agent
 *   org list [--json]
 * Same rules as the REST API (core/identity/orgs.c, core/identity/members.c): slug from the
 * name and unique, time zone from mysql.time_zone_name, activity recorded. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
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

static int parse(int argc, char **argv, struct opts *o)
{
    static const struct option longopts[] = {
        {"name", required_argument, 0, 'n'}, {"timezone", required_argument, 0, 't'},
        {"org", required_argument, 0, 'o'},  {"email", required_argument, 0, 'e'},
        {"role", required_argument, 0, 'r'}, {"json", no_argument, 0, 'j'},
        {0, 0, 0, 0}};
    int c;
    memset(o, 0, sizeof *o);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'n': o->name = optarg; break;
        case 't': o->timezone = optarg; break;
        case 'o': o->org = optarg; break;
        case 'e': o->email = optarg; break;
        case 'r': o->role = optarg; break;
        case 'j': o->json = true; break;
        default: return usage_error("unknown or incomplete option");
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument");
    return 0;
}

static int org_create_cmd(db_conn *db, const struct opts *o)
{
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

static int org_add_member_cmd(db_conn *db, const struct opts *o)
{
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

static int org_list_cmd(db_conn *db, const struct opts *o)
{
    json_t *rows = NULL;
    long long total = 0;
    int rc = org_list(db, 0, 1000000, &rows, &total);
    if (rc != DB_OK)
        return db_failure("list", rc);
    if (o->json) {
        char *s = json_dumps(rows, JSON_INDENT(2));
        printf("%s\n", s ? s : "[]");
        free(s);
    } else {
        printf("%-36s  %-32s  %-24s  %-7s  %s\n", "ID", "SLUG", "TIMEZONE", "MEMBERS", "NAME");
        size_t i;
        json_t *r;
        json_array_foreach(rows, i, r)
        {
            printf("%-36s  %-32s  %-24s  %-7lld  %s\n", json_string_value(json_object_get(r, "id")),
                   json_string_value(json_object_get(r, "slug")), json_string_value(json_object_get(r, "timezone")),
                   (long long)json_integer_value(json_object_get(r, "member_count")),
                   json_string_value(json_object_get(r, "name")));
        }
    }
    json_decref(rows);
    return EXIT_OK;
}

int cmd_org(const vs_config *cfg, int argc, char **argv)
{
    if (argc < 2)
        return usage_error("missing subcommand (create, add-member, list)");
    const char *sub = argv[1];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        print_usage(stdout);
        return EXIT_OK;
    }
    struct opts o;
    int rc = parse(argc - 1, argv + 1, &o);
    if (rc)
        return rc;
    if (strcmp(sub, "create") != 0 && strcmp(sub, "add-member") != 0 && strcmp(sub, "list") != 0)
        return usage_error("unknown subcommand");
    db_conn *db = db_open(cfg);
    if (!db)
        return EXIT_FAILURE_;
    if (strcmp(sub, "create") == 0)
        rc = org_create_cmd(db, &o);
    else if (strcmp(sub, "add-member") == 0)
        rc = org_add_member_cmd(db, &o);
    else
        rc = org_list_cmd(db, &o);
    db_close(db);
    return rc;
}
