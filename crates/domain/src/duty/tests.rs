use super::*;
use crate::calendar::Calendar;
use chrono::{FixedOffset, NaiveDate, NaiveTime};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("time")
}

fn tz() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("tz")
}

fn special(path: &str, subtree: bool, rest_days: bool) -> SpecialPeriod {
    SpecialPeriod {
        id: 1,
        unit_path: path.into(),
        name: "两会".into(),
        starts_on: day("2026-11-27"),
        ends_on: day("2026-12-02"),
        windows: vec![hm(16, 40), hm(8, 40)],
        subtree,
        rest_days,
    }
}

#[test]
fn the_default_day_has_one_window_children_by_1530_parents_by_1600() {
    let cal = Calendar::shipped();
    let monday = day("2026-11-30");
    let s = Schedule::default();
    let leaf = plan_day(monday, "/1/2/", false, &s, &[], &cal);
    assert_eq!(leaf.windows.len(), 1);
    assert_eq!(leaf.windows[0].due, hm(15, 30));
    let parent = plan_day(monday, "/1/", true, &s, &[], &cal);
    assert_eq!(parent.windows[0].due, hm(16, 0));
    assert_eq!(parent.windows[0].children_due, hm(15, 30));
}

#[test]
fn weekends_have_no_windows_unless_a_special_period_includes_them() {
    let cal = Calendar::shipped();
    let saturday = day("2026-11-28");
    let s = Schedule::default();
    assert!(plan_day(saturday, "/1/", true, &s, &[], &cal)
        .windows
        .is_empty());
    let without = [special("/1/", true, false)];
    assert!(plan_day(saturday, "/1/", true, &s, &without, &cal)
        .windows
        .is_empty());
    let with = [special("/1/", true, true)];
    let plan = plan_day(saturday, "/1/2/", false, &s, &with, &cal);
    assert_eq!(
        plan.windows.iter().map(|w| w.due).collect::<Vec<_>>(),
        vec![hm(8, 40), hm(16, 40)]
    );
    assert_eq!(plan.windows[1].no, 2);
    assert!(plan.special.is_some());
}

#[test]
fn a_special_period_reaches_the_subtree_only_when_it_says_so() {
    let cal = Calendar::shipped();
    let monday = day("2026-11-30");
    let s = Schedule::default();
    let own = [special("/1/", false, false)];
    assert_eq!(
        plan_day(monday, "/1/", true, &s, &own, &cal).windows.len(),
        2
    );
    assert_eq!(
        plan_day(monday, "/1/2/", false, &s, &own, &cal)
            .windows
            .len(),
        1
    );
    let tree = [special("/1/", true, false)];
    assert_eq!(
        plan_day(monday, "/1/2/", false, &s, &tree, &cal)
            .windows
            .len(),
        2
    );
    // Not a neighbour whose path merely shares digits.
    assert_eq!(
        plan_day(monday, "/10/", false, &s, &tree, &cal)
            .windows
            .len(),
        1
    );
    // Outside its dates the schedule applies again.
    let later = day("2026-12-03");
    assert_eq!(
        plan_day(later, "/1/2/", false, &s, &tree, &cal)
            .windows
            .len(),
        1
    );
}

#[test]
fn the_nearest_schedule_governs() {
    let city = Schedule {
        windows: vec![hm(15, 0)],
        ..Schedule::default()
    };
    let pairs = vec![("/1/".to_string(), city.clone())];
    assert_eq!(pick_schedule("/1/2/", &pairs), city);
    assert_eq!(pick_schedule("/3/", &pairs), Schedule::default());
}

#[test]
fn status_at_1529_and_1531() {
    let d = day("2026-11-30");
    let due = due_instant(d, hm(15, 30), tz());
    let at = |h, m| due_instant(d, hm(h, m), tz());
    assert_eq!(
        ReportStatus::of(None, due, at(15, 29)),
        ReportStatus::Pending
    );
    assert_eq!(
        ReportStatus::of(None, due, at(15, 31)),
        ReportStatus::Missing
    );
    assert_eq!(
        ReportStatus::of(Some(at(15, 29)), due, at(15, 31)),
        ReportStatus::Submitted
    );
    assert_eq!(
        ReportStatus::of(Some(at(15, 30)), due, at(15, 31)),
        ReportStatus::Submitted
    );
    assert_eq!(
        ReportStatus::of(Some(at(15, 31)), due, at(15, 31)),
        ReportStatus::Late
    );
    assert_eq!(due.to_rfc3339(), "2026-11-30T07:30:00+00:00");
}

