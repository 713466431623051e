/* mail.c — owns the SMTP transfer of outgoing mail (see mail.h). */
#include "platform/mail.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "platform/log.h"
#include "platform/mail_msg.h"
#include "platform/secretbox.h"

#define MAIL_CONNECT_TIMEOUT_S 10L
#define MAIL_TIMEOUT_S 30L

bool mail_configured(const vs_config *cfg) { return cfg->smtp_url[0] != 0; }

typedef struct {
    const char *p;
    size_t left;
} upload;

static size_t on_read(char *dst, size_t size, size_t nmemb, void *arg)
{
    upload *u = arg;
    size_t n = size * nmemb < u->left ? size * nmemb : u->left;
    memcpy(dst, u->p, n);
    u->p += n;
    u->left -= n;
    return n;
}

static void set_reason(mail_outcome *out, const char *reason)
{
    out->sent = false;
    snprintf(out->reason, sizeof out->reason, "%s", reason);
}

static const char *curl_reason(CURLcode rc, long smtp_code)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
        return "mail server unreachable";
    case CURLE_OPERATION_TIMEDOUT:
        return "mail server did not answer in time";
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
        return "TLS with the mail server failed";
    case CURLE_LOGIN_DENIED:
        return "mail server refused the credentials";
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
        return "connection to the mail server broke";
    default:
        break;
    }
    if (smtp_code >= 500)
        return "mail server refused the message";
    if (smtp_code >= 400)
        return "mail server deferred the message";
    return "mail could not be sent";
}

bool mail_send(const vs_config *cfg, const char *to, const char *subject, const char *body, mail_outcome *out)
{
    memset(out, 0, sizeof *out);
    if (!mail_configured(cfg)) {
        set_reason(out, "mail is not configured");
        return false;
    }
    char id[sodium_base64_ENCODED_LEN(18, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    random_token_b64url(id, 18);
    const char *why = NULL;
    mail_message m = {.from = cfg->smtp_from, .from_name = "VictorySync", .to = to, .subject = subject, .body = body};
    char *text = mail_build(&m, (long long)time(NULL), id, &why);
    if (!text) {
        log_warn("mail: message refused before sending: %s", why);
        set_reason(out, "message could not be built");
        return false;
    }
    CURL *k = curl_easy_init();
    if (!k) {
        free(text);
        set_reason(out, "mail could not be sent");
        return false;
    }
    char from[300], rcpt[300];
    snprintf(from, sizeof from, "<%s>", cfg->smtp_from);
    snprintf(rcpt, sizeof rcpt, "<%s>", to);
    struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
    upload u = {text, strlen(text)};
    curl_easy_setopt(k, CURLOPT_URL, cfg->smtp_url);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(k, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
    curl_easy_setopt(k, CURLOPT_PROTOCOLS, (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS));
#endif
    curl_easy_setopt(k, CURLOPT_USE_SSL, cfg->smtp_require_tls ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
    curl_easy_setopt(k, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(k, CURLOPT_SSL_VERIFYHOST, 2L);
    if (cfg->smtp_ca_file[0])
        curl_easy_setopt(k, CURLOPT_CAINFO, cfg->smtp_ca_file);
    if (cfg->smtp_user[0]) {
        curl_easy_setopt(k, CURLOPT_USERNAME, cfg->smtp_user);
        curl_easy_setopt(k, CURLOPT_PASSWORD, cfg->smtp_password);
    }
    curl_easy_setopt(k, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(k, CURLOPT_MAIL_RCPT, rcpts);
    curl_easy_setopt(k, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(k, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(k, CURLOPT_READDATA, &u);
    curl_easy_setopt(k, CURLOPT_INFILESIZE_LARGE, (curl_off_t)u.left);
    curl_easy_setopt(k, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(k, CURLOPT_CONNECTTIMEOUT, MAIL_CONNECT_TIMEOUT_S);
    curl_easy_setopt(k, CURLOPT_TIMEOUT, MAIL_TIMEOUT_S);
    CURLcode rc = curl_easy_perform(k);
    long code = 0;
    curl_easy_getinfo(k, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(rcpts);
    curl_easy_cleanup(k);
    sodium_memzero(text, strlen(text));
    free(text);
    if (rc != CURLE_OK) {
        set_reason(out, curl_reason(rc, code));
        log_warn("mail: send failed: %s (curl %d, smtp %ld)", out->reason, (int)rc, code);
        return false;
    }
    out->sent = true;
    return true;
}
