-- The annual report (Art. 41): each unit's edits of the report's wording (the default
-- ships with the application), and the reports a unit has issued, with their figures
-- frozen as issued.
CREATE TABLE annual_report_templates (
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    lang        TEXT NOT NULL,
    body        TEXT NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (unit_id, lang)
);
CREATE TABLE annual_reports (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    unit_path   TEXT NOT NULL,
    year        INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    lang        TEXT NOT NULL,
    figures     TEXT NOT NULL,
    done_text   TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    issued_by   INTEGER REFERENCES users(id),
    issued_by_name TEXT NOT NULL DEFAULT '',
    issued_at   INTEGER NOT NULL,
    UNIQUE (unit_id, year, version)
);
-- Hotspots (矛盾隐患预警) are computed, not stored; a unit's assignment of one (by its
-- stable key) to an owner leader is kept here, its history in register_events
-- (register `hotspot`).
CREATE TABLE hotspot_owners (
    id           INTEGER PRIMARY KEY,
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    unit_path    TEXT NOT NULL,
    hotspot_key  TEXT NOT NULL,
    label        TEXT NOT NULL DEFAULT '',
    owner_id     INTEGER NOT NULL REFERENCES users(id),
    assigned_by  TEXT NOT NULL DEFAULT '',
    assigned_at  INTEGER NOT NULL,
    UNIQUE (unit_id, hotspot_key)
);
