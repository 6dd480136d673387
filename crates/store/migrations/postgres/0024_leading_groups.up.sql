-- Leading groups (领导小组) get their unit's path (for scope) and the staff accounts among
-- their members (for each member's dashboard); working groups' `members` JSON gains an
-- optional "user_id". Duty shifts and daily reports may be filed under a group.
ALTER TABLE leading_groups ADD COLUMN unit_path TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE leading_groups ADD COLUMN head_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE duty_shifts ADD COLUMN group_id BIGINT;
ALTER TABLE daily_reports ADD COLUMN group_id BIGINT;
CREATE TABLE leading_group_users (
    group_id  BIGINT NOT NULL REFERENCES leading_groups(id),
    user_id   BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX leading_group_users_user ON leading_group_users(user_id);
