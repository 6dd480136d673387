DROP TABLE screening_findings;
DROP TABLE screening_units;
DROP TABLE screenings;
DROP TABLE dispute_cases;
DROP TABLE dispute_mediations;
DROP TABLE dispute_steps;
DROP TABLE disputes;