#[test]
fn a_report_says_something_or_says_nothing_to_report() {
    let r = |nothing, incidents, notes| ReportInput {
        nothing_to_report: nothing,
        incidents,
        notes,
    };
    assert_eq!(check_report(&r(false, " ", "")), Err("report_empty"));
    assert_eq!(check_report(&r(true, "", "")), Ok(()));
    assert_eq!(
        check_report(&r(true, "堵路", "")),
        Err("report_nothing_with_incidents")
    );
    assert_eq!(check_report(&r(false, "", "工地欠薪问题已协调")), Ok(()));
}

#[test]
fn windows_are_read_from_text() {
    assert_eq!(
        parse_windows("16:40, 08:40"),
        Ok(vec![hm(8, 40), hm(16, 40)])
    );
    assert_eq!(parse_windows(""), Err("invalid_window_count"));
    assert_eq!(parse_windows("25:00"), Err("invalid_window_time"));
    assert_eq!(windows_text(&[hm(8, 40), hm(16, 40)]), "08:40, 16:40");
}

#[test]
fn figures_sum() {
    let mut a = Figures {
        new_cases: 2,
        group_visits: 1,
        group_people: 7,
        ..Figures::default()
    };
    a += Figures {
        new_cases: 1,
        overdue_cases: 3,
        ..Figures::default()
    };
    assert_eq!((a.new_cases, a.overdue_cases, a.group_people), (3, 3, 7));
}

mod roster_rules {
    use super::super::roster::*;
    use super::{day, hm};

    fn shift() -> ShiftPlan {
        ShiftPlan {
            day: day("2026-11-30"),
            starts_at: default_start(),
            leader: OnDuty {
                name: "王局长".into(),
                phone: "13900000001".into(),
            },
            staff: parse_staff("李明 13900000002\n赵红 0571-8888 8001"),
            group_id: None,
        }
    }

    #[test]
    fn a_shift_names_a_leader_and_staff_with_phones() {
        let s = shift();
        assert_eq!(check_shift(&s), Ok(()));
        assert_eq!(s.staff[1].name, "赵红 0571-8888");
        let mut no_phone = s.clone();
        no_phone.staff[0].phone = String::new();
        assert_eq!(
            check_shift(&no_phone),
            Err(("staff[0].phone".into(), "invalid_duty_phone"))
        );
        let mut empty = s;
        empty.staff.clear();
        assert_eq!(
            check_shift(&empty),
            Err(("staff".into(), "duty_staff_required"))
        );
    }

    #[test]
    fn before_the_start_time_yesterdays_shift_is_on() {
        let at = |d: &str, h, m| day(d).and_time(hm(h, m));
        assert_eq!(
            shift_day(at("2026-12-01", 8, 29), default_start()),
            day("2026-11-30")
        );
        assert_eq!(
            shift_day(at("2026-12-01", 8, 30), default_start()),
            day("2026-12-01")
        );
    }

    #[test]
    fn a_swap_replaces_one_person_and_says_who() {
        let s = shift();
        let to = OnDuty {
            name: "孙强".into(),
            phone: "13900000009".into(),
        };
        let (next, from) = swap(&s, Slot::Staff(0), &to).expect("swap");
        assert_eq!(from.name, "李明");
        assert_eq!(next.staff[0].name, "孙强");
        assert_eq!(next.leader, s.leader);
        assert!(swap(&s, Slot::Staff(5), &to).is_err());
        assert_eq!(Slot::parse("staff:1"), Some(Slot::Staff(1)));
        assert_eq!(Slot::parse("leader"), Some(Slot::Leader));
    }
}
