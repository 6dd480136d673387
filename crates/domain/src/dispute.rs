//! The dispute register (矛盾纠纷排查化解台账) and screening campaigns (排查): the kinds,
//! scales and outcomes an entry may have, what an entry must say, and when a step of its
//! resolution plan is overdue. An entry is an *issue* (wage arrears at a site, a land
//! dispute), never a person.

use crate::case::string_enum;
use crate::codes::RegionCode;
use crate::error::FieldErrors;
use crate::Role;
use chrono::NaiveDate;

string_enum!(
    /// What the dispute is about.
    DisputeKind {
        WageArrears => "wage_arrears",
        LandCompensation => "land_compensation",
        Restructuring => "restructuring",
        HousingDemolition => "housing_demolition",
        Environment => "environment",
        Other => "other",
    }
);

string_enum!(
    /// How large the dispute is (一般 / 较大 / 重大).
    DisputeScale {
        Ordinary => "ordinary",
        Large => "large",
        Major => "major",
    }
);

string_enum!(
    /// How soon it must be dealt with.
    Urgency {
        Normal => "normal",
        Urgent => "urgent",
        Critical => "critical",
    }
);

string_enum!(
    /// Where an entry stands: `open` until it has an outcome.
    Outcome {
        Open => "open",
        Resolved => "resolved",
        Referred => "referred",
        Unresolved => "unresolved",
    }
);

string_enum!(
    /// The legal channel a dispute is referred to.
    LegalChannel {
        Mediation => "people_mediation",
        Arbitration => "labour_arbitration",
        Administrative => "administrative_review",
        Litigation => "litigation",
        Other => "other",
    }
);

string_enum!(
    /// A covered unit's answer to a screening campaign.
    ScreeningAnswer {
        NothingFound => "nothing_found",
        Found => "found",
    }
);

/// The longest title, address, party description and free texts (characters).
pub const MAX_TITLE: usize = 200;
pub const MAX_TEXT: usize = 2000;
/// The most people an entry may say are involved.
pub const MAX_PEOPLE: i64 = 1_000_000;
/// The most petitions one entry links.
pub const MAX_LINKED_CASES: usize = 50;

/// What an entry says about the dispute, before the store gives it a unit.
#[derive(Debug, Clone, Default)]
pub struct DisputeDraft {
    pub kind: String,
    pub title: String,
    pub region: String,
    pub address: String,
    pub parties: String,
    pub people: String,
    pub scale: String,
    pub urgency: String,
    pub hotspot: String,
}

/// A checked draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeFields {
    pub kind: DisputeKind,
    pub title: String,
    pub region: String,
    pub address: String,
    pub parties: String,
    pub people: i64,
    pub scale: DisputeScale,
    pub urgency: Urgency,
    pub hotspot: String,
}

fn text(errors: &mut FieldErrors, field: &str, s: &str, max: usize, required: bool) -> String {
    let s = s.trim();
    if required && s.is_empty() {
        errors.insert(field.into(), "required".into());
    } else if s.chars().count() > max {
        errors.insert(field.into(), "too_long".into());
    }
    s.to_string()
}

/// Checks a draft; every bad field is named.
pub fn check_dispute(d: &DisputeDraft) -> Result<DisputeFields, FieldErrors> {
    let mut e = FieldErrors::new();
    let kind = DisputeKind::parse(d.kind.trim());
    if kind.is_none() {
        e.insert("kind".into(), "invalid".into());
    }
    let title = text(&mut e, "title", &d.title, MAX_TITLE, true);
    let region = d.region.trim().to_string();
    if RegionCode::parse(&region).is_none() {
        let code = if region.is_empty() {
            "required"
        } else {
            "invalid_region"
        };
        e.insert("region".into(), code.into());
    }
    let address = text(&mut e, "address", &d.address, MAX_TITLE, false);
    let parties = text(&mut e, "parties", &d.parties, MAX_TEXT, true);
    let people = match d.people.trim().parse::<i64>() {
        Ok(n) if (1..=MAX_PEOPLE).contains(&n) => n,
        _ => {
            e.insert("people".into(), "invalid".into());
            0
        }
    };
    let scale = DisputeScale::parse(d.scale.trim());
    if scale.is_none() {
        e.insert("scale".into(), "invalid".into());
    }
    let urgency = Urgency::parse(d.urgency.trim());
    if urgency.is_none() {
        e.insert("urgency".into(), "invalid".into());
    }
    let hotspot = text(&mut e, "hotspot", &d.hotspot, MAX_TITLE, false);
    match (kind, scale, urgency) {
        (Some(kind), Some(scale), Some(urgency)) if e.is_empty() => Ok(DisputeFields {
            kind,
            title,
            region,
            address,
            parties,
            people,
            scale,
            urgency,
            hotspot,
        }),
        _ => Err(e),
    }
}

