-- 030: the call-data API (reads of the 021 tables): maintained counters that
-- keep list totals, metrics and agent reports cheap at millions of rows, the
-- call type as the API shows it, and the indexes the list queries need.
-- Owned by the call data API area (030–039). Design: docs/performance.md.
--
-- Counters. For every row of calls, sms_messages, recordings and voicemails
-- the triggers below add (or, on update/delete, move or subtract) one unit in
-- three granularities — UTC hour, UTC day, all time — at two levels: a row per
-- dimension combination (kind 'call', 'sms', …: number, d1, d2) and one rollup
-- row per bucket (kind 'call_all', …) for questions without a filter; calls
-- also count per agent extension (kind 'agent'). A total over any date range
-- is then: whole days from data_counts_daily + whole hours from
-- data_counts_hourly + the partial hours at both ends counted exactly over the
-- table's (org_id, time) index. Exact at all times: the triggers run inside
-- the writer's transaction, whoever the writer is (sync, webhooks, API, SQL).
-- Org deletion cascades (foreign keys, no triggers) to the data and the
-- counters alike.
--
-- Dimensions: call      number = business number, d1 = direction, d2 = status
--             agent     number = business number, d1 = extension,  d2 = ''
--             sms       number = business number, d1 = direction, d2 = status
--             recording number = business number, d1 = direction, d2 = ''
--             voicemail number = to_number,       d1 = '',        d2 = status
-- Values: n rows; answered (status connected); dur_sum / ans_dur_sum seconds
-- (all / answered); wait_sum / wait_n queue wait seconds of calls that have it.
--
-- Bulk loads (bench/) may set @vs_bulk_skip_counters = 1 in their session and
-- call vs_data_counts_rebuild(org) afterwards; nothing else ever sets it.

ALTER TABLE calls
  ADD COLUMN call_type VARCHAR(8) AS (CASE WHEN direction = 'outbound' THEN 'outbound'
                                           WHEN status IN ('connected', 'ringing', 'in_progress') THEN 'inbound'
                                           ELSE 'missed' END) PERSISTENT,
  ADD KEY calls_org_type (org_id, call_type, started_at, id);

ALTER TABLE extensions ADD KEY extensions_org_status_ext (org_id, status, extension);
ALTER TABLE phone_numbers ADD KEY phone_numbers_org_status_assigned (org_id, status, assigned_user_id, number);
ALTER TABLE contacts ADD KEY contacts_org_live_name (org_id, deleted_at, display_name);

CREATE TABLE data_counts_hourly (
  org_id      UUID NOT NULL,
  kind        ENUM('call','call_all','agent','sms','sms_all','recording','recording_all','voicemail','voicemail_all') NOT NULL,
  bucket      DATETIME NOT NULL,                 -- UTC hour
  number      VARCHAR(32) NOT NULL DEFAULT '',
  d1          VARCHAR(16) NOT NULL DEFAULT '',
  d2          VARCHAR(16) NOT NULL DEFAULT '',
  n           BIGINT NOT NULL DEFAULT 0,
  answered    BIGINT NOT NULL DEFAULT 0,
  dur_sum     BIGINT NOT NULL DEFAULT 0,
  ans_dur_sum BIGINT NOT NULL DEFAULT 0,
  wait_sum    BIGINT NOT NULL DEFAULT 0,
  wait_n      BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, kind, bucket, number, d1, d2),
  CONSTRAINT data_counts_hourly_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE data_counts_daily (
  org_id      UUID NOT NULL,
  kind        ENUM('call','call_all','agent','sms','sms_all','recording','recording_all','voicemail','voicemail_all') NOT NULL,
  bucket      DATE NOT NULL,                     -- UTC day
  number      VARCHAR(32) NOT NULL DEFAULT '',
  d1          VARCHAR(16) NOT NULL DEFAULT '',
  d2          VARCHAR(16) NOT NULL DEFAULT '',
  n           BIGINT NOT NULL DEFAULT 0,
  answered    BIGINT NOT NULL DEFAULT 0,
  dur_sum     BIGINT NOT NULL DEFAULT 0,
  ans_dur_sum BIGINT NOT NULL DEFAULT 0,
  wait_sum    BIGINT NOT NULL DEFAULT 0,
  wait_n      BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, kind, bucket, number, d1, d2),
  KEY data_counts_daily_platform (kind, bucket),  -- platform-wide "today" (client-metrics)
  CONSTRAINT data_counts_daily_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE data_counts_total (
  org_id      UUID NOT NULL,
  kind        ENUM('call','call_all','agent','sms','sms_all','recording','recording_all','voicemail','voicemail_all') NOT NULL,
  number      VARCHAR(32) NOT NULL DEFAULT '',
  d1          VARCHAR(16) NOT NULL DEFAULT '',
  d2          VARCHAR(16) NOT NULL DEFAULT '',
  n           BIGINT NOT NULL DEFAULT 0,
  answered    BIGINT NOT NULL DEFAULT 0,
  dur_sum     BIGINT NOT NULL DEFAULT 0,
  ans_dur_sum BIGINT NOT NULL DEFAULT 0,
  wait_sum    BIGINT NOT NULL DEFAULT 0,
  wait_n      BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, kind, number, d1, d2),
  KEY data_counts_total_platform (kind),          -- platform-wide totals (client-metrics)
  CONSTRAINT data_counts_total_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Add sign × one row to the counters: (kind, number, d1, d2) and its rollup
