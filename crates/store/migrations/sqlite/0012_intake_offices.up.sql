-- Where online petitions land: the jurisdiction's petition office (region_prefix ''),
-- and optionally a petition office for a region prefix (the most specific one wins).
CREATE TABLE intake_offices (
    region_prefix  TEXT NOT NULL PRIMARY KEY,
    unit_id        BIGINT NOT NULL REFERENCES units(id),
    updated_at     BIGINT NOT NULL
);
