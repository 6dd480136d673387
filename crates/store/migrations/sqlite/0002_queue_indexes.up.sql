-- The queue's common shapes, each served in order from one index: open cases of one
-- category (the unit filter reads the path from the index), and open cases of any
-- category.
CREATE INDEX IF NOT EXISTS cases_state_category_order ON cases(state, category, registered_at, id, unit_path);
CREATE INDEX IF NOT EXISTS cases_state_order ON cases(state, registered_at, id, unit_path);
