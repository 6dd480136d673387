//! Unit tests: the shipped data and worked deadline examples. Every expected
//! date is reasoned day by day in the comments.

use chrono::{Datelike, NaiveDate, Weekday};

use super::days::SHIPPED_HOLIDAYS;
use super::rules::{RulesFile, SHIPPED_RULES};
use super::{Calendar, CalendarError, Due, Period, RuleSet};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn due(s: &str) -> Due {
    Due {
        date: d(s),
        fallback: false,
    }
}

#[test]
fn embedded_holidays_parse() {
    let cal = Calendar::default()
        .with_file(SHIPPED_HOLIDAYS)
        .expect("cn-holidays.toml parses");
    assert_eq!(cal.years(), (2020..=2026).collect::<Vec<_>>());
    assert_eq!(Calendar::shipped(), cal);
}

/// Each notice keeps the year's number of working days at
/// days − weekend days − statutory holidays (11 until 2024, 13 from 2025),
/// except 2020, whose Spring Festival was extended by two working days
/// (Fri 2020-01-31 and the adjusted working Sat 2020-02-01).
#[test]
fn working_days_per_year_balance() {
    let cal = Calendar::shipped();
    let expect = [
        (2020, 249),
        (2021, 250),
        (2022, 249),
        (2023, 249),
        (2024, 251),
        (2025, 248),
        (2026, 248),
    ];
    for (year, n) in expect {
        let (count, fallback) = cal.working_days_between(
            NaiveDate::from_ymd_opt(year - 1, 12, 31).expect("date"),
            NaiveDate::from_ymd_opt(year, 12, 31).expect("date"),
        );
        assert_eq!((count, fallback), (n, false), "{year}");
    }
}

#[test]
fn spring_festival_2026() {
    let cal = Calendar::shipped();
    // 15 days from Thu 02-05: day 1 = 02-06 … day 15 = Fri 02-20, inside the
    // holiday 02-15..02-23 (02-21/22 weekend, 02-23 Mon holiday) → Tue 02-24.
    assert_eq!(d("2026-02-24").weekday(), Weekday::Tue);
    assert!(cal.is_workday(d("2026-02-24")).working);
    assert_eq!(cal.add_days(d("2026-02-05"), 15), due("2026-02-24"));
    // 5 working days from Thu 02-12: Fri 02-13 = 1, Sat 02-14 (调休) = 2,
    // 02-15..02-23 off, Tue 02-24 = 3, Wed 02-25 = 4, Thu 02-26 = 5.
    assert_eq!(cal.add_working_days(d("2026-02-12"), 5), due("2026-02-26"));
    assert_eq!(
        cal.working_days_between(d("2026-02-12"), d("2026-02-26")),
        (5, false)
    );
    // Sat 02-28 is an adjusted working day: 15 days from 02-13 end on it.
    assert_eq!(cal.add_days(d("2026-02-13"), 15), due("2026-02-28"));
    // New Year: Sun 01-04 is a working day; 01-01..01-03 are not.
    assert!(cal.is_workday(d("2026-01-04")).working);
    assert!(!cal.is_workday(d("2026-01-02")).working);
}

#[test]
fn national_day_2025() {
    let cal = Calendar::shipped();
    // 15 days from Sat 09-20: day 15 = Sun 10-05, holiday 10-01..10-08 → Thu 10-09.
    assert_eq!(cal.add_days(d("2025-09-20"), 15), due("2025-10-09"));
    // 15 days from Sat 09-13: day 15 = Sun 09-28, an adjusted working day: stays.
    assert_eq!(cal.add_days(d("2025-09-13"), 15), due("2025-09-28"));
    // 5 working days from Thu 09-25: Fri 09-26 = 1, Sat 09-27 rest,
    // Sun 09-28 (调休) = 2, Mon 09-29 = 3, Tue 09-30 = 4, 10-01..10-08 off,
    // Thu 10-09 = 5.
    assert_eq!(cal.add_working_days(d("2025-09-25"), 5), due("2025-10-09"));
    // 5 working days from Tue 09-30: Thu 10-09 = 1, Fri 10-10 = 2,
    // Sat 10-11 (调休) = 3, Sun 10-12 rest, Mon 10-13 = 4, Tue 10-14 = 5.
    assert_eq!(cal.add_working_days(d("2025-09-30"), 5), due("2025-10-14"));
}

