-- Leading groups can be edited: the group and its working groups carry a version; a
-- change writes the next version's working groups and keeps the earlier ones. Shifts
-- and daily reports filed under a group are listed on the group's page. The head's staff
-- account (a users id) is kept, so that an edit shows and keeps it.
ALTER TABLE leading_groups ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE working_groups ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE leading_groups ADD COLUMN head_user_id BIGINT;
CREATE INDEX working_groups_group ON working_groups(group_id, version);
CREATE INDEX duty_shifts_group ON duty_shifts(group_id);
CREATE INDEX daily_reports_group ON daily_reports(group_id);
