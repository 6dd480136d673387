-- The dispute register (矛盾纠纷排查化解台账) and screening campaigns (排查). An entry is an
-- issue (wage arrears at a site, a land dispute), never a person. Its history is in
-- register_events (register = 'dispute' or 'screening').
CREATE TABLE disputes (
    id              BIGSERIAL PRIMARY KEY,
    unit_id         BIGINT NOT NULL REFERENCES units(id),
    unit_path       TEXT COLLATE "C" NOT NULL,
    kind            TEXT NOT NULL,
    title           TEXT NOT NULL,
    region          TEXT NOT NULL,
    address         TEXT NOT NULL DEFAULT '',
    parties         TEXT NOT NULL,
    people          BIGINT NOT NULL,
    scale           TEXT NOT NULL,
    urgency         TEXT NOT NULL,
    owner_user_id   BIGINT REFERENCES users(id),
    owner_name      TEXT NOT NULL DEFAULT '',
    hotspot         TEXT NOT NULL DEFAULT '',
    outcome         TEXT NOT NULL DEFAULT 'open',
    channel         TEXT NOT NULL DEFAULT '',
    outcome_note    TEXT NOT NULL DEFAULT '',
    closed_on       TEXT,
    created_by_name TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX disputes_unit ON disputes(unit_path, id);

-- The resolution plan: each step, its deadline, who does it and when it was done.
CREATE TABLE dispute_steps (
    id          BIGSERIAL PRIMARY KEY,
    dispute_id  BIGINT NOT NULL REFERENCES disputes(id),
    what        TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    assignee    TEXT NOT NULL,
    done_on     TEXT
);
CREATE INDEX dispute_steps_open ON dispute_steps(due_on, dispute_id) WHERE done_on IS NULL;
CREATE INDEX dispute_steps_entry ON dispute_steps(dispute_id, id);

-- The mediation record.
CREATE TABLE dispute_mediations (
    id          BIGSERIAL PRIMARY KEY,
    dispute_id  BIGINT NOT NULL REFERENCES disputes(id),
    held_on     TEXT NOT NULL,
    mediator    TEXT NOT NULL,
    agreed      TEXT NOT NULL
);
CREATE INDEX dispute_mediations_entry ON dispute_mediations(dispute_id, id);

-- The petitions an entry is linked to.
CREATE TABLE dispute_cases (
    dispute_id  BIGINT NOT NULL REFERENCES disputes(id),
    case_id     BIGINT NOT NULL REFERENCES cases(id),
    PRIMARY KEY (dispute_id, case_id)
);

-- Screening campaigns: the issuing unit, the sectors and the dates.
CREATE TABLE screenings (
    id              BIGSERIAL PRIMARY KEY,
    unit_id         BIGINT NOT NULL REFERENCES units(id),
    unit_path       TEXT COLLATE "C" NOT NULL,
    title           TEXT NOT NULL,
    sectors         TEXT NOT NULL DEFAULT '',
    starts_on       TEXT NOT NULL,
    ends_on         TEXT NOT NULL,
    created_by_name TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL
);
CREATE INDEX screenings_unit ON screenings(unit_path, id);

-- The units a campaign covers and each one's answer (NULL until it answers).
CREATE TABLE screening_units (
    screening_id      BIGINT NOT NULL REFERENCES screenings(id),
    unit_id           BIGINT NOT NULL REFERENCES units(id),
    unit_path         TEXT COLLATE "C" NOT NULL,
    answer            TEXT,
    note              TEXT NOT NULL DEFAULT '',
    answered_on       TEXT,
    answered_by_name  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (screening_id, unit_id)
);
CREATE INDEX screening_units_unit ON screening_units(unit_path);

-- The entries a unit found in a campaign.
CREATE TABLE screening_findings (
    screening_id  BIGINT NOT NULL REFERENCES screenings(id),
    unit_id       BIGINT NOT NULL REFERENCES units(id),
    dispute_id    BIGINT NOT NULL REFERENCES disputes(id),
    PRIMARY KEY (screening_id, unit_id, dispute_id)
);
