-- 010: identity and tenancy — users, refresh tokens, orgs, memberships, org
-- API keys, the activity log and failed-login bookkeeping.
--
-- Ids are UUIDs made by the database: column DEFAULT UUID(), or id_new()
-- (core/ids.c: SELECT UUID()) when the code needs the id before the INSERT —
-- one generator for every area. Times are DATETIME(3) UTC.
-- Deleting an org CASCADES to its members, API keys and activity (and, by the
-- same rule, to every other area's tenant data keyed on org_id): a deleted
-- org's data is gone. Deleting a user cascades to their memberships and
-- refresh tokens; rows that merely mention a user as the actor (activity,
-- api_keys.created_by) keep existing with user_id set to NULL.

CREATE TABLE users (
  id                   UUID NOT NULL DEFAULT UUID(),
  -- normalised (ASCII letters lowercased) by the application; compared exactly
  email                VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  full_name            VARCHAR(200) NOT NULL,
  -- argon2id string; NULL = no password login (e.g. a Supabase-only user)
  password_hash        VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NULL,
  global_role          ENUM('user', 'platform_admin') NOT NULL DEFAULT 'user',
  -- access tokens issued before this instant are void (set on password change)
  sessions_valid_after DATETIME(3) NULL,
  created_at           DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at           DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY uq_users_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE refresh_tokens (
  id         UUID NOT NULL DEFAULT UUID(),
  user_id    UUID NOT NULL,
  -- one family per login; rotation keeps the family, replay revokes it
  family_id  UUID NOT NULL,
  token_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL, -- SHA-256 hex; the token itself is never stored
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  expires_at DATETIME(3) NOT NULL,
  used_at    DATETIME(3) NULL,
  revoked_at DATETIME(3) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_refresh_tokens_hash (token_hash),
  KEY ix_refresh_tokens_user (user_id, expires_at),
  KEY ix_refresh_tokens_family (family_id),
  CONSTRAINT fk_refresh_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE orgs (
  id         UUID NOT NULL DEFAULT UUID(),
  name       VARCHAR(200) NOT NULL,
  -- derived from name (core/slug.c); unique, so two names with one slug conflict (409)
  slug       VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  -- a name of mysql.time_zone_name (validated by the application)
  timezone   VARCHAR(64) NOT NULL DEFAULT 'UTC',
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY uq_orgs_slug (slug),
  KEY ix_orgs_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE org_members (
  id         UUID NOT NULL DEFAULT UUID(),
  org_id     UUID NOT NULL,
  user_id    UUID NOT NULL,
  role       ENUM('org_admin', 'manager', 'agent') NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY uq_org_members_org_user (org_id, user_id),
  KEY ix_org_members_org_created (org_id, created_at),
  KEY ix_org_members_user (user_id),
  CONSTRAINT fk_org_members_org FOREIGN KEY (org_id) REFERENCES orgs (id) ON DELETE CASCADE,
  CONSTRAINT fk_org_members_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE api_keys (
  id           UUID NOT NULL DEFAULT UUID(),
  org_id       UUID NOT NULL,
  name         VARCHAR(200) NOT NULL,
  key_prefix   VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL, -- first 12 chars, for display
  key_hash     CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,    -- SHA-256 hex of the key
  created_by   UUID NULL,
  created_at   DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  last_used_at DATETIME(3) NULL,     -- refreshed at most once a minute
  revoked_at   DATETIME(3) NULL,     -- revoked keys stay for the record, never authenticate
  PRIMARY KEY (id),
  UNIQUE KEY uq_api_keys_hash (key_hash),
  KEY ix_api_keys_org_created (org_id, created_at),
  CONSTRAINT fk_api_keys_org FOREIGN KEY (org_id) REFERENCES orgs (id) ON DELETE CASCADE,
  CONSTRAINT fk_api_keys_created_by FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE activity_log (
  id          UUID NOT NULL DEFAULT UUID(),
  org_id      UUID NULL,             -- NULL: platform-level event (e.g. org_deleted)
  user_id     UUID NULL,             -- the acting user; NULL for API key / service / system
  type        VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  description VARCHAR(1000) NOT NULL,
  created_at  DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  KEY ix_activity_org_created (org_id, created_at),
  KEY ix_activity_org_type_created (org_id, type, created_at),
  KEY ix_activity_user (user_id),
  CONSTRAINT fk_activity_org FOREIGN KEY (org_id) REFERENCES orgs (id) ON DELETE CASCADE,
  CONSTRAINT fk_activity_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per failed password login, per account (normalised email, known or
-- not) and per client IP; rows older than the throttle window are pruned.
CREATE TABLE login_attempts (
  id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  kind       ENUM('account', 'ip') NOT NULL,
  subject    VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  KEY ix_login_attempts_subject (kind, subject, created_at),
  KEY ix_login_attempts_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
