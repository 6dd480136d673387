-- Emergency plans (应急预案) and the incidents their activations open. A plan's content
-- (triggers, teams, resources, steps, contact tree) is one JSON document per version: an
-- edit writes the next version and moves `current_version`; an incident keeps the version
-- it ran. Teams receive people, listen and coordinate; nothing here records a person
-- other than the staff on the teams.
CREATE TABLE plans (
    id               INTEGER PRIMARY KEY,
    unit_id          INTEGER NOT NULL REFERENCES units(id),
    unit_path        TEXT NOT NULL,
    group_id         INTEGER REFERENCES leading_groups(id),
    name             TEXT NOT NULL,
    current_version  INTEGER NOT NULL,
    -- The group-visit trigger of the version in force (people), or NULL when it has none.
    group_visit_min  INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX plans_unit ON plans(unit_path);

CREATE TABLE plan_versions (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES plans(id),
    version     INTEGER NOT NULL,
    body        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    created_by_name TEXT NOT NULL DEFAULT '',
    UNIQUE (plan_id, version)
);

-- A trigger met by a registered case: a proposal that a person decides on.
CREATE TABLE plan_proposals (
    id           INTEGER PRIMARY KEY,
    plan_id      INTEGER NOT NULL REFERENCES plans(id),
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    headcount    INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    incident_id  INTEGER,
    UNIQUE (plan_id, case_id)
);
CREATE INDEX plan_proposals_case ON plan_proposals(case_id);

CREATE TABLE incidents (
    id               INTEGER PRIMARY KEY,
    plan_id          INTEGER NOT NULL REFERENCES plans(id),
    plan_version     INTEGER NOT NULL,
    unit_id          INTEGER NOT NULL REFERENCES units(id),
    unit_path        TEXT NOT NULL,
    case_id          INTEGER REFERENCES cases(id),
    title            TEXT NOT NULL,
    state            TEXT NOT NULL,
    opened_at        INTEGER NOT NULL,
    opened_by_name   TEXT NOT NULL DEFAULT '',
    closed_at        INTEGER,
    review_happened  TEXT NOT NULL DEFAULT '',
    review_worked    TEXT NOT NULL DEFAULT '',
    review_improve   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX incidents_unit ON incidents(unit_path, id);

CREATE TABLE incident_tasks (
    id            INTEGER PRIMARY KEY,
    incident_id   INTEGER NOT NULL REFERENCES incidents(id),
    team          TEXT NOT NULL,
    title         TEXT NOT NULL,
    due_at        TEXT NOT NULL,
    done_at       INTEGER,
    done_by_name  TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX incident_tasks_incident ON incident_tasks(incident_id, id);
