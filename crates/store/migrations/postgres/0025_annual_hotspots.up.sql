-- The annual report (Art. 41): each unit's edits of the report's wording (the default
-- ships with the application), and the reports a unit has issued, with their figures
-- frozen as issued.
CREATE TABLE annual_report_templates (
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    lang        TEXT NOT NULL,
    body        TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    updated_by  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (unit_id, lang)
);
CREATE TABLE annual_reports (
    id          BIGSERIAL PRIMARY KEY,
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    unit_path   TEXT COLLATE "C" NOT NULL,
    year        BIGINT NOT NULL,
    version     BIGINT NOT NULL,
    lang        TEXT NOT NULL,
    figures     TEXT NOT NULL,
    done_text   TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    issued_by   BIGINT REFERENCES users(id),
    issued_by_name TEXT NOT NULL DEFAULT '',
    issued_at   BIGINT NOT NULL,
    UNIQUE (unit_id, year, version)
);
-- Hotspots (矛盾隐患预警) are computed, not stored; a unit's assignment of one (by its
-- stable key) to an owner leader is kept here, its history in register_events
-- (register `hotspot`).
CREATE TABLE hotspot_owners (
    id           BIGSERIAL PRIMARY KEY,
    unit_id      BIGINT NOT NULL REFERENCES units(id),
    unit_path    TEXT COLLATE "C" NOT NULL,
    hotspot_key  TEXT NOT NULL,
    label        TEXT NOT NULL DEFAULT '',
    owner_id     BIGINT NOT NULL REFERENCES users(id),
    assigned_by  TEXT NOT NULL DEFAULT '',
    assigned_at  BIGINT NOT NULL,
    UNIQUE (unit_id, hotspot_key)
);
