-- 085_voicemail_read_state.sql — a voicemail marked read or unread in the
-- dashboard/API keeps that state: the sync's upsert leaves status alone once
-- status_set_at is set (core/mightycall/mc_store.c mc_store_voicemail).
ALTER TABLE voicemails
  ADD COLUMN status_set_at DATETIME(3) NULL AFTER status;
