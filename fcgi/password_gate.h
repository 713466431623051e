/* password_gate.h — the one door of every password guess: a login and the
 * current password of a password change pass through the same throttle
 * (identity/login_throttle.h, docs/authorization.md "Login throttling"),
 * counted per (account, client address) with the per-address limit and the
 * per-account back-off, so a guess costs the same allowance whichever route
 * makes it and the owner from another address is never slowed. */
#ifndef VS_PASSWORD_GATE_H
#define VS_PASSWORD_GATE_H

#include <stdbool.h>

#include "http.h"

/* Reserve one evaluation of a password of account email (normalised) from the
 * request's address. false: res holds the answer (429 + Retry-After, or a
 * database error) and the password must not be evaluated. true: evaluate it,
 * then call password_gate_result(). */
bool password_gate_open(vs_request *req, vs_response *res, const char *email, const char *refusal);

/* The evaluated password was right (the account's counters clear) or wrong
 * (counted). false: res holds a database error. */
bool password_gate_result(vs_request *req, vs_response *res, const char *email, bool right);

#endif
