/* handlers.h — the route groups exported by each handlers/ file. */
#ifndef VS_HANDLERS_H
#define VS_HANDLERS_H

#include "../router.h"

extern const route health_routes[];

#endif
