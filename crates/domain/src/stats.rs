//! Statistics: what each per-unit rate counts, and the drill-down levels of volumes.
//!
//! A rate is a numerator over a denominator, each a count of lifecycle steps taken by the
//! unit that held the case when the step was taken, on the day it was taken. Every step
//! counts toward a rate the moment it happens ([`counted`]), so the store keeps running
//! tallies updated in the same transaction as the event, and a rate for any period is a
//! sum of tallies, never a replay of events. Everything here counts cases and steps,
//! never people: the repeat rate counts matters that came back, not petitioners.

use crate::case::string_enum;
use crate::lifecycle::{Command, Event, Life, Rating, ReviewOutcome};
use crate::role::Role;
use chrono::{Datelike, NaiveDate};

string_enum!(
    /// A per-unit rate (DOMAIN.md, "Statistics"; README, "Statistics").
    Rate {
        /// Routing decisions (transfer, assignment, handling it itself, a legal channel,
        /// or linking a repeat to its concluded matter) taken on or before the routing due
        /// date, over all routing decisions.
        Routing => "routing",
        /// Acceptance decisions (accepted or not accepted) taken on or before the
        /// acceptance due date, over all acceptance decisions.
        Acceptance => "acceptance",
        /// Replies issued (signed off, where the rule set requires sign-off) on or before
        /// the handling due date, extension included, over all replies issued.
        Completion => "completion",
        /// Ratings "satisfied" or "basically satisfied", over all ratings recorded.
        Satisfaction => "satisfaction",
        /// Review and re-review opinions that changed the decision below, over all such
        /// opinions issued. Counted for the unit whose decision was reviewed.
        Overturn => "overturn",
        /// Petitions found to repeat a matter concluded after re-review (Art. 36), over
        /// all petitions registered; both counted on the day the petition was received.
        Repeat => "repeat",
    }
);

string_enum!(
    /// Which cases behind a rate's figure a list shows (the queue's `rate_part`).
    RatePart {
        /// The cases whose steps counted in the denominator.
        Counted => "counted",
        /// The cases whose steps counted in the numerator: on time, satisfied, changed on
        /// review, or a repeat.
        Met => "met",
        /// The cases whose steps counted in the denominator and not in the numerator:
        /// late, dissatisfied, upheld. Not offered for the repeat rate, whose numerator and
        /// denominator are counted by different steps.
        Missed => "missed",
    }
);

impl Rate {
    /// Whether a figure of this rate can list its misses ([`RatePart::Missed`]).
    pub fn lists_misses(self) -> bool {
        self != Rate::Repeat
    }
}

/// One step's contribution to a rate, on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub rate: Rate,
    pub on: NaiveDate,
    /// Added to the numerator.
    pub num: i64,
    /// Added to the denominator.
    pub den: i64,
}

impl Tally {
    fn of(rate: Rate, on: NaiveDate, met: bool) -> Tally {
        Tally {
            rate,
            on,
            num: i64::from(met),
            den: 1,
        }
    }
}

/// What a registration counts: one petition received, toward the repeat rate.
pub fn registered(received_on: NaiveDate) -> Tally {
    Tally::of(Rate::Repeat, received_on, false)
}

/// What step `ev` counts, taken on a case that was `before`. A draft awaiting sign-off
/// counts nothing; its sign-off counts as the reply or opinion it issues.
pub fn counted(before: &Life, ev: &Event) -> Vec<Tally> {
    let Some(cmd) = ev.effect() else {
        return vec![];
    };
    let on_time = before.due().is_none_or(|d| ev.on <= d);
    let t = |rate, met| vec![Tally::of(rate, ev.on, met)];
    match cmd {
        Command::Route { .. } => t(Rate::Routing, on_time),
        Command::LinkConcluded { .. } => {
            let mut v = t(Rate::Routing, on_time);
            let received = before.deadlines.first().map_or(ev.on, |d| d.start);
            v.push(Tally {
                rate: Rate::Repeat,
                on: received,
                num: 1,
                den: 0,
            });
            v
        }
        Command::Accept | Command::Decline { .. } => t(Rate::Acceptance, on_time),
        Command::Reply { .. } => t(Rate::Completion, on_time),
        Command::Rate { rating } => t(Rate::Satisfaction, *rating != Rating::Dissatisfied),
        Command::ReviewDecision { outcome, .. } | Command::RereviewDecision { outcome, .. } => {
            t(Rate::Overturn, *outcome == ReviewOutcome::Change)
        }
        _ => vec![],
    }
}

