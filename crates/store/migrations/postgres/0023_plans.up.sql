-- Emergency plans (应急预案) and the incidents their activations open. A plan's content
-- (triggers, teams, resources, steps, contact tree) is one JSON document per version: an
-- edit writes the next version and moves `current_version`; an incident keeps the version
-- it ran. Teams receive people, listen and coordinate; nothing here records a person
-- other than the staff on the teams.
CREATE TABLE plans (
    id               BIGSERIAL PRIMARY KEY,
    unit_id          BIGINT NOT NULL REFERENCES units(id),
    unit_path        TEXT COLLATE "C" NOT NULL,
    group_id         BIGINT REFERENCES leading_groups(id),
    name             TEXT NOT NULL,
    current_version  BIGINT NOT NULL,
    -- The group-visit trigger of the version in force (people), or NULL when it has none.
    group_visit_min  BIGINT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX plans_unit ON plans(unit_path);

CREATE TABLE plan_versions (
    id          BIGSERIAL PRIMARY KEY,
    plan_id     BIGINT NOT NULL REFERENCES plans(id),
    version     BIGINT NOT NULL,
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    created_by_name TEXT NOT NULL DEFAULT '',
    UNIQUE (plan_id, version)
);

-- A trigger met by a registered case: a proposal that a person decides on.
CREATE TABLE plan_proposals (
    id           BIGSERIAL PRIMARY KEY,
    plan_id      BIGINT NOT NULL REFERENCES plans(id),
    case_id      BIGINT NOT NULL REFERENCES cases(id),
    headcount    BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    incident_id  BIGINT,
    UNIQUE (plan_id, case_id)
);
CREATE INDEX plan_proposals_case ON plan_proposals(case_id);

CREATE TABLE incidents (
    id               BIGSERIAL PRIMARY KEY,
    plan_id          BIGINT NOT NULL REFERENCES plans(id),
    plan_version     BIGINT NOT NULL,
    unit_id          BIGINT NOT NULL REFERENCES units(id),
    unit_path        TEXT COLLATE "C" NOT NULL,
    case_id          BIGINT REFERENCES cases(id),
    title            TEXT NOT NULL,
    state            TEXT NOT NULL,
    opened_at        BIGINT NOT NULL,
    opened_by_name   TEXT NOT NULL DEFAULT '',
    closed_at        BIGINT,
    review_happened  TEXT NOT NULL DEFAULT '',
    review_worked    TEXT NOT NULL DEFAULT '',
    review_improve   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX incidents_unit ON incidents(unit_path, id);

CREATE TABLE incident_tasks (
    id            BIGSERIAL PRIMARY KEY,
    incident_id   BIGINT NOT NULL REFERENCES incidents(id),
    team          TEXT NOT NULL,
    title         TEXT NOT NULL,
    due_at        TEXT NOT NULL,
    done_at       BIGINT,
    done_by_name  TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX incident_tasks_incident ON incident_tasks(incident_id, id);
