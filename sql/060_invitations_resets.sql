-- 060: invitations (an org admin invites an e-mail; the person becomes a
-- member only when they accept) and one-time password-reset links.
-- Tokens are random 32-byte strings given out once (in the mail, or shown to
-- the inviting admin when no mail is configured); only their SHA-256 is kept.

CREATE TABLE org_invitations (
  id          UUID NOT NULL DEFAULT UUID(),
  org_id      UUID NOT NULL,
  -- normalised like users.email; one invitation per (org, e-mail): inviting
  -- again renews it (new token, new expiry, the newer role)
  email       VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  role        ENUM('org_admin', 'manager', 'agent') NOT NULL,
  token_hash  CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL, -- SHA-256 hex of the current token
  invited_by  UUID NULL,
  created_at  DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  sent_at     DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),  -- last (re)send: a new token each time
  expires_at  DATETIME(3) NOT NULL,
  accepted_at DATETIME(3) NULL,
  accepted_by UUID NULL,
  revoked_at  DATETIME(3) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_org_invitations_org_email (org_id, email),
  UNIQUE KEY uq_org_invitations_token (token_hash),
  KEY ix_org_invitations_org_created (org_id, created_at),
  KEY ix_org_invitations_email (email),
  CONSTRAINT fk_org_invitations_org FOREIGN KEY (org_id) REFERENCES orgs (id) ON DELETE CASCADE,
  CONSTRAINT fk_org_invitations_invited_by FOREIGN KEY (invited_by) REFERENCES users (id) ON DELETE SET NULL,
  CONSTRAINT fk_org_invitations_accepted_by FOREIGN KEY (accepted_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE password_resets (
  id         UUID NOT NULL DEFAULT UUID(),
  user_id    UUID NOT NULL,
  token_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  expires_at DATETIME(3) NOT NULL,
  used_at    DATETIME(3) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_password_resets_token (token_hash),
  KEY ix_password_resets_user (user_id, created_at),
  CONSTRAINT fk_password_resets_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
