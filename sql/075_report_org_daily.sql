-- 075: the day report of a whole org, one row per org and local day: the sum
-- of call_reports_daily over the org's business numbers, kept exact by the
-- triggers below on every insert, update and delete of a call_reports_daily
-- row (whoever writes it: the sync's report pass, the webhook path, a
-- recount). GET reports?group_by=day without a phone_number filter reads
-- these rows — one per day — instead of grouping every number's row of the
-- range (core/data/data_sql.c, DSQL_REPORT_BY_DAY_ALL_PAGE).
-- handled = SUM(ROUND(avg_handle_seconds * answered)) of the day's rows, the
-- same integer the grouped report sums for avg_handle_seconds; nrows counts
-- the rows summed, and a day whose last row goes goes too (a day without
-- rows is not a report day, exactly as in the grouped report).
CREATE TABLE call_reports_org_daily (
  org_id         UUID NOT NULL,
  day            DATE NOT NULL,
  nrows          BIGINT NOT NULL DEFAULT 0,
  calls          BIGINT NOT NULL DEFAULT 0,
  answered       BIGINT NOT NULL DEFAULT 0,
  missed         BIGINT NOT NULL DEFAULT 0,
  inbound        BIGINT NOT NULL DEFAULT 0,
  outbound       BIGINT NOT NULL DEFAULT 0,
  voicemails     BIGINT NOT NULL DEFAULT 0,
  total_duration BIGINT NOT NULL DEFAULT 0,
  handled        BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, day),
  CONSTRAINT call_reports_org_daily_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO call_reports_org_daily (org_id, day, nrows, calls, answered, missed, inbound, outbound, voicemails,
                                    total_duration, handled)
SELECT org_id, day, COUNT(*), SUM(calls), SUM(answered), SUM(missed), SUM(inbound), SUM(outbound), SUM(voicemails),
       SUM(total_duration), SUM(ROUND(avg_handle_seconds * answered))
FROM call_reports_daily GROUP BY org_id, day;

CREATE PROCEDURE vs_report_org_day_add(p_org UUID, p_day DATE, p_sign INT, p_calls BIGINT, p_answered BIGINT,
                                       p_missed BIGINT, p_inbound BIGINT, p_outbound BIGINT, p_voicemails BIGINT,
                                       p_duration BIGINT, p_handled BIGINT)
BEGIN
  INSERT INTO call_reports_org_daily (org_id, day, nrows, calls, answered, missed, inbound, outbound, voicemails,
                                      total_duration, handled)
  VALUES (p_org, p_day, p_sign, p_sign * p_calls, p_sign * p_answered, p_sign * p_missed, p_sign * p_inbound,
          p_sign * p_outbound, p_sign * p_voicemails, p_sign * p_duration, p_sign * p_handled)
  ON DUPLICATE KEY UPDATE nrows = nrows + p_sign, calls = calls + p_sign * p_calls,
    answered = answered + p_sign * p_answered, missed = missed + p_sign * p_missed,
    inbound = inbound + p_sign * p_inbound, outbound = outbound + p_sign * p_outbound,
    voicemails = voicemails + p_sign * p_voicemails, total_duration = total_duration + p_sign * p_duration,
    handled = handled + p_sign * p_handled;
  IF p_sign < 0 THEN
    DELETE FROM call_reports_org_daily WHERE org_id = p_org AND day = p_day AND nrows <= 0;
  END IF;
END;

CREATE TRIGGER call_reports_org_ins AFTER INSERT ON call_reports_daily FOR EACH ROW
BEGIN
  CALL vs_report_org_day_add(NEW.org_id, NEW.day, 1, NEW.calls, NEW.answered, NEW.missed, NEW.inbound, NEW.outbound,
                             NEW.voicemails, NEW.total_duration, ROUND(NEW.avg_handle_seconds * NEW.answered));
END;

CREATE TRIGGER call_reports_org_upd AFTER UPDATE ON call_reports_daily FOR EACH ROW
BEGIN
  CALL vs_report_org_day_add(OLD.org_id, OLD.day, -1, OLD.calls, OLD.answered, OLD.missed, OLD.inbound, OLD.outbound,
                             OLD.voicemails, OLD.total_duration, ROUND(OLD.avg_handle_seconds * OLD.answered));
  CALL vs_report_org_day_add(NEW.org_id, NEW.day, 1, NEW.calls, NEW.answered, NEW.missed, NEW.inbound, NEW.outbound,
                             NEW.voicemails, NEW.total_duration, ROUND(NEW.avg_handle_seconds * NEW.answered));
END;

CREATE TRIGGER call_reports_org_del AFTER DELETE ON call_reports_daily FOR EACH ROW
BEGIN
  CALL vs_report_org_day_add(OLD.org_id, OLD.day, -1, OLD.calls, OLD.answered, OLD.missed, OLD.inbound, OLD.outbound,
                             OLD.voicemails, OLD.total_duration, ROUND(OLD.avg_handle_seconds * OLD.answered));
END;
