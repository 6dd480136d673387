-- The volume tally (see domain::volume): how many cases each unit holds, counted one field
-- at a time (`dim`: category, channel, type, region, state; `key`: the case's value of it),
-- by the day (`grain` 'd', `period` YYYY-MM-DD) and the month ('m', YYYY-MM) received, in
-- each state and county (`area`: the region code's first six digits). Kept with every change
-- to a case, in the change's transaction. A database from before this table is counted
-- once at start (`hearken serve`), from its cases.
CREATE TABLE volume_tallies (
    dim     TEXT NOT NULL,
    grain   TEXT NOT NULL,
    period  TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    state   TEXT NOT NULL,
    area    TEXT NOT NULL,
    key     TEXT NOT NULL,
    n       BIGINT NOT NULL,
    PRIMARY KEY (dim, grain, period, unit_id, state, area, key)
);