-- kind (kind || '_all') in all three granularities; agent rows (calls only)
-- in hourly and daily.
CREATE PROCEDURE vs_count_add(IN p_org UUID, IN p_kind VARCHAR(16), IN p_at DATETIME(3),
                              IN p_number VARCHAR(32), IN p_d1 VARCHAR(16), IN p_d2 VARCHAR(16),
                              IN p_ext VARCHAR(16), IN p_answered INT, IN p_dur BIGINT, IN p_wait BIGINT,
                              IN p_sign INT)
BEGIN
  DECLARE v_hour DATETIME DEFAULT DATE_FORMAT(p_at, '%Y-%m-%d %H:00:00');
  DECLARE v_day DATE DEFAULT DATE(p_at);
  DECLARE v_all VARCHAR(16) DEFAULT CONCAT(p_kind, '_all');
  DECLARE v_num VARCHAR(32) DEFAULT COALESCE(p_number, '');
  DECLARE v_d1 VARCHAR(16) DEFAULT COALESCE(p_d1, '');
  DECLARE v_d2 VARCHAR(16) DEFAULT COALESCE(p_d2, '');
  DECLARE v_n BIGINT DEFAULT p_sign;
  DECLARE v_ans BIGINT DEFAULT p_sign * p_answered;
  DECLARE v_dur BIGINT DEFAULT p_sign * COALESCE(p_dur, 0);
  DECLARE v_adur BIGINT DEFAULT p_sign * p_answered * COALESCE(p_dur, 0);
  DECLARE v_wsum BIGINT DEFAULT p_sign * COALESCE(p_wait, 0);
  DECLARE v_wn BIGINT DEFAULT p_sign * (p_wait IS NOT NULL);
  IF p_kind = 'call' THEN
    INSERT INTO data_counts_hourly (org_id, kind, bucket, number, d1, d2, n, answered, dur_sum, ans_dur_sum, wait_sum, wait_n)
    VALUES (p_org, p_kind, v_hour, v_num, v_d1, v_d2, v_n, v_ans, v_dur, v_adur, v_wsum, v_wn),
           (p_org, v_all, v_hour, '', '', '', v_n, v_ans, v_dur, v_adur, v_wsum, v_wn),
           (p_org, 'agent', v_hour, v_num, COALESCE(p_ext, ''), '', v_n, v_ans, v_dur, v_adur, v_wsum, v_wn)
    ON DUPLICATE KEY UPDATE n = n + VALUES(n), answered = answered + VALUES(answered),
      dur_sum = dur_sum + VALUES(dur_sum), ans_dur_sum = ans_dur_sum + VALUES(ans_dur_sum),
      wait_sum = wait_sum + VALUES(wait_sum), wait_n = wait_n + VALUES(wait_n);
    INSERT INTO data_counts_daily (org_id, kind, bucket, number, d1, d2, n, answered, dur_sum, ans_dur_sum, wait_sum, wait_n)
    VALUES (p_org, p_kind, v_day, v_num, v_d1, v_d2, v_n, v_ans, v_dur, v_adur, v_wsum, v_wn),
           (p_org, v_all, v_day, '', '', '', v_n, v_ans, v_dur, v_adur, v_wsum, v_wn),
           (p_org, 'agent', v_day, v_num, COALESCE(p_ext, ''), '', v_n, v_ans, v_dur, v_adur, v_wsum, v_wn)
    ON DUPLICATE KEY UPDATE n = n + VALUES(n), answered = answered + VALUES(answered),
      dur_sum = dur_sum + VALUES(dur_sum), ans_dur_sum = ans_dur_sum + VALUES(ans_dur_sum),
      wait_sum = wait_sum + VALUES(wait_sum), wait_n = wait_n + VALUES(wait_n);
  ELSE
    INSERT INTO data_counts_hourly (org_id, kind, bucket, number, d1, d2, n, answered, dur_sum, ans_dur_sum, wait_sum, wait_n)
    VALUES (p_org, p_kind, v_hour, v_num, v_d1, v_d2, v_n, v_ans, v_dur, v_adur, v_wsum, v_wn),
           (p_org, v_all, v_hour, '', '', '', v_n, v_ans, v_dur, v_adur, v_wsum, v_wn)
    ON DUPLICATE KEY UPDATE n = n + VALUES(n), answered = answered + VALUES(answered),
      dur_sum = dur_sum + VALUES(dur_sum), ans_dur_sum = ans_dur_sum + VALUES(ans_dur_sum),
      wait_sum = wait_sum + VALUES(wait_sum), wait_n = wait_n + VALUES(wait_n);
    INSERT INTO data_counts_daily (org_id, kind, bucket, number, d1, d2, n, answered, dur_sum, ans_dur_sum, wait_sum, wait_n)
    VALUES (p_org, p_kind, v_day, v_num, v_d1, v_d2, v_n, v_ans, v_dur, v_adur, v_wsum, v_wn),
           (p_org, v_all, v_day, '', '', '', v_n, v_ans, v_dur, v_adur, v_wsum, v_wn)
    ON DUPLICATE KEY UPDATE n = n + VALUES(n), answered = answered + VALUES(answered),
      dur_sum = dur_sum + VALUES(dur_sum), ans_dur_sum = ans_dur_sum + VALUES(ans_dur_sum),
      wait_sum = wait_sum + VALUES(wait_sum), wait_n = wait_n + VALUES(wait_n);
  END IF;
  INSERT INTO data_counts_total (org_id, kind, number, d1, d2, n, answered, dur_sum, ans_dur_sum, wait_sum, wait_n)
  VALUES (p_org, p_kind, v_num, v_d1, v_d2, v_n, v_ans, v_dur, v_adur, v_wsum, v_wn),
         (p_org, v_all, '', '', '', v_n, v_ans, v_dur, v_adur, v_wsum, v_wn)
  ON DUPLICATE KEY UPDATE n = n + VALUES(n), answered = answered + VALUES(answered),
    dur_sum = dur_sum + VALUES(dur_sum), ans_dur_sum = ans_dur_sum + VALUES(ans_dur_sum),
    wait_sum = wait_sum + VALUES(wait_sum), wait_n = wait_n + VALUES(wait_n);
