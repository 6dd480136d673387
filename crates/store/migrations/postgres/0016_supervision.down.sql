DROP TABLE IF EXISTS accountability_records;
DROP TABLE IF EXISTS supervision_counters;
DROP TABLE IF EXISTS supervision_order_cases;
DROP TABLE IF EXISTS supervision_orders;
DROP INDEX IF EXISTS cases_open_board;
DROP INDEX IF EXISTS cases_listed;
ALTER TABLE cases DROP COLUMN IF EXISTS listed;
