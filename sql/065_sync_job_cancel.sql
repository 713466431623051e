-- 065_sync_job_cancel.sql — a queued (or deferred) sync job can be cancelled
-- from the org's Sync page (POST /api/orgs/:orgId/sync/jobs/:jobId/cancel):
-- status 'cancelled' is final like completed/failed, and, not being active,
-- frees the org's one active slot of that type (active_type is NULL).
ALTER TABLE sync_jobs DROP CONSTRAINT sync_jobs_status_chk;
ALTER TABLE sync_jobs ADD CONSTRAINT sync_jobs_status_chk
  CHECK (status IN ('queued','running','completed','failed','deferred','cancelled'));
