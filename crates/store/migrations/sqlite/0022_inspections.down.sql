DROP TABLE inspection_orders;
DROP TABLE inspection_hazards;
DROP TABLE inspections;
DROP TABLE inspection_campaigns;
DROP TABLE inspection_checklists;
DROP TABLE establishments;
