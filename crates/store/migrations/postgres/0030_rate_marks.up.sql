-- The cases behind each per-unit rate: one row for each counted step, beside the running
-- tallies (stat_tallies) and written in the same transaction, so that a rate's figure
-- links to exactly the cases it counts. `num` and `den` are what the step added to the
-- unit's tally of `rate` on `on_day`.
CREATE TABLE rate_marks (
    case_id BIGINT NOT NULL REFERENCES cases(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    rate    TEXT NOT NULL,
    on_day  TEXT NOT NULL,
    num     BIGINT NOT NULL,
    den     BIGINT NOT NULL
);
CREATE INDEX rate_marks_by_rate ON rate_marks (rate, on_day, unit_id);
CREATE INDEX rate_marks_by_case ON rate_marks (case_id);
