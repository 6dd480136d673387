//! The dispute register (矛盾纠纷台账): entering an issue, planning and recording its
//! resolution, linking the petitions it gave rise to, and closing it with an outcome.
//! The rules are `domain::dispute`'s; every change is an event on the entry's timeline.

use crate::{App, AppError, AppResult, Caller};
use chrono::NaiveDate;
use domain::dispute::{
    check_dispute, check_outcome, DisputeDraft, DisputeKind, Outcome, MAX_LINKED_CASES, MAX_TEXT,
    MAX_TITLE,
};
use domain::register_event::DisputeEvent;
use domain::{FieldErrors, Permission};
use serde::Serialize;
use std::collections::BTreeMap;
use store::{
    Dispute, DisputeCase, DisputeData, DisputeFilter, DisputeRow, RegisterEvent, Scope, Unit,
};

/// What the entry form or the API says about a dispute.
#[derive(Debug, Clone, Default)]
pub struct DisputeInput {
    pub draft: DisputeDraft,
    /// The responsible unit's code; the caller's unit by default.
    pub unit: String,
    /// The owner leader's username (a user of the responsible unit) …
    pub owner_user: String,
    /// … or their name.
    pub owner_name: String,
    /// Petitions to link (new entries only).
    pub cases: Vec<i64>,
}

/// The list's filters as a reader gives them.
#[derive(Debug, Clone, Default)]
pub struct DisputeQuery {
    /// A unit code: its subtree (within the caller's).
    pub unit: String,
    pub kind: String,
    /// `open`, `resolved`, `referred` or `unresolved`.
    pub outcome: String,
    pub region: String,
    pub overdue: bool,
    pub text: String,
    /// Only entries older than this one (the `next` of the page before).
    pub before: Option<i64>,
}

/// One page of the dispute list, newest first.
#[derive(Debug, Clone, Serialize)]
pub struct DisputePage {
    pub items: Vec<DisputeRow>,
    /// The cursor of the next page (the last entry's id); none on the last page.
    pub next: Option<i64>,
}

/// Entries on one page of the list, unless the caller asks for another number.
pub const PAGE_SIZE: i64 = 50;

/// A unit (with its subtree) and its overdue dispute steps, for the supervision board.
#[derive(Debug, Clone, Serialize)]
pub struct OverdueUnit {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub depth: usize,
    pub steps: i64,
    pub entries: i64,
}

/// Most entries a list or an export holds.
pub const LIST_LIMIT: i64 = 5000;

pub(crate) fn text_in(e: &mut FieldErrors, field: &str, s: &str, max: usize, req: bool) -> String {
    let s = s.trim();
    if req && s.is_empty() {
        e.insert(field.into(), "required".into());
    } else if s.chars().count() > max {
        e.insert(field.into(), "too_long".into());
    }
    s.to_string()
}

pub(crate) fn date_in(e: &mut FieldErrors, field: &str, s: &str) -> String {
    match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        Ok(d) => d.to_string(),
        Err(_) => {
            e.insert(field.into(), "invalid_date".into());
            String::new()
        }
    }
}

/// An optional code a filter gives: blank is none, an unknown code is `invalid`.
pub(crate) fn coded<T>(
    e: &mut FieldErrors,
    field: &str,
    s: &str,
    parse: fn(&str) -> Option<T>,
) -> Option<T> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let v = parse(s);
    if v.is_none() {
        e.insert(field.into(), "invalid".into());
    }
    v
}

fn check(e: FieldErrors) -> AppResult<()> {
    if e.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(e))
    }
}

impl App {
    fn today_s(&self) -> String {
        self.config.today().to_string()
    }

    /// The subtree a reader asks for: their own, or a unit's inside it.
    pub(crate) async fn subtree(&self, who: &Caller, unit: &str) -> AppResult<Scope> {
        let unit = unit.trim();
        if unit.is_empty() {
            return Ok(who.scope());
        }
        match self.store.unit_by_code(unit).await {
            Ok(u) if who.scope().contains(&u.path) => Ok(Scope::new(&u.path)),
            _ => Err(AppError::field("unit", "not_found")),
        }
    }

