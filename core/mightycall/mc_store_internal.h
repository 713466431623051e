/* mc_store_internal.h — the pure piece of mc_store.c: the set of a page's
 * external_ids known to exist (sorted, no duplicates), visible for
 * tests/unit/test_mc_store.c. Not for other modules: they use mc_store.h. */
#ifndef VS_MC_STORE_INTERNAL_H
#define VS_MC_STORE_INTERNAL_H

#include <stdbool.h>

#include "mightycall/mc_store.h"

/* An empty set for table (NULL when out of memory); free with mc_known_free. */
mc_known *mc_known_new(const char *table);
void mc_known_add(mc_known *k, const char *id);
bool mc_known_has(const mc_known *k, const char *id);

#endif