END;

CREATE TRIGGER calls_counts_ins AFTER INSERT ON calls FOR EACH ROW
BEGIN
  IF @vs_bulk_skip_counters IS NULL THEN
    CALL vs_count_add(NEW.org_id, 'call', NEW.started_at, NEW.business_number, NEW.direction, NEW.status,
                      NEW.extension, NEW.status = 'connected', NEW.duration_seconds, NEW.queue_wait_seconds, 1);
  END IF;
END;

CREATE TRIGGER calls_counts_upd AFTER UPDATE ON calls FOR EACH ROW
BEGIN
  IF @vs_bulk_skip_counters IS NULL AND NOT (OLD.org_id <=> NEW.org_id AND OLD.started_at <=> NEW.started_at
      AND OLD.business_number <=> NEW.business_number AND OLD.direction <=> NEW.direction
      AND OLD.status <=> NEW.status AND OLD.extension <=> NEW.extension
      AND OLD.duration_seconds <=> NEW.duration_seconds AND OLD.queue_wait_seconds <=> NEW.queue_wait_seconds) THEN
    CALL vs_count_add(OLD.org_id, 'call', OLD.started_at, OLD.business_number, OLD.direction, OLD.status,
                      OLD.extension, OLD.status = 'connected', OLD.duration_seconds, OLD.queue_wait_seconds, -1);
    CALL vs_count_add(NEW.org_id, 'call', NEW.started_at, NEW.business_number, NEW.direction, NEW.status,
                      NEW.extension, NEW.status = 'connected', NEW.duration_seconds, NEW.queue_wait_seconds, 1);
  END IF;