#[test]
fn spring_festival_2024() {
    let cal = Calendar::shipped();
    // 15 days from Sat 01-27: 01-28..01-31 are days 1–4, 02-11 is day 15,
    // holiday 02-10..02-17 → Sun 02-18, an adjusted working day.
    assert_eq!(cal.add_days(d("2024-01-27"), 15), due("2024-02-18"));
    // 15 days from Sat 01-20: day 15 = Sun 02-04, an adjusted working day.
    assert_eq!(cal.add_days(d("2024-01-20"), 15), due("2024-02-04"));
    // 5 working days from Mon 02-05: Tue 02-06 = 1, Wed = 2, Thu = 3,
    // Fri 02-09 (除夕, not a holiday) = 4, 02-10..02-17 off, Sun 02-18 = 5.
    assert_eq!(cal.add_working_days(d("2024-02-05"), 5), due("2024-02-18"));
    // 5 working days from Thu 02-01: Fri 02-02 = 1, Sat 02-03 rest,
    // Sun 02-04 (调休) = 2, Mon 02-05 = 3, Tue 02-06 = 4, Wed 02-07 = 5.
    assert_eq!(cal.add_working_days(d("2024-02-01"), 5), due("2024-02-07"));
}

#[test]
fn art_201_counts_from_the_next_day() {
    let cal = Calendar::shipped();
    // Mon 2026-01-05 + 15: day 1 = 01-06, day 15 = Tue 01-20, a working day.
    assert_eq!(cal.add_days(d("2026-01-05"), 15), due("2026-01-20"));
    assert_eq!(
        cal.add(d("2026-01-05"), Period::calendar_days(15)),
        due("2026-01-20")
    );
    // Plain weekend: Mon 2026-03-02 + 5 = Sat 03-07 → Mon 03-09.
    assert_eq!(cal.add_days(d("2026-03-02"), 5), due("2026-03-09"));
    assert_eq!(cal.add_working_days(d("2026-03-02"), 0), due("2026-03-02"));
    assert_eq!(
        cal.working_days_between(d("2026-03-09"), d("2026-03-02")),
        (0, false)
    );
}

#[test]
fn year_without_data_falls_back_to_weekends() {
    let cal = Calendar::shipped();
    assert!(!cal.has_year(2031));
    // Wed 2031-01-01 would be New Year's Day, but 2031 has no schedule.
    let w = cal.is_workday(d("2031-01-01"));
    assert!(w.working && w.fallback);
    let w = cal.is_workday(d("2031-01-04")); // Saturday
    assert!(!w.working && w.fallback);
    // 2031-01-01 + 3 = Sat 01-04 → Mon 01-06, flagged.
    let r = cal.add_days(d("2031-01-01"), 3);
    assert_eq!((r.date, r.fallback), (d("2031-01-06"), true));
    // A period running from 2026 into 2027 is flagged too:
    // Sun 2026-12-20 + 15 = Mon 2027-01-04.
    let r = cal.add_days(d("2026-12-20"), 15);
    assert_eq!((r.date, r.fallback), (d("2027-01-04"), true));
    let r = cal.add_working_days(d("2026-12-30"), 3); // Thu 12-31, Fri 01-01, Mon 01-04
    assert_eq!((r.date, r.fallback), (d("2027-01-04"), true));
    assert!(Calendar::default().add_days(d("2026-02-05"), 15).fallback);
}

#[test]
fn admin_file_adds_a_year() {
    let file = r#"
        # 国务院办公厅关于2027年部分节假日安排的通知 (example)
        [2027]
        holidays = ["2027-01-01", 2027-02-08]
        workdays = ["2027-02-06"]
    "#;
    let cal = Calendar::shipped().with_file(file).expect("valid file");
    assert!(cal.has_year(2027));
    assert_eq!(cal.years().last(), Some(&2027));
    let w = cal.is_workday(d("2027-01-01"));
    assert!(!w.working && !w.fallback);
    assert!(cal.is_workday(d("2027-02-06")).working); // a Saturday
    assert!(!cal.is_workday(d("2027-02-08")).working); // a Monday
                                                       // Sun 2026-12-20 + 15 = Mon 2027-01-04, now a known working day.
    assert_eq!(cal.add_days(d("2026-12-20"), 15), due("2027-01-04"));
    // Overriding a year replaces it as a whole.
    let cal = cal
        .with_file("[2026]\nholidays = []\n")
        .expect("valid file");
    assert!(cal.is_workday(d("2026-02-16")).working);
}

