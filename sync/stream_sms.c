/* stream_sms.c — SMS are journal entries of type Message and MessageThread
 * (the thread head), stored by the shared journal window (journal.c: window
 * [cursor − 1 h, now], first run 366 days, widened to the calls' and
 * voicemails' cursors when they may be judged; external_id = requestGuid, the
 * messages/send id of messages sent through the API). When the window was
 * read after this job was queued (by the calls or voicemails job of the same
 * run) the job asks MightyCall nothing; either way it ends by matching sends
 * of unknown outcome. */
#include <stdio.h>
#include <string.h>

#include "messaging/sms_send.h"
#include "sync.h"

sync_result stream_sms(sync_ctx *ctx)
{
    if (!ctx->since[0] && sync_journal_fresh(ctx)) {
        bool unfinished = false;
        if (sync_cursor_load(ctx, "sms") != DB_OK)
            return sync_from_db(ctx, DB_UNAVAILABLE, "reading the cursor");
        unfinished = ctx->run_state != NULL;
        if (!unfinished) {
            log_info("sync sms: the journal window was read after this job was queued; no request");
            int resolved = 0;
            int rc = sms_reconcile_org(ctx->db, ctx->org_id, &resolved);
            return rc == DB_OK ? SYNC_OK : sync_from_db(ctx, rc, "matching sent messages of unknown outcome");
        }
    }
    return sync_journal_read(ctx);
}
