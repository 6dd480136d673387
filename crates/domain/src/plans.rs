//! Emergency plans (应急预案), their incidents, and leading groups (领导小组): what a plan
//! holds, how it is checked, when a registered group visit meets its trigger, and who may
//! keep plans and groups, activate a plan and close an incident.
//!
//! The teams receive people, listen and coordinate. Nothing here restrains, follows or
//! records anyone: the only people a plan names are the staff on its teams and contacts.

use crate::case::string_enum;
use crate::error::FieldErrors;
use crate::role::{Permission, Role};
use serde::{Deserialize, Serialize};

/// Most teams, resources, steps or contacts one plan holds.
pub const MAX_ROWS: usize = 100;
/// Largest group-visit trigger (people).
pub const MAX_TRIGGER: i64 = 100_000;

/// What starts a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Trigger {
    /// A registered group visit of at least `min_people`.
    GroupVisit { min_people: i64 },
    /// A hazard graded critical in a safety inspection.
    CriticalHazard,
    /// A person starts it by hand.
    Manual,
}

/// One person on a team or in a working group: a staff account of the unit (`user_id`,
/// so the app can tell them) or a named person with a phone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Filled from the account when the member is given by `username`.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    /// The staff account, when the member has one (given by username, stored by id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

/// A team of the plan (接待组, 协调组 …): its role and its members.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub name: String,
    /// What the team does (its duties).
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub members: Vec<Member>,
}

/// A resource the plan counts on: `vehicle`, `fund`, `communication` or `other`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    pub kind: String,
    pub description: String,
    #[serde(default)]
    pub quantity: String,
}

pub const RESOURCE_KINDS: [&str; 4] = ["vehicle", "fund", "communication", "other"];

/// One line of the contact tree: who, their phone, and whom they call next (reports to).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub reports_to: String,
}

/// A plan's content: one version of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanBody {
    pub triggers: Vec<Trigger>,
    pub teams: Vec<Team>,
    #[serde(default)]
    pub resources: Vec<Resource>,
    #[serde(default)]
    pub steps: Vec<String>,
    #[serde(default)]
    pub contacts: Vec<Contact>,
}

impl PlanBody {
    /// The smallest group visit that meets a trigger of this version, if any.
    pub fn group_visit_min(&self) -> Option<i64> {
        self.triggers
            .iter()
            .filter_map(|t| match t {
                Trigger::GroupVisit { min_people } => Some(*min_people),
                _ => None,
            })
            .min()
    }

    /// Checks the plan; every problem is named by its field.
    pub fn validate(&self, name: &str) -> Result<(), FieldErrors> {
        let mut f = FieldErrors::new();
        if name.trim().is_empty() {
            f.insert("name".into(), "required".into());
        } else if name.chars().count() > 200 {
            f.insert("name".into(), "too_long".into());
        }
        for t in &self.triggers {
            if let Trigger::GroupVisit { min_people } = t {
                if !(2..=MAX_TRIGGER).contains(min_people) {
                    f.insert("triggers".into(), "invalid_trigger".into());
                }
            }
        }
        if self.triggers.is_empty() {
            f.insert("triggers".into(), "required".into());
        }
        if self.teams.is_empty() {
            f.insert("teams".into(), "required".into());
        }
        for (i, t) in self.teams.iter().enumerate() {
            if t.name.trim().is_empty() {
                f.insert(format!("teams[{i}].name"), "required".into());
            }
            for (j, m) in t.members.iter().enumerate() {
                if m.name.trim().is_empty() && m.username.is_none() {
                    f.insert(format!("teams[{i}].members[{j}].name"), "required".into());
                }
            }
        }
        for (i, r) in self.resources.iter().enumerate() {
            if !RESOURCE_KINDS.contains(&r.kind.as_str()) {
                f.insert(format!("resources[{i}].kind"), "invalid".into());
            }
            if r.description.trim().is_empty() {
                f.insert(format!("resources[{i}].description"), "required".into());
            }
        }
        for (i, c) in self.contacts.iter().enumerate() {
            if c.name.trim().is_empty() {
                f.insert(format!("contacts[{i}].name"), "required".into());
            }
        }
        let too_many = [
            self.teams.len(),
            self.resources.len(),
            self.steps.len(),
            self.contacts.len(),
        ]
        .iter()
        .any(|n| *n > MAX_ROWS);
        if too_many {
            f.insert("plan".into(), "too_many_rows".into());
        }
        if f.is_empty() {
            Ok(())
        } else {
            Err(f)
        }
    }
}

/// Whether a registered visit of `headcount` people meets a group-visit trigger of `min`.
pub fn meets_group_trigger(min: Option<i64>, headcount: i64) -> bool {
    min.is_some_and(|m| headcount >= m)
}

/// Who keeps plans and leading groups, and activates a plan: those who keep the duty
/// (supervisors, leaders, the duty desk, admins).
pub fn may_keep_plans(role: Role) -> bool {
    role.can(Permission::ManageDuty)
}

