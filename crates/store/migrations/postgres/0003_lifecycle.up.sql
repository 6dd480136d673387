-- The lifecycle of a case (domain::lifecycle::Life) as JSON; '' for cases registered before it.
ALTER TABLE cases ADD COLUMN lifecycle TEXT NOT NULL DEFAULT '';
