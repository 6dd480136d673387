-- The office's day around the lifecycle: reporting schedules, special periods (特护期),
-- daily reports (日报告), the duty roster (值班) with its swaps and handovers (交接班), and
-- leading groups (领导小组). Reports carry figures and issues, never petitioners.

-- A unit's standing schedule: the subordinate units' deadlines (`HH:MM, HH:MM`) and the
-- minutes after each the unit has to compile its own report. Units without a row follow
-- their nearest ancestor's, else 15:30 / +30.
CREATE TABLE report_schedules (
    unit_id          INTEGER PRIMARY KEY REFERENCES units(id),
    windows          TEXT NOT NULL,
    compile_minutes  INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    updated_by       INTEGER REFERENCES users(id)
);

CREATE TABLE special_periods (
    id           INTEGER PRIMARY KEY,
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    unit_path    TEXT NOT NULL,
    name         TEXT NOT NULL,
    starts_on    TEXT NOT NULL,
    ends_on      TEXT NOT NULL,
    windows      TEXT NOT NULL,
    subtree      INTEGER NOT NULL,
    rest_days    INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    created_by   INTEGER REFERENCES users(id)
);
CREATE INDEX special_periods_dates ON special_periods(ends_on, starts_on);

-- Every version of every report: a correction is a new row with the next version.
CREATE TABLE daily_reports (
    id                  INTEGER PRIMARY KEY,
    unit_id             INTEGER NOT NULL REFERENCES units(id),
    unit_path           TEXT NOT NULL,
    day                 TEXT NOT NULL,
    window_no           INTEGER NOT NULL,
    due_at              INTEGER NOT NULL,
    version             INTEGER NOT NULL,
    nothing_to_report   INTEGER NOT NULL,
    incidents           TEXT NOT NULL DEFAULT '',
    notes               TEXT NOT NULL DEFAULT '',
    new_cases           INTEGER NOT NULL DEFAULT 0,
    closed_cases        INTEGER NOT NULL DEFAULT 0,
    overdue_cases       INTEGER NOT NULL DEFAULT 0,
    group_visits        INTEGER NOT NULL DEFAULT 0,
    group_people        INTEGER NOT NULL DEFAULT 0,
    supervision_orders  INTEGER NOT NULL DEFAULT 0,
    filed_at            INTEGER NOT NULL,
    filed_by            INTEGER REFERENCES users(id),
    filed_by_name       TEXT NOT NULL DEFAULT '',
    UNIQUE (unit_id, day, window_no, version)
);
CREATE INDEX daily_reports_day ON daily_reports(day, unit_path);

-- One 24-hour shift per unit and day, from `starts_at` (local HH:MM) to the same time
-- the next day. `staff` is a JSON list of {"name", "phone"}.
CREATE TABLE duty_shifts (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    day           TEXT NOT NULL,
    starts_at     TEXT NOT NULL,
    leader_name   TEXT NOT NULL,
    leader_phone  TEXT NOT NULL DEFAULT '',
    staff         TEXT NOT NULL DEFAULT '[]',
    updated_at    INTEGER NOT NULL,
    updated_by    INTEGER REFERENCES users(id),
    UNIQUE (unit_id, day)
);

-- Who swapped which duty with whom, and when: a swap changes the shift and leaves this row.
CREATE TABLE duty_swaps (
    id             INTEGER PRIMARY KEY,
    shift_id       INTEGER NOT NULL REFERENCES duty_shifts(id),
    slot           TEXT NOT NULL,
    from_name      TEXT NOT NULL,
    to_name        TEXT NOT NULL,
    to_phone       TEXT NOT NULL DEFAULT '',
    reason         TEXT NOT NULL DEFAULT '',
    swapped_by     INTEGER REFERENCES users(id),
    swapped_by_name TEXT NOT NULL DEFAULT '',
    at             INTEGER NOT NULL
);
CREATE INDEX duty_swaps_shift ON duty_swaps(shift_id, id);

CREATE TABLE handovers (
    id              INTEGER PRIMARY KEY,
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    shift_id        INTEGER NOT NULL REFERENCES duty_shifts(id),
    pending         TEXT NOT NULL,
    written_by      INTEGER REFERENCES users(id),
    written_by_name TEXT NOT NULL DEFAULT '',
    written_at      INTEGER NOT NULL,
    ack_by          INTEGER REFERENCES users(id),
    ack_by_name     TEXT,
    ack_note        TEXT,
    ack_at          INTEGER
);
CREATE INDEX handovers_unit ON handovers(unit_id, id);

-- A leading group for a campaign or special period, with its working groups.
-- `members` is a JSON list of {"name", "phone", "role"}.
CREATE TABLE leading_groups (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    name        TEXT NOT NULL,
    starts_on   TEXT NOT NULL,
    ends_on     TEXT NOT NULL,
    head        TEXT NOT NULL,
    deputies    TEXT NOT NULL DEFAULT '',
    office      TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    created_by  INTEGER REFERENCES users(id)
);
CREATE TABLE working_groups (
    id        INTEGER PRIMARY KEY,
    group_id  INTEGER NOT NULL REFERENCES leading_groups(id),
    name      TEXT NOT NULL,
    duties    TEXT NOT NULL DEFAULT '',
    members   TEXT NOT NULL DEFAULT '[]'
);
