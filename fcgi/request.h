/* request.h — serve one accepted FastCGI request end to end. */
#ifndef VS_REQUEST_H
#define VS_REQUEST_H

#include <fcgiapp.h>
#include <stdbool.h>

#include "platform/config.h"

bool request_serve(FCGX_Request *fr, const vs_config *cfg); /* true: its body (if any) was read whole */

#endif
