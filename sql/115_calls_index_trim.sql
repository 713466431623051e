-- 115_calls_index_trim.sql — issue 15 (sync speed): every call written
-- updates each B-tree of `calls`, so indexes no query uses are dropped.
--   calls_org_caller (org_id, caller_number, started_at): the customer
--     filter and search read calls_org_customer (sql/081); the voicemail ↔
--     call link (mc_store_voicemail) finds its row on calls_org_started
--     (org, exact start) — EXPLAIN shows neither uses this index.
--   calls_org_agent (org_id, agent_user_id, started_at): the agent filter of
--     the reports rides on FORCE INDEX (calls_org_started); "on a call now"
--     (messaging/agents.c) ranges over calls_org_started too.
-- The list, count and customer-search plans are unchanged
-- (tests/api/data_explain.test.mjs checks them).
ALTER TABLE calls
  DROP KEY calls_org_caller,
  DROP KEY calls_org_agent;
