-- Supervision (督查督办, Arts. 38–41) and accountability (问责, Arts. 42–46).
--
-- Listed supervision (挂牌督办) is a flag on the case, set and cleared by events.
ALTER TABLE cases ADD COLUMN listed INTEGER NOT NULL DEFAULT 0;

-- The supervision board counts open cases near or past their deadline by unit and stage:
-- one range of this partial index, read without touching the table.
CREATE INDEX cases_open_board ON cases(due_sort, unit_path, stage, listed) WHERE state = 'open';

-- Supervision orders (督办单): issued by a unit above to a unit, about one or more cases,
-- answered in writing by a reply date.
CREATE TABLE supervision_orders (
    id                INTEGER PRIMARY KEY,
    order_no          TEXT NOT NULL UNIQUE,
    issuer_unit_id    INTEGER NOT NULL REFERENCES units(id),
    to_unit_id        INTEGER NOT NULL REFERENCES units(id),
    to_unit_path      TEXT NOT NULL,
    issued_by         INTEGER REFERENCES users(id),
    issued_by_name    TEXT NOT NULL DEFAULT '',
    issued_on         TEXT NOT NULL,
    reply_days        INTEGER NOT NULL,
    due_on            TEXT NOT NULL,
    reason            TEXT NOT NULL,
    requirements      TEXT NOT NULL DEFAULT '',
    state             TEXT NOT NULL,
    reply             TEXT NOT NULL DEFAULT '',
    answered_at       INTEGER,
    answered_by       INTEGER REFERENCES users(id),
    answered_by_name  TEXT NOT NULL DEFAULT '',
    reminders         INTEGER NOT NULL DEFAULT 0,
    last_reminded_on  TEXT,
    created_at        INTEGER NOT NULL
);
CREATE INDEX supervision_orders_unit ON supervision_orders(to_unit_path, id);
CREATE INDEX supervision_orders_open ON supervision_orders(state, due_on);

CREATE TABLE supervision_order_cases (
    order_id  INTEGER NOT NULL REFERENCES supervision_orders(id),
    case_id   INTEGER NOT NULL REFERENCES cases(id),
    PRIMARY KEY (order_id, case_id)
);
CREATE INDEX supervision_order_cases_case ON supervision_order_cases(case_id);

-- Numbers orders per issuing unit and year.
CREATE TABLE supervision_counters (
    unit_id  INTEGER NOT NULL REFERENCES units(id),
    year     INTEGER NOT NULL,
    last     INTEGER NOT NULL,
    PRIMARY KEY (unit_id, year)
);

-- Accountability records: an official (a user, or a person named) who failed in a duty
-- on a case, the kind of failure, the facts, the decision and who decided it.
CREATE TABLE accountability_records (
    id                  INTEGER PRIMARY KEY,
    case_id             INTEGER NOT NULL REFERENCES cases(id),
    official_user_id    INTEGER REFERENCES users(id),
    official_name       TEXT NOT NULL,
    official_unit_id    INTEGER NOT NULL REFERENCES units(id),
    official_unit_path  TEXT NOT NULL,
    kind                TEXT NOT NULL,
    article             INTEGER NOT NULL,
    facts               TEXT NOT NULL,
    decision            TEXT NOT NULL,
    decided_by          TEXT NOT NULL,
    decided_on          TEXT NOT NULL,
    recorded_by         INTEGER REFERENCES users(id),
    recorded_by_name    TEXT NOT NULL DEFAULT '',
    created_at          INTEGER NOT NULL
);
CREATE INDEX accountability_records_unit ON accountability_records(official_unit_path, id);

-- The listed cases of a subtree, for the board and the queue's filter (few rows).
CREATE INDEX cases_listed ON cases(unit_path, due_sort) WHERE listed = 1;
