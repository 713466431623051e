/* cmd_user.c — `vs-sync user …`: administer users from the shell.
 *   user create --email E --name N [--platform-admin]   password on stdin; prints the new id
 *   user set-password --email E                         password on stdin; ends all sessions
 *   user grant-admin --email E
 *   user list [--json]
 * Passwords are read from stdin (prompted without echo on a terminal), never
 * from the command line, where other users could read them in ps. */
#include <stddef.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "subcommands.h"
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

/* Reads a new password from stdin and hashes it at the configured cost; the
 * clear text is wiped. 0 or an exit code. */
static int new_password_hash(const vs_config *cfg, char hash[PASSWORD_HASH_SIZE])
{
    char pw[PW_BUF];
    int rc = read_new_password(pw);
    if (rc)
        return rc;
    password_set_cost((unsigned long long)cfg->password_opslimit, (size_t)cfg->password_memlimit_kib * 1024);
    rc = password_hash(pw, hash);
    sodium_memzero(pw, sizeof pw);
    if (rc != 0) {
        fprintf(stderr, "vs-sync user: cannot hash the password (out of memory?)\n");
        return EXIT_FAILURE_;
    }
    return 0;
}

/* The outcome of an update of the user with email: db failure, no such user or 0. */
static int user_updated(const char *what, int rc, bool found, const char *email)
{
    if (rc != DB_OK)
        return db_failure(what, rc);
    if (!found) {
        fprintf(stderr, "vs-sync user: no user with email %s\n", email);
        return EXIT_FAILURE_;
    }
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

static int user_create_cmd(const vs_config *cfg, db_conn *db, const void *opts)
{
    const struct opts *o = opts;
    char email[USER_EMAIL_MAX + 1], hash[PASSWORD_HASH_SIZE], id[UUID_STR_LEN + 1];
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
    if ((rc = new_password_hash(cfg, hash)))
        return rc;
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

static int user_set_password_cmd(const vs_config *cfg, db_conn *db, const void *opts)
{
    const struct opts *o = opts;
    char email[USER_EMAIL_MAX + 1], hash[PASSWORD_HASH_SIZE];
    int rc = need_email(o, email);
    if (rc)
        return rc;
    if ((rc = new_password_hash(cfg, hash)))
        return rc;
    bool found = false;
    rc = user_set_password(db, email, hash, &found);
    sodium_memzero(hash, sizeof hash);
    if ((rc = user_updated("set-password", rc, found, email)))
        return rc;
    fprintf(stderr, "vs-sync user: password of %s changed; existing sessions ended\n", email);
    return EXIT_OK;
}

static int user_grant_admin_cmd(const vs_config *cfg, db_conn *db, const void *opts)
{
    (void)cfg;
    const struct opts *o = opts;
    char email[USER_EMAIL_MAX + 1];
    int rc = need_email(o, email);
    if (rc)
        return rc;
    bool found = false;
    rc = user_grant_admin(db, email, &found);
    if ((rc = user_updated("grant-admin", rc, found, email)))
        return rc;
    fprintf(stderr, "vs-sync user: %s is a platform admin\n", email);
    return EXIT_OK;
}

static int user_list_cmd(const vs_config *cfg, db_conn *db, const void *opts)
{
    (void)cfg;
    const struct opts *o = opts;
    json_t *rows = NULL;
    int rc = user_list(db, &rows);
    if (rc != DB_OK)
        return db_failure("list", rc);
    static const cli_column cols[] = {{"ID", "id", 36},
                                      {"EMAIL", "email", 32},
                                      {"ROLE", "global_role", 14},
                                      {"CREATED", "created_at", 20},
                                      {"NAME", "full_name", 0}};
    cli_print_rows(rows, o->json, cols);
    json_decref(rows);
    return EXIT_OK;
}

int cmd_user(const vs_config *cfg, int argc, char **argv)
{
    static const cli_option options[] = {
        {"email", CLI_STRING, offsetof(struct opts, email), NULL},
        {"name", CLI_STRING, offsetof(struct opts, name), NULL},
        {"platform-admin", CLI_FLAG, offsetof(struct opts, platform_admin), NULL},
        {"json", CLI_FLAG, offsetof(struct opts, json), NULL},
        {"password", CLI_REFUSED, 0, "passwords are read from stdin, never from the command line"},
        {NULL, 0, 0, NULL}};
    static const cli_subcommand subs[] = {{"create", user_create_cmd},
                                          {"set-password", user_set_password_cmd},
                                          {"grant-admin", user_grant_admin_cmd},
                                          {"list", user_list_cmd},
                                          {NULL, NULL}};
    struct opts o;
    const cli_group g = {"user", print_usage, options, subs, &o, sizeof o};
    return cli_group_run(&g, cfg, argc, argv);
}