END;

CREATE TRIGGER calls_counts_del AFTER DELETE ON calls FOR EACH ROW
BEGIN
  IF @vs_bulk_skip_counters IS NULL THEN
    CALL vs_count_add(OLD.org_id, 'call', OLD.started_at, OLD.business_number, OLD.direction, OLD.status,
                      OLD.extension, OLD.status = 'connected', OLD.duration_seconds, OLD.queue_wait_seconds, -1);
  END IF;
END;

CREATE TRIGGER sms_counts_ins AFTER INSERT ON sms_messages FOR EACH ROW
BEGIN
  IF @vs_bulk_skip_counters IS NULL THEN
    CALL vs_count_add(NEW.org_id, 'sms', NEW.sent_at, NEW.business_number, NEW.direction, NEW.status,
                      NULL, 0, 0, NULL, 1);
  END IF;
END;

CREATE TRIGGER sms_counts_upd AFTER UPDATE ON sms_messages FOR EACH ROW
BEGIN
  IF @vs_bulk_skip_counters IS NULL AND NOT (OLD.org_id <=> NEW.org_id AND OLD.sent_at <=> NEW.sent_at
      AND OLD.business_number <=> NEW.business_number AND OLD.direction <=> NEW.direction
      AND OLD.status <=> NEW.status) THEN
    CALL vs_count_add(OLD.org_id, 'sms', OLD.sent_at, OLD.business_number, OLD.direction, OLD.status,
                      NULL, 0, 0, NULL, -1);
    CALL vs_count_add(NEW.org_id, 'sms', NEW.sent_at, NEW.business_number, NEW.direction, NEW.status,
                      NULL, 0, 0, NULL, 1);
  END IF;
END;

CREATE TRIGGER sms_counts_del AFTER DELETE ON sms_messages FOR EACH ROW
BEGIN
  IF @vs_bulk_skip_counters IS NULL THEN
    CALL vs_count_add(OLD.org_id, 'sms', OLD.sent_at, OLD.business_number, OLD.direction, OLD.status,
                      NULL, 0, 0, NULL, -1);
  END IF;
END;

CREATE TRIGGER recordings_counts_ins AFTER INSERT ON recordings FOR EACH ROW
BEGIN
  IF @vs_bulk_skip_counters IS NULL THEN
    CALL vs_count_add(NEW.org_id, 'recording', NEW.recorded_at, NEW.business_number, NEW.direction, '',
                      NULL, 0, NEW.duration_seconds, NULL, 1);
  END IF;
END;

