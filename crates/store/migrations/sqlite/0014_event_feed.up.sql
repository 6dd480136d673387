-- SQLite has one writer at a time, so `seq` order is commit order and the event feed
-- reads by `seq` alone (see Store::events_since); it needs no new column here.

-- The attachment sweep asks whether any row still references a stored file.
CREATE INDEX attachments_sha256 ON attachments (sha256);
