/* cmd_user.c — `vs-sync user …`: administer users from the shell.
 *   user create --email E --name N [--platform-admin]   password on stdin; prints the new id
 *   user set-password --email E                         password on stdin; ends all sessions
 *   user grant-admin --email E
 *   user list [--json]
 * Passwords are read from stdin (prompted without echo on a terminal), never
 * from the command line, where other users could read them in ps. */
#include <getopt.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "commands.h"
#include "platform/db.h"
#include "platform/page.h"
#include "platform/text.h"
#include "identity/password.h"
#include "identity/users.h"

#define PW_BUF (PASSWORD_MAX_LEN + 8)

static void print_usage(FILE *to)
{
    fprintf(to,
            "usage: vs-sync user create --email E --name N [--platform-admin]  (password on stdin)\n"
            "       vs-sync user set-password --email E                        (password on stdin)\n"
            "       vs-sync user grant-admin --email E\n"
            "       vs-sync user list [--json]\n"
            "exit codes: 0 ok, 1 failed (exists / not found), 2 usage or invalid input, 3 database unavailable\n");
}

static int usage_error(const char *msg) { return cli_usage_error("user", msg, print_usage); }

static int db_failure(const char *what, int rc) { return cli_db_failure("user", what, rc); }

/* One line from fd 0 without its newline; echo off on a terminal. */
static bool read_line(const char *prompt, char *buf, size_t bufsz)
{
    bool tty = isatty(STDIN_FILENO);
    struct termios old, quiet;
    if (tty) {
        fprintf(stderr, "%s", prompt);
        fflush(stderr);
        tcgetattr(STDIN_FILENO, &old);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    bool ok = fgets(buf, (int)bufsz, stdin) != NULL;
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    if (!ok)
        return false;
    size_t n = strlen(buf);
    if (n && buf[n - 1] == '\n')
        buf[--n] = 0;
    else if (n == bufsz - 1)
        return false; /* longer than any acceptable password */
    if (n && buf[n - 1] == '\r')
        buf[--n] = 0;
    return true;
}

/* Reads and checks a new password into pw; returns 0 or an exit code. */
static int read_new_password(char pw[PW_BUF])
{
    if (!read_line("Password: ", pw, PW_BUF)) {
        fprintf(stderr, "vs-sync user: expected the password on stdin (one line, 8 to 256 bytes)\n");
        return EXIT_USAGE;
    }
    if (!password_is_acceptable(pw) || utf8_chars(pw) < 0) {
        fprintf(stderr, "vs-sync user: password must be 8 to 256 bytes of UTF-8 text without control characters\n");
        return EXIT_USAGE;
    }
    if (isatty(STDIN_FILENO)) {
        char again[PW_BUF];
        bool same = read_line("Repeat password: ", again, sizeof again) && strcmp(again, pw) == 0;
        sodium_memzero(again, sizeof again);
        if (!same) {
            fprintf(stderr, "vs-sync user: passwords do not match\n");
            return EXIT_USAGE;
        }
    }
    return 0;
}

struct opts {
    const char *email, *name;
    bool platform_admin, json;
};

static int parse(int argc, char **argv, struct opts *o)
{
    static const struct option longopts[] = {{"email", required_argument, 0, 'e'},
                                             {"name", required_argument, 0, 'n'},
                                             {"platform-admin", no_argument, 0, 'a'},
                                             {"json", no_argument, 0, 'j'},
                                             {"password", required_argument, 0, 'p'},
                                             {0, 0, 0, 0}};
    int c;
    memset(o, 0, sizeof *o);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'e': o->email = optarg; break;
        case 'n': o->name = optarg; break;
        case 'a': o->platform_admin = true; break;
        case 'j': o->json = true; break;
        case 'p': return usage_error("passwords are read from stdin, never from the command line");
        default: return usage_error("unknown or incomplete option");
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument");
    return 0;
}

static int need_email(const struct opts *o, char email[USER_EMAIL_MAX + 1])
{
    if (!o->email)
        return usage_error("--email is required");
    if (!user_email_normalize(o->email, email, USER_EMAIL_MAX + 1))
        return usage_error("--email is not a valid email address");
    return 0;
}

static int user_create_cmd(const vs_config *cfg, db_conn *db, const struct opts *o)
{
    char email[USER_EMAIL_MAX + 1], pw[PW_BUF], hash[PASSWORD_HASH_SIZE], id[UUID_STR_LEN + 1];
    int rc = need_email(o, email);
    if (rc)
        return rc;
    if (!o->name)
        return usage_error("--name is required");
    const char *problem = user_name_problem(o->name);
    if (problem) {
        fprintf(stderr, "vs-sync user: --name %s\n", problem);
        return EXIT_USAGE;
    }
    if ((rc = read_new_password(pw)))
        return rc;
    password_set_cost((unsigned long long)cfg->password_opslimit, (size_t)cfg->password_memlimit_kib * 1024);
    rc = password_hash(pw, hash);
    sodium_memzero(pw, sizeof pw);
    if (rc != 0) {
        fprintf(stderr, "vs-sync user: cannot hash the password (out of memory?)\n");
        return EXIT_FAILURE_;
    }
    rc = user_create(db, email, o->name, hash, o->platform_admin, id);
    sodium_memzero(hash, sizeof hash);
    if (rc == DB_DUPLICATE) {
        fprintf(stderr, "vs-sync user: a user with email %s already exists\n", email);
        return EXIT_FAILURE_;
    }
    if (rc != DB_OK)
        return db_failure("create", rc);
    printf("%s\n", id);
    fprintf(stderr, "vs-sync user: created %s%s (%s)\n", email, o->platform_admin ? " as platform admin" : "", id);
    return EXIT_OK;
}

static int user_set_password_cmd(const vs_config *cfg, db_conn *db, const struct opts *o)
{
    char email[USER_EMAIL_MAX + 1], pw[PW_BUF], hash[PASSWORD_HASH_SIZE];
    int rc = need_email(o, email);
    if (rc)
        return rc;
    if ((rc = read_new_password(pw)))
        return rc;
    password_set_cost((unsigned long long)cfg->password_opslimit, (size_t)cfg->password_memlimit_kib * 1024);
    rc = password_hash(pw, hash);
    sodium_memzero(pw, sizeof pw);
    if (rc != 0) {
        fprintf(stderr, "vs-sync user: cannot hash the password (out of memory?)\n");
        return EXIT_FAILURE_;
    }
    bool found = false;
    rc = user_set_password(db, email, hash, &found);
    sodium_memzero(hash, sizeof hash);
    if (rc != DB_OK)
        return db_failure("set-password", rc);
    if (!found) {
        fprintf(stderr, "vs-sync user: no user with email %s\n", email);
        return EXIT_FAILURE_;
    }
    fprintf(stderr, "vs-sync user: password of %s changed; existing sessions ended\n", email);
    return EXIT_OK;
}

static int user_grant_admin_cmd(db_conn *db, const struct opts *o)
{
    char email[USER_EMAIL_MAX + 1];
    int rc = need_email(o, email);
    if (rc)
        return rc;
    bool found = false;
    rc = user_grant_admin(db, email, &found);
    if (rc != DB_OK)
        return db_failure("grant-admin", rc);
    if (!found) {
        fprintf(stderr, "vs-sync user: no user with email %s\n", email);
        return EXIT_FAILURE_;
    }
    fprintf(stderr, "vs-sync user: %s is a platform admin\n", email);
    return EXIT_OK;
}

static int user_list_cmd(db_conn *db, const struct opts *o)
{
    json_t *rows = NULL;
    int rc = user_list(db, &rows);
    if (rc != DB_OK)
        return db_failure("list", rc);
    if (o->json) {
        char *s = json_dumps(rows, JSON_INDENT(2));
        printf("%s\n", s ? s : "[]");
        free(s);
    } else {
        printf("%-36s  %-32s  %-14s  %-20s  %s\n", "ID", "EMAIL", "ROLE", "CREATED", "NAME");
        size_t i;
        json_t *r;
        json_array_foreach(rows, i, r)
        {
            printf("%-36s  %-32s  %-14s  %-20s  %s\n", json_string_value(json_object_get(r, "id")),
                   json_string_value(json_object_get(r, "email")),
                   json_string_value(json_object_get(r, "global_role")),
                   json_string_value(json_object_get(r, "created_at")),
                   json_string_value(json_object_get(r, "full_name")));
        }
    }
    json_decref(rows);
    return EXIT_OK;
}

int cmd_user(const vs_config *cfg, int argc, char **argv)
{
    if (argc < 2)
        return usage_error("missing subcommand (create, set-password, grant-admin, list)");
    const char *sub = argv[1];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        print_usage(stdout);
        return EXIT_OK;
    }
    struct opts o;
    int rc = parse(argc - 1, argv + 1, &o);
    if (rc)
        return rc;
    bool known = strcmp(sub, "create") == 0 || strcmp(sub, "set-password") == 0 ||
                 strcmp(sub, "grant-admin") == 0 || strcmp(sub, "list") == 0;
    if (!known)
        return usage_error("unknown subcommand");
    db_conn *db = db_open(cfg);
    if (!db)
        return EXIT_FAILURE_;
    if (strcmp(sub, "create") == 0)
        rc = user_create_cmd(cfg, db, &o);
    else if (strcmp(sub, "set-password") == 0)
        rc = user_set_password_cmd(cfg, db, &o);
    else if (strcmp(sub, "grant-admin") == 0)
        rc = user_grant_admin_cmd(db, &o);
    else
        rc = user_list_cmd(db, &o);
    db_close(db);
    return rc;
}
