-- A pilot office's first day.
-- The sequence part of a case number (`330106-2026-000053` -> 53), kept by the database
-- itself so that "000053" in the queue's case-number box is one index lookup.
ALTER TABLE cases ADD COLUMN case_seq INTEGER GENERATED ALWAYS AS (CAST(substr(case_no, -6) AS INTEGER)) VIRTUAL;
CREATE INDEX IF NOT EXISTS cases_case_seq ON cases(case_seq);
-- The one-time admin password, and any password an admin resets, must be changed by its
-- owner at the next login.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
-- Units and routing rules are retired, never deleted: a retired unit takes no new cases
-- or users; a retired rule is not suggested.
ALTER TABLE units ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;
ALTER TABLE routing_rules ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;
