//! Leading groups (领导小组) for a campaign or special period: the head, deputies, office
//! and working groups with their duties, members and phones. A group shows on each of
//! its members' dashboards while its period runs. A group can be edited: each change is
//! its next version, with the fields that changed on its timeline. Duty shifts, daily
//! reports and emergency plans can be filed under a group of their unit or of a unit
//! above it, on a day the group is in force.

use crate::{App, AppError, AppResult, Caller};
use chrono::NaiveDate;
use domain::plans::{
    check_group_filing, group_reaches, may_keep_plans, member_of, teams_text, validate_group,
    Member, Team,
};
use domain::register_event::{GroupChange, GroupEvent};
use serde::Serialize;
use store::{NewLeadingGroup, RegisterEvent, ReportRow, ShiftRow, StoreError, Unit};

/// A leading group and its working groups, as the store defines them.
pub use store::{LeadingGroup, WorkingGroup};

/// What a group says, as a form or the API sends it.
#[derive(Debug, Clone, Default)]
pub struct GroupInput {
    pub unit: Option<String>,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    /// The head: a name, or `@username` for a staff account.
    pub head: String,
    pub head_phone: String,
    pub deputies: String,
    pub office: String,
    pub working_groups: Vec<WorkingGroup>,
    /// When editing: the version the change was made on (a later one is a conflict).
    pub version: Option<i64>,
}

/// A shift filed under a group, with its unit's name.
#[derive(Debug, Clone, Serialize)]
pub struct FiledShift {
    pub unit_name: String,
    #[serde(flatten)]
    pub shift: ShiftRow,
}

/// What is filed under a group, of the units the reader may see.
#[derive(Debug, Clone, Serialize)]
pub struct GroupFilings {
    pub shifts: Vec<FiledShift>,
    pub reports: Vec<ReportRow>,
}

/// The working groups as lines (`group | duties | member | phone`), to compare versions.
pub fn working_text(w: &[WorkingGroup]) -> String {
    let teams: Vec<Team> = w
        .iter()
        .map(|w| Team {
            name: w.name.clone(),
            role: w.duties.clone(),
            members: w.members.clone(),
        })
        .collect();
    teams_text(&teams)
}

impl App {
    /// Checks a group and names its staff accounts; `unit` is the group's unit.
    async fn checked_group(&self, unit: Unit, input: &GroupInput) -> AppResult<NewLeadingGroup> {
        let mut f = validate_group(&input.name, &input.head, &input.starts_on, &input.ends_on);
        let mut users = vec![];
        let mut head = member_of(input.head.trim(), input.head_phone.trim());
        if self.resolve_member(&unit, &mut head).await.is_err() {
            f.insert("head".into(), "unknown_user".into());
        }
        users.extend(head.user_id);
        let mut groups = input.working_groups.clone();
        for (i, w) in groups.iter_mut().enumerate() {
            if w.name.trim().is_empty() {
                f.insert(format!("working_groups[{i}].name"), "required".into());
            }
            for (j, m) in w.members.iter_mut().enumerate() {
                if self.resolve_member(&unit, m).await.is_err() {
                    f.insert(
                        format!("working_groups[{i}].members[{j}]"),
                        "unknown_user".into(),
                    );
                }
                users.extend(m.user_id);
            }
        }
        if !f.is_empty() {
            return Err(AppError::Validation(f));
        }
        Ok(NewLeadingGroup {
            unit,
            name: input.name.trim().into(),
            starts_on: input.starts_on.trim().into(),
            ends_on: input.ends_on.trim().into(),
            head: head_name(&head),
            head_phone: head.phone.clone(),
            head_user_id: head.user_id,
            deputies: input.deputies.trim().into(),
            office: input.office.trim().into(),
            working_groups: groups,
            users,
        })
    }

    pub async fn create_leading_group(
        &self,
        who: &Caller,
        input: &GroupInput,
    ) -> AppResult<LeadingGroup> {
        if !may_keep_plans(who.role) {
            return Err(AppError::Forbidden);
        }
        let unit = self.plan_unit(who, input.unit.as_deref()).await?;
        let g = self.checked_group(unit, input).await?;
        let id = self.store.create_leading_group(&g, &who.actor()).await?;
        Ok(self.store.leading_group(id).await?)
    }

