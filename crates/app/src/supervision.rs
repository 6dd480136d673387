//! Supervision (督查督办, Arts. 38–41): the board of late cases under the caller, orders
//! to units that stall with their written answers and reminders (by hand and on a
//! schedule), and listed supervision. The rules are `domain::supervision`'s.

use crate::{App, AppError, AppResult, Caller};
use chrono::NaiveDate;
use domain::supervision::{
    answers_for, days_late, due_soon_until, may_answer_order, may_read_board, may_supervise,
    reminder_due, reply_days, transition, DelayStage, OrderState,
};
use domain::{CaseState, DueStatus, FieldErrors, Role, Stage};
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Duration;
use store::{Actor, CaseFilter, CaseSummary, Order, StoreError, SupervisionOrder, Unit};

/// The scheduled reminder job's name in the `jobs` table.
pub const REMINDER_JOB: &str = "supervision_reminders";

/// Most cases one order may name.
pub const MAX_ORDER_CASES: usize = 50;

/// Late and due-soon counts of one delay stage.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StageCount {
    pub overdue: i64,
    pub due_soon: i64,
    /// Days the most late case is past its deadline (0 when none is).
    pub max_days_late: i64,
}

impl StageCount {
    fn add(&mut self, overdue: i64, due_soon: i64, late: i64) {
        self.overdue += overdue;
        self.due_soon += due_soon;
        self.max_days_late = self.max_days_late.max(late);
    }
}

/// One unit and everything below it.
#[derive(Debug, Clone, Serialize)]
pub struct BoardUnit {
    pub code: String,
    pub name: String,
    pub name_en: String,
    /// Levels below the caller's unit (0 for the caller's own unit).
    pub depth: usize,
    /// By delay stage: `routing`, `acceptance`, `handling`, `review`, `other`.
    pub stages: BTreeMap<String, StageCount>,
    pub total: StageCount,
    /// Listed cases (挂牌督办) among the late and due-soon ones.
    pub listed: i64,
}

/// A late or listed case as the board lists it.
#[derive(Debug, Clone, Serialize)]
pub struct BoardCase {
    pub id: i64,
    pub case_no: String,
    pub unit_code: String,
    pub unit_name: String,
    pub stage: Stage,
    pub delay_stage: String,
    pub due_on: Option<String>,
    pub days_late: i64,
    pub listed: bool,
}

/// The supervision board of the caller's subtree.
#[derive(Debug, Clone, Serialize)]
pub struct Board {
    pub today: NaiveDate,
    /// Cases due from today up to this day are due soon.
    pub due_soon_until: NaiveDate,
    /// Units with late or due-soon cases, each counting its whole subtree, in tree order;
    /// the first is the caller's own unit (all of it).
    pub units: Vec<BoardUnit>,
    /// The most late cases, most late first.
    pub late: Vec<BoardCase>,
    /// Open cases under listed supervision.
    pub listed: Vec<BoardCase>,
    /// Overdue steps of open dispute entries, by unit (each with its subtree).
    pub dispute_steps: Vec<crate::disputes::OverdueUnit>,
    /// Overdue rectification orders (steps = orders, entries = establishments), by unit.
    pub inspection_orders: Vec<crate::disputes::OverdueUnit>,
}

/// How many late cases the board lists by name.
const BOARD_CASES: i64 = 50;

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// What an order says.
#[derive(Debug, Clone, Default)]
pub struct OrderInput {
    /// The unit's code; by default the unit that holds the first case.
    pub unit: Option<String>,
    pub cases: Vec<i64>,
    /// More cases, by case number (as a clerk types them); joined to `cases`.
    pub case_nos: Vec<String>,
    pub reason: String,
    pub requirements: String,
    pub reply_days: Option<u32>,
}

impl App {
    /// Today and the last due date that counts as due soon.
    pub fn due_window(&self) -> (NaiveDate, NaiveDate) {
        let today = self.config.today();
        let until = due_soon_until(
            &self.config.calendar,
            today,
            self.config.due_soon_working_days,
        );
        (today, until)
    }

