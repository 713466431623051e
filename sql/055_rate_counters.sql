-- 055: fixed-window counters for limits the workers apply after
-- authentication (docs/authorization.md, "Login throttling" and "Rate
-- limits"). One row per (kind, subject), bumped by a single
-- INSERT … ON DUPLICATE KEY UPDATE n = LAST_INSERT_ID(…) (core/platform/
-- rate_counter.c), so parallel requests are counted exactly:
--   pair    "<email>\n<client address>": login attempts of that account from
--           that address in the window (a success gives its slot back)
--   ip      client address: login attempts from it for any account
--   account email: failed logins from every address (per-account back-off)
--   service client address: wrong x-service-key values
--   sync    org id (lowercase): sync triggers of the org
-- login_attempts (010) is no longer written; it stays for older binaries.
CREATE TABLE rate_counters (
  kind         VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  subject      VARCHAR(320) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  n            INT NOT NULL DEFAULT 0,
  window_start DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  last_fail_at DATETIME(3) NULL,
  PRIMARY KEY (kind, subject),
  KEY ix_rate_counters_window (window_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
