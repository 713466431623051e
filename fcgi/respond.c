/* respond.c — owns serialisation of responses: status line, JSON headers,
 * extra headers, compact JSON body. */
#include "respond.h"

#include <stdlib.h>
#include <string.h>

void respond_write(FCGX_Request *fr, const vs_response *res, bool head_only)
{
    char *body = json_dumps(res->body, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY | JSON_REAL_PRECISION(12));
    size_t len = body ? strlen(body) : 0;
    /* libfcgi's own printf lacks %zu: format headers with snprintf */
    char head[1024];
    int n = snprintf(head, sizeof head,
                     "Status: %d %s\r\n"
                     "Content-Type: application/json; charset=utf-8\r\n"
                     "Content-Length: %zu\r\n"
                     "Cache-Control: no-store\r\n",
                     res->status, http_status_reason(res->status), body ? len + 1 : 0);
    for (int i = 0; i < res->nextra && n > 0 && (size_t)n < sizeof head; i++)
        n += snprintf(head + n, sizeof head - (size_t)n, "%s\r\n", res->extra_headers[i]);
    if (n > 0 && (size_t)n + 2 < sizeof head)
        n += snprintf(head + n, sizeof head - (size_t)n, "\r\n");
    FCGX_PutStr(head, n, fr->out);
    if (!head_only && body) {
        FCGX_PutStr(body, (int)len, fr->out);
        FCGX_PutChar('\n', fr->out);
    }
    free(body);
}
