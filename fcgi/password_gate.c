/* password_gate.c — owns the throttled evaluation of a password guess (see
 * password_gate.h). */
#include "password_gate.h"

#include "identity/login_throttle.h"
#include <jansson.h>

bool password_gate_open(vs_request *req, vs_response *res, const char *email, const char *refusal)
{
    long long wait = 0;
    int rc = login_throttle_begin(req->db, req->cfg, email, req->remote_addr, &wait);
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        return false;
    }
    if (wait > 0) {
        resp_result(res, VS_ERR_RATE_LIMITED, refusal, json_pack("{s:I}", "retry_after_seconds", (json_int_t)wait));
        return false;
    }
    return true;
}

bool password_gate_result(vs_request *req, vs_response *res, const char *email, bool right)
{
    int rc = right ? login_throttle_succeeded(req->db, email, req->remote_addr)
                   : login_throttle_failed(req->db, req->cfg, email, req->remote_addr);
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        return false;
    }
    return true;
}
