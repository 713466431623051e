/* data_version.h — the per-org data version lives in platform/data_version.h
 * (identity/ bumps it too); the data and messaging writers include it here. */
#ifndef VS_DATA_VERSION_H
#define VS_DATA_VERSION_H

#include "platform/data_version.h"

#endif
