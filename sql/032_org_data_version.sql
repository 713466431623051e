-- 032: a version number per org that every write of the org's call data
-- (sync page commits, webhook events, SMS sent and received, contact edits,
-- phone-number assignment, mark-read, agent status) bumps in its own
-- transaction (core/data/data_version.c). The API reads it in the caller's
-- identity round trip and answers a conditional GET (If-None-Match) of a
-- list, report or metrics with 304 when it has not moved (fcgi/etag.c).
-- A table of its own rather than a column of orgs: the bump takes a row lock
-- here, not on the orgs row every child insert's foreign key check reads.
-- No row = version 0.
CREATE TABLE org_data_versions (
  org_id     UUID NOT NULL,
  version    BIGINT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id),
  CONSTRAINT org_data_versions_org FOREIGN KEY (org_id) REFERENCES orgs (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
