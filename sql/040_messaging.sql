-- 040: messaging and real time — SMS numbers settings, SMS threads, the SMS
-- send pipeline (idempotent requests, per-message outbox, per-org rate
-- window), MightyCall webhook events and agent status. Owned by the messaging
-- area (040–049). Tenant data: org_id leads every index, DATETIME(3) UTC,
-- deleting an org cascades. Secrets are secretbox ciphertexts ("v1:" +
-- base64) under the config master_key.

-- Texting numbers of an org (seed 003 "SMS numbers settings"). At most one
-- default per org is enforced here (unique default_slot); "at least one while
-- any exist" by core/sms_numbers.c (first number becomes the default, deleting
-- the default promotes the oldest remaining one).
CREATE TABLE sms_numbers (
  id                 UUID NOT NULL DEFAULT UUID() PRIMARY KEY,
  org_id             UUID NOT NULL,
  phone_number       VARCHAR(32) NOT NULL,          -- E.164 (core/phone.c)
  label              VARCHAR(200) NOT NULL DEFAULT '',
  is_default         TINYINT(1) NOT NULL DEFAULT 0,
  default_slot       TINYINT AS (IF(is_default, 1, NULL)) PERSISTENT,
  mightycall_key_enc TEXT NULL,                     -- secretbox of the per-number MightyCall user key; never returned
  key_updated_at     DATETIME(3) NULL,
  created_by         UUID NULL,                     -- users.id (no FK: users may go)
  created_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY sms_numbers_org_number (org_id, phone_number),
  UNIQUE KEY sms_numbers_one_default (org_id, default_slot),
  KEY sms_numbers_org_created (org_id, created_at, id),
  CONSTRAINT sms_numbers_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One thread per (business number, contact number) of an org. Messages the
-- API writes (sends, webhooks) get their thread at once; messages written by
-- the sync (sms_messages.thread_id NULL) are filed by sms_threads_attach()
-- (core/sms_threads.c) before threads or the live feed are read, so threads
-- never depend on who wrote a message. Unread counts and the last message are
-- computed from sms_messages when read; last_message_at orders the list.
CREATE TABLE sms_threads (
  id                 UUID NOT NULL DEFAULT UUID() PRIMARY KEY,
  org_id             UUID NOT NULL,
  business_number    VARCHAR(32) NOT NULL,
  contact_number     VARCHAR(32) NOT NULL,
  last_message_at    DATETIME(3) NOT NULL,
  last_read_at       DATETIME(3) NULL,              -- last mark-read
  created_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY sms_threads_pair (org_id, business_number, contact_number),
  KEY sms_threads_org_last (org_id, last_message_at, id),
  KEY sms_threads_org_contact (org_id, contact_number),
  CONSTRAINT sms_threads_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The live feed reads changed messages by (org_id, updated_at).
ALTER TABLE sms_messages ADD KEY sms_messages_org_updated (org_id, updated_at);

-- One row per POST …/sms/send (or thread reply): the idempotency record.
-- idempotency_key is the client's Idempotency-Key header, or one we made up.
-- request_hash (SHA-256 of from, to[], message) tells a retry from a reuse of
-- the key for another request (409).
CREATE TABLE sms_send_requests (
  id                 UUID NOT NULL DEFAULT UUID() PRIMARY KEY,
  org_id             UUID NOT NULL,
  idempotency_key    VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  client_key         TINYINT(1) NOT NULL DEFAULT 0,
  request_hash       CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  created_by         UUID NULL,
  created_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY sms_send_requests_key (org_id, idempotency_key),
  KEY sms_send_requests_org_created (org_id, created_at),
  CONSTRAINT sms_send_requests_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Delivery state of each message sent through the API (one upstream request
-- per recipient, so each message has its own MightyCall id and key):
--   pending  stored, not tried yet
--   sending  a worker is talking to MightyCall (lease: last_attempt_at)
--   unknown  tried, outcome unknown (timeout, connection lost, 5xx): the
--            message stays 'queued' until reconciled — a retry with the same
--            upstream Idempotency-Key, or the journal (sync) showing it
--   done     sent or failed for certain (sms_messages.status says which)
CREATE TABLE sms_outbox (
  message_id         UUID NOT NULL PRIMARY KEY,
  org_id             UUID NOT NULL,
  request_id         UUID NOT NULL,
  seq                SMALLINT UNSIGNED NOT NULL,    -- position in the request's to[]
  upstream_key       VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  sms_number_id      UUID NULL,                     -- whose per-number key is used (NULL: the integration's)
  state              VARCHAR(16) NOT NULL DEFAULT 'pending',
  attempts           INT UNSIGNED NOT NULL DEFAULT 0,
  last_attempt_at    DATETIME(3) NULL,
  last_error         VARCHAR(500) NULL,             -- plain words, never a secret
  resolved_by        VARCHAR(16) NULL,              -- send | retry | journal
  created_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  CONSTRAINT sms_outbox_state_chk CHECK (state IN ('pending','sending','unknown','done')),
  UNIQUE KEY sms_outbox_upstream_key (upstream_key),
  KEY sms_outbox_org_state (org_id, state, created_at),
  KEY sms_outbox_request (request_id, seq),
  CONSTRAINT sms_outbox_message_fk FOREIGN KEY (message_id) REFERENCES sms_messages(id) ON DELETE CASCADE,
  CONSTRAINT sms_outbox_request_fk FOREIGN KEY (request_id) REFERENCES sms_send_requests(id) ON DELETE CASCADE,
  CONSTRAINT sms_outbox_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE,
  CONSTRAINT sms_outbox_number_fk FOREIGN KEY (sms_number_id) REFERENCES sms_numbers(id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Per-org SMS rate limit: messages accepted per UTC minute (fixed window).
CREATE TABLE sms_rate_windows (
  org_id             UUID NOT NULL,
  window_start       DATETIME NOT NULL,
  messages           INT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, window_start),
  CONSTRAINT sms_rate_windows_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every MightyCall webhook event received, once: dedup_key is the event's
-- Guid (or "sha256:" + hash of the payload when it has none). Unknown event
-- types are stored too. payload is the event as received minus ApiKey.
CREATE TABLE call_events (
  id                 UUID NOT NULL DEFAULT UUID() PRIMARY KEY,
  org_id             UUID NOT NULL,
  integration_id     UUID NULL,
  dedup_key          VARCHAR(80) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  event_guid         VARCHAR(64) NULL,
  event_type         VARCHAR(64) NOT NULL,
  call_external_id   VARCHAR(64) NULL,              -- Body.Id (= calls.external_id)
  from_number        VARCHAR(32) NULL,
  to_number          VARCHAR(32) NULL,
  extension          VARCHAR(16) NULL,
  occurred_at        DATETIME(3) NOT NULL,          -- the event's Timestamp (UTC)
  received_at        DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  payload            JSON NOT NULL,
  UNIQUE KEY call_events_dedup (org_id, dedup_key),
  KEY call_events_org_call (org_id, call_external_id, occurred_at),
  KEY call_events_org_received (org_id, received_at, id),
  KEY call_events_org_type (org_id, event_type, occurred_at),
  CONSTRAINT call_events_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE,
  CONSTRAINT call_events_integration_fk FOREIGN KEY (integration_id) REFERENCES integrations(id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Agent status: the current one per (org, user) and every change.
-- A member without a row is "offline" (never set).
CREATE TABLE agent_status (
  org_id             UUID NOT NULL,
  user_id            UUID NOT NULL,
  status             VARCHAR(16) NOT NULL,          -- available | dnd
  since              DATETIME(3) NOT NULL,
  updated_by         UUID NULL,                     -- acting user (NULL: API key / service)
  upstream           VARCHAR(16) NOT NULL DEFAULT 'skipped',  -- pushed | skipped (no integration)
  updated_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (org_id, user_id),
  KEY agent_status_org_status (org_id, status),
  KEY agent_status_org_updated (org_id, updated_at),
  CONSTRAINT agent_status_chk CHECK (status IN ('available','dnd')),
  CONSTRAINT agent_status_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE,
  CONSTRAINT agent_status_user_fk FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE agent_status_history (
  id                 BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  org_id             UUID NOT NULL,
  user_id            UUID NOT NULL,
  status             VARCHAR(16) NOT NULL,
  previous_status    VARCHAR(16) NULL,              -- NULL: was offline (never set)
  changed_by         UUID NULL,
  upstream           VARCHAR(16) NOT NULL DEFAULT 'skipped',
  changed_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY agent_status_history_user (org_id, user_id, changed_at),
  KEY agent_status_history_org (org_id, changed_at),
  CONSTRAINT agent_status_history_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE,
  CONSTRAINT agent_status_history_user_fk FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
