-- The public portal: the office's published contact details, leaders' reception days
-- (领导接访) and the appointments petitioners request (约访), and leaders' field visits
-- (下访) with the cases they took up. Nothing here profiles a person: an appointment is
-- found by its reference, never by who asked for it.

CREATE TABLE portal_settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL DEFAULT '',
    updated_at  INTEGER NOT NULL,
    updated_by  INTEGER REFERENCES users(id)
);

CREATE TABLE reception_slots (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    unit_path     TEXT NOT NULL,
    leader_name   TEXT NOT NULL,
    leader_title  TEXT NOT NULL DEFAULT '',
    day           TEXT NOT NULL,
    start_time    TEXT NOT NULL,
    end_time      TEXT NOT NULL,
    place         TEXT NOT NULL,
    capacity      INTEGER NOT NULL DEFAULT 10,
    cancelled     INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    created_by    INTEGER REFERENCES users(id)
);
CREATE INDEX reception_slots_day ON reception_slots(day, start_time);
CREATE INDEX reception_slots_unit ON reception_slots(unit_path, day);

CREATE TABLE appointments (
    id               INTEGER PRIMARY KEY,
    ref_no           TEXT NOT NULL UNIQUE,
    code_hash        TEXT NOT NULL,
    slot_id          INTEGER NOT NULL REFERENCES reception_slots(id),
    unit_path        TEXT NOT NULL,
    matter           TEXT NOT NULL,
    case_no          TEXT NOT NULL DEFAULT '',
    contact_name     TEXT NOT NULL DEFAULT '',
    contact_phone    TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL,
    offered_slot_id  INTEGER REFERENCES reception_slots(id),
    answer           TEXT NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL,
    answered_at      INTEGER,
    answered_by      INTEGER REFERENCES users(id),
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX appointments_unit ON appointments(unit_path, created_at);
CREATE INDEX appointments_slot ON appointments(slot_id);

CREATE TABLE field_visits (
    id           INTEGER PRIMARY KEY,
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    unit_path    TEXT NOT NULL,
    leader_name  TEXT NOT NULL,
    day          TEXT NOT NULL,
    place        TEXT NOT NULL,
    summary      TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    created_by   INTEGER REFERENCES users(id)
);
CREATE INDEX field_visits_unit ON field_visits(unit_path, day);

CREATE TABLE field_visit_cases (
    visit_id  INTEGER NOT NULL REFERENCES field_visits(id),
    case_id   INTEGER NOT NULL REFERENCES cases(id),
    PRIMARY KEY (visit_id, case_id)
);
