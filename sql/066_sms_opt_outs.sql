-- 066_sms_opt_outs.sql — texting opt-out per business number (issue 18): a
-- contact that texts STOP (or STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT) to one
-- of the org's numbers is opted out for that number until it texts START (or
-- UNSTOP). Inbound SMS arrive by sync, webhooks and the API alike, all as
-- inserts into sms_messages, so one trigger keeps the state: the newest
-- keyword message (by sent_at) wins, whatever order the messages arrive in.
-- Sending to an opted-out contact is refused by the API (core/messaging/sms_opt_out.c).
CREATE TABLE sms_opt_outs (
  org_id            UUID NOT NULL,
  business_number   VARCHAR(32) NOT NULL,
  contact_number    VARCHAR(32) NOT NULL,
  opted_out         TINYINT(1) NOT NULL,      -- 1 after a stop keyword, 0 after START
  keyword           VARCHAR(16) NOT NULL,     -- the keyword of the newest such message
  changed_at        DATETIME(3) NOT NULL,     -- that message's sent_at
  updated_at        DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (org_id, business_number, contact_number),
  CONSTRAINT sms_opt_outs_org_fk FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- what is already stored: the newest keyword message of each conversation
INSERT INTO sms_opt_outs (org_id, business_number, contact_number, opted_out, keyword, changed_at)
SELECT k.org_id, k.business_number, k.contact_number, k.kw NOT IN ('START', 'UNSTOP'), k.kw, k.sent_at
FROM (SELECT m.org_id, m.business_number, m.contact_number, m.sent_at, m.kw,
             ROW_NUMBER() OVER (PARTITION BY m.org_id, m.business_number, m.contact_number
                                ORDER BY m.sent_at DESC, m.id DESC) AS rn
      FROM (SELECT org_id, business_number, contact_number, sent_at, id,
                   UPPER(TRIM(REGEXP_REPLACE(body, '[.![:space:]]+$', ''))) AS kw
            FROM sms_messages WHERE direction = 'inbound' AND CHAR_LENGTH(body) <= 40) m
      WHERE m.kw IN ('STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'START', 'UNSTOP')) k
WHERE k.rn = 1;

-- one inbound message's effect (a keyword message, else nothing)
CREATE PROCEDURE vs_sms_opt_note(IN p_org UUID, IN p_business VARCHAR(32), IN p_contact VARCHAR(32),
                                 IN p_direction VARCHAR(8), IN p_body TEXT, IN p_at DATETIME(3))
BEGIN
  DECLARE v_kw VARCHAR(40);
  IF p_direction = 'inbound' AND CHAR_LENGTH(p_body) <= 40 THEN
    SET v_kw = UPPER(TRIM(REGEXP_REPLACE(p_body, '[.![:space:]]+$', '')));
    IF v_kw IN ('STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'START', 'UNSTOP') THEN
      INSERT INTO sms_opt_outs (org_id, business_number, contact_number, opted_out, keyword, changed_at)
      VALUES (p_org, p_business, p_contact, v_kw NOT IN ('START', 'UNSTOP'), v_kw, p_at)
      ON DUPLICATE KEY UPDATE
        opted_out = IF(VALUES(changed_at) >= changed_at, VALUES(opted_out), opted_out),
        keyword = IF(VALUES(changed_at) >= changed_at, VALUES(keyword), keyword),
        changed_at = GREATEST(changed_at, VALUES(changed_at));
    END IF;
  END IF;
END;

CREATE TRIGGER sms_opt_outs_ins AFTER INSERT ON sms_messages FOR EACH ROW
BEGIN
  CALL vs_sms_opt_note(NEW.org_id, NEW.business_number, NEW.contact_number, NEW.direction, NEW.body, NEW.sent_at);
END;

-- a webhook may store a message before its text is known; the sync fills it in
CREATE TRIGGER sms_opt_outs_upd AFTER UPDATE ON sms_messages FOR EACH ROW
BEGIN
  IF NOT (OLD.body <=> NEW.body) THEN
    CALL vs_sms_opt_note(NEW.org_id, NEW.business_number, NEW.contact_number, NEW.direction, NEW.body, NEW.sent_at);
  END IF;
END;
