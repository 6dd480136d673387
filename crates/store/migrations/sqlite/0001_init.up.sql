-- Hearken's first schema. Times are UTC milliseconds since the epoch; dates are
-- 'YYYY-MM-DD' text in the office's time zone. Nothing is ever deleted.

CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    level       TEXT NOT NULL,
    parent_id   INTEGER REFERENCES units(id),
    path        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX units_parent ON units(parent_id);
CREATE INDEX units_path ON units(path);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    role           TEXT NOT NULL,
    unit_id        INTEGER NOT NULL REFERENCES units(id),
    password_hash  TEXT NOT NULL,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   INTEGER,
    active         INTEGER NOT NULL DEFAULT 1,
    created_at     INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    csrf_token  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    ended_at    INTEGER
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    prefix        TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER,
    revoked_at    INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE categories (
    code     TEXT PRIMARY KEY,
    parent   TEXT REFERENCES categories(code),
    name     TEXT NOT NULL,
    name_en  TEXT NOT NULL DEFAULT '',
    sort     INTEGER NOT NULL DEFAULT 0,
    active   INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE case_counters (
    unit_id  INTEGER NOT NULL REFERENCES units(id),
    year     INTEGER NOT NULL,
    last     INTEGER NOT NULL,
    PRIMARY KEY (unit_id, year)
);

CREATE TABLE cases (
    id             INTEGER PRIMARY KEY,
    case_no        TEXT NOT NULL UNIQUE,
    query_code     TEXT NOT NULL,
    unit_id        INTEGER NOT NULL REFERENCES units(id),
    unit_path      TEXT NOT NULL,
    channel        TEXT NOT NULL,
    case_type      TEXT NOT NULL,
    category       TEXT NOT NULL,
    region         TEXT NOT NULL,
    headcount      INTEGER NOT NULL,
    anonymous      INTEGER NOT NULL DEFAULT 0,
    respondent     TEXT NOT NULL DEFAULT '',
    content        TEXT NOT NULL,
    demands        TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL,
    stage          TEXT NOT NULL,
    due_on         TEXT,
    received_on    TEXT NOT NULL,
    registered_at  INTEGER NOT NULL,
    registered_by  INTEGER REFERENCES users(id),
    updated_at     INTEGER NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cases_unit_order ON cases(unit_path, registered_at, id);
CREATE INDEX cases_category_order ON cases(category, registered_at, id);
CREATE INDEX cases_order ON cases(registered_at, id);

CREATE TABLE case_petitioners (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    position        INTEGER NOT NULL,
    name            TEXT NOT NULL,
    phone           TEXT,
    id_number       TEXT,
    address         TEXT,
    representative  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX case_petitioners_case ON case_petitioners(case_id);

CREATE TABLE case_events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    kind        TEXT NOT NULL,
    actor_id    INTEGER REFERENCES users(id),
    actor_name  TEXT NOT NULL DEFAULT '',
    at          INTEGER NOT NULL,
    payload     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX case_events_case ON case_events(case_id, seq);

CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    sha256        TEXT NOT NULL,
    filename      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    uploaded_at   INTEGER NOT NULL,
    uploaded_by   INTEGER REFERENCES users(id)
);
CREATE INDEX attachments_case ON attachments(case_id);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor_id    INTEGER REFERENCES users(id),
    actor_name  TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    target      TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log(at);