    /// The queue filter of one board figure: open cases of a delay stage (or all), late
    /// (`overdue`) or `due_soon` — exactly the cases the figure counts.
    pub fn board_filter(&self, stage: Option<DelayStage>, due: Option<DueStatus>) -> CaseFilter {
        let (today, until) = self.due_window();
        let mut f = CaseFilter {
            state: Some(CaseState::Open.as_str().into()),
            stages: stage
                .map(|s| s.stages().iter().map(|s| s.as_str().to_string()).collect())
                .unwrap_or_default(),
            ..CaseFilter::default()
        };
        match due {
            Some(DueStatus::Overdue) => f.due_before = Some(today.to_string()),
            Some(DueStatus::DueSoon) => {
                f.due_from = Some(today.to_string());
                f.due_until = Some(until.to_string());
            }
            _ => f.due_until = Some(until.to_string()),
        }
        f
    }

    /// The board: late and due-soon cases under the caller, by unit (each with its
    /// subtree) and by the stage where the delay is. One grouped query, folded up the
    /// tree here.
    pub async fn supervision_board(&self, who: &Caller) -> AppResult<Board> {
        if !may_read_board(who.role) {
            return Err(AppError::Forbidden);
        }
        let scope = who.scope();
        let (today, until) = self.due_window();
        let cells = self
            .store
            .board_counts(&scope, &today.to_string(), &until.to_string())
            .await?;
        let units = self.store.units_under(&who.unit_path).await?;
        let base = who.unit_path.matches('/').count();
        let by_path: std::collections::HashMap<&str, &Unit> =
            units.iter().map(|u| (u.path.as_str(), u)).collect();
        let mut rows: BTreeMap<String, BoardUnit> = BTreeMap::new();
        for c in &cells {
            let stage = DelayStage::of(c.stage);
            let late = date(&c.oldest_due)
                .map(|d| days_late(d, today))
                .unwrap_or(0);
            // Every unit from the caller's down to the holder counts the cell: its path's
            // prefixes, looked up by path (no scan of every unit per cell).
            let ancestors = c
                .unit_path
                .match_indices('/')
                .map(|(i, _)| &c.unit_path[..=i])
                .filter(|p| p.len() >= who.unit_path.len())
                .filter_map(|p| by_path.get(p));
            for u in ancestors {
                let row = rows.entry(u.path.clone()).or_insert_with(|| BoardUnit {
                    code: u.code.clone(),
                    name: u.name.clone(),
                    name_en: u.name_en.clone(),
                    depth: u.path.matches('/').count().saturating_sub(base),
                    stages: BTreeMap::new(),
                    total: StageCount::default(),
                    listed: 0,
                });
                row.stages
                    .entry(stage.as_str().to_string())
                    .or_default()
                    .add(c.overdue, c.due_soon, late);
                row.total.add(c.overdue, c.due_soon, late);
                row.listed += c.listed;
            }
        }
        let late = self
            .store
            .list_cases(
                &scope,
                &self.board_filter(None, Some(DueStatus::Overdue)),
                None,
                BOARD_CASES,
            )
            .await?;
        let listed = CaseFilter {
            state: Some(CaseState::Open.as_str().into()),
            listed: true,
            order: Order::Due,
            ..CaseFilter::default()
        };
        let listed = self
            .store
            .list_cases(&scope, &listed, None, BOARD_CASES)
            .await?;
        let board_case = |c: CaseSummary| BoardCase {
            days_late: c
                .due_on
                .as_deref()
                .and_then(date)
                .map(|d| days_late(d, today))
                .unwrap_or(0),
            delay_stage: DelayStage::of(c.stage).as_str().to_string(),
            id: c.id,
            case_no: c.case_no,
            unit_code: c.unit_code,
            unit_name: c.unit_name,
            stage: c.stage,
            due_on: c.due_on,
            listed: c.listed,
        };
        Ok(Board {
            today,
            due_soon_until: until,
            units: rows.into_values().collect(),
            late: late.items.into_iter().map(board_case).collect(),
            listed: listed.items.into_iter().map(board_case).collect(),
            dispute_steps: self.overdue_dispute_units(who).await?,
            inspection_orders: self.overdue_order_units(who).await?,
        })
    }

