DROP INDEX IF EXISTS attachments_sha256;