    /// Entries of the caller's subtree (or a unit's inside it) matching the filters.
    pub async fn disputes(&self, who: &Caller, q: &DisputeQuery) -> AppResult<Vec<DisputeRow>> {
        self.dispute_rows(who, q, LIST_LIMIT).await
    }

    async fn dispute_rows(
        &self,
        who: &Caller,
        q: &DisputeQuery,
        limit: i64,
    ) -> AppResult<Vec<DisputeRow>> {
        let scope = self.subtree(who, &q.unit).await?;
        let mut e = FieldErrors::new();
        let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let kind = coded(&mut e, "kind", &q.kind, DisputeKind::parse);
        let outcome = coded(&mut e, "outcome", &q.outcome, Outcome::parse);
        let region = some(&q.region);
        if region
            .as_deref()
            .is_some_and(|r| !domain::codes::is_region_prefix(r))
        {
            e.insert("region".into(), "invalid".into());
        }
        check(e)?;
        let f = DisputeFilter {
            kind,
            outcome,
            region,
            overdue_before: q.overdue.then(|| self.today_s()),
            text: some(&q.text),
            before: q.before,
        };
        Ok(self
            .store
            .disputes(&scope, &f, &self.today_s(), limit)
            .await?)
    }

    /// One page of the list: at most `limit` entries (1 to 500) older than `q.before`,
    /// and the cursor of the next page.
    pub async fn dispute_page(
        &self,
        who: &Caller,
        q: &DisputeQuery,
        limit: i64,
    ) -> AppResult<DisputePage> {
        if !(1..=500).contains(&limit) {
            return Err(AppError::field("limit", "invalid"));
        }
        let mut items = self.dispute_rows(who, q, limit + 1).await?;
        let next = if items.len() as i64 > limit {
            items.truncate(limit as usize);
            items.last().map(|r| r.id)
        } else {
            None
        };
        Ok(DisputePage { items, next })
    }

    /// One entry, if it is in the caller's subtree.
    pub async fn dispute(&self, who: &Caller, id: i64) -> AppResult<Dispute> {
        Ok(self
            .store
            .dispute(&who.scope(), id, &self.today_s())
            .await?)
    }

    /// An entry's timeline, oldest first.
    pub async fn dispute_timeline(
        &self,
        who: &Caller,
        id: i64,
    ) -> AppResult<Vec<RegisterEvent<DisputeEvent>>> {
        self.dispute(who, id).await?;
        Ok(self.store.register_events(id).await?)
    }

    /// An entry the caller may change: in scope, and they keep the register.
    async fn keepable(&self, who: &Caller, id: i64) -> AppResult<Dispute> {
        let d = self.dispute(who, id).await?;
        who.require(Permission::KeepDisputes)?;
        Ok(d)
    }

    async fn open_entry(&self, who: &Caller, id: i64) -> AppResult<Dispute> {
        let d = self.keepable(who, id).await?;
        if d.row.outcome != Outcome::Open {
            return Err(AppError::field("outcome", "already_closed"));
        }
        Ok(d)
    }

