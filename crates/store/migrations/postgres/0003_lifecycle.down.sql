ALTER TABLE cases DROP COLUMN lifecycle;
