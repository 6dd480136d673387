DROP INDEX daily_reports_group;
DROP INDEX duty_shifts_group;
DROP INDEX working_groups_group;
DELETE FROM working_groups WHERE version <> (SELECT g.version FROM leading_groups g WHERE g.id = working_groups.group_id);
ALTER TABLE working_groups DROP COLUMN version;
ALTER TABLE leading_groups DROP COLUMN head_user_id;
ALTER TABLE leading_groups DROP COLUMN version;
