-- The event feed (Store::events_since). Group commit keeps transactions open over many
-- registrations on several writers, so a lower `seq` can commit after a higher one and
-- `seq` alone is not a safe cursor. Each event now records the transaction that wrote it
-- (the column's default, so every INSERT path records it without naming it); the feed
-- reads in (xact_id, seq) order and only below the oldest transaction still in progress.
-- Events written before this migration are all committed and keep xact_id 0.
ALTER TABLE case_events ADD COLUMN xact_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE case_events ALTER COLUMN xact_id SET DEFAULT (pg_current_xact_id()::text::bigint);
CREATE INDEX case_events_feed ON case_events (xact_id, seq);

-- The attachment sweep asks whether any row still references a stored file.
CREATE INDEX attachments_sha256 ON attachments (sha256);
