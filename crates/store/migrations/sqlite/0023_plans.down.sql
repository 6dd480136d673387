DROP TABLE incident_tasks;
DROP TABLE incidents;
DROP TABLE plan_proposals;
DROP TABLE plan_versions;
DROP TABLE plans;
