/* data_version.h — the per-org data version (sql/032_org_data_version.sql):
 * every write of an org's call data bumps it inside its own transaction, so
 * a response tagged with the version (fcgi/etag.c) is current exactly while
 * the version has not moved. In platform/ because identity/ writes data the
 * tagged lists show too (the member linked to an extension, an invitation
 * carrying one: identity/agent_link.h); data/data_version.h includes this. */
#ifndef VS_PLATFORM_DATA_VERSION_H
#define VS_PLATFORM_DATA_VERSION_H

#include "platform/db.h"

/* Add one to org_id's version (creating its row at 1). Call it inside the
 * transaction of the write, as late as possible (it takes the row's lock). */
int org_data_version_bump(db_conn *db, const char *org_id);
/* The same for the org of an SMS message (writers that hold only its id). */
int org_data_version_bump_of_sms(db_conn *db, const char *message_id);

#endif