CREATE TRIGGER recordings_counts_upd AFTER UPDATE ON recordings FOR EACH ROW
BEGIN
  IF @vs_bulk_skip_counters IS NULL AND NOT (OLD.org_id <=> NEW.org_id AND OLD.recorded_at <=> NEW.recorded_at
      AND OLD.business_number <=> NEW.business_number AND OLD.direction <=> NEW.direction
      AND OLD.duration_seconds <=> NEW.duration_seconds) THEN
    CALL vs_count_add(OLD.org_id, 'recording', OLD.recorded_at, OLD.business_number, OLD.direction, '',
                      NULL, 0, OLD.duration_seconds, NULL, -1);
    CALL vs_count_add(NEW.org_id, 'recording', NEW.recorded_at, NEW.business_number, NEW.direction, '',
                      NULL, 0, NEW.duration_seconds, NULL, 1);
  END IF;
END;

CREATE TRIGGER recordings_counts_del AFTER DELETE ON recordings FOR EACH ROW
BEGIN
  IF @vs_bulk_skip_counters IS NULL THEN
    CALL vs_count_add(OLD.org_id, 'recording', OLD.recorded_at, OLD.business_number, OLD.direction, '',
                      NULL, 0, OLD.duration_seconds, NULL, -1);
  END IF;
END;

CREATE TRIGGER voicemails_counts_ins AFTER INSERT ON voicemails FOR EACH ROW
BEGIN
  IF @vs_bulk_skip_counters IS NULL THEN
    CALL vs_count_add(NEW.org_id, 'voicemail', NEW.received_at, NEW.to_number, '', NEW.status,
                      NULL, 0, NEW.duration_seconds, NULL, 1);
  END IF;
END;

CREATE TRIGGER voicemails_counts_upd AFTER UPDATE ON voicemails FOR EACH ROW
BEGIN
  IF @vs_bulk_skip_counters IS NULL AND NOT (OLD.org_id <=> NEW.org_id AND OLD.received_at <=> NEW.received_at
      AND OLD.to_number <=> NEW.to_number AND OLD.status <=> NEW.status
      AND OLD.duration_seconds <=> NEW.duration_seconds) THEN
    CALL vs_count_add(OLD.org_id, 'voicemail', OLD.received_at, OLD.to_number, '', OLD.status,
                      NULL, 0, OLD.duration_seconds, NULL, -1);
    CALL vs_count_add(NEW.org_id, 'voicemail', NEW.received_at, NEW.to_number, '', NEW.status,
                      NULL, 0, NEW.duration_seconds, NULL, 1);
  END IF;
END;

CREATE TRIGGER voicemails_counts_del AFTER DELETE ON voicemails FOR EACH ROW
BEGIN
  IF @vs_bulk_skip_counters IS NULL THEN
    CALL vs_count_add(OLD.org_id, 'voicemail', OLD.received_at, OLD.to_number, '', OLD.status,
                      NULL, 0, OLD.duration_seconds, NULL, -1);
  END IF;
END;

