DROP TABLE leading_group_users;
ALTER TABLE daily_reports DROP COLUMN group_id;
ALTER TABLE duty_shifts DROP COLUMN group_id;
ALTER TABLE leading_groups DROP COLUMN head_phone;
ALTER TABLE leading_groups DROP COLUMN unit_path;