/// Who works an incident's tasks and log: everyone who files reports (not auditors).
pub fn may_work_incident(role: Role) -> bool {
    role.can(Permission::FileReports)
}

/// Who is told that a plan's trigger has been met: the unit's leaders and supervisors.
pub const PROPOSAL_ROLES: [Role; 2] = [Role::Leader, Role::Supervisor];

string_enum!(
    /// An incident's states: open until its after-action review closes it.
    IncidentState {
        Open => "open",
        Closed => "closed",
    }
);

/// The after-action review (复盘) that closes an incident: all three parts are required.
pub fn validate_review(happened: &str, worked: &str, improve: &str) -> Result<(), FieldErrors> {
    let mut f = FieldErrors::new();
    for (k, v) in [
        ("happened", happened),
        ("worked", worked),
        ("improve", improve),
    ] {
        if v.trim().is_empty() {
            f.insert(k.into(), "required".into());
        }
    }
    if f.is_empty() {
        Ok(())
    } else {
        Err(f)
    }
}

/// One line of a form's table: cells split on `|` (or the full-width `｜`), trimmed.
pub fn cells(line: &str) -> Vec<String> {
    line.split(['|', '｜'])
        .map(|c| c.trim().to_string())
        .collect()
}

fn cell(c: &[String], i: usize) -> String {
    c.get(i).cloned().unwrap_or_default()
}

/// A member cell: `@username` names a staff account, anything else a person.
pub fn member_of(name: &str, phone: &str) -> Member {
    match name.strip_prefix('@') {
        Some(u) => Member {
            name: String::new(),
            phone: phone.to_string(),
            user_id: None,
            username: Some(u.trim().to_string()),
        },
        None => Member {
            name: name.to_string(),
            phone: phone.to_string(),
            user_id: None,
            username: None,
        },
    }
}

/// Teams (or working groups) from lines `team | role or duties | member | phone`: lines
/// with the same team name add members to it; a line without a member makes an empty team.
pub fn parse_teams(text: &str) -> Vec<Team> {
    let mut teams: Vec<Team> = vec![];
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let c = cells(line);
        let name = cell(&c, 0);
        let role = cell(&c, 1);
        let member = cell(&c, 2);
        let phone = cell(&c, 3);
        let idx = match teams.iter().position(|t| t.name == name) {
            Some(i) => i,
            None => {
                teams.push(Team {
                    name,
                    role: String::new(),
                    members: vec![],
                });
                teams.len() - 1
            }
        };
        let team = &mut teams[idx];
        if team.role.is_empty() {
            team.role = role;
        }
        if !member.is_empty() {
            team.members.push(member_of(&member, &phone));
        }
    }
    teams
}

/// Teams back as lines for the form.
pub fn teams_text(teams: &[Team]) -> String {
    let mut out = vec![];
    for t in teams {
        if t.members.is_empty() {
            out.push(format!("{} | {}", t.name, t.role));
        }
        for m in &t.members {
            let who = match &m.username {
                Some(u) => format!("@{u}"),
                None => m.name.clone(),
            };
            out.push(format!("{} | {} | {} | {}", t.name, t.role, who, m.phone));
        }
    }
    out.join("\n")
}

/// Resources from lines `kind | description | quantity`.
pub fn parse_resources(text: &str) -> Vec<Resource> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c = cells(l);
            Resource {
                kind: cell(&c, 0),
                description: cell(&c, 1),
                quantity: cell(&c, 2),
            }
        })
        .collect()
}

pub fn resources_text(r: &[Resource]) -> String {
    r.iter()
        .map(|r| format!("{} | {} | {}", r.kind, r.description, r.quantity))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Contacts from lines `name | phone | reports to`.
pub fn parse_contacts(text: &str) -> Vec<Contact> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c = cells(l);
            Contact {
                name: cell(&c, 0),
                phone: cell(&c, 1),
                reports_to: cell(&c, 2),
            }
        })
        .collect()
}