-- Recompute every counter of one org from its rows (after a bulk load with
-- @vs_bulk_skip_counters, or to repair). Hourly from the data, daily and
-- all-time from hourly. Run it while nothing else writes that org's data.
CREATE PROCEDURE vs_data_counts_rebuild(IN p_org UUID)
BEGIN
  DELETE FROM data_counts_hourly WHERE org_id = p_org;
  DELETE FROM data_counts_daily WHERE org_id = p_org;
  DELETE FROM data_counts_total WHERE org_id = p_org;
  INSERT INTO data_counts_hourly (org_id, kind, bucket, number, d1, d2, n, answered, dur_sum, ans_dur_sum, wait_sum, wait_n)
  SELECT p_org, 'call', DATE_FORMAT(started_at, '%Y-%m-%d %H:00:00'), COALESCE(business_number, ''), direction, status,
         COUNT(*), SUM(status = 'connected'), SUM(duration_seconds), SUM(IF(status = 'connected', duration_seconds, 0)),
         COALESCE(SUM(queue_wait_seconds), 0), COUNT(queue_wait_seconds)
  FROM calls WHERE org_id = p_org
  GROUP BY DATE_FORMAT(started_at, '%Y-%m-%d %H:00:00'), COALESCE(business_number, ''), direction, status;
  INSERT INTO data_counts_hourly (org_id, kind, bucket, number, d1, d2, n, answered, dur_sum, ans_dur_sum, wait_sum, wait_n)
  SELECT p_org, 'agent', DATE_FORMAT(started_at, '%Y-%m-%d %H:00:00'), COALESCE(business_number, ''), COALESCE(extension, ''), '',
         COUNT(*), SUM(status = 'connected'), SUM(duration_seconds), SUM(IF(status = 'connected', duration_seconds, 0)),
         COALESCE(SUM(queue_wait_seconds), 0), COUNT(queue_wait_seconds)
  FROM calls WHERE org_id = p_org
  GROUP BY DATE_FORMAT(started_at, '%Y-%m-%d %H:00:00'), COALESCE(business_number, ''), COALESCE(extension, '');
  INSERT INTO data_counts_hourly (org_id, kind, bucket, number, d1, d2, n)
  SELECT p_org, 'sms', DATE_FORMAT(sent_at, '%Y-%m-%d %H:00:00'), business_number, direction, status, COUNT(*)
  FROM sms_messages WHERE org_id = p_org
  GROUP BY DATE_FORMAT(sent_at, '%Y-%m-%d %H:00:00'), business_number, direction, status;
  INSERT INTO data_counts_hourly (org_id, kind, bucket, number, d1, d2, n, dur_sum)
  SELECT p_org, 'recording', DATE_FORMAT(recorded_at, '%Y-%m-%d %H:00:00'), COALESCE(business_number, ''),
         COALESCE(direction, ''), '', COUNT(*), SUM(duration_seconds)
  FROM recordings WHERE org_id = p_org
  GROUP BY DATE_FORMAT(recorded_at, '%Y-%m-%d %H:00:00'), COALESCE(business_number, ''), COALESCE(direction, '');
  INSERT INTO data_counts_hourly (org_id, kind, bucket, number, d1, d2, n, dur_sum)
  SELECT p_org, 'voicemail', DATE_FORMAT(received_at, '%Y-%m-%d %H:00:00'), COALESCE(to_number, ''), '', status,
         COUNT(*), SUM(duration_seconds)
  FROM voicemails WHERE org_id = p_org
  GROUP BY DATE_FORMAT(received_at, '%Y-%m-%d %H:00:00'), COALESCE(to_number, ''), status;
  INSERT INTO data_counts_hourly (org_id, kind, bucket, number, d1, d2, n, answered, dur_sum, ans_dur_sum, wait_sum, wait_n)
  SELECT p_org, CONCAT(kind, '_all'), bucket, '', '', '', SUM(n), SUM(answered), SUM(dur_sum), SUM(ans_dur_sum),
         SUM(wait_sum), SUM(wait_n)
  FROM data_counts_hourly WHERE org_id = p_org AND kind IN ('call', 'sms', 'recording', 'voicemail')
  GROUP BY kind, bucket;
  INSERT INTO data_counts_daily (org_id, kind, bucket, number, d1, d2, n, answered, dur_sum, ans_dur_sum, wait_sum, wait_n)
  SELECT p_org, kind, DATE(bucket), number, d1, d2, SUM(n), SUM(answered), SUM(dur_sum), SUM(ans_dur_sum),
         SUM(wait_sum), SUM(wait_n)
  FROM data_counts_hourly WHERE org_id = p_org
  GROUP BY kind, DATE(bucket), number, d1, d2;
  INSERT INTO data_counts_total (org_id, kind, number, d1, d2, n, answered, dur_sum, ans_dur_sum, wait_sum, wait_n)
  SELECT p_org, kind, number, d1, d2, SUM(n), SUM(answered), SUM(dur_sum), SUM(ans_dur_sum), SUM(wait_sum), SUM(wait_n)
  FROM data_counts_daily WHERE org_id = p_org AND kind <> 'agent'
  GROUP BY kind, number, d1, d2;
END;
