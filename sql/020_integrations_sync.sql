-- 020: MightyCall integrations, shared token cache, request quota counters,
-- the sync-job queue and per-stream cursors. Owned by the integrations + sync
-- area (020–029). Secrets are secretbox ciphertexts ("v1:" + base64) made with
-- the config master_key: plaintext credentials are never stored.

CREATE TABLE integrations (
  id                 UUID NOT NULL DEFAULT UUID() PRIMARY KEY,
  org_id             UUID NOT NULL,
  integration_type   VARCHAR(32) NOT NULL DEFAULT 'mightycall',
  label              VARCHAR(200) NOT NULL DEFAULT '',
  status             VARCHAR(16) NOT NULL DEFAULT 'active',   -- active | disabled | error
  credentials_enc    TEXT NOT NULL,       -- secretbox of {"api_key","user_key","base_url"}
  key_fp             CHAR(64) NOT NULL,   -- keyed hash (master key) of api_key: quota bucket, never reversible
  webhook_secret_enc TEXT NOT NULL,       -- secretbox of the per-integration webhook URL secret
  last_sync_at       DATETIME(3) NULL,
  last_error         VARCHAR(500) NULL,   -- plain words, never a secret
  created_by         UUID NULL,           -- users.id of the creator (no FK: users may go)
  created_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  CONSTRAINT integrations_status_chk CHECK (status IN ('active','disabled','error')),
  UNIQUE KEY integrations_org_type (org_id, integration_type),
  KEY integrations_org_created (org_id, created_at, id),
  KEY integrations_status (status),
  CONSTRAINT integrations_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- MightyCall access tokens, shared by every process and host. One row per
-- integration; the refresher holds the row lock (SELECT … FOR UPDATE) while it
-- asks MightyCall, so concurrent processes wait and then reuse its token.
CREATE TABLE mc_tokens (
  integration_id     UUID NOT NULL PRIMARY KEY,
  access_token_enc   TEXT NULL,
  refresh_token_enc  TEXT NULL,
  expires_at         DATETIME(3) NULL,     -- upstream expiry (UTC)
  generation         INT UNSIGNED NOT NULL DEFAULT 0,  -- bumped on every new token
  requested_at       DATETIME(3) NULL,     -- last token request
  updated_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  CONSTRAINT mc_tokens_integration_fk FOREIGN KEY (integration_id) REFERENCES integrations(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every request sent to MightyCall (token requests included), per api_key
-- fingerprint and UTC day. Reserved before the request is sent, so the daily
-- quota (config mc_daily_quota) is never exceeded even by parallel processes.
-- Keyed by key_fp, not integration, because MightyCall's quota is per api_key
-- (several integrations or per-number SMS keys may share one).
CREATE TABLE mc_request_counts (
  key_fp             CHAR(64) NOT NULL,
  day                DATE NOT NULL,        -- UTC day
  integration_id     UUID NULL,            -- last integration that used the key (informational)
  requests           INT UNSIGNED NOT NULL DEFAULT 0,
  updated_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (key_fp, day),
  KEY mc_request_counts_integration (integration_id, day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The job queue. States: queued → running → completed | failed, plus
-- deferred (quota exhausted; run again at run_after). At most one active
-- (queued / running / deferred) job per org and type: enforced by the unique
-- key on the generated active_type column.
CREATE TABLE sync_jobs (
  id                 UUID NOT NULL DEFAULT UUID() PRIMARY KEY,
  org_id             UUID NOT NULL,
  integration_id     UUID NULL,
  type               VARCHAR(32) NOT NULL,  -- phone_numbers | extensions | calls | recordings | sms | voicemails | contacts | reports
  status             VARCHAR(16) NOT NULL DEFAULT 'queued',
  active_type        VARCHAR(32) AS (IF(status IN ('queued','running','deferred'), type, NULL)) PERSISTENT,
  trigger_source     VARCHAR(16) NOT NULL DEFAULT 'api',  -- api | schedule | cli | admin
  requested_by       UUID NULL,             -- users.id (no FK)
  since              DATETIME(3) NULL,      -- explicit start (date_from / --since); NULL = incremental
  attempts           INT UNSIGNED NOT NULL DEFAULT 0,
  max_attempts       INT UNSIGNED NOT NULL DEFAULT 5,
  synced_count       INT UNSIGNED NOT NULL DEFAULT 0,
  new_count          INT UNSIGNED NOT NULL DEFAULT 0,
  updated_count      INT UNSIGNED NOT NULL DEFAULT 0,
  pages_done         INT UNSIGNED NOT NULL DEFAULT 0,  -- progress while running
  items_done         INT UNSIGNED NOT NULL DEFAULT 0,
  requests_used      INT UNSIGNED NOT NULL DEFAULT 0,  -- MightyCall requests this job made
  error_message      VARCHAR(1000) NULL,    -- plain words, never a secret
  lease_owner        VARCHAR(128) NULL,     -- host:pid:random of the runner
  lease_expires_at   DATETIME(3) NULL,      -- renewed while running; past it the job is re-queued
  run_after          DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  created_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  started_at         DATETIME(3) NULL,
  completed_at       DATETIME(3) NULL,
  updated_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  CONSTRAINT sync_jobs_status_chk CHECK (status IN ('queued','running','completed','failed','deferred')),
  CONSTRAINT sync_jobs_type_chk CHECK (type IN ('phone_numbers','extensions','calls','recordings','sms','voicemails','contacts','reports')),
  UNIQUE KEY sync_jobs_one_active (org_id, active_type),
  KEY sync_jobs_claim (status, run_after),
  KEY sync_jobs_lease (status, lease_expires_at),
  KEY sync_jobs_org_created (org_id, created_at, id),
  KEY sync_jobs_org_type_created (org_id, type, created_at),
  KEY sync_jobs_created (created_at, id),
  CONSTRAINT sync_jobs_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE,
  CONSTRAINT sync_jobs_integration_fk FOREIGN KEY (integration_id) REFERENCES integrations(id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Incremental position of each stream of each integration. cursor_value is the
-- committed high-water mark (e.g. an ISO time); run_state__json holds the window
-- and page of an unfinished run so a killed job resumes where it stopped. Both
-- are written in the same transaction as the page's data.
CREATE TABLE sync_cursors (
  integration_id     UUID NOT NULL,
  stream             VARCHAR(32) NOT NULL,
  org_id             UUID NOT NULL,
  cursor_value       VARCHAR(255) NULL,
  run_state          JSON NULL,
  last_job_id        UUID NULL,
  updated_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (integration_id, stream),
  KEY sync_cursors_org (org_id, stream),
  CONSTRAINT sync_cursors_integration_fk FOREIGN KEY (integration_id) REFERENCES integrations(id) ON DELETE CASCADE,
  CONSTRAINT sync_cursors_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