    /// Petitions by id, each in the caller's scope.
    async fn cases_in_scope(&self, who: &Caller, ids: &[i64]) -> AppResult<Vec<DisputeCase>> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        if ids.len() > MAX_LINKED_CASES {
            return Err(AppError::field("cases", "too_many_cases"));
        }
        let mut out = vec![];
        for id in ids {
            match self.store.case_summary(&who.scope(), id).await {
                Ok(c) => out.push(DisputeCase {
                    id: c.id,
                    case_no: c.case_no,
                    state: c.state,
                    stage: c.stage,
                }),
                Err(store::StoreError::NotFound) => {
                    return Err(AppError::field("cases", "not_found"))
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(out)
    }

    async fn data(&self, who: &Caller, i: &DisputeInput) -> AppResult<DisputeData> {
        let f = check_dispute(&i.draft);
        let mut e = f.clone().err().unwrap_or_default();
        let unit: Option<Unit> = if i.unit.trim().is_empty() {
            Some(self.store.unit(who.unit_id).await?)
        } else {
            match self.store.unit_by_code(i.unit.trim()).await {
                Ok(u) if who.scope().contains(&u.path) && !u.retired => Some(u),
                _ => {
                    e.insert("unit".into(), "not_found".into());
                    None
                }
            }
        };
        let mut owner_user_id = None;
        let mut owner_name = text_in(&mut e, "owner_name", &i.owner_name, MAX_TITLE, false);
        if !i.owner_user.trim().is_empty() {
            match self.store.user_by_name(i.owner_user.trim()).await {
                Ok(u) if unit.as_ref().is_some_and(|n| n.id == u.unit_id) => {
                    owner_user_id = Some(u.id);
                    owner_name = u.display_name;
                }
                _ => {
                    e.insert("owner_user".into(), "not_in_unit".into());
                }
            }
        }
        match (f, unit) {
            (Ok(f), Some(unit)) if e.is_empty() => Ok(DisputeData {
                unit,
                kind: f.kind,
                title: f.title,
                region: f.region,
                address: f.address,
                parties: f.parties,
                people: f.people,
                scale: f.scale,
                urgency: f.urgency,
                owner_user_id,
                owner_name,
                hotspot: f.hotspot,
            }),
            _ => Err(AppError::Validation(e)),
        }
    }

    /// Enters a dispute, linked to petitions in the caller's scope.
    pub async fn create_dispute(&self, who: &Caller, i: &DisputeInput) -> AppResult<Dispute> {
        who.require(Permission::KeepDisputes)?;
        let data = self.data(who, i).await;
        let cases = self.cases_in_scope(who, &i.cases).await;
        let (data, cases) = match (data, cases) {
            (Ok(d), Ok(c)) => (d, c),
            (Err(AppError::Validation(mut a)), Err(AppError::Validation(b))) => {
                a.extend(b);
                return Err(AppError::Validation(a));
            }
            (Err(e), _) | (_, Err(e)) => return Err(e),
        };
        let id = self
            .store
            .create_dispute(&data, &cases, &who.actor())
            .await?;
        self.dispute(who, id).await
    }

    /// Corrects what an entry says.
    pub async fn update_dispute(
        &self,
        who: &Caller,
        id: i64,
        i: &DisputeInput,
    ) -> AppResult<Dispute> {
        self.keepable(who, id).await?;
        let data = self.data(who, i).await?;
        self.store.update_dispute(id, &data, &who.actor()).await?;
        self.dispute(who, id).await
    }

    /// Adds a step to the plan: what, by when, who does it.
    pub async fn add_dispute_step(
        &self,
        who: &Caller,
        id: i64,
        what: &str,
        due_on: &str,
        assignee: &str,
    ) -> AppResult<Dispute> {
        let d = self.open_entry(who, id).await?;
        let mut e = FieldErrors::new();
        let what = text_in(&mut e, "what", what, MAX_TEXT, true);
        let due_on = date_in(&mut e, "due_on", due_on);
        let assignee = text_in(&mut e, "assignee", assignee, MAX_TITLE, true);
        check(e)?;
        self.store
            .add_dispute_step(
                id,
                &d.row.unit_path,
                &what,
                &due_on,
                &assignee,
                &who.actor(),
            )
            .await?;
        self.dispute(who, id).await
    }

    /// Marks a step done (today by default).
    pub async fn complete_dispute_step(
        &self,
        who: &Caller,
        id: i64,
        step: i64,
        done_on: &str,
    ) -> AppResult<Dispute> {
        let d = self.open_entry(who, id).await?;
        let mut e = FieldErrors::new();
        let done_on = if done_on.trim().is_empty() {
            self.today_s()
        } else {
            date_in(&mut e, "done_on", done_on)
        };
        check(e)?;
        self.store
            .complete_dispute_step(id, &d.row.unit_path, step, &done_on, &who.actor())
            .await?;
        self.dispute(who, id).await
    }

    /// Adds a mediation: when, who mediated, what was agreed.
    pub async fn add_mediation(
        &self,
        who: &Caller,
        id: i64,
        held_on: &str,
        mediator: &str,
        agreed: &str,
    ) -> AppResult<Dispute> {
        let d = self.open_entry(who, id).await?;
        let mut e = FieldErrors::new();
        let held_on = date_in(&mut e, "held_on", held_on);
        let mediator = text_in(&mut e, "mediator", mediator, MAX_TITLE, true);
        let agreed = text_in(&mut e, "agreed", agreed, MAX_TEXT, true);
        check(e)?;
        self.store
            .add_mediation(
                id,
                &d.row.unit_path,
                &held_on,
                &mediator,
                &agreed,
                &who.actor(),
            )
            .await?;
        self.dispute(who, id).await
    }

    /// Links petitions in the caller's scope.
    pub async fn link_dispute_cases(
        &self,
        who: &Caller,
        id: i64,
        cases: &[i64],
    ) -> AppResult<Dispute> {
        let d = self.keepable(who, id).await?;
        if cases.is_empty() {
            return Err(AppError::field("cases", "required"));
        }
        let cases = self.cases_in_scope(who, cases).await?;
        self.store
            .link_dispute_cases(id, &d.row.unit_path, &cases, &who.actor())
            .await?;
        self.dispute(who, id).await
    }

    /// Removes a petition's link.
    pub async fn unlink_dispute_case(
        &self,
        who: &Caller,
        id: i64,
        case: i64,
    ) -> AppResult<Dispute> {
        let d = self.keepable(who, id).await?;
        let c = d
            .cases
            .iter()
            .find(|c| c.id == case)
            .cloned()
            .ok_or(AppError::NotFound)?;
        self.store
            .unlink_dispute_case(id, &d.row.unit_path, &c, &who.actor())
            .await?;
        self.dispute(who, id).await
    }

    /// Closes an entry: resolved, referred to a legal channel, or unresolved and why.
    pub async fn close_dispute(
        &self,
        who: &Caller,
        id: i64,
        outcome: &str,
        channel: &str,
        note: &str,
    ) -> AppResult<Dispute> {
        let d = self.open_entry(who, id).await?;
        let c = check_outcome(outcome, channel, note).map_err(AppError::Validation)?;
        self.store
            .close_dispute(
                id,
                &d.row.unit_path,
                c.outcome,
                c.channel,
                &c.note,
                &self.today_s(),
                &who.actor(),
            )
            .await?;
        self.dispute(who, id).await
    }

    /// Overdue steps of open entries under the caller, by unit (each with its subtree),
    /// in tree order.
    pub async fn overdue_dispute_units(&self, who: &Caller) -> AppResult<Vec<OverdueUnit>> {
        let cells = self
            .store
            .overdue_dispute_steps(&who.scope(), &self.today_s())
            .await?;
        self.overdue_rollup(who, cells).await
    }

    /// Overdue counts held by single units, rolled up to each unit under the caller (each
    /// with its subtree), in tree order; units with none are left out.
    pub(crate) async fn overdue_rollup(
        &self,
        who: &Caller,
        cells: Vec<store::OverdueByUnit>,
    ) -> AppResult<Vec<OverdueUnit>> {
        if cells.is_empty() {
            return Ok(vec![]);
        }
        let units = self.store.units_under(&who.unit_path).await?;
        let base = who.unit_path.matches('/').count();
        let mut rows: BTreeMap<String, OverdueUnit> = BTreeMap::new();
        for c in &cells {
            for u in units.iter().filter(|u| c.unit_path.starts_with(&u.path)) {
                let row = rows.entry(u.path.clone()).or_insert_with(|| OverdueUnit {
                    code: u.code.clone(),
                    name: u.name.clone(),
                    name_en: u.name_en.clone(),
                    depth: u.path.matches('/').count().saturating_sub(base),
                    steps: 0,
                    entries: 0,
                });
                row.steps += c.steps;
                row.entries += c.entries;
            }
        }
        Ok(rows.into_values().collect())
    }

    /// A case number in the caller's scope, as its id (for forms that take numbers).
    pub async fn dispute_case_id_by_no(&self, who: &Caller, case_no: &str) -> AppResult<i64> {
        Ok(self.store.case_id_by_no(&who.scope(), case_no).await?)
    }

    /// The number of entries under the caller by `kind`, `outcome` or `unit`.
    pub async fn dispute_volume(&self, who: &Caller, by: &str) -> AppResult<Vec<(String, i64)>> {
        if !matches!(by, "kind" | "outcome" | "unit") {
            return Err(AppError::field("by", "invalid"));
        }
        Ok(self.store.dispute_volume(&who.scope(), by).await?)
    }
}
