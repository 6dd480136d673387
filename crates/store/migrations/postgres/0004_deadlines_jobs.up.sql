-- Queues ordered by due date: `due_sort` is the due date, or '9999-12-31' when the stage
-- has none, so that one index serves the order. `due_flag` is what the deadline job last
-- marked: '', 'due_soon' or 'overdue'.
ALTER TABLE cases ADD COLUMN due_sort TEXT COLLATE "C" NOT NULL DEFAULT '9999-12-31';
ALTER TABLE cases ADD COLUMN due_flag TEXT NOT NULL DEFAULT '';
UPDATE cases SET due_sort = due_on WHERE due_on IS NOT NULL;
CREATE INDEX IF NOT EXISTS cases_state_category_due ON cases(state, category, due_sort, id, unit_path);
CREATE INDEX IF NOT EXISTS cases_state_due ON cases(state, due_sort, id, unit_path);

-- Background jobs, claimed with a lease so that among several instances one runs each.
CREATE TABLE jobs (
    name         TEXT PRIMARY KEY,
    lease_owner  TEXT,
    lease_until  BIGINT,
    last_run_at  BIGINT,
    runs         BIGINT NOT NULL DEFAULT 0
);

-- In-app notifications for staff.
CREATE TABLE notifications (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    case_id     BIGINT REFERENCES cases(id),
    kind        TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    read_at     BIGINT
);
CREATE INDEX notifications_user ON notifications(user_id, id);