#[test]
fn admin_file_errors() {
    let bad = |text: &str| {
        Calendar::shipped()
            .with_file(text)
            .expect_err("must be rejected")
    };
    let e = bad("[2027]\nholidays = [\"2027-02-30\"]\n");
    assert_eq!(e.code(), "calendar_bad_date");
    assert!(e.to_string().contains("2027-02-30"), "{e}");
    assert_eq!(
        bad("[2027]\nholidays = [\"2027-1-5\"]\n").code(),
        "calendar_bad_date"
    );
    assert_eq!(
        bad("[2027]\nholidays = [20270101]\n").code(),
        "calendar_bad_date"
    );
    assert_eq!(
        bad("[2027]\nholidays = [\"2028-01-01\"]\n").code(),
        "calendar_wrong_year"
    );
    assert_eq!(
        bad("[2027]\nholidays = [\"2027-02-06\"]\nworkdays = [\"2027-02-06\"]\n").code(),
        "calendar_holiday_and_workday"
    );
    // Mon 2027-02-08 cannot be an adjusted working *weekend* day.
    assert!(matches!(
        bad("[2027]\nholidays = []\nworkdays = [\"2027-02-08\"]\n"),
        CalendarError::WorkdayNotWeekend { .. }
    ));
    assert_eq!(bad("[2027]\nholiday = []\n").code(), "calendar_shape");
    assert_eq!(bad("[2027]\nworkdays = []\n").code(), "calendar_shape");
    assert_eq!(
        bad("[2027]\nholidays = \"2027-01-01\"\n").code(),
        "calendar_shape"
    );
    assert_eq!(bad("[year]\nholidays = []\n").code(), "calendar_not_a_year");
    assert_eq!(bad("2027 = 1\n").code(), "calendar_not_a_year");
    assert_eq!(bad("[2027\n").code(), "calendar_syntax");
}

#[test]
fn rule_sets() {
    let file: RulesFile = toml::from_str(SHIPPED_RULES).expect("rules.toml parses");
    assert_eq!(file.default.as_deref(), Some(RuleSet::default_name()));
    assert_eq!(
        RuleSet::parse_file(SHIPPED_RULES)
            .expect("rules.toml is valid")
            .len(),
        3
    );
    assert_eq!(RuleSet::names(), ["cn-2005", "cn-2022", "hotline-12345"]);

    let r = RuleSet::shipped("cn-2022").expect("cn-2022");
    assert_eq!(r.route, Period::calendar_days(15));
    assert_eq!(r.objection, Period::working_days(5));
    assert_eq!(r.acceptance, Period::calendar_days(15));
    assert_eq!(r.handling, Period::calendar_days(60));
    assert_eq!(r.max_extension, Period::calendar_days(30));
    for p in [
        r.review_request,
        r.review_decision,
        r.rereview_request,
        r.rereview_decision,
    ] {
        assert_eq!(p, Period::calendar_days(30));
    }
    let old = RuleSet::shipped("cn-2005").expect("cn-2005");
    assert_eq!(old.periods().map(|p| p.1), r.periods().map(|p| p.1));

    let h = RuleSet::shipped("hotline-12345").expect("hotline");
    assert!(h.periods().iter().all(|(_, p)| p.working));
    assert_eq!(h.route, Period::working_days(1));
    assert_eq!(h.objection, Period::working_days(2));
    assert_eq!(h.acceptance, Period::working_days(2));
    assert_eq!(h.handling, Period::working_days(15));
    assert_eq!(h.max_extension, Period::working_days(15));
    assert!(RuleSet::shipped("nope").is_none());

    // The objection deadline dispatches to working days: see spring_festival_2026.
    let cal = Calendar::shipped();
    assert_eq!(cal.add(d("2026-02-12"), r.objection), due("2026-02-26"));
    assert_eq!(cal.add(d("2026-02-05"), r.route), due("2026-02-24"));
}

#[test]
fn rule_file_errors() {
    assert!(RuleSet::parse_file("default = \"x\"\n[sets]\n").is_err());
    let keys = [
        "route",
        "objection",
        "acceptance",
        "handling",
        "max_extension",
        "review_request",
        "review_decision",
        "rereview_request",
        "rereview_decision",
    ];
    let zero = "[sets.a]\n".to_string()
        + &keys
            .iter()
            .map(|k| format!("{k} = {{ days = 0, working = false }}\n"))
            .collect::<String>();
    let e = RuleSet::parse_file(&zero).expect_err("zero days");
    assert!(e.to_string().contains("at least 1 day"), "{e}");
    assert!(RuleSet::parse_file("[sets.a]\nroute = { days = 1 }\n").is_err());
}

#[test]
fn serializable() {
    fn is_serialize<T: serde::Serialize>() {}
    is_serialize::<Due>();
    is_serialize::<Period>();
    is_serialize::<RuleSet>();
    is_serialize::<super::Workday>();
}