/// What closing an entry says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closing {
    pub outcome: Outcome,
    /// The legal channel, when referred.
    pub channel: Option<LegalChannel>,
    /// Why it stays unresolved, or a note on the resolution.
    pub note: String,
}

/// Checks an outcome: a referral names its channel, an unresolved entry says why.
pub fn check_outcome(outcome: &str, channel: &str, note: &str) -> Result<Closing, FieldErrors> {
    let mut e = FieldErrors::new();
    let note = text(&mut e, "note", note, MAX_TEXT, false);
    let outcome = match Outcome::parse(outcome.trim()) {
        Some(o) if o != Outcome::Open => o,
        _ => {
            e.insert("outcome".into(), "invalid".into());
            return Err(e);
        }
    };
    let channel = if outcome == Outcome::Referred {
        let c = LegalChannel::parse(channel.trim());
        if c.is_none() {
            e.insert("channel".into(), "required".into());
        }
        c
    } else {
        None
    };
    if outcome == Outcome::Unresolved && note.is_empty() {
        e.insert("note".into(), "required".into());
    }
    if e.is_empty() {
        Ok(Closing {
            outcome,
            channel,
            note,
        })
    } else {
        Err(e)
    }
}

/// A step of the plan is overdue when its deadline has passed, it is not done and the
/// entry is still open.
pub fn step_overdue(due_on: NaiveDate, done: bool, outcome: Outcome, today: NaiveDate) -> bool {
    !done && outcome == Outcome::Open && due_on < today
}

/// A screening campaign's dates: both given, the end not before the start.
pub fn check_period(starts: &str, ends: &str) -> Result<(NaiveDate, NaiveDate), FieldErrors> {
    let mut e = FieldErrors::new();
    let s = NaiveDate::parse_from_str(starts.trim(), "%Y-%m-%d").ok();
    let n = NaiveDate::parse_from_str(ends.trim(), "%Y-%m-%d").ok();
    if s.is_none() {
        e.insert("starts_on".into(), "invalid_date".into());
    }
    if n.is_none() {
        e.insert("ends_on".into(), "invalid_date".into());
    }
    match (s, n) {
        (Some(s), Some(n)) if n < s => {
            e.insert("ends_on".into(), "before_start".into());
            Err(e)
        }
        (Some(s), Some(n)) => Ok((s, n)),
        _ => Err(e),
    }
}

/// Whether the register is in the role's menu: everyone who works cases, supervises or
/// audits reads it; the administrators and the duty desk have no use for it.
pub fn in_menu(role: Role) -> bool {
    !matches!(role, Role::Admin | Role::Duty)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> DisputeDraft {
        DisputeDraft {
            kind: "wage_arrears".into(),
            title: "某工地拖欠工资".into(),
            region: "330106".into(),
            parties: "某建筑公司；18名工人".into(),
            people: "18".into(),
            scale: "large".into(),
            urgency: "urgent".into(),
            ..DisputeDraft::default()
        }
    }

    #[test]
    fn a_complete_draft_passes_and_each_bad_field_is_named() {
        assert!(check_dispute(&draft()).is_ok());
        let mut d = draft();
        d.kind = "person".into();
        d.region = "12".into();
        d.people = "0".into();
        d.title = " ".into();
        let e = check_dispute(&d).expect_err("refused");
        assert_eq!(e["kind"], "invalid");
        assert_eq!(e["region"], "invalid_region");
        assert_eq!(e["people"], "invalid");
        assert_eq!(e["title"], "required");
    }

    #[test]
    fn a_referral_names_its_channel_and_unresolved_says_why() {
        assert_eq!(
            check_outcome("referred", "", "").expect_err("refused")["channel"],
            "required"
        );
        assert_eq!(
            check_outcome("unresolved", "", " ").expect_err("refused")["note"],
            "required"
        );
        assert!(check_outcome("open", "", "").is_err());
        let c = check_outcome("referred", "labour_arbitration", "").expect("valid");
        assert_eq!(c.channel, Some(LegalChannel::Arbitration));
    }

    #[test]
    fn only_open_entries_have_overdue_steps() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("valid");
        let today = d("2026-03-10");
        assert!(step_overdue(d("2026-03-09"), false, Outcome::Open, today));
        assert!(!step_overdue(d("2026-03-10"), false, Outcome::Open, today));
        assert!(!step_overdue(d("2026-03-09"), true, Outcome::Open, today));
        assert!(!step_overdue(
            d("2026-03-09"),
            false,
            Outcome::Resolved,
            today
        ));
    }

    #[test]
    fn a_period_ends_after_it_starts() {
        assert!(check_period("2026-03-01", "2026-03-31").is_ok());
        assert_eq!(
            check_period("2026-03-02", "2026-03-01").expect_err("refused")["ends_on"],
            "before_start"
        );
    }
}
