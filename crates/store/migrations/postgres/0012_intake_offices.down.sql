DROP TABLE intake_offices;
