/* result.h — the one result type of core: every core function a handler
 * calls returns a vs_result. The DB_ codes of platform/db.h are members of it
 * (same values), so a DB failure passes through unchanged; the other members
 * name what went wrong in the domain's terms. fcgi/result_status.c maps each
 * member to an HTTP status, SPEC error code and default message (the only
 * such table); the sync binary maps them to its exit codes and log lines. */
#ifndef VS_RESULT_H
#define VS_RESULT_H

typedef enum {
    VS_OK = 0,
    /* storage (platform/db.h names them DB_*) */
    VS_ERR_INTERNAL = -1,    /* DB_ERROR: anything unexpected, logged where it happened */
    VS_ERR_UNAVAILABLE = -2, /* DB_UNAVAILABLE: the database is unreachable */
    VS_ERR_DUPLICATE = -3,   /* DB_DUPLICATE: a unique key is taken */
    VS_ERR_FOREIGN_KEY = -4, /* DB_FOREIGN_KEY: referenced row missing / still referenced */
    VS_ERR_BUSY = -5,        /* DB_DEADLOCK: deadlock or lock wait timeout */
    /* domain outcomes */
    VS_ERR_NOT_FOUND = 1,    /* the resource (or one it needs) does not exist or is not visible */
    VS_ERR_CONFLICT,         /* the state forbids it: last admin, stale etag, key reuse, … */
    VS_ERR_INVALID,          /* input that passed the edge but the domain refuses */
    VS_ERR_UNAUTHORIZED,     /* credentials missing, wrong, expired or revoked */
    VS_ERR_EXPIRED,          /* authentic, but too old (a signed event outside its window) */
    VS_ERR_FORBIDDEN,        /* authenticated, but this is not allowed (disabled, …) */
    VS_ERR_TOO_LARGE,        /* a payload over its bound */
    VS_ERR_LIMIT,            /* a count or range over its bound (numbers per org, report days) */
    VS_ERR_NO_INTEGRATION,   /* the org has no usable MightyCall integration */
    VS_ERR_RATE_LIMITED,     /* our own rate limit: retry later */
    VS_ERR_QUOTA,            /* the MightyCall daily request budget is used up */
    VS_ERR_UPSTREAM,         /* MightyCall refused or failed */
    VS_ERR_UPSTREAM_DOWN,    /* MightyCall could not be reached (after every retry) */
    VS_ERR_SECRET,           /* a stored secret cannot be sealed or opened (master key) */
    VS_ERR_PARTIAL,          /* MightyCall applied a change that could not be stored here */
} vs_result;

/* "VS_ERR_NOT_FOUND" → "not_found"-style short name for logs and the CLI. */
const char *vs_result_name(vs_result rc);

#endif
