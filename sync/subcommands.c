/* subcommands.c — owns option parsing, sub-command dispatch and list output
 * of the commands with sub-commands (org, user); see subcommands.h. */
#include "subcommands.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define CLI_MAX_OPTIONS 16

static int parse(const cli_group *g, int argc, char **argv)
{
    struct option longopts[CLI_MAX_OPTIONS + 1];
    size_t n = 0;
    for (; g->options[n].name && n < CLI_MAX_OPTIONS; n++)
        longopts[n] = (struct option){g->options[n].name,
                                      g->options[n].kind == CLI_FLAG ? no_argument : required_argument, 0,
                                      (int)n + 1};
    longopts[n] = (struct option){0, 0, 0, 0};
    memset(g->opts, 0, g->opts_size);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c < 1 || (size_t)c > n)
            return cli_usage_error(g->cmd, "unknown or incomplete option", g->print_usage);
        const cli_option *o = &g->options[c - 1];
        char *field = (char *)g->opts + o->offset;
        switch (o->kind) {
        case CLI_STRING: *(const char **)(void *)field = optarg; break;
        case CLI_FLAG: *(bool *)(void *)field = true; break;
        case CLI_REFUSED: return cli_usage_error(g->cmd, o->refusal, g->print_usage);
        }
    }
    if (optind < argc)
        return cli_usage_error(g->cmd, "unexpected argument", g->print_usage);
    return 0;
}

int cli_group_run(const cli_group *g, const vs_config *cfg, int argc, char **argv)
{
    if (argc < 2) {
        char msg[256] = "missing subcommand (";
        for (const cli_subcommand *s = g->subcommands; s->name; s++) {
            if (s != g->subcommands)
                strncat(msg, ", ", sizeof msg - strlen(msg) - 1);
            strncat(msg, s->name, sizeof msg - strlen(msg) - 1);
        }
        strncat(msg, ")", sizeof msg - strlen(msg) - 1);
        return cli_usage_error(g->cmd, msg, g->print_usage);
    }
    const char *sub = argv[1];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        g->print_usage(stdout);
        return EXIT_OK;
    }
    int rc = parse(g, argc - 1, argv + 1);
    if (rc)
        return rc;
    const cli_subcommand *s = g->subcommands;
    while (s->name && strcmp(s->name, sub) != 0)
        s++;
    if (!s->name)
        return cli_usage_error(g->cmd, "unknown subcommand", g->print_usage);
    db_conn *db = db_open(cfg);
    if (!db)
        return EXIT_FAILURE_;
    rc = s->run(cfg, db, g->opts);
    db_close(db);
    return rc;
}

static void cell(json_t *row, const cli_column *c)
{
    json_t *v = json_object_get(row, c->key);
    char num[24];
    const char *s = json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
        s = num;
    }
    if (c->width)
        printf("%-*s  ", c->width, s ? s : "");
    else
        printf("%s\n", s ? s : "");
}

void cli_print_rows(json_t *rows, bool as_json, const cli_column *cols)
{
    if (as_json) {
        char *s = json_dumps(rows, JSON_INDENT(2));
        printf("%s\n", s ? s : "[]");
        free(s);
        return;
    }
    for (const cli_column *c = cols;; c++) {
        if (!c->width) {
            printf("%s\n", c->title);
            break;
        }
        printf("%-*s  ", c->width, c->title);
    }
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        for (const cli_column *c = cols;; c++) {
            cell(r, c);
            if (!c->width)
                break;
        }
    }
}
