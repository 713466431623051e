-- 021: everything synced from MightyCall. Every table is tenant data: org_id
-- leads every index, rows are upserted on (org_id, external_id), times are
-- DATETIME(3) UTC. Columns the sync never writes (assignments, read state,
-- thread links, local notes) belong to the API and survive every re-sync.
-- updated_at only moves when an upsert really changed a column.

CREATE TABLE phone_numbers (
  id                 UUID NOT NULL DEFAULT UUID() PRIMARY KEY,
  org_id             UUID NOT NULL,
  integration_id     UUID NULL,
  external_id        VARCHAR(64) NOT NULL,   -- MightyCall objectGuid (or the number when absent)
  number             VARCHAR(32) NOT NULL,   -- E.164, e.g. +12125551234
  label              VARCHAR(200) NULL,
  status             VARCHAR(16) NOT NULL DEFAULT 'active',  -- active | inactive (disabled or deleted upstream)
  is_primary         TINYINT(1) NOT NULL DEFAULT 0,
  is_toll_free       TINYINT(1) NOT NULL DEFAULT 0,
  sms_enabled        TINYINT(1) NOT NULL DEFAULT 0,          -- MightyCall mayText
  sms_mode           VARCHAR(16) NULL,                       -- enabled | capable | disabled
  may_call           TINYINT(1) NOT NULL DEFAULT 1,
  upstream_last_used DATETIME(3) NULL,                       -- MightyCall lastUsed
  assigned_user_id   UUID NULL,                              -- set by the API, never by sync
  assigned_at        DATETIME(3) NULL,
  last_call_at       DATETIME(3) NULL,                       -- from stored calls
  deleted_upstream_at DATETIME(3) NULL,
  created_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  CONSTRAINT phone_numbers_status_chk CHECK (status IN ('active','inactive')),
  UNIQUE KEY phone_numbers_ext (org_id, external_id),
  KEY phone_numbers_org_number (org_id, number),
  KEY phone_numbers_org_status (org_id, status, number),
  KEY phone_numbers_org_created (org_id, created_at, id),
  KEY phone_numbers_org_assigned (org_id, assigned_user_id),
  CONSTRAINT phone_numbers_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE,
  CONSTRAINT phone_numbers_integration_fk FOREIGN KEY (integration_id) REFERENCES integrations(id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- MightyCall users (GET /team) with their extension (from the journal's agent
-- or GET /profile/{ext}). external_id = MightyCall user id.
CREATE TABLE extensions (
  id                 UUID NOT NULL DEFAULT UUID() PRIMARY KEY,
  org_id             UUID NOT NULL,
  integration_id     UUID NULL,
  external_id        VARCHAR(64) NOT NULL,
  extension          VARCHAR(16) NULL,        -- "101"
  display_name       VARCHAR(200) NULL,
  email              VARCHAR(254) NULL,
  role               VARCHAR(32) NULL,        -- admin | manager | agent | user (lower case)
  status             VARCHAR(16) NOT NULL DEFAULT 'active',  -- active | inactive (gone from /team)
  user_id            UUID NULL,               -- VictorySync user mapped by the API, never by sync
  created_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  CONSTRAINT extensions_status_chk CHECK (status IN ('active','inactive')),
  UNIQUE KEY extensions_ext (org_id, external_id),
  KEY extensions_org_extension (org_id, extension),
  KEY extensions_org_user (org_id, user_id),
  KEY extensions_org_created (org_id, created_at, id),
  CONSTRAINT extensions_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE,
  CONSTRAINT extensions_integration_fk FOREIGN KEY (integration_id) REFERENCES integrations(id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Calls: GET /calls merged with GET /journal/requests?type=Call (and webhook
-- events). external_id = MightyCall call id (= journal requestGuid = webhook Body.Id).
CREATE TABLE calls (
  id                 UUID NOT NULL DEFAULT UUID() PRIMARY KEY,
  org_id             UUID NOT NULL,
  integration_id     UUID NULL,
  external_id        VARCHAR(64) NOT NULL,
  journal_id         VARCHAR(64) NULL,        -- journal request id
  phone_number_id    UUID NULL,
  business_number    VARCHAR(32) NULL,        -- E.164
  direction          VARCHAR(8) NOT NULL,     -- inbound | outbound
  status             VARCHAR(16) NOT NULL,    -- connected | missed | voicemail | dropped | no_answer | canceled | ringing | in_progress | unknown
  caller_number      VARCHAR(32) NULL,
  caller_name        VARCHAR(200) NULL,
  called_number      VARCHAR(32) NULL,
  extension          VARCHAR(16) NULL,        -- handling (or first rung) extension
  agent_external_id  VARCHAR(64) NULL,        -- MightyCall user id of the agent (journal)
  agent_name         VARCHAR(200) NULL,
  agent_user_id      UUID NULL,               -- VictorySync user (via extensions.user_id), set by the API
  started_at         DATETIME(3) NOT NULL,
  ended_at           DATETIME(3) NULL,
  duration_seconds   INT UNSIGNED NOT NULL DEFAULT 0,
  queue_wait_seconds INT UNSIGNED NULL,
  recording_url      VARCHAR(1024) NULL,
  source             VARCHAR(16) NOT NULL DEFAULT 'calls',  -- calls | journal | webhook
  created_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  CONSTRAINT calls_direction_chk CHECK (direction IN ('inbound','outbound')),
  UNIQUE KEY calls_ext (org_id, external_id),
  KEY calls_org_started (org_id, started_at, id),
  KEY calls_org_business (org_id, business_number, started_at),
  KEY calls_org_phone (org_id, phone_number_id, started_at),
  KEY calls_org_status (org_id, status, started_at),
  KEY calls_org_direction (org_id, direction, started_at),
  KEY calls_org_agent (org_id, agent_user_id, started_at),
  KEY calls_org_extension (org_id, extension, started_at),
  KEY calls_org_caller (org_id, caller_number, started_at),
  KEY calls_org_updated (org_id, updated_at),
  CONSTRAINT calls_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE,
  CONSTRAINT calls_integration_fk FOREIGN KEY (integration_id) REFERENCES integrations(id) ON DELETE SET NULL,
  CONSTRAINT calls_phone_fk FOREIGN KEY (phone_number_id) REFERENCES phone_numbers(id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One recording per recorded call. external_id = the call's MightyCall id.
CREATE TABLE recordings (
  id                 UUID NOT NULL DEFAULT UUID() PRIMARY KEY,
  org_id             UUID NOT NULL,
  integration_id     UUID NULL,
  external_id        VARCHAR(64) NOT NULL,
  call_id            UUID NULL,               -- calls.id once the call is stored
  business_number    VARCHAR(32) NULL,
  caller_number      VARCHAR(32) NULL,
  direction          VARCHAR(8) NULL,
  extension          VARCHAR(16) NULL,
  duration_seconds   INT UNSIGNED NOT NULL DEFAULT 0,
  url                VARCHAR(1024) NOT NULL,
  file_name          VARCHAR(512) NULL,
  recorded_at        DATETIME(3) NOT NULL,
  created_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY recordings_ext (org_id, external_id),
  KEY recordings_org_recorded (org_id, recorded_at, id),
  KEY recordings_org_business (org_id, business_number, recorded_at),
  KEY recordings_org_call (org_id, call_id),
  CONSTRAINT recordings_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE,
  CONSTRAINT recordings_integration_fk FOREIGN KEY (integration_id) REFERENCES integrations(id) ON DELETE SET NULL,
  CONSTRAINT recordings_call_fk FOREIGN KEY (call_id) REFERENCES calls(id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- SMS: journal Message / MessageThread entries plus messages sent through the
-- API (messaging area). external_id = journal requestGuid (= messages/send id
-- for sent ones); NULL for a local message that never reached MightyCall.
CREATE TABLE sms_messages (
  id                 UUID NOT NULL DEFAULT UUID() PRIMARY KEY,
  org_id             UUID NOT NULL,
  integration_id     UUID NULL,
  external_id        VARCHAR(64) NULL,
  journal_id         VARCHAR(64) NULL,
  business_number    VARCHAR(32) NOT NULL,
  contact_number     VARCHAR(32) NOT NULL,
  direction          VARCHAR(8) NOT NULL,     -- inbound | outbound
  body               TEXT NOT NULL,
  status             VARCHAR(16) NOT NULL,    -- queued | sent | delivered | failed | received
  failure_reason     VARCHAR(500) NULL,
  is_thread_start    TINYINT(1) NOT NULL DEFAULT 0,  -- journal MessageThread head
  extension          VARCHAR(16) NULL,
  agent_external_id  VARCHAR(64) NULL,
  sent_by_user_id    UUID NULL,               -- set by the API for messages it sent
  attachments        JSON NULL,
  sent_at            DATETIME(3) NOT NULL,
  read_at            DATETIME(3) NULL,        -- set on first sync if upstream says read, then owned by the API
  thread_id          UUID NULL,               -- messaging area's thread (no FK here)
  source             VARCHAR(16) NOT NULL DEFAULT 'journal',  -- journal | api
  created_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  CONSTRAINT sms_messages_direction_chk CHECK (direction IN ('inbound','outbound')),
  CONSTRAINT sms_messages_status_chk CHECK (status IN ('queued','sent','delivered','failed','received')),
  UNIQUE KEY sms_messages_ext (org_id, external_id),
  KEY sms_messages_org_sent (org_id, sent_at, id),
  KEY sms_messages_org_business (org_id, business_number, sent_at),
  KEY sms_messages_org_contact (org_id, contact_number, sent_at),
  KEY sms_messages_org_conversation (org_id, business_number, contact_number, sent_at),
  KEY sms_messages_org_thread (org_id, thread_id, sent_at),
  KEY sms_messages_org_direction (org_id, direction, sent_at),
  CONSTRAINT sms_messages_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE,
  CONSTRAINT sms_messages_integration_fk FOREIGN KEY (integration_id) REFERENCES integrations(id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- GET /voicemails. external_id = voicemail id.
CREATE TABLE voicemails (
  id                 UUID NOT NULL DEFAULT UUID() PRIMARY KEY,
  org_id             UUID NOT NULL,
  integration_id     UUID NULL,
  external_id        VARCHAR(64) NOT NULL,
  call_id            UUID NULL,
  from_number        VARCHAR(32) NULL,
  to_number          VARCHAR(32) NULL,        -- business number
  assigned_to        VARCHAR(200) NULL,       -- user or voicemail box name
  duration_seconds   INT UNSIGNED NOT NULL DEFAULT 0,
  status             VARCHAR(16) NOT NULL DEFAULT 'unread',  -- unread | read
  recording_url      VARCHAR(1024) NULL,
  file_name          VARCHAR(512) NULL,
  transcription      TEXT NULL,
  received_at        DATETIME(3) NOT NULL,
  created_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY voicemails_ext (org_id, external_id),
  KEY voicemails_org_received (org_id, received_at, id),
  KEY voicemails_org_to (org_id, to_number, received_at),
  KEY voicemails_org_status (org_id, status, received_at),
  CONSTRAINT voicemails_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE,
  CONSTRAINT voicemails_integration_fk FOREIGN KEY (integration_id) REFERENCES integrations(id) ON DELETE SET NULL,
  CONSTRAINT voicemails_call_fk FOREIGN KEY (call_id) REFERENCES calls(id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Contacts (GET /contacts?updatedSince=). external_id = MightyCall contactId;
-- NULL while a contact created through the API has not reached MightyCall.
-- Deleted upstream → deleted_at set (the row stays so the API can answer 404s
-- and the sync stays idempotent).
CREATE TABLE contacts (
  id                 UUID NOT NULL DEFAULT UUID() PRIMARY KEY,
  org_id             UUID NOT NULL,
  integration_id     UUID NULL,
  external_id        VARCHAR(64) NULL,
  etag               VARCHAR(64) NULL,
  first_name         VARCHAR(200) NULL,
  last_name          VARCHAR(200) NULL,
  patronymic         VARCHAR(200) NULL,
  display_name       VARCHAR(400) NOT NULL DEFAULT '',
  primary_phone      VARCHAR(32) NULL,        -- first phone channel, E.164
  primary_email      VARCHAR(254) NULL,
  channels           JSON NULL,               -- [{channelId, labels[], phone|email}]
  tags               JSON NULL,
  comment            TEXT NULL,
  upstream_created_at DATETIME(3) NULL,
  upstream_updated_at DATETIME(3) NULL,       -- MightyCall "updated" (cursor of the stream)
  deleted_at         DATETIME(3) NULL,
  created_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY contacts_ext (org_id, external_id),
  KEY contacts_org_name (org_id, display_name),
  KEY contacts_org_phone (org_id, primary_phone),
  KEY contacts_org_email (org_id, primary_email),
  KEY contacts_org_created (org_id, created_at, id),
  KEY contacts_org_upstream_updated (org_id, upstream_updated_at),
  CONSTRAINT contacts_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE,
  CONSTRAINT contacts_integration_fk FOREIGN KEY (integration_id) REFERENCES integrations(id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Daily report per org, local day (orgs.timezone) and business number,
-- recomputed from calls for every touched day. answered = connected;
-- missed = every other call; answer_rate = 100 * answered / calls (percent);
-- avg_handle_seconds = total duration of answered calls / answered;
-- total_duration = sum of duration_seconds of all calls (seconds).
CREATE TABLE call_reports_daily (
  org_id             UUID NOT NULL,
  day                DATE NOT NULL,           -- local day in the org's time zone
  phone_number       VARCHAR(32) NOT NULL,    -- business number ('' when unknown)
  phone_number_id    UUID NULL,
  calls              INT UNSIGNED NOT NULL DEFAULT 0,
  answered           INT UNSIGNED NOT NULL DEFAULT 0,
  missed             INT UNSIGNED NOT NULL DEFAULT 0,
  inbound            INT UNSIGNED NOT NULL DEFAULT 0,
  outbound           INT UNSIGNED NOT NULL DEFAULT 0,
  voicemails         INT UNSIGNED NOT NULL DEFAULT 0,
  answer_rate        DECIMAL(5,2) NOT NULL DEFAULT 0,
  avg_handle_seconds DECIMAL(10,2) NOT NULL DEFAULT 0,
  total_duration     BIGINT UNSIGNED NOT NULL DEFAULT 0,
  computed_at        DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (org_id, day, phone_number),
  KEY call_reports_org_number_day (org_id, phone_number, day),
  CONSTRAINT call_reports_daily_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