pub fn contacts_text(c: &[Contact]) -> String {
    c.iter()
        .map(|c| format!("{} | {} | {}", c.name, c.phone, c.reports_to))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Steps, one a line.
pub fn parse_steps(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Checks a leading group's name and period (`YYYY-MM-DD`, start not after end).
pub fn validate_group(name: &str, head: &str, starts_on: &str, ends_on: &str) -> FieldErrors {
    let mut f = FieldErrors::new();
    if name.trim().is_empty() {
        f.insert("name".into(), "required".into());
    }
    if head.trim().is_empty() {
        f.insert("head".into(), "required".into());
    }
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    match (d(starts_on), d(ends_on)) {
        (None, _) => {
            f.insert("starts_on".into(), "invalid_date".into());
        }
        (_, None) => {
            f.insert("ends_on".into(), "invalid_date".into());
        }
        (Some(a), Some(b)) if b < a => {
            f.insert("ends_on".into(), "ends_before_start".into());
        }
        _ => {}
    }
    f
}

/// Whether a leading group concerns a unit: the group is the unit's own or that of a unit
/// above it (a county serves under its city's special-period group). Paths are the units'
/// materialised paths (`/1/5/`).
pub fn group_reaches(group_unit_path: &str, unit_path: &str) -> bool {
    !group_unit_path.is_empty() && unit_path.starts_with(group_unit_path)
}

/// Whether a unit's duty shift or daily report of `day` may be filed under a leading group
/// of the unit at `group_unit_path` that runs from `starts_on` to `ends_on`
/// (`YYYY-MM-DD`): the group must concern the unit, and be in force that day. Else the
/// code: `group_not_visible` or `group_not_in_force`.
pub fn check_group_filing(
    group_unit_path: &str,
    starts_on: &str,
    ends_on: &str,
    unit_path: &str,
    day: chrono::NaiveDate,
) -> Result<(), &'static str> {
    if !group_reaches(group_unit_path, unit_path) {
        return Err("group_not_visible");
    }
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    match (d(starts_on), d(ends_on)) {
        (Some(a), Some(b)) if a <= day && day <= b => Ok(()),
        _ => Err("group_not_in_force"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teams_parse_from_lines_and_back() {
        let t = parse_teams(
            "接待组 | 接待来访群众 | @zhang | 13800000000\n接待组 | | 李四 | 139\n协调组 | 协调",
        );
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].members.len(), 2);
        assert_eq!(t[0].members[0].username.as_deref(), Some("zhang"));
        assert_eq!(t[0].role, "接待来访群众");
        assert!(t[1].members.is_empty());
        assert_eq!(parse_teams(&teams_text(&t)), t);
    }

    #[test]
    fn group_trigger_is_met_at_or_over_the_threshold() {
        let b = PlanBody {
            triggers: vec![Trigger::Manual, Trigger::GroupVisit { min_people: 50 }],
            ..Default::default()
        };
        assert_eq!(b.group_visit_min(), Some(50));
        assert!(meets_group_trigger(b.group_visit_min(), 50));
        assert!(meets_group_trigger(b.group_visit_min(), 60));
        assert!(!meets_group_trigger(b.group_visit_min(), 49));
        assert!(!meets_group_trigger(None, 500));
    }

    #[test]
    fn a_plan_needs_a_name_a_trigger_and_a_team() {
        let f = PlanBody::default().validate(" ").expect_err("refused");
        assert!(f.contains_key("name") && f.contains_key("triggers") && f.contains_key("teams"));
        let bad = PlanBody {
            triggers: vec![Trigger::GroupVisit { min_people: 0 }],
            teams: parse_teams("组 | 职责"),
            resources: parse_resources("boat | x"),
            ..Default::default()
        };
        let f = bad.validate("预案").expect_err("refused");
        assert_eq!(
            f.get("triggers").map(String::as_str),
            Some("invalid_trigger")
        );
        assert!(f.contains_key("resources[0].kind"));
    }

    #[test]
    fn a_review_needs_all_three_parts() {
        assert!(validate_review("a", "b", "c").is_ok());
        assert!(validate_review("a", " ", "c")
            .expect_err("refused")
            .contains_key("worked"));
    }

    #[test]
    fn a_group_period_must_not_end_before_it_starts() {
        assert!(validate_group("g", "h", "2026-01-02", "2026-01-03").is_empty());
        assert!(validate_group("g", "h", "2026-01-04", "2026-01-03").contains_key("ends_on"));
        assert!(validate_group("", "h", "x", "2026-01-03").contains_key("starts_on"));
    }

    #[test]
    fn a_filing_names_a_group_of_its_unit_or_above_in_force_that_day() {
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day");
        let (a, b) = ("2026-12-01", "2026-12-03");
        // The city's group, a county below it, inside the period and on both ends.
        for d in ["2026-12-01", "2026-12-02", "2026-12-03"] {
            assert_eq!(check_group_filing("/1/2/", a, b, "/1/2/7/", day(d)), Ok(()));
        }
        assert_eq!(check_group_filing("/1/2/", a, b, "/1/2/", day(a)), Ok(()));
        // A day outside the period.
        for d in ["2026-11-30", "2026-12-04"] {
            assert_eq!(
                check_group_filing("/1/2/", a, b, "/1/2/7/", day(d)),
                Err("group_not_in_force")
            );
        }
        // A county's group does not reach its city, nor a sibling; /1/2/ is not /1/22/.
        for unit in ["/1/2/", "/1/2/8/", "/1/22/"] {
            assert_eq!(
                check_group_filing("/1/2/7/", a, b, unit, day(a)),
                Err("group_not_visible")
            );
        }
        assert!(!group_reaches("", "/1/"));
    }
}
