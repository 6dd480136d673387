//! Deadline rule sets (`data/calendar/rules.toml`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::{CalendarError, Period};

/// The shipped rule sets.
pub(crate) const SHIPPED_RULES: &str = include_str!("../../../../data/calendar/rules.toml");

/// The periods of one regulation (or of the 12345 hotline).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleSet {
    pub name: String,
    /// 转送、交办.
    pub route: Period,
    /// The petitioner's objection window (异议).
    pub objection: Period,
    /// 受理告知.
    pub acceptance: Period,
    /// 办理.
    pub handling: Period,
    /// The longest extension of `handling`.
    pub max_extension: Period,
    /// 请求复查, from receiving the handling opinion.
    pub review_request: Period,
    /// 复查意见.
    pub review_decision: Period,
    /// 请求复核, from receiving the review opinion.
    pub rereview_request: Period,
    /// 复核意见.
    pub rereview_decision: Period,
    /// A reply or a review/re-review opinion is drafted by a handler and issued only
    /// after a leader of the unit signs it off (签发).
    pub sign_off: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RulesFile {
    pub default: Option<String>,
    pub sets: BTreeMap<String, RawSet>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSet {
    route: Period,
    objection: Period,
    acceptance: Period,
    handling: Period,
    max_extension: Period,
    review_request: Period,
    review_decision: Period,
    rereview_request: Period,
    rereview_decision: Period,
    #[serde(default = "sign_off_by_default")]
    sign_off: bool,
}

/// The regulation has a leader sign off every written decision; a rule set that says
/// nothing keeps that.
fn sign_off_by_default() -> bool {
    true
}

impl RuleSet {
    /// A shipped rule set: `"cn-2022"`, `"cn-2005"` or `"hotline-12345"`.
    pub fn shipped(name: &str) -> Option<RuleSet> {
        shipped_sets().iter().find(|r| r.name == name).cloned()
    }

    /// The names of the shipped rule sets, sorted.
    pub fn names() -> Vec<String> {
        shipped_sets().iter().map(|r| r.name.clone()).collect()
    }

    /// 《信访工作条例》(2022).
    pub fn default_name() -> &'static str {
        "cn-2022"
    }

    /// Parses a rules file: an optional `default = "name"` and `[sets.NAME]`
    /// tables, each with all nine periods `{ days = N, working = BOOL }` and an optional
    /// `sign_off = BOOL` (default `true`).
    pub fn parse_file(text: &str) -> Result<Vec<RuleSet>, CalendarError> {
        let file: RulesFile =
            toml::from_str(text).map_err(|e| CalendarError::Rules(e.to_string().trim().into()))?;
        if let Some(d) = &file.default {
            if !file.sets.contains_key(d) {
                return Err(CalendarError::Rules(format!("default `{d}` is not a set")));
            }
        }
        file.sets
            .into_iter()
            .map(|(name, raw)| RuleSet::from_raw(name, raw))
            .collect()
    }

    /// Every period with its field name, in the order of the procedure.
    pub fn periods(&self) -> [(&'static str, Period); 9] {
        [
            ("route", self.route),
            ("objection", self.objection),
            ("acceptance", self.acceptance),
            ("handling", self.handling),
            ("max_extension", self.max_extension),
            ("review_request", self.review_request),
            ("review_decision", self.review_decision),
            ("rereview_request", self.rereview_request),
            ("rereview_decision", self.rereview_decision),
        ]
    }

    fn from_raw(name: String, r: RawSet) -> Result<RuleSet, CalendarError> {
        let set = RuleSet {
            name,
            route: r.route,
            objection: r.objection,
            acceptance: r.acceptance,
            handling: r.handling,
            max_extension: r.max_extension,
            review_request: r.review_request,
            review_decision: r.review_decision,
            rereview_request: r.rereview_request,
            rereview_decision: r.rereview_decision,
            sign_off: r.sign_off,
        };
        if let Some((field, _)) = set.periods().iter().find(|(_, p)| p.days == 0) {
            return Err(CalendarError::Rules(format!(
                "[sets.{}] {field}: a period must be at least 1 day",
                set.name
            )));
        }
        Ok(set)
    }
}

fn shipped_sets() -> &'static [RuleSet] {
    static SETS: OnceLock<Vec<RuleSet>> = OnceLock::new();
    SETS.get_or_init(|| RuleSet::parse_file(SHIPPED_RULES).unwrap_or_default())
}
