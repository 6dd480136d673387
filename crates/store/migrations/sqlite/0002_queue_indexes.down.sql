DROP INDEX IF EXISTS cases_state_order;
DROP INDEX IF EXISTS cases_state_category_order;
