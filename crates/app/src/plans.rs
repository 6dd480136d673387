//! Emergency plans (应急预案) and incidents: keeping versioned plans, proposing a plan when
//! a registered group visit meets its trigger (a person decides), activating it into an
//! incident with tasks for each team, the incident's log, and its closure with an
//! after-action review. The rules are `domain::plans`'s.

use crate::{App, AppError, AppResult, Caller};
use chrono::Duration;
use domain::plans::{may_keep_plans, may_work_incident, validate_review, IncidentState, PlanBody};
use domain::FieldErrors;
use store::{Activation, NewPlan, StoreError, Unit};

/// The records plans and incidents are, as the store defines them.
pub use domain::register_event::{GroupEvent, IncidentEvent, PlanEvent};
pub use store::{Incident, IncidentTask, Plan, PlanRow, PlanVersion, Proposal, RegisterEvent};

/// Hours a task has by default after an activation.
pub const DEFAULT_TASK_HOURS: i64 = 2;

/// What a plan says, as a form or the API sends it.
#[derive(Debug, Clone, Default)]
pub struct PlanInput {
    /// The unit's code; the caller's own unit by default.
    pub unit: Option<String>,
    pub group_id: Option<i64>,
    pub name: String,
    pub body: PlanBody,
}

/// A proposal as the case page shows it: whether the reader may activate the plan.
#[derive(Debug, Clone)]
pub struct CaseProposal {
    pub p: Proposal,
    pub may_activate: bool,
}

