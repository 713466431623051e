/* sms_opt_out.h — texting opt-out (sql/066): a contact that texted STOP,
 * STOPALL, UNSUBSCRIBE, CANCEL, END or QUIT to a business number is opted
 * out for that number until it texts START or UNSTOP. The state is kept by a
 * trigger on sms_messages (every inbound path: sync, webhooks); this module
 * answers "may we text them?" for a send. */
#ifndef VS_SMS_OPT_OUT_H
#define VS_SMS_OPT_OUT_H

#include <jansson.h>

#include "platform/db.h"
#include "platform/result.h"

/* The recipients (array of E.164 strings) opted out of texts from
 * business_number: *out a new array of {contact_number, keyword, since}
 * (empty when every recipient may be texted). */
vs_result sms_opted_out(db_conn *db, const char *org_id, const char *business_number, json_t *recipients,
                        json_t **out);

#endif
