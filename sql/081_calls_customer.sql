-- Issue 18: calls filtered by the customer. The customer's number is the
-- caller of an inbound call and the called number of an outbound one; a
-- virtual column names it so one index range (org, customer, time) serves
-- "every call with this customer", newest first, at any depth. The name on an
-- inbound call (caller_name) gets its own index for name prefixes.
-- VIRTUAL: no table rebuild; the index stores the value.
ALTER TABLE calls
  ADD COLUMN customer_number VARCHAR(32) AS (IF(direction = 'outbound', called_number, caller_number)) VIRTUAL,
  ADD KEY calls_org_customer (org_id, customer_number, started_at, id),
  ADD KEY calls_org_caller_name (org_id, caller_name, started_at, id);
