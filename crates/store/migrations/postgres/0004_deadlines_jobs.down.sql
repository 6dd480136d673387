DROP TABLE notifications;
DROP TABLE jobs;
DROP INDEX IF EXISTS cases_state_due;
DROP INDEX IF EXISTS cases_state_category_due;
ALTER TABLE cases DROP COLUMN due_flag;
ALTER TABLE cases DROP COLUMN due_sort;
