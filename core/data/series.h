/* series.h — the four time-series lists of an org (GET /api/orgs/:orgId/calls,
 * /sms, /recordings, /voicemails): newest first, date span, keyset cursor,
 * exact totals from the counters (core/data/data_list.h dl_series_page), and
 * the values their filters accept. The filter slots of dl_dims are: number
 * (the business number, E.164), d1 direction, d2 status, type. */
#ifndef VS_SERIES_H
#define VS_SERIES_H

#include "data/data_list.h"

extern const dl_series calls_series;      /* filters: number, direction, status, type */
extern const dl_series sms_series;        /* number, direction, status */
extern const dl_series recordings_series; /* number, direction */
extern const dl_series voicemails_series; /* number, status */

extern const char *const call_directions[];    /* inbound, outbound (calls, sms, recordings) */
extern const char *const call_statuses[];      /* connected, missed, voicemail, … */
extern const char *const call_types[];         /* inbound, outbound, missed */
extern const char *const sms_statuses[];       /* queued, sent, delivered, failed, received */
extern const char *const voicemail_statuses[]; /* unread, read */

#endif
