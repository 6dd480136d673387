-- Links between cases on one matter (same matter, duplicate, earlier stage). A projection
-- of the `case_linked` / `case_unlinked` events on both cases. One link per pair of cases:
-- the pair is kept in order (lo_id < hi_id); `from_id` is the case the kind reads from
-- ("from_id is a duplicate of the other", "the other is an earlier stage of from_id").
CREATE TABLE case_links (
    lo_id      BIGINT NOT NULL REFERENCES cases(id),
    hi_id      BIGINT NOT NULL REFERENCES cases(id),
    from_id    BIGINT NOT NULL REFERENCES cases(id),
    kind       TEXT NOT NULL,
    linked_at  BIGINT NOT NULL,
    linked_by  BIGINT,
    PRIMARY KEY (lo_id, hi_id),
    CHECK (lo_id < hi_id)
);
CREATE INDEX case_links_hi ON case_links (hi_id);
