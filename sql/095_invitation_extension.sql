-- 095_invitation_extension.sql — agents to people (issue 18 item 6): an
-- invitation may carry the MightyCall extension the invited person answers
-- calls on. When the invitation is accepted the new member is linked to it
-- (extensions.user_id), so numbers can be assigned to them and their agent
-- status shows. A deleted extension leaves the invitation without one.

ALTER TABLE org_invitations
  ADD COLUMN extension_id UUID NULL AFTER role,
  ADD KEY ix_org_invitations_extension (org_id, extension_id, created_at),
  ADD CONSTRAINT fk_org_invitations_extension FOREIGN KEY (extension_id) REFERENCES extensions (id) ON DELETE SET NULL;
