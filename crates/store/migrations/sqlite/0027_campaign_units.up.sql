-- An inspection campaign's scope is a list of units, each counting with its subtree.
-- inspection_campaigns.unit_id / unit_path now name the unit that runs the campaign;
-- a campaign made before this migration covered that unit's subtree, so it gets that
-- unit as its one scope unit.
CREATE TABLE inspection_campaign_units (
    campaign_id  BIGINT NOT NULL REFERENCES inspection_campaigns(id),
    unit_id      BIGINT NOT NULL REFERENCES units(id),
    unit_path    TEXT NOT NULL,
    PRIMARY KEY (campaign_id, unit_id)
);
CREATE INDEX inspection_campaign_units_path ON inspection_campaign_units(unit_path);
INSERT INTO inspection_campaign_units (campaign_id, unit_id, unit_path)
    SELECT id, unit_id, unit_path FROM inspection_campaigns;

-- A hazard graded critical met a plan's "critical hazard" trigger: a proposal that a
-- person decides on (the hazard's page shows it; activating fills incident_id).
CREATE TABLE hazard_plan_proposals (
    id           INTEGER PRIMARY KEY,
    plan_id      BIGINT NOT NULL REFERENCES plans(id),
    hazard_id    BIGINT NOT NULL REFERENCES inspection_hazards(id),
    created_at   BIGINT NOT NULL,
    incident_id  BIGINT,
    UNIQUE (plan_id, hazard_id)
);
CREATE INDEX hazard_plan_proposals_hazard ON hazard_plan_proposals(hazard_id);
