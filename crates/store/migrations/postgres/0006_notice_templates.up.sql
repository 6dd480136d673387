-- Notice templates an admin has edited; the defaults ship in data/notices.toml.
CREATE TABLE notice_templates (
    kind        TEXT NOT NULL,
    lang        TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    updated_by  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (kind, lang)
);

-- The leader who owns a hard case to its end (包案).
ALTER TABLE cases ADD COLUMN owner_id BIGINT REFERENCES users(id);

-- Who had to attend a group visit (集体访), when they were told, and whether they came.
CREATE TABLE attendance (
    case_id      BIGINT NOT NULL REFERENCES cases(id),
    user_id      BIGINT NOT NULL REFERENCES users(id),
    why          TEXT NOT NULL,
    notified_at  BIGINT NOT NULL,
    attended_at  BIGINT,
    PRIMARY KEY (case_id, user_id)
);
