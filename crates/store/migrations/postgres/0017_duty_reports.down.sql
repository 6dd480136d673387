DROP TABLE working_groups;
DROP TABLE leading_groups;
DROP TABLE handovers;
DROP TABLE duty_swaps;
DROP TABLE duty_shifts;
DROP TABLE daily_reports;
DROP TABLE special_periods;
DROP TABLE report_schedules;