impl App {
    fn require_plans(&self, who: &Caller) -> AppResult<()> {
        if may_keep_plans(who.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Checks the plan and names each team member who has an account by id; a member
    /// given as `@username` must be a user of the plan's unit subtree.
    async fn checked_body(&self, unit: &Unit, input: &PlanInput) -> AppResult<PlanBody> {
        let mut body = input.body.clone();
        let mut f = body.validate(&input.name).err().unwrap_or_default();
        for (i, t) in body.teams.iter_mut().enumerate() {
            for (j, m) in t.members.iter_mut().enumerate() {
                if let Err(code) = self.resolve_member(unit, m).await {
                    f.insert(format!("teams[{i}].members[{j}]"), code.into());
                }
            }
        }
        if let Some(g) = input.group_id {
            match self.store.leading_group(g).await {
                Ok(grp) if unit.path.starts_with(&grp.unit_path) => {}
                Ok(_) | Err(StoreError::NotFound) => {
                    f.insert("group_id".into(), "invalid_reference".into());
                }
                Err(e) => return Err(e.into()),
            }
        }
        if f.is_empty() {
            Ok(body)
        } else {
            Err(AppError::Validation(f))
        }
    }

    /// Fills a member's account id and name from `@username` (or an id the API gave).
    pub(crate) async fn resolve_member(
        &self,
        unit: &Unit,
        m: &mut domain::plans::Member,
    ) -> Result<(), &'static str> {
        let user = match (&m.username, m.user_id) {
            (Some(u), _) => self.store.user_by_name(u).await,
            (None, Some(id)) => self.store.user(id).await,
            (None, None) => return Ok(()),
        };
        match user {
            Ok(u) if u.active && u.unit_path.starts_with(&unit.path) => {
                m.user_id = Some(u.id);
                m.username = Some(u.username.clone());
                if m.name.trim().is_empty() {
                    m.name = u.display_name.clone();
                }
                Ok(())
            }
            _ => Err("unknown_user"),
        }
    }

    pub async fn create_plan(&self, who: &Caller, input: &PlanInput) -> AppResult<Plan> {
        self.require_plans(who)?;
        let unit = self.plan_unit(who, input.unit.as_deref()).await?;
        let body = self.checked_body(&unit, input).await?;
        let p = NewPlan {
            unit,
            group_id: input.group_id,
            name: input.name.trim().to_string(),
            body,
        };
        let id = self.store.create_plan(&p, &who.actor()).await?;
        Ok(self.store.plan(id).await?)
    }

    /// Writes the plan's next version; incidents already running keep theirs.
    pub async fn revise_plan(&self, who: &Caller, id: i64, input: &PlanInput) -> AppResult<Plan> {
        self.require_plans(who)?;
        let plan = self.plan(who, id).await?;
        let unit = self.store.unit(plan.row.unit_id).await?;
        let body = self.checked_body(&unit, input).await?;
        let name = input.name.trim();
        self.store
            .revise_plan(id, name, input.group_id, &body, &who.actor())
            .await?;
        Ok(self.store.plan(id).await?)
    }

    /// One plan in the caller's subtree (else not found).
    pub async fn plan(&self, who: &Caller, id: i64) -> AppResult<Plan> {
        let p = self.store.plan(id).await?;
        if !who.scope().contains(&p.row.unit_path) {
            return Err(AppError::NotFound);
        }
        Ok(p)
    }

    pub async fn plans(&self, who: &Caller, q: Option<&str>) -> AppResult<Vec<PlanRow>> {
        Ok(self.store.plans(&who.scope(), q).await?)
    }

    pub async fn plan_timeline(
        &self,
        who: &Caller,
        id: i64,
    ) -> AppResult<Vec<RegisterEvent<PlanEvent>>> {
        self.plan(who, id).await?;
        Ok(self.store.register_events(id).await?)
    }

    /// After a case is registered: proposes each plan of its unit or above whose
    /// group-visit trigger the headcount meets. Tells the plans' units' leaders and
    /// supervisors; activates nothing. Returns the proposals' ids.
    pub async fn propose_plans(
        &self,
        case_id: i64,
        unit: &Unit,
        headcount: i64,
    ) -> AppResult<Vec<i64>> {
        if headcount < 2 {
            return Ok(vec![]);
        }
        let notice = |name: &str| {
            format!("预案「{name}」的触发条件已满足（{headcount} 人），请决定是否启动 / The trigger of plan “{name}” is met ({headcount} people): decide whether to activate it")
        };
        Ok(self
            .store
            .propose_plans(case_id, &unit.path, headcount, &notice)
            .await?)
    }

    /// The plans a case's registration proposed, as the case page shows them.
    pub async fn case_proposals(&self, who: &Caller, case_id: i64) -> AppResult<Vec<CaseProposal>> {
        let list = self.store.proposals_of_case(case_id).await?;
        Ok(list
            .into_iter()
            .map(|p| CaseProposal {
                may_activate: may_keep_plans(who.role) && who.scope().contains(&p.plan_unit_path),
                p,
            })
            .collect())
    }

    /// Activates a plan: opens an incident on the version in force, assigns a task to
    /// each team due `due_at` (`YYYY-MM-DDTHH:MM`, by default two hours from now) and
    /// tells every member with an account.
    pub async fn activate_plan(
        &self,
        who: &Caller,
        id: i64,
        case_id: Option<i64>,
        due_at: Option<&str>,
    ) -> AppResult<Incident> {
        self.activate(who, id, case_id, None, due_at).await
    }

    /// Activates a plan for a case or a critical hazard (which the caller sees); the
    /// incident's title names it, and the proposal it raised is marked decided.
    pub(crate) async fn activate(
        &self,
        who: &Caller,
        id: i64,
        case_id: Option<i64>,
        hazard: Option<&store::Hazard>,
        due_at: Option<&str>,
    ) -> AppResult<Incident> {
        self.require_plans(who)?;
        let plan = self.plan(who, id).await?;
        let due = match due_at.map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => valid_due(d)?,
            None => (self.config.now().with_timezone(&self.config.time_zone)
                + Duration::hours(DEFAULT_TASK_HOURS))
            .format("%Y-%m-%dT%H:%M")
            .to_string(),
        };
        let title = match case_id {
            Some(c) => {
                let case = self
                    .store
                    .case_summary(&who.scope(), c)
                    .await
                    .map_err(|_| AppError::field("case_id", "invalid_reference"))?;
                format!("{} · {}", plan.row.name, case.case_no)
            }
            None => match hazard {
                Some(h) => format!("{} · {}", plan.row.name, h.establishment_name),
                None => plan.row.name.clone(),
            },
        };
        let tasks = plan
            .body
            .teams
            .iter()
            .map(|t| {
                let what = if t.role.trim().is_empty() {
                    plan.body.steps.first().cloned().unwrap_or_default()
                } else {
                    t.role.clone()
                };
                (t.name.clone(), what, due.clone())
            })
            .collect();
        let mut notify: Vec<i64> = plan
            .body
            .teams
            .iter()
            .flat_map(|t| t.members.iter().filter_map(|m| m.user_id))
            .collect();
        notify.sort_unstable();
        notify.dedup();
        let a = Activation {
            plan_id: id,
            case_id,
            hazard_id: hazard.map(|h| h.id),
            notice: format!(
                "预案「{}」已启动，请按分工就位 / Plan “{}” is activated: take up your team's tasks",
                plan.row.name, plan.row.name
            ),
            title,
            tasks,
            notify,
        };
        let incident = self.store.activate_plan(&a, &who.actor()).await?;
        Ok(self.store.incident(incident).await?)
    }

