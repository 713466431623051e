/* log.c — owns the process-wide log level and the logfmt line format. */
#include "platform/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static log_level current_level = LOG_INFO;
static const char *level_names[] = {"debug", "info", "warn", "error"};

void log_set_level(log_level lvl) { current_level = lvl; }

bool log_enabled(log_level lvl) { return lvl >= current_level; }

log_level log_level_from_str(const char *s)
{
    for (int i = 0; i < 4; i++)
        if (s && strcmp(s, level_names[i]) == 0)
            return (log_level)i;
    return LOG_INFO;
}

static bool bare_ok(const char *v)
{
    if (!*v)
        return false;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p <= ' ' || *p == '"' || *p == '=' || *p == '\\' || *p >= 0x7f)
            return false;
    return true;
}

size_t logfmt_value(char *out, size_t len, size_t cap, const char *value)
{
    if (len + 1 >= cap)
        return len;
    if (bare_ok(value)) {
        size_t n = strlen(value);
        if (len + n >= cap)
            n = cap - 1 - len;
        memcpy(out + len, value, n);
        len += n;
        out[len] = 0;
        return len;
    }
    /* quoted: reserve room for both quotes and the NUL */
    if (len + 3 > cap)
        return len;
    out[len++] = '"';
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        char esc[8];
        size_t n;
        switch (*p) {
        case '"': n = (size_t)snprintf(esc, sizeof esc, "\\\""); break;
        case '\\': n = (size_t)snprintf(esc, sizeof esc, "\\\\"); break;
        case '\n': n = (size_t)snprintf(esc, sizeof esc, "\\n"); break;
        case '\r': n = (size_t)snprintf(esc, sizeof esc, "\\r"); break;
        case '\t': n = (size_t)snprintf(esc, sizeof esc, "\\t"); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                n = (size_t)snprintf(esc, sizeof esc, "\\u%04x", *p);
            else
                esc[0] = (char)*p, esc[1] = 0, n = 1;
        }
        if (len + n + 2 > cap)
            break;
        memcpy(out + len, esc, n);
        len += n;
    }
    out[len++] = '"';
    out[len] = 0;
    return len;
}

static void field_raw(log_fields *f, const char *key, const char *value, bool quote_ok)
{
    char tmp[sizeof f->buf];
    size_t n = (size_t)snprintf(tmp, sizeof tmp, "%s%s=", f->len ? " " : "", key);
    if (n >= sizeof tmp)
        return;
    n = quote_ok ? logfmt_value(tmp, n, sizeof tmp, value) : n + (size_t)snprintf(tmp + n, sizeof tmp - n, "%s", value);
    if (n >= sizeof tmp || f->len + n >= sizeof f->buf)
        return; /* does not fit: drop the whole field */
    memcpy(f->buf + f->len, tmp, n + 1);
    f->len += n;
    if (strcmp(key, "pid") == 0 || strcmp(key, "worker") == 0)
        f->has_pid = true;
}

void lf_str(log_fields *f, const char *key, const char *value) { field_raw(f, key, value ? value : "-", true); }

void lf_int(log_fields *f, const char *key, long long value)
{
    char v[32];
    snprintf(v, sizeof v, "%lld", value);
    field_raw(f, key, v, false);
}

void lf_num(log_fields *f, const char *key, double value, int decimals)
{
    char v[48];
    snprintf(v, sizeof v, "%.*f", decimals, value);
    field_raw(f, key, v, false);
}

static void emit(log_level lvl, const char *msg, const log_fields *f)
{
    char line[4096];
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = (size_t)snprintf(line, sizeof line, "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ level=%s msg=",
                                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                                ts.tv_nsec / 1000000, level_names[lvl]);
    size_t room = sizeof line - 32; /* keep space for " pid=N\n" */
    n = logfmt_value(line, n, room, msg);
    if (f && f->len && n + 1 + f->len < room) {
        line[n++] = ' ';
        memcpy(line + n, f->buf, f->len);
        n += f->len;
    }
    if (!f || !f->has_pid)
        n += (size_t)snprintf(line + n, sizeof line - n, " pid=%d", (int)getpid());
    line[n++] = '\n';
    /* one write per line so lines from threads never interleave */
    fwrite(line, 1, n, stderr);
}

void log_event(log_level lvl, const char *msg, const log_fields *f)
{
    if (lvl < current_level)
        return;
    emit(lvl, msg, f);
}

void log_msg(log_level lvl, const char *fmt, ...)
{
    if (lvl < current_level)
        return;
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    emit(lvl, msg, NULL);
}
