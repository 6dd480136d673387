DROP TABLE hazard_plan_proposals;
DROP TABLE inspection_campaign_units;
