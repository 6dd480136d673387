-- The registers (disputes, screening and inspection campaigns, emergency plans and
-- incidents) keep one history table. Each row is one change to one entry, written in the
-- same transaction as the change, and read back as the entry's timeline. An entry is
-- named by its register (`dispute`, `screening`, `inspection_campaign`, `establishment`,
-- `plan`, `incident`, `leading_group`, …) and its id in that register's own table.
CREATE TABLE register_events (
    id          BIGSERIAL PRIMARY KEY,
    register    TEXT NOT NULL,
    entry_id    BIGINT NOT NULL,
    unit_path   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL DEFAULT '{}',
    actor_id    BIGINT REFERENCES users(id),
    actor_name  TEXT NOT NULL DEFAULT '',
    at          BIGINT NOT NULL
);
CREATE INDEX register_events_entry ON register_events(register, entry_id, id);
