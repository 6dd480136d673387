-- Safety inspection campaigns (安全隐患排查). Establishments are places (canteens,
-- restaurants, drug wholesalers, clinics, pharmacies), never people. Their history, and
-- each campaign's, is in register_events (registers `establishment` and
-- `inspection_campaign`).
CREATE TABLE establishments (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    licence_no   TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    address      TEXT NOT NULL DEFAULT '',
    region_code  TEXT NOT NULL,
    unit_id      BIGINT NOT NULL REFERENCES units(id),
    unit_path    TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX establishments_unit ON establishments(unit_path, kind);

-- An admin's edit of a kind's checklist (one item a line); the defaults ship in code.
CREATE TABLE inspection_checklists (
    kind        TEXT PRIMARY KEY,
    items       TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    updated_by  TEXT NOT NULL DEFAULT ''
);

-- A campaign covers the establishments of some kinds under one unit over a date range.
CREATE TABLE inspection_campaigns (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    kinds       TEXT NOT NULL,
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    unit_path   TEXT NOT NULL,
    starts_on   TEXT NOT NULL,
    ends_on     TEXT NOT NULL,
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);
CREATE INDEX inspection_campaigns_unit ON inspection_campaigns(unit_path, id);

-- One visit to one establishment in a campaign.
CREATE TABLE inspections (
    id                INTEGER PRIMARY KEY,
    campaign_id       BIGINT NOT NULL REFERENCES inspection_campaigns(id),
    establishment_id  BIGINT NOT NULL REFERENCES establishments(id),
    unit_path         TEXT NOT NULL,
    inspected_on      TEXT NOT NULL,
    inspectors        TEXT NOT NULL,
    answers           TEXT NOT NULL DEFAULT '[]',
    findings          TEXT NOT NULL DEFAULT '',
    photos            TEXT NOT NULL DEFAULT '[]',
    recorded_by       TEXT NOT NULL DEFAULT '',
    created_at        BIGINT NOT NULL
);
CREATE INDEX inspections_campaign ON inspections(campaign_id, establishment_id);

-- A hazard an inspection found, and where it stands.
CREATE TABLE inspection_hazards (
    id                  INTEGER PRIMARY KEY,
    inspection_id       BIGINT NOT NULL REFERENCES inspections(id),
    campaign_id         BIGINT NOT NULL REFERENCES inspection_campaigns(id),
    establishment_id    BIGINT NOT NULL REFERENCES establishments(id),
    unit_path           TEXT NOT NULL,
    description         TEXT NOT NULL,
    severity            TEXT NOT NULL,
    state               TEXT NOT NULL,
    reinspected_on      TEXT,
    reinspection_notes  TEXT NOT NULL DEFAULT '',
    created_at          BIGINT NOT NULL
);
CREATE INDEX inspection_hazards_campaign ON inspection_hazards(campaign_id, state);

-- Rectification (整改通知) and suspension (停业整顿) orders about a hazard.
CREATE TABLE inspection_orders (
    id              INTEGER PRIMARY KEY,
    hazard_id       BIGINT NOT NULL REFERENCES inspection_hazards(id),
    kind            TEXT NOT NULL,
    order_no        TEXT NOT NULL,
    issued_on       TEXT NOT NULL,
    due_on          TEXT,
    requirements    TEXT NOT NULL DEFAULT '',
    issued_by       TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    UNIQUE (hazard_id, kind)
);
