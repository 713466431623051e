-- 031: agent counters without the number dimension (kind 'agent_all': d1 =
-- extension), so an agent report over a long range without a phone filter
-- reads one row per agent per bucket instead of one per agent and number.
-- vs_count_add and vs_data_counts_rebuild are replaced to maintain them, and
-- the rows are back-filled from the existing 'agent' counters.

ALTER TABLE data_counts_hourly MODIFY kind ENUM('call','call_all','agent','agent_all','sms','sms_all','recording',
  'recording_all','voicemail','voicemail_all') NOT NULL;
ALTER TABLE data_counts_daily MODIFY kind ENUM('call','call_all','agent','agent_all','sms','sms_all','recording',
  'recording_all','voicemail','voicemail_all') NOT NULL;
ALTER TABLE data_counts_total MODIFY kind ENUM('call','call_all','agent','agent_all','sms','sms_all','recording',
  'recording_all','voicemail','voicemail_all') NOT NULL;

DROP PROCEDURE vs_count_add;
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
  DECLARE v_ext VARCHAR(16) DEFAULT COALESCE(p_ext, '');
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
           (p_org, 'agent', v_hour, v_num, v_ext, '', v_n, v_ans, v_dur, v_adur, v_wsum, v_wn),
           (p_org, 'agent_all', v_hour, '', v_ext, '', v_n, v_ans, v_dur, v_adur, v_wsum, v_wn)
    ON DUPLICATE KEY UPDATE n = n + VALUES(n), answered = answered + VALUES(answered),
      dur_sum = dur_sum + VALUES(dur_sum), ans_dur_sum = ans_dur_sum + VALUES(ans_dur_sum),
      wait_sum = wait_sum + VALUES(wait_sum), wait_n = wait_n + VALUES(wait_n);
    INSERT INTO data_counts_daily (org_id, kind, bucket, number, d1, d2, n, answered, dur_sum, ans_dur_sum, wait_sum, wait_n)
    VALUES (p_org, p_kind, v_day, v_num, v_d1, v_d2, v_n, v_ans, v_dur, v_adur, v_wsum, v_wn),
           (p_org, v_all, v_day, '', '', '', v_n, v_ans, v_dur, v_adur, v_wsum, v_wn),
           (p_org, 'agent', v_day, v_num, v_ext, '', v_n, v_ans, v_dur, v_adur, v_wsum, v_wn),
           (p_org, 'agent_all', v_day, '', v_ext, '', v_n, v_ans, v_dur, v_adur, v_wsum, v_wn)
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

DROP PROCEDURE vs_data_counts_rebuild;
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
  INSERT INTO data_counts_hourly (org_id, kind, bucket, number, d1, d2, n, answered, dur_sum, ans_dur_sum, wait_sum, wait_n)
  SELECT p_org, 'agent_all', bucket, '', d1, '', SUM(n), SUM(answered), SUM(dur_sum), SUM(ans_dur_sum),
         SUM(wait_sum), SUM(wait_n)
  FROM data_counts_hourly WHERE org_id = p_org AND kind = 'agent'
  GROUP BY bucket, d1;
  INSERT INTO data_counts_daily (org_id, kind, bucket, number, d1, d2, n, answered, dur_sum, ans_dur_sum, wait_sum, wait_n)
  SELECT p_org, kind, DATE(bucket), number, d1, d2, SUM(n), SUM(answered), SUM(dur_sum), SUM(ans_dur_sum),
         SUM(wait_sum), SUM(wait_n)
  FROM data_counts_hourly WHERE org_id = p_org
  GROUP BY kind, DATE(bucket), number, d1, d2;
  INSERT INTO data_counts_total (org_id, kind, number, d1, d2, n, answered, dur_sum, ans_dur_sum, wait_sum, wait_n)
  SELECT p_org, kind, number, d1, d2, SUM(n), SUM(answered), SUM(dur_sum), SUM(ans_dur_sum), SUM(wait_sum), SUM(wait_n)
  FROM data_counts_daily WHERE org_id = p_org AND kind NOT IN ('agent', 'agent_all')
  GROUP BY kind, number, d1, d2;
END;

INSERT INTO data_counts_hourly (org_id, kind, bucket, number, d1, d2, n, answered, dur_sum, ans_dur_sum, wait_sum, wait_n)
SELECT org_id, 'agent_all', bucket, '', d1, '', SUM(n), SUM(answered), SUM(dur_sum), SUM(ans_dur_sum), SUM(wait_sum),
       SUM(wait_n)
FROM data_counts_hourly WHERE kind = 'agent' GROUP BY org_id, bucket, d1;
INSERT INTO data_counts_daily (org_id, kind, bucket, number, d1, d2, n, answered, dur_sum, ans_dur_sum, wait_sum, wait_n)
SELECT org_id, 'agent_all', bucket, '', d1, '', SUM(n), SUM(answered), SUM(dur_sum), SUM(ans_dur_sum), SUM(wait_sum),
       SUM(wait_n)
FROM data_counts_daily WHERE kind = 'agent' GROUP BY org_id, bucket, d1;
