ALTER TABLE routing_rules DROP COLUMN retired;
ALTER TABLE units DROP COLUMN retired;
ALTER TABLE users DROP COLUMN must_change_password;
DROP INDEX IF EXISTS cases_case_seq;
ALTER TABLE cases DROP COLUMN case_seq;
