-- 050: operations — counters that both binaries (vs-api workers and vs-sync
-- runs, on any host) add to, read by GET /metrics. One row per (name, label);
-- writers use INSERT … ON DUPLICATE KEY UPDATE value = value + 1, so the
-- increment is atomic without a read. Not tenant data: no org_id, never
-- deleted with an org. label is a low-cardinality key (an integration id, or
-- '' for a global counter).
--   mc_token_refreshes / <integration_id>: new MightyCall access tokens fetched
CREATE TABLE ops_counters (
  name               VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  label              VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  value              BIGINT UNSIGNED NOT NULL DEFAULT 0,
  updated_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (name, label)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Webhook events by type for /metrics: an index-only GROUP BY instead of
-- reading every stored payload.
ALTER TABLE call_events ADD KEY call_events_type (event_type);
