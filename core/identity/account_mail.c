/* account_mail.c — owns the wording of account mail (see account_mail.h). */
#include "identity/account_mail.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "identity/invitations.h"
#include "identity/account_password.h"
#include "platform/log.h"

void account_link(const vs_config *cfg, const char *kind, const char *token, char out[ACCOUNT_LINK_MAX])
{
    size_t n = strlen(cfg->public_url);
    while (n > 0 && cfg->public_url[n - 1] == '/')
        n--;
    snprintf(out, ACCOUNT_LINK_MAX, "%.*s/#/%s?token=%s", (int)n, cfg->public_url, kind, token);
}

void account_mail_invitation(const vs_config *cfg, const char *email, const char *org_name, const char *role,
                             const char *token, mail_outcome *out)
{
    char link[ACCOUNT_LINK_MAX], subject[900], body[2400];
    account_link(cfg, "invite", token, link);
    snprintf(subject, sizeof subject, "You are invited to %s on VictorySync", org_name);
    snprintf(body, sizeof body,
             "Hello,\n\nyou have been invited to join %s on VictorySync as %s.\n\n"
             "Open this link to accept (it works once and expires in %d days):\n\n%s\n\n"
             "If you already have an account, sign in and accept the invitation.\n"
             "If you did not expect this, ignore this message: nothing happens until you accept.\n",
             org_name, role, INVITATION_TTL_DAYS, link);
    mail_send(cfg, email, subject, body, out);
    sodium_memzero(link, sizeof link);
    sodium_memzero(body, sizeof body);
}

void account_mail_reset(const vs_config *cfg, const char *email, const char *token, mail_outcome *out)
{
    char link[ACCOUNT_LINK_MAX], body[1600];
    account_link(cfg, "reset", token, link);
    snprintf(body, sizeof body,
             "Hello,\n\nsomeone asked to reset the password of your VictorySync account.\n\n"
             "Open this link to choose a new password (it works once and expires in %d minutes):\n\n%s\n\n"
             "If you did not ask for this, ignore this message: your password stays as it is.\n",
             RESET_TTL_MINUTES, link);
    mail_send(cfg, email, "Reset your VictorySync password", body, out);
    sodium_memzero(link, sizeof link);
    sodium_memzero(body, sizeof body);
}

struct reset_job {
    const vs_config *cfg;
    char email[255];
    char token[OTT_LEN + 1];
};

static void *reset_thread(void *arg)
{
    struct reset_job *job = arg;
    mail_outcome mo; /* a failure is logged by mail.c */
    account_mail_reset(job->cfg, job->email, job->token, &mo);
    sodium_memzero(job, sizeof *job);
    free(job);
    return NULL;
}

void account_mail_reset_background(const vs_config *cfg, const char *email, const char *token)
{
    struct reset_job *job = calloc(1, sizeof *job);
    if (!job) {
        log_warn("mail: reset link not sent: out of memory");
        return;
    }
    job->cfg = cfg;
    snprintf(job->email, sizeof job->email, "%s", email);
    snprintf(job->token, sizeof job->token, "%s", token);
    pthread_attr_t attr;
    pthread_t t;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &attr, reset_thread, job) != 0) {
        log_warn("mail: reset link not sent: cannot start a thread");
        sodium_memzero(job, sizeof *job);
        free(job);
    }
    pthread_attr_destroy(&attr);
}