    /// Issues a supervision order to a unit about one or more of its cases.
    pub async fn issue_order(
        &self,
        who: &Caller,
        input: &OrderInput,
    ) -> AppResult<SupervisionOrder> {
        if !matches!(who.role, Role::Supervisor | Role::Leader) {
            return Err(AppError::Forbidden);
        }
        let mut errors = FieldErrors::new();
        let mut cases = input.cases.clone();
        for no in input
            .case_nos
            .iter()
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
        {
            match self.store.case_id_by_no(&who.scope(), no).await {
                Ok(id) => cases.push(id),
                Err(StoreError::NotFound) => {
                    return Err(AppError::field("case_nos", "unknown_case"));
                }
                Err(e) => return Err(e.into()),
            }
        }
        cases.sort_unstable();
        cases.dedup();
        if cases.is_empty() {
            errors.insert("cases".into(), "required".into());
        } else if cases.len() > MAX_ORDER_CASES {
            errors.insert("cases".into(), "too_many_cases".into());
        }
        let reason = text_field(&mut errors, "reason", &input.reason, true);
        let requirements = text_field(&mut errors, "requirements", &input.requirements, false);
        let days = match reply_days(input.reply_days) {
            Ok(d) => d,
            Err(e) => {
                errors.insert("reply_days".into(), e.code().into());
                0
            }
        };
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let scope = who.scope();
        let mut held = vec![];
        for id in &cases {
            match self.store.case_summary(&scope, *id).await {
                Ok(c) => held.push(c),
                Err(StoreError::NotFound) => return Err(AppError::field("cases", "unknown_case")),
                Err(e) => return Err(e.into()),
            }
        }
        let to = match input
            .unit
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            Some(code) => match self.store.unit_by_code(&code.to_ascii_uppercase()).await {
                Ok(u) => u,
                Err(StoreError::NotFound) => return Err(AppError::field("unit", "unknown_unit")),
                Err(e) => return Err(e.into()),
            },
            None => self.store.unit(held[0].unit_id).await?,
        };
        if !may_supervise(who.role, &who.unit_path, &to.path) {
            return Err(AppError::Forbidden);
        }
        for c in &held {
            if !self.store.unit(c.unit_id).await?.path.starts_with(&to.path) {
                return Err(AppError::field("cases", "case_not_in_unit"));
            }
        }
        let issued_on = self.config.today();
        let due = domain::supervision::reply_due(&self.config.calendar, issued_on, days);
        let order = store::NewOrder {
            issuer: self.store.unit(who.unit_id).await?,
            to: to.clone(),
            case_ids: cases,
            issued_on,
            reply_days: days,
            due_on: due.date,
            reason,
            requirements,
        };
        let notify = self.receiving_staff(&to).await?;
        Ok(self
            .store
            .create_order(&order, &who.actor(), &notify)
            .await?)
    }

    /// Everyone of the receiving unit who may answer an order is told of it.
    async fn receiving_staff(&self, to: &Unit) -> AppResult<Vec<i64>> {
        Ok(self
            .store
            .unit_staff(
                to.id,
                &[Role::Clerk, Role::Handler, Role::Leader, Role::Supervisor],
            )
            .await?)
    }

    /// An order sent to a unit in the caller's subtree.
    pub async fn supervision_order(&self, who: &Caller, id: i64) -> AppResult<SupervisionOrder> {
        Ok(self.store.order(&who.scope(), id).await?)
    }

    /// Orders sent to units in the caller's subtree, newest first.
    pub async fn supervision_orders(
        &self,
        who: &Caller,
        state: Option<OrderState>,
    ) -> AppResult<Vec<SupervisionOrder>> {
        Ok(self.store.orders(&who.scope(), state, 200).await?)
    }

    /// The orders about one case.
    pub async fn orders_of_case(
        &self,
        who: &Caller,
        case_id: i64,
    ) -> AppResult<Vec<SupervisionOrder>> {
        Ok(self.store.orders_of_case(&who.scope(), case_id).await?)
    }

    /// Whether the caller may answer this order, remind its unit about it.
    pub fn order_rights(&self, who: &Caller, o: &SupervisionOrder) -> (bool, bool) {
        let open = o.state == OrderState::Issued;
        (
            open && may_answer_order(who.role) && answers_for(&who.unit_path, &o.to_unit_path),
            open && may_supervise(who.role, &who.unit_path, &o.to_unit_path),
        )
    }

    /// The receiving unit answers an order in writing; the issuing unit is told.
    pub async fn answer_order(
        &self,
        who: &Caller,
        id: i64,
        text: &str,
    ) -> AppResult<SupervisionOrder> {
        let order = self.store.order(&who.scope(), id).await?;
        if !may_answer_order(who.role) || !answers_for(&who.unit_path, &order.to_unit_path) {
            return Err(AppError::Forbidden);
        }
        let state = order.state;
        transition(state, OrderState::Answered).map_err(|e| AppError::field("order", e.code()))?;
        let mut errors = FieldErrors::new();
        let text = text_field(&mut errors, "text", text, true);
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let notify = self
            .store
            .unit_staff(order.issuer_unit.id, &[Role::Supervisor, Role::Leader])
            .await?;
        if !self
            .store
            .answer_order(&order, &text, &who.actor(), &notify)
            .await?
        {
            return Err(AppError::field("order", "order_not_open"));
        }
        Ok(self.store.order(&who.scope(), id).await?)
    }

    /// Whether the caller may withdraw this order: it is open, and the caller supervises
    /// or leads the unit that issued it.
    pub fn may_withdraw(&self, who: &Caller, o: &SupervisionOrder) -> bool {
        o.state == OrderState::Issued
            && domain::supervision::may_withdraw_order(who.role, who.unit_id, o.issuer_unit.id)
    }

    /// The issuing unit withdraws an open order, saying why; the receiving unit is told,
    /// the cases' timelines show it and no reminder follows.
    pub async fn withdraw_order(
        &self,
        who: &Caller,
        id: i64,
        reason: &str,
    ) -> AppResult<SupervisionOrder> {
        let order = self.store.order(&who.scope(), id).await?;
        if !domain::supervision::may_withdraw_order(who.role, who.unit_id, order.issuer_unit.id) {
            return Err(AppError::Forbidden);
        }
        let state = order.state;
        transition(state, OrderState::Withdrawn).map_err(|e| AppError::field("order", e.code()))?;
        let mut errors = FieldErrors::new();
        let reason = text_field(&mut errors, "reason", reason, true);
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let to = self.store.unit(order.to_unit.id).await?;
        let notify = self.receiving_staff(&to).await?;
        if !self
            .store
            .withdraw_order(&order, &reason, &who.actor(), &notify)
            .await?
        {
            return Err(AppError::field("order", "order_not_open"));
        }
        Ok(self.store.order(&who.scope(), id).await?)
    }

    /// A reminder (催办) by hand: the receiving unit is told again.
    pub async fn remind_order(&self, who: &Caller, id: i64) -> AppResult<SupervisionOrder> {
        let order = self.store.order(&who.scope(), id).await?;
        if !may_supervise(who.role, &who.unit_path, &order.to_unit_path) {
            return Err(AppError::Forbidden);
        }
        let state = order.state;
        transition(state, OrderState::Answered).map_err(|e| AppError::field("order", e.code()))?;
        let to = self.store.unit(order.to_unit.id).await?;
        let notify = self.receiving_staff(&to).await?;
        let today = self.config.today();
        // Two reminders at once: one wins, the other is told to look again.
        if !self
            .store
            .remind_order(&order, today, false, &who.actor(), &notify)
            .await?
        {
            return Err(AppError::field("order", "order_changed"));
        }
        Ok(self.store.order(&who.scope(), id).await?)
    }

    /// Puts a case under listed supervision (挂牌督办) or lifts it.
    pub async fn set_listing(
        &self,
        who: &Caller,
        case_id: i64,
        listed: bool,
        reason: &str,
    ) -> AppResult<()> {
        let scope = who.scope();
        let case = self.store.case_summary(&scope, case_id).await?;
        let unit = self.store.unit(case.unit_id).await?;
        if !may_supervise(who.role, &who.unit_path, &unit.path) {
            return Err(AppError::Forbidden);
        }
        let mut errors = FieldErrors::new();
        let reason = text_field(&mut errors, "reason", reason, listed);
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let notify = self.receiving_staff(&unit).await?;
        if !self
            .store
            .set_listed(&scope, case_id, listed, &reason, &who.actor(), &notify)
            .await?
        {
            return Err(AppError::field(
                "listed",
                if listed {
                    "already_listed"
                } else {
                    "not_listed"
                },
            ));
        }
        Ok(())
    }
}

