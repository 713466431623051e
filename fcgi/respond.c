/* respond.c — owns serialisation of responses: status line, content type
 * (JSON from a tree or already as text, or a handler's other text body), extra headers, X-Request-Id, body. */
#include "respond.h"

#include <stdlib.h>
#include <string.h>

void respond_write(FCGX_Request *fr, const vs_response *res, bool head_only, const char *request_id)
{
    char *body = NULL;
    const char *out;
    size_t len;
    bool json_text = res->text && !res->content_type;
    if (res->text) {
        out = res->text;
        len = (res->text_len ? res->text_len : strlen(res->text)) + (json_text ? 1 : 0); /* + its newline */
    } else {
        body = json_dumps(res->body, RESPOND_JSON_FLAGS);
        out = body;
        len = body ? strlen(body) + 1 : 0; /* + the trailing newline */
    }
    /* 204 and 304 have no body, so no Content-Type/Content-Length either
     * (RFC 9110 §15.3.5, §15.4.5): a client would wait for the bytes */
    if (res->status == 204 || res->status == 304) {
        head_only = true;
        len = 0;
    }
    /* libfcgi's own printf lacks %zu: format headers with snprintf */
    char head[6144];
    int n = (res->status == 204 || res->status == 304)
                ? snprintf(head, sizeof head, "Status: %d %s\r\nCache-Control: no-store\r\n", res->status,
                           http_status_reason(res->status))
                : snprintf(head, sizeof head,
                     "Status: %d %s\r\n"
                     "Content-Type: %s\r\n"
                     "Content-Length: %zu\r\n"
                     "Cache-Control: no-store\r\n",
                     res->status, http_status_reason(res->status),
                     res->content_type ? res->content_type : "application/json; charset=utf-8", len);
    if (request_id && *request_id && n > 0 && (size_t)n < sizeof head)
        n += snprintf(head + n, sizeof head - (size_t)n, "X-Request-Id: %s\r\n", request_id);
    for (int i = 0; i < res->nextra && n > 0 && (size_t)n < sizeof head; i++)
        n += snprintf(head + n, sizeof head - (size_t)n, "%s\r\n", res->extra_headers[i]);
    if (n < 0 || (size_t)n >= sizeof head - 2) /* cannot happen with the bounds above; never read past head */
        n = (int)strlen(head);
    if (n >= 0 && (size_t)n + 2 < sizeof head)
        n += snprintf(head + n, sizeof head - (size_t)n, "\r\n");
    FCGX_PutStr(head, n, fr->out);
    if (!head_only && out) {
        if (res->text && !json_text) {
            FCGX_PutStr(out, (int)len, fr->out);
        } else {
            FCGX_PutStr(out, (int)len - 1, fr->out);
            FCGX_PutChar('\n', fr->out);
        }
    }
    free(body);
}
