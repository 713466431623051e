/* request.h — serve one accepted FastCGI request end to end. */
#ifndef VS_REQUEST_H
#define VS_REQUEST_H

#include <fcgiapp.h>

#include "platform/config.h"

void request_serve(FCGX_Request *fr, const vs_config *cfg);

#endif
