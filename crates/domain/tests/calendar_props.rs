//! Property tests of the deadline calendar over the shipped 2020–2026 data.

use chrono::{Datelike, Days, NaiveDate};
use hearken_domain::calendar::{Calendar, Period};
use proptest::prelude::*;

/// A date in 2020-01-01..=2026-12-31.
fn date_in_data() -> impl Strategy<Value = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(2020, 1, 1).expect("date");
    let last = NaiveDate::from_ymd_opt(2026, 12, 31).expect("date");
    let span = (last - first).num_days() as u64;
    (0..=span).prop_map(move |n| first + Days::new(n))
}

fn plus(d: NaiveDate, n: u32) -> NaiveDate {
    d + Days::new(u64::from(n))
}

/// Working days in (from, to], counted independently of the calendar's own loops.
fn count_working(cal: &Calendar, from: NaiveDate, to: NaiveDate) -> u32 {
    from.iter_days()
        .skip(1)
        .take_while(|d| *d <= to)
        .filter(|d| cal.is_workday(*d).working)
        .count() as u32
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// (a) The due date of a working-day period is a working day, and exactly
    /// `days` working days lie in (start, due].
    #[test]
    fn working_day_period_counts_exactly(start in date_in_data(), days in 1u32..=70) {
        let cal = Calendar::shipped();
        let due = cal.add_working_days(start, days);
        prop_assert!(due.date > start);
        prop_assert!(cal.is_workday(due.date).working);
        prop_assert_eq!(count_working(&cal, start, due.date), days);
        prop_assert_eq!(cal.working_days_between(start, due.date), (days, due.fallback));
        // Inside the data nothing falls back; past 2026 everything does.
        prop_assert_eq!(due.fallback, due.date.year() > 2026);
    }

    /// (b) The due date of a calendar-day period is a working day on or after
    /// start + days, and checking backward agrees: every day in
    /// [start + days, due) is a rest day.
    #[test]
    fn calendar_day_period_rolls_to_next_working_day(
        start in date_in_data(),
        days in 0u32..=400,
    ) {
        let cal = Calendar::shipped();
        let due = cal.add_days(start, days);
        let end = plus(start, days);
        prop_assert!(due.date >= end);
        prop_assert!(cal.is_workday(due.date).working);
        for d in end.iter_days().take_while(|d| *d < due.date) {
            prop_assert!(!cal.is_workday(d).working, "{} is a working day before {}", d, due.date);
        }
        prop_assert_eq!(due.fallback, due.date.year() > 2026);
        // No run of rest days in the data is longer than 10 days.
        prop_assert!((due.date - end).num_days() <= 10);
    }

    /// (c) `add` is monotonic in days, for both kinds of period.
    #[test]
    fn add_is_monotonic(
        start in date_in_data(),
        a in 0u32..=120,
        b in 0u32..=120,
        working in any::<bool>(),
    ) {
        let cal = Calendar::shipped();
        let (lo, hi) = (a.min(b), a.max(b));
        let d_lo = cal.add(start, Period { days: lo, working });
        let d_hi = cal.add(start, Period { days: hi, working });
        prop_assert!(d_lo.date <= d_hi.date);
        if working && lo < hi {
            prop_assert!(d_lo.date < d_hi.date);
        }
    }

    /// `working_days_between` is additive over adjacent ranges.
    #[test]
    fn working_days_between_is_additive(
        a in date_in_data(),
        b in date_in_data(),
        c in date_in_data(),
    ) {
        let cal = Calendar::shipped();
        let mut v = [a, b, c];
        v.sort();
        let [x, y, z] = v;
        let xy = cal.working_days_between(x, y).0;
        let yz = cal.working_days_between(y, z).0;
        prop_assert_eq!(cal.working_days_between(x, z), (xy + yz, false));
        prop_assert_eq!(cal.working_days_between(z, x), (0, false));
    }
}
