-- 055: login throttling without lockout (docs/authorization.md, "Login
-- throttling"). One counter row per (kind, subject), updated by a single
-- INSERT … ON DUPLICATE KEY UPDATE so parallel attempts are counted exactly:
--   pair    subject = "<email>\n<client address>": attempts of that account from
--           that address in the current window (a success gives its slot back)
--   ip      subject = client address: attempts from it for any account
--   account subject = email: failures from every address (per-account back-off)
-- login_attempts (010) is no longer written; it stays for older binaries.
CREATE TABLE login_counters (
  kind         ENUM('pair', 'ip', 'account', 'service') NOT NULL,
  subject      VARCHAR(320) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  n            INT NOT NULL DEFAULT 0,
  window_start DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  last_fail_at DATETIME(3) NULL,
  PRIMARY KEY (kind, subject),
  KEY ix_login_counters_window (window_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