    /// Changes a group of the caller's subtree: its next version, and a "revised" event
    /// on its timeline naming each field that changed, from what to what. A change that
    /// changes nothing writes nothing.
    pub async fn update_leading_group(
        &self,
        who: &Caller,
        id: i64,
        input: &GroupInput,
    ) -> AppResult<LeadingGroup> {
        if !may_keep_plans(who.role) {
            return Err(AppError::Forbidden);
        }
        let before = self.store.leading_group(id).await?;
        if !who.scope().contains(&before.unit_path) {
            return Err(AppError::NotFound);
        }
        if input.version.is_some_and(|v| v != before.version) {
            return Err(AppError::Conflict {
                current_version: before.version,
            });
        }
        let unit = self.store.unit(before.unit_id).await?;
        let after = self.checked_group(unit, input).await?;
        let after_head = match (&after.head_user_id, input.head.trim().strip_prefix('@')) {
            (Some(_), Some(u)) => format!("{} (@{})", after.head, u.trim()),
            _ => after.head.clone(),
        };
        let pairs = [
            ("name", before.name.clone(), after.name.clone()),
            (
                "starts_on",
                before.starts_on.clone(),
                after.starts_on.clone(),
            ),
            ("ends_on", before.ends_on.clone(), after.ends_on.clone()),
            ("head", head_text(&before), after_head),
            (
                "head_phone",
                before.head_phone.clone(),
                after.head_phone.clone(),
            ),
            ("deputies", before.deputies.clone(), after.deputies.clone()),
            ("office", before.office.clone(), after.office.clone()),
            (
                "working_groups",
                working_text(&before.working_groups),
                working_text(&after.working_groups),
            ),
        ];
        let changes: Vec<GroupChange> = pairs
            .iter()
            .filter(|(_, a, b)| a != b)
            .map(|(f, a, b)| GroupChange {
                field: f.to_string(),
                from: a.clone(),
                to: b.clone(),
            })
            .collect();
        if changes.is_empty() {
            return Ok(before);
        }
        self.store
            .update_leading_group(id, before.version, &after, &changes, &who.actor())
            .await?;
        Ok(self.store.leading_group(id).await?)
    }

    /// The unit a plan or group belongs to: the caller's own, or one in their subtree.
    pub(crate) async fn plan_unit(
        &self,
        who: &Caller,
        code: Option<&str>,
    ) -> AppResult<store::Unit> {
        match code.map(str::trim).filter(|c| !c.is_empty()) {
            None => Ok(self.store.unit(who.unit_id).await?),
            Some(c) => match self.store.unit_by_code(c).await {
                Ok(u) if who.scope().contains(&u.path) => Ok(u),
                _ => Err(AppError::field("unit", "unit_out_of_scope")),
            },
        }
    }

    /// A group of the caller's subtree, or of a unit above the caller's (whose groups
    /// the caller serves under).
    pub async fn leading_group(&self, who: &Caller, id: i64) -> AppResult<LeadingGroup> {
        let g = self.store.leading_group(id).await?;
        if !who.scope().contains(&g.unit_path) && !group_reaches(&g.unit_path, &who.unit_path) {
            return Err(AppError::NotFound);
        }
        Ok(g)
    }

    /// Groups of the caller's subtree; `on` keeps those in force that day.
    pub async fn leading_groups(
        &self,
        who: &Caller,
        on: Option<&str>,
    ) -> AppResult<Vec<LeadingGroup>> {
        let on = on.map(str::trim).filter(|d| !d.is_empty());
        if let Some(d) = on {
            if chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err() {
                return Err(AppError::field("on", "invalid_date"));
            }
        }
        Ok(self.store.leading_groups(&who.scope(), on).await?)
    }

    /// The groups a shift or report of a unit in scope (the caller's own when absent)
    /// may be filed under between `from` and `to`: the unit's own and those of the
    /// units above it, in force on some day of the range.
    pub async fn groups_for_filing(
        &self,
        who: &Caller,
        unit: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> AppResult<Vec<LeadingGroup>> {
        let unit = self.unit_or_own(who, unit).await?;
        Ok(self
            .store
            .leading_groups_above(&unit.path, &from.to_string(), &to.to_string())
            .await?)
    }

    /// Checks that a unit's shift or report of `day` may be filed under group `id`
    /// (the rule is `domain::plans::check_group_filing`); `field` names the input.
    pub(crate) async fn check_group_filing(
        &self,
        unit: &Unit,
        day: NaiveDate,
        id: i64,
        field: &str,
    ) -> AppResult<()> {
        let g = match self.store.leading_group(id).await {
            Ok(g) => g,
            Err(StoreError::NotFound) => return Err(AppError::field(field, "group_not_visible")),
            Err(e) => return Err(e.into()),
        };
        check_group_filing(&g.unit_path, &g.starts_on, &g.ends_on, &unit.path, day)
            .map_err(|code| AppError::field(field, code))
    }

    /// The shifts and reports filed under a group, of units in the caller's subtree.
    pub async fn group_filings(&self, who: &Caller, id: i64) -> AppResult<GroupFilings> {
        self.leading_group(who, id).await?;
        let scope = who.scope();
        let shifts = self
            .store
            .shifts_of_group(id, &scope)
            .await?
            .into_iter()
            .map(|(shift, unit_name)| FiledShift { unit_name, shift })
            .collect();
        let reports = self.store.reports_of_group(id, &scope).await?;
        Ok(GroupFilings { shifts, reports })
    }

    /// The groups the caller is a member of, in force today (for the dashboard).
    pub async fn my_leading_groups(&self, who: &Caller) -> AppResult<Vec<LeadingGroup>> {
        let today = self.config.today().to_string();
        Ok(self.store.leading_groups_of_user(who.id, &today).await?)
    }

    pub async fn leading_group_timeline(
        &self,
        who: &Caller,
        id: i64,
    ) -> AppResult<Vec<RegisterEvent<GroupEvent>>> {
        self.leading_group(who, id).await?;
        Ok(self.store.register_events(id).await?)
    }
}

/// The head as a timeline shows it: the name, and the account when there is one.
fn head_text(g: &LeadingGroup) -> String {
    match &g.head_username {
        Some(u) => format!("{} (@{u})", g.head),
        None => g.head.clone(),
    }
}

fn head_name(m: &Member) -> String {
    m.name.trim().to_string()
}