/// The periods a tally is kept under: its day and its month. A rate for any range of
/// days sums whole months from month tallies and the ragged ends from day tallies.
pub fn tally_periods(on: NaiveDate) -> [(Grain, String); 2] {
    [
        (Grain::Day, on.format("%Y-%m-%d").to_string()),
        (Grain::Month, on.format("%Y-%m").to_string()),
    ]
}

string_enum!(
    /// How long a tally's period is.
    Grain {
        Day => "d",
        Month => "m",
    }
);

/// A range of days as tally periods: inclusive ranges of whole months, and of days at
/// the ragged ends.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Spans {
    /// `YYYY-MM` to `YYYY-MM`, inclusive.
    pub months: Option<(String, String)>,
    /// `YYYY-MM-DD` to `YYYY-MM-DD`, inclusive, each within one month.
    pub days: Vec<(String, String)>,
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn month_end(d: NaiveDate) -> NaiveDate {
    let next = if d.month() == 12 {
        NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).unwrap_or(d)
}

/// The tally periods that cover `from..=to` exactly (either end open: since ever, or
/// for ever).
pub fn spans(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Spans {
    let ymd = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let ym = |d: NaiveDate| d.format("%Y-%m").to_string();
    let mut s = Spans::default();
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return s;
        }
        if month_start(f) == month_start(t) && (f.day() != 1 || t != month_end(t)) {
            s.days.push((ymd(f), ymd(t)));
            return s;
        }
    }
    let first_month = match from {
        None => "0000-01".to_string(),
        Some(f) if f.day() == 1 => ym(f),
        Some(f) => {
            s.days.push((ymd(f), ymd(month_end(f))));
            match month_end(f).succ_opt() {
                Some(n) => ym(n),
                None => return s,
            }
        }
    };
    let last_month = match to {
        None => "9999-12".to_string(),
        Some(t) if t == month_end(t) => ym(t),
        Some(t) => {
            s.days.push((ymd(month_start(t)), ymd(t)));
            match month_start(t).pred_opt() {
                Some(p) => ym(p),
                None => return s,
            }
        }
    };
    if first_month <= last_month {
        s.months = Some((first_month, last_month));
    }
    s
}

/// Every staff role reads the statistics of its own subtree: they count cases and steps,
/// with nothing about any person.
pub fn may_read_statistics(_role: Role) -> bool {
    true
}

/// The region-code lengths a volume by region drills through: province, city, county,
/// township, village.
pub const REGION_LEVELS: [usize; 5] = [2, 4, 6, 9, 12];

/// The length a volume by region groups by below the prefix `within`.
pub fn region_level_below(within: &str) -> usize {
    REGION_LEVELS
        .iter()
        .copied()
        .find(|l| *l > within.len())
        .unwrap_or(12)
}

