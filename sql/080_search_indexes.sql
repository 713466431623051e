-- Issue 18: find any customer. Contact search matches a prefix of the first
-- or the last name as well as of the display name and the e-mail address;
-- each column has its own (org_id, deleted_at, column) index so each branch
-- of the search (core/data/data_sql.c, DSQL_CONTACTS_WORDS) is one index
-- range. The collation is case-insensitive, so "clark%" finds "Clark".
-- contacts_org_phone_live names the contact of a number (the newest live one)
-- for SMS rows and threads straight from the index, without a sort.
ALTER TABLE contacts
  ADD KEY contacts_org_phone_live (org_id, primary_phone, deleted_at, updated_at),
  ADD KEY contacts_org_first (org_id, deleted_at, first_name),
  ADD KEY contacts_org_last (org_id, deleted_at, last_name);
