/* respond.h — the one writer: a vs_response becomes FastCGI output here. */
#ifndef VS_RESPOND_H
#define VS_RESPOND_H

#include <fcgiapp.h>

#include "http.h"

void respond_write(FCGX_Request *fr, const vs_response *res, bool head_only);

#endif
