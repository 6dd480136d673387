-- Queues are ordered by due date now (0004); the registration-ordered copies of those
-- indexes cost every registration two index updates and serve only `sort=registered`,
-- which the older (registered_at, id) indexes still serve.
DROP INDEX IF EXISTS cases_state_category_order;
DROP INDEX IF EXISTS cases_state_order;
