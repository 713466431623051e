-- 100: call_reports_daily.missed means what the overview's missed card and the
-- calls list's type=missed mean (docs/dashboard.md#cards): inbound calls not
-- answered and no longer live — calls.call_type = 'missed' (sql/030), i.e.
-- direction 'inbound' and status not in (connected, ringing, in_progress).
-- Outbound calls nobody picked up are not missed. Until now a report row
-- counted every call that was not connected, outbound ones included.
--
-- The stored rows are recounted here with that definition, one org at a time:
-- per org, its missed calls (over calls_org_type, so only the missed calls are
-- read) grouped by the org's local day (orgs.timezone; UTC when MariaDB does
-- not know the zone, as the sync's recompute) and business number. Only rows
-- whose figure changes are written (computed_at moves with them, as in the
-- sync's recompute), and every write goes through the triggers of sql/075, so
-- call_reports_org_daily follows. No calls table scan, one statement per org;
-- an empty database does nothing. An org whose rows changed gets its data
-- version bumped (sql/032), so no ETag from before answers 304. The sync's recompute (core/mightycall/
-- mc_store.c) writes the same definition from now on.

CREATE PROCEDURE vs_100_report_missed()
BEGIN
  DECLARE v_done INT DEFAULT 0;
  DECLARE v_org UUID;
  DECLARE v_tz VARCHAR(64);
  DECLARE orgs_cur CURSOR FOR SELECT id, timezone FROM orgs ORDER BY id;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_done = 1;
  OPEN orgs_cur;
  each_org: LOOP
    FETCH orgs_cur INTO v_org, v_tz;
    IF v_done THEN
      LEAVE each_org;
    END IF;
    UPDATE call_reports_daily r
      LEFT JOIN (SELECT DATE(COALESCE(CONVERT_TZ(c.started_at, '+00:00', v_tz), c.started_at)) AS d,
                        COALESCE(c.business_number, '') AS bn, COUNT(*) AS n
                 FROM calls c FORCE INDEX (calls_org_type)
                 WHERE c.org_id = v_org AND c.call_type = 'missed'
                 GROUP BY 1, 2) m ON m.d = r.day AND m.bn = r.phone_number
    SET r.computed_at = NOW(3), r.missed = COALESCE(m.n, 0)
    WHERE r.org_id = v_org AND r.missed <> COALESCE(m.n, 0);
    IF ROW_COUNT() > 0 THEN -- its reports changed: no ETag from before may answer 304 (sql/032)
      INSERT INTO org_data_versions (org_id, version) VALUES (v_org, 1)
        ON DUPLICATE KEY UPDATE version = version + 1;
    END IF;
  END LOOP;
  CLOSE orgs_cur;
END;

CALL vs_100_report_missed();

DROP PROCEDURE vs_100_report_missed;