/// The mark that turns a tree filter (unit, category, region) into "this node itself,
/// not what lies below it": `330106!`, `labor!`.
pub const ONLY_MARK: char = '!';

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Stage;
    use crate::lifecycle::Outcome;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn life_due(stage: Stage, due: &str) -> Life {
        let mut l = Life::registered(d("2026-03-02"), Some((d(due), false)));
        l.stage = stage;
        l.deadlines[0].stage = stage;
        l
    }

    fn ev(on: &str, command: Command) -> Event {
        Event {
            on: d(on),
            command,
            stage: Stage::Handling,
            due: None,
            fallback: false,
            objection_due: None,
            by_unit: None,
            to_unit: None,
            draft: false,
        }
    }

    #[test]
    fn a_step_on_its_due_date_is_on_time_and_the_day_after_is_late() {
        let life = life_due(Stage::Acceptance, "2026-03-17");
        let on = counted(&life, &ev("2026-03-17", Command::Accept));
        assert_eq!(on, vec![Tally::of(Rate::Acceptance, d("2026-03-17"), true)]);
        let late = counted(&life, &ev("2026-03-18", Command::Accept));
        assert_eq!(late[0].num, 0);
        assert_eq!(late[0].den, 1);
    }

    #[test]
    fn a_draft_counts_nothing_and_its_sign_off_counts_the_reply() {
        let life = life_due(Stage::Handling, "2026-05-01");
        let reply = Command::Reply {
            outcome: Outcome::Support,
            text: "t".into(),
            basis: "b".into(),
        };
        let mut draft = ev("2026-04-01", reply.clone());
        draft.draft = true;
        assert!(counted(&life, &draft).is_empty());
        let approve = ev(
            "2026-05-02",
            Command::Approve {
                issues: Some(Box::new(reply)),
            },
        );
        assert_eq!(
            counted(&life, &approve),
            vec![Tally::of(Rate::Completion, d("2026-05-02"), false)]
        );
    }

    #[test]
    fn ratings_and_review_opinions() {
        let life = life_due(Stage::ReviewWindow, "2026-05-01");
        let rate = |r| counted(&life, &ev("2026-04-02", Command::Rate { rating: r }))[0].num;
        assert_eq!(rate(Rating::Satisfied), 1);
        assert_eq!(rate(Rating::BasicallySatisfied), 1);
        assert_eq!(rate(Rating::Dissatisfied), 0);
        let change = Command::ReviewDecision {
            outcome: ReviewOutcome::Change,
            text: "t".into(),
        };
        assert_eq!(
            counted(&life, &ev("2026-04-03", change))[0].rate,
            Rate::Overturn
        );
    }

    #[test]
    fn a_repeat_counts_on_the_day_received() {
        let life = life_due(Stage::Routing, "2026-03-17");
        let link = Command::LinkConcluded {
            case_no: "X-2026-000001".into(),
        };
        let v = counted(&life, &ev("2026-03-05", link));
        assert_eq!(v.len(), 2);
        assert_eq!(
            v[1],
            Tally {
                rate: Rate::Repeat,
                on: d("2026-03-02"),
                num: 1,
                den: 0
            }
        );
        assert_eq!(registered(d("2026-03-02")).den, 1);
    }

    #[test]
    fn spans_cover_a_range_exactly() {
        let s = |a: &str, b: &str| spans(Some(d(a)), Some(d(b)));
        assert_eq!(
            s("2026-01-01", "2026-12-31"),
            Spans {
                months: Some(("2026-01".into(), "2026-12".into())),
                days: vec![]
            }
        );
        assert_eq!(
            s("2026-03-05", "2026-03-09"),
            Spans {
                months: None,
                days: vec![("2026-03-05".into(), "2026-03-09".into())]
            }
        );
        assert_eq!(
            s("2026-01-15", "2026-04-10"),
            Spans {
                months: Some(("2026-02".into(), "2026-03".into())),
                days: vec![
                    ("2026-01-15".into(), "2026-01-31".into()),
                    ("2026-04-01".into(), "2026-04-10".into())
                ]
            }
        );
        assert_eq!(
            s("2026-01-15", "2026-02-10").months,
            None,
            "two ragged ends, no whole month"
        );
        assert_eq!(s("2026-01-15", "2026-02-10").days.len(), 2);
        assert_eq!(
            spans(None, Some(d("2026-02-28"))).months,
            Some(("0000-01".into(), "2026-02".into()))
        );
        assert_eq!(s("2026-03-01", "2026-03-31").days, vec![]);
        assert_eq!(s("2026-04-01", "2026-03-31"), Spans::default());
    }

    #[test]
    fn region_levels() {
        assert_eq!(region_level_below(""), 2);
        assert_eq!(region_level_below("33"), 4);
        assert_eq!(region_level_below("3301"), 6);
        assert_eq!(region_level_below("330106"), 9);
        assert_eq!(region_level_below("330106001001"), 12);
    }
}
