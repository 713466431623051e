-- 070_activity_calls.sql — the activity feed records missed calls and
-- voicemails (from the sync and from webhooks) with a link to their call.
--   call_id: the call the entry links to (NULL when unknown; kept NULL when
--            the call is deleted)
--   ref_id:  what the entry is about (a call or a voicemail id), so each is
--            recorded once however often the sync or a webhook sees it
ALTER TABLE activity_log
  ADD COLUMN call_id UUID NULL AFTER description,
  ADD COLUMN ref_id UUID NULL AFTER call_id,
  ADD KEY ix_activity_org_ref (org_id, ref_id, type),
  ADD CONSTRAINT fk_activity_call FOREIGN KEY (call_id) REFERENCES calls (id) ON DELETE SET NULL;
