-- Running tallies of the per-unit rates (domain::stats). Each lifecycle step adds to the
-- tally of the unit that held the case, for the day and for the month it was taken, in
-- the same transaction as its event; a rate over any range of days sums whole months and
-- the ragged ends' days instead of replaying events. Rows are only ever incremented.
CREATE TABLE stat_tallies (
    grain    TEXT NOT NULL,
    period   TEXT NOT NULL,
    unit_id  BIGINT NOT NULL REFERENCES units(id),
    rate     TEXT NOT NULL,
    num      BIGINT NOT NULL DEFAULT 0,
    den      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (grain, period, unit_id, rate)
);
