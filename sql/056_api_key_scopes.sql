-- 056: scoped API keys (docs/authorization.md, "API key scopes"). A key holds
-- a subset of read, sms:send, write, sync; new keys default to read only.
-- Keys made before scopes existed could read and send SMS (also reply in and
-- mark threads): they keep read and sms:send, and get nothing they could not
-- do before (write would add contacts and assignments); marking threads read
-- now needs a new key with write.
ALTER TABLE api_keys
  ADD COLUMN scopes SET('read', 'sms:send', 'write', 'sync') NOT NULL DEFAULT 'read' AFTER key_hash;
UPDATE api_keys SET scopes = 'read,sms:send';