/// A multi-line text field of at most 2,000 characters.
fn text_field(errors: &mut FieldErrors, name: &str, v: &str, required: bool) -> String {
    let r = if required {
        domain::Text::required(v, 2000)
    } else {
        domain::Text::parse(v, 2000)
    };
    match r {
        Ok(t) => t.into_string(),
        Err(e) => {
            errors.insert(name.into(), e.code().into());
            String::new()
        }
    }
}

/// Runs the scheduled reminders if this instance wins the lease for this period:
/// every open order whose reply date is near or past, by `domain::supervision::
/// reminder_due`, is reminded once. Returns how many, or `None` when another run holds
/// or already did this period's work.
pub async fn remind_tick(
    app: &App,
    owner: &str,
    every: Duration,
) -> Result<Option<usize>, StoreError> {
    let every_ms = every.as_millis().min(i64::MAX as u128) as i64;
    let lease_ms = every_ms.clamp(60_000, 3_600_000);
    if !app
        .store
        .claim_job(REMINDER_JOB, owner, every_ms, lease_ms)
        .await?
    {
        return Ok(None);
    }
    let result = remind_due(app).await;
    app.store.finish_job(REMINDER_JOB, owner).await?;
    result.map(Some)
}

async fn remind_due(app: &App) -> Result<usize, StoreError> {
    let today = app.config.today();
    let by = today + chrono::Duration::days(domain::supervision::REMIND_DAYS_BEFORE);
    let actor = Actor {
        id: None,
        name: "supervision job".into(),
        ip: String::new(),
    };
    let all = store::Scope::new("/");
    let mut sent = 0;
    let mut after = 0;
    loop {
        let page = app
            .store
            .open_orders_due_by(&by.to_string(), after, 200)
            .await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for o in page {
            let (Some(due), last) = (
                date(&o.due_on),
                o.last_reminded_on.as_deref().and_then(date),
            ) else {
                continue;
            };
            if !reminder_due(OrderState::Issued, due, today, last) {
                continue;
            }
            let order = app.store.order(&all, o.id).await?;
            let staff = app
                .store
                .unit_staff(
                    o.to_unit_id,
                    &[Role::Clerk, Role::Handler, Role::Leader, Role::Supervisor],
                )
                .await?;
            if app
                .store
                .remind_order(&order, today, true, &actor, &staff)
                .await?
            {
                sent += 1;
            }
        }
    }
    Ok(sent)
}
