CREATE INDEX IF NOT EXISTS cases_state_category_order ON cases(state, category, registered_at, id, unit_path);
CREATE INDEX IF NOT EXISTS cases_state_order ON cases(state, registered_at, id, unit_path);
