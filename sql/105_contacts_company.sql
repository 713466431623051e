-- 105_contacts_company.sql — issue 18: contacts searched by company.
-- MightyCall's contact model (firstName, lastName, patronymic, channels,
-- tags, comment) has no company, so `company` is a local column owned by the
-- API, like the other API-owned columns of sql/021: set, changed and cleared
-- by the contacts create/update API, never written by the contacts sync
-- (mc_store_contact does not name it, so a re-sync keeps it) and never sent
-- to MightyCall. The index follows sql/080: (org_id, deleted_at, company), so
-- the company branch of the word search (core/data/data_sql.c,
-- DSQL_CONTACTS_WORDS) is one range of live contacts whose company starts
-- with the word; the collation is case-insensitive ("acme%" finds "ACME").
ALTER TABLE contacts
  ADD COLUMN company VARCHAR(200) NULL AFTER patronymic,
  ADD KEY contacts_org_company (org_id, deleted_at, company);