    pub async fn incident(&self, who: &Caller, id: i64) -> AppResult<Incident> {
        let i = self.store.incident(id).await?;
        if !who.scope().contains(&i.unit_path) {
            return Err(AppError::NotFound);
        }
        Ok(i)
    }

    pub async fn incidents(&self, who: &Caller, state: Option<&str>) -> AppResult<Vec<Incident>> {
        let state = match state.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(IncidentState::parse(s).ok_or(AppError::field("state", "invalid"))?),
        };
        Ok(self.store.incidents(&who.scope(), state).await?)
    }

    pub async fn incident_timeline(
        &self,
        who: &Caller,
        id: i64,
    ) -> AppResult<Vec<RegisterEvent<IncidentEvent>>> {
        self.incident(who, id).await?;
        Ok(self.store.register_events(id).await?)
    }

    async fn open_incident(&self, who: &Caller, id: i64) -> AppResult<Incident> {
        if !may_work_incident(who.role) {
            return Err(AppError::Forbidden);
        }
        let i = self.incident(who, id).await?;
        if i.state != IncidentState::Open {
            return Err(AppError::field("state", "incident_closed"));
        }
        Ok(i)
    }

    pub async fn add_incident_task(
        &self,
        who: &Caller,
        id: i64,
        team: &str,
        title: &str,
        due_at: &str,
    ) -> AppResult<Incident> {
        let i = self.open_incident(who, id).await?;
        let mut f = FieldErrors::new();
        if team.trim().is_empty() {
            f.insert("team".into(), "required".into());
        }
        if title.trim().is_empty() {
            f.insert("title".into(), "required".into());
        }
        let due = valid_due(due_at);
        if due.is_err() {
            f.insert("due_at".into(), "invalid_date".into());
        }
        if !f.is_empty() {
            return Err(AppError::Validation(f));
        }
        let due = due?;
        self.store
            .add_incident_task(&i, team.trim(), title.trim(), &due, &who.actor())
            .await?;
        Ok(self.store.incident(id).await?)
    }

    pub async fn finish_incident_task(
        &self,
        who: &Caller,
        id: i64,
        task: i64,
        note: &str,
    ) -> AppResult<Incident> {
        let i = self.open_incident(who, id).await?;
        if !i.tasks.iter().any(|t| t.id == task) {
            return Err(AppError::NotFound);
        }
        self.store
            .finish_incident_task(&i, task, note.trim(), &who.actor())
            .await?;
        Ok(self.store.incident(id).await?)
    }

    pub async fn log_incident(&self, who: &Caller, id: i64, text: &str) -> AppResult<Incident> {
        let i = self.open_incident(who, id).await?;
        if text.trim().is_empty() {
            return Err(AppError::field("text", "required"));
        }
        self.store
            .log_incident(&i, text.trim(), &who.actor())
            .await?;
        Ok(i)
    }

    /// Closes an incident with its after-action review (what happened, what worked,
    /// what to improve); those who keep plans close.
    pub async fn close_incident(
        &self,
        who: &Caller,
        id: i64,
        review: (&str, &str, &str),
    ) -> AppResult<Incident> {
        self.require_plans(who)?;
        let i = self.open_incident(who, id).await?;
        validate_review(review.0, review.1, review.2).map_err(AppError::Validation)?;
        let r = (review.0.trim(), review.1.trim(), review.2.trim());
        self.store.close_incident(&i, r, &who.actor()).await?;
        Ok(self.store.incident(id).await?)
    }
}

/// A task's deadline as `YYYY-MM-DDTHH:MM` (a date alone means the end of that day).
fn valid_due(s: &str) -> AppResult<String> {
    let s = s.trim();
    if let Ok(d) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M") {
        return Ok(d.format("%Y-%m-%dT%H:%M").to_string());
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(format!("{d}T23:59"));
    }
    Err(AppError::field("due_at", "invalid_date"))
}
