//! Leading groups (领导小组) for a campaign or special period: the head, deputies, office
//! and working groups with their duties, members and phones. A group shows on each of
//! its members' dashboards while its period runs.

use crate::{App, AppError, AppResult, Caller};
use domain::plans::{may_keep_plans, member_of, validate_group, Member};
use store::{EntryRef, NewLeadingGroup, RegisterEvent};

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
}

impl App {
    pub async fn create_leading_group(
        &self,
        who: &Caller,
        input: &GroupInput,
    ) -> AppResult<LeadingGroup> {
        if !may_keep_plans(who.role) {
            return Err(AppError::Forbidden);
        }
        let unit = self.plan_unit(who, input.unit.as_deref()).await?;
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
        let g = NewLeadingGroup {
            unit,
            name: input.name.trim().into(),
            starts_on: input.starts_on.trim().into(),
            ends_on: input.ends_on.trim().into(),
            head: head_name(&head),
            head_phone: head.phone.clone(),
            deputies: input.deputies.trim().into(),
            office: input.office.trim().into(),
            working_groups: groups,
            users,
        };
        let id = self.store.create_leading_group(&g, &who.actor()).await?;
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

    pub async fn leading_group(&self, who: &Caller, id: i64) -> AppResult<LeadingGroup> {
        let g = self.store.leading_group(id).await?;
        if !who.scope().contains(&g.unit_path) {
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

    /// The groups the caller is a member of, in force today (for the dashboard).
    pub async fn my_leading_groups(&self, who: &Caller) -> AppResult<Vec<LeadingGroup>> {
        let today = self.config.today().to_string();
        Ok(self.store.leading_groups_of_user(who.id, &today).await?)
    }

    pub async fn leading_group_timeline(
        &self,
        who: &Caller,
        id: i64,
    ) -> AppResult<Vec<RegisterEvent>> {
        self.leading_group(who, id).await?;
        let entry = EntryRef {
            register: "leading_group",
            id,
        };
        Ok(self.store.register_events(entry).await?)
    }
}

fn head_name(m: &Member) -> String {
    m.name.trim().to_string()
}
