//! The annual report (Art. 41) and hotspots (矛盾隐患预警): who may do what, how the
//! report's wording is filled from its figures, and how petitions are grouped into
//! rising clusters. Clusters are of matters (a respondent, a place and a kind of
//! matter), never of petitioners.

use crate::case::string_enum;
use crate::Role;
use chrono::{Duration, NaiveDate};
use std::collections::BTreeMap;

string_enum!(
    /// The language a document's wording is in: an annual report, a notice.
    DocumentLang {
        Zh => "zh",
        En => "en",
    }
);

/// Edits the report's wording (admins, like the notice templates).
pub fn may_edit_template(role: Role) -> bool {
    matches!(role, Role::Admin)
}

/// Issues (freezes and keeps) a unit's annual report.
pub fn may_issue_report(role: Role) -> bool {
    matches!(role, Role::Supervisor | Role::Leader)
}

/// Assigns a hotspot to an owner leader.
pub fn may_assign_hotspot(role: Role) -> bool {
    matches!(role, Role::Supervisor | Role::Leader)
}

/// Who may own a hotspot.
pub fn may_own_hotspot(role: Role) -> bool {
    matches!(role, Role::Leader)
}

/// Fills `{name}` placeholders from `values`; an unknown placeholder stays as written, so
/// a typo shows on the page instead of vanishing. `{{` and `}}` are literal braces.
pub fn fill(template: &str, values: &BTreeMap<&str, String>) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        if tail.starts_with('{') {
            if let Some(end) = tail.find('}') {
                let name = &tail[1..end];
                if let Some(v) = values.get(name) {
                    out.push_str(v);
                    rest = &tail[end + 1..];
                    continue;
                }
            }
        }
        out.push_str(&tail[..1]);
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

/// The placeholders a template may use, in the order the editor lists them.
pub const PLACEHOLDERS: [&str; 16] = [
    "year",
    "unit",
    "total",
    "prev_total",
    "change_pct",
    "top_category",
    "top_unit",
    "top_respondent",
    "transfers",
    "assigns",
    "orders",
    "orders_answered",
    "accountability",
    "ontime_completion",
    "satisfaction",
    "done",
];

/// The change from `before` to `now` in percent, one decimal, signed; `None` when there
/// was nothing before.
pub fn change_pct(now: i64, before: i64) -> Option<f64> {
    (before > 0).then(|| ((now - before) as f64 * 1000.0 / before as f64).round() / 10.0)
}

/// A respondent as a cluster key: letters folded to lower case, spaces and punctuation
/// dropped, full-width forms folded, so "XX 物业公司" and "xx物业公司。" are one.
pub fn normalize_respondent(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .take(60)
        .collect()
}

/// The two windows a hotspot compares: `now` is the `days` days ending on `today`,
/// `before` the `days` days before them. Each is `(first, last)`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Windows {
    pub now: (NaiveDate, NaiveDate),
    pub before: (NaiveDate, NaiveDate),
}

pub const DEFAULT_WINDOW_DAYS: u32 = 30;
pub const MAX_WINDOW_DAYS: u32 = 365;
/// The fewest cases in the current window that make a cluster a hotspot.
pub const DEFAULT_MIN_CASES: u32 = 3;

pub fn windows(today: NaiveDate, days: u32) -> Windows {
    let d = i64::from(days.max(1));
    let now_first = today - Duration::days(d - 1);
    let before_last = now_first - Duration::days(1);
    Windows {
        now: (now_first, today),
        before: (before_last - Duration::days(d - 1), before_last),
    }
}

/// A cluster is a hotspot when it has at least `min` cases now and more than before.
pub fn is_rising(now: usize, before: usize, min: u32) -> bool {
    now >= min as usize && now > before
}

/// How many points a sparkline has over both windows.
pub const SPARK_POINTS: usize = 10;

/// The cases per bucket over both windows (oldest first): `SPARK_POINTS` buckets of
/// equal length covering `before.0..=now.1`.
pub fn series(w: &Windows, days: &[NaiveDate]) -> Vec<usize> {
    let span = (w.now.1 - w.before.0).num_days() + 1;
    let mut out = vec![0; SPARK_POINTS];
    for d in days {
        let at = (*d - w.before.0).num_days();
        if !(0..span).contains(&at) {
            continue;
        }
        let i = (at as usize * SPARK_POINTS) / span as usize;
        if let Some(slot) = out.get_mut(i.min(SPARK_POINTS - 1)) {
            *slot += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_known_placeholders_only() {
        let mut v = BTreeMap::new();
        v.insert("year", "2026".to_string());
        v.insert("total", "12".to_string());
        assert_eq!(
            fill("{year}年共{total}件，{oops} {{x}}", &v),
            "2026年共12件，{oops} {x}"
        );
        assert_eq!(fill("no braces", &v), "no braces");
        assert_eq!(fill("dangling {", &v), "dangling {");
    }

    #[test]
    fn change_is_signed_and_none_from_nothing() {
        assert_eq!(change_pct(15, 10), Some(50.0));
        assert_eq!(change_pct(5, 10), Some(-50.0));
        assert_eq!(change_pct(1, 3), Some(-66.7));
        assert_eq!(change_pct(5, 0), None);
    }

    #[test]
    fn respondents_fold_to_one_key() {
        assert_eq!(
            normalize_respondent(" XX 物业公司。"),
            normalize_respondent("xx物业公司")
        );
        assert_eq!(normalize_respondent("ＡＢＣ公司"), "abc公司");
        assert_eq!(normalize_respondent(" ,. "), "");
    }

    #[test]
    fn windows_are_adjacent_and_equal() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 31).expect("date");
        let w = windows(today, 30);
        assert_eq!(w.now.0, NaiveDate::from_ymd_opt(2026, 3, 2).expect("date"));
        assert_eq!(
            w.before.1,
            NaiveDate::from_ymd_opt(2026, 3, 1).expect("date")
        );
        assert_eq!((w.before.1 - w.before.0).num_days(), 29);
        assert!(is_rising(3, 0, 3));
        assert!(!is_rising(3, 3, 3));
        assert!(!is_rising(2, 0, 3));
        let s = series(&w, &[today, today, w.before.0]);
        assert_eq!(s.iter().sum::<usize>(), 3);
        assert_eq!(s[0], 1);
        assert_eq!(s[SPARK_POINTS - 1], 2);
    }
}
