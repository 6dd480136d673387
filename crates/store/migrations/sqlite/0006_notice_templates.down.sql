DROP TABLE attendance;
ALTER TABLE cases DROP COLUMN owner_id;
DROP TABLE notice_templates;
