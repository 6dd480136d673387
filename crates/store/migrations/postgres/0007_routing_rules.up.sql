-- Routing help: which unit is usually responsible for a category in a region. The
-- supervisor sees the suggestion and confirms or overrides it.
CREATE TABLE routing_rules (
    category       TEXT NOT NULL,
    region_prefix  TEXT NOT NULL,
    unit_id        BIGINT NOT NULL REFERENCES units(id),
    updated_at     BIGINT NOT NULL,
    PRIMARY KEY (category, region_prefix)
);
