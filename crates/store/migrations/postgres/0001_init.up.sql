-- Hearken's first schema. Times are UTC milliseconds since the epoch; dates are
-- 'YYYY-MM-DD' text in the office's time zone. Nothing is ever deleted.

CREATE TABLE units (
    id          BIGSERIAL PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    level       TEXT NOT NULL,
    parent_id   BIGINT REFERENCES units(id),
    path        TEXT COLLATE "C" NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX units_parent ON units(parent_id);
CREATE INDEX units_path ON units(path);

CREATE TABLE users (
    id             BIGSERIAL PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    role           TEXT NOT NULL,
    unit_id        BIGINT NOT NULL REFERENCES units(id),
    password_hash  TEXT NOT NULL,
    failed_logins  BIGINT NOT NULL DEFAULT 0,
    locked_until   BIGINT,
    active         BIGINT NOT NULL DEFAULT 1,
    created_at     BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    csrf_token  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    last_seen   BIGINT NOT NULL,
    ended_at    BIGINT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id            BIGSERIAL PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users(id),
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    prefix        TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT,
    revoked_at    BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE categories (
    code     TEXT COLLATE "C" PRIMARY KEY,
    parent   TEXT COLLATE "C" REFERENCES categories(code),
    name     TEXT NOT NULL,
    name_en  TEXT NOT NULL DEFAULT '',
    sort     BIGINT NOT NULL DEFAULT 0,
    active   BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE case_counters (
    unit_id  BIGINT NOT NULL REFERENCES units(id),
    year     BIGINT NOT NULL,
    last     BIGINT NOT NULL,
    PRIMARY KEY (unit_id, year)
);

CREATE TABLE cases (
    id             BIGSERIAL PRIMARY KEY,
    case_no        TEXT NOT NULL UNIQUE,
    query_code     TEXT NOT NULL,
    unit_id        BIGINT NOT NULL REFERENCES units(id),
    unit_path      TEXT COLLATE "C" NOT NULL,
    channel        TEXT NOT NULL,
    case_type      TEXT NOT NULL,
    category       TEXT COLLATE "C" NOT NULL,
    region         TEXT COLLATE "C" NOT NULL,
    headcount      BIGINT NOT NULL,
    anonymous      BIGINT NOT NULL DEFAULT 0,
    respondent     TEXT NOT NULL DEFAULT '',
    content        TEXT NOT NULL,
    demands        TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL,
    stage          TEXT NOT NULL,
    due_on         TEXT,
    received_on    TEXT NOT NULL,
    registered_at  BIGINT NOT NULL,
    registered_by  BIGINT REFERENCES users(id),
    updated_at     BIGINT NOT NULL,
    version        BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX cases_unit_order ON cases(unit_path, registered_at, id);
CREATE INDEX cases_category_order ON cases(category, registered_at, id);
CREATE INDEX cases_order ON cases(registered_at, id);

CREATE TABLE case_petitioners (
    id              BIGSERIAL PRIMARY KEY,
    case_id         BIGINT NOT NULL REFERENCES cases(id),
    position        BIGINT NOT NULL,
    name            TEXT NOT NULL,
    phone           TEXT,
    id_number       TEXT,
    address         TEXT,
    representative  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX case_petitioners_case ON case_petitioners(case_id);

CREATE TABLE case_events (
    seq         BIGSERIAL PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES cases(id),
    kind        TEXT NOT NULL,
    actor_id    BIGINT REFERENCES users(id),
    actor_name  TEXT NOT NULL DEFAULT '',
    at          BIGINT NOT NULL,
    payload     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX case_events_case ON case_events(case_id, seq);

CREATE TABLE attachments (
    id            BIGSERIAL PRIMARY KEY,
    case_id       BIGINT NOT NULL REFERENCES cases(id),
    sha256        TEXT NOT NULL,
    filename      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    uploaded_at   BIGINT NOT NULL,
    uploaded_by   BIGINT REFERENCES users(id)
);
CREATE INDEX attachments_case ON attachments(case_id);

CREATE TABLE audit_log (
    id          BIGSERIAL PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor_id    BIGINT REFERENCES users(id),
    actor_name  TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    target      TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log(at);
