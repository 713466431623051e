/* log.h — one logger for both binaries: logfmt lines on stderr (journald picks
 * them up under systemd):
 *   ts=2024-01-20T14:30:00.123Z level=info msg="worker: 8 threads serving" pid=4242
 * log_info(...) etc. format a free-text message (quoted when needed);
 * structured events add key=value fields with a log_fields builder:
 *   log_fields f = {0};
 *   lf_str(&f, "route", pattern); lf_int(&f, "status", 200);
 *   log_event(LOG_INFO, "request", &f);
 * Values are quoted and escaped as needed, so any text is safe to pass.
 * Never pass secrets, tokens, keys, passwords, headers, bodies or phone
 * numbers to the logger. */
#ifndef VS_LOG_H
#define VS_LOG_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR } log_level;

void log_set_level(log_level lvl);
log_level log_level_from_str(const char *s);
bool log_enabled(log_level lvl);
void log_msg(log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

/* Fields of one structured line (fixed buffer; fields that do not fit are
 * dropped whole). */
typedef struct log_fields {
    char buf[1536];
    size_t len;
    bool has_pid; /* a field already names the process: no trailing pid= */
} log_fields;

void lf_str(log_fields *f, const char *key, const char *value); /* NULL → - */
void lf_int(log_fields *f, const char *key, long long value);
void lf_num(log_fields *f, const char *key, double value, int decimals);
/* ts= level= msg=<msg> <fields> pid= */
void log_event(log_level lvl, const char *msg, const log_fields *f);

/* Append "value" to out in logfmt form (bare when safe, else quoted and
 * escaped); returns the new length, never beyond cap - 1. */
size_t logfmt_value(char *out, size_t len, size_t cap, const char *value);

#endif
