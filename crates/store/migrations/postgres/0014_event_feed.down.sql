DROP INDEX IF EXISTS attachments_sha256;
DROP INDEX IF EXISTS case_events_feed;
ALTER TABLE case_events DROP COLUMN IF EXISTS xact_id;
