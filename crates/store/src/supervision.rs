//! Supervision (督查督办): the board's counts, supervision orders (督办单) with their
//! cases, replies and reminders (催办), and listed supervision (挂牌督办). Every change to
//! a case is an event on it, written in the same transaction as the change.

use crate::cases::{append, bump_version};
use crate::error::code;
use crate::{now_ms, Actor, Result, Scope, Store, StoreError, Unit};
use chrono::NaiveDate;
use domain::event::OrderRef;
use domain::supervision::OrderState;
use domain::{CaseState, Event, Stage, UnitRef};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// Open cases near or past their deadline in one unit (its own cases, not its subtree's)
/// and one lifecycle stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardCell {
    pub unit_path: String,
    pub stage: Stage,
    /// Due before today.
    pub overdue: i64,
    /// Due from today up to the end of the due-soon window.
    pub due_soon: i64,
    /// Of these, how many are under listed supervision.
    pub listed: i64,
    /// The earliest due date among them.
    pub oldest_due: String,
}

/// A supervision order as its page and the API show it.
#[derive(Debug, Clone, Serialize)]
pub struct SupervisionOrder {
    pub id: i64,
    pub order_no: String,
    pub issuer_unit: UnitRef,
    pub to_unit: UnitRef,
    pub to_unit_path: String,
    pub issued_by_name: String,
    pub issued_on: String,
    pub reply_days: i64,
    pub due_on: String,
    pub reason: String,
    pub requirements: String,
    /// `issued`, `answered` or `withdrawn`.
    pub state: OrderState,
    pub reply: String,
    pub answered_at: Option<i64>,
    pub answered_by_name: String,
    /// Why, when and by whom the issuing unit withdrew it (empty and `null` unless
    /// `withdrawn`).
    pub withdrawn_reason: String,
    pub withdrawn_at: Option<i64>,
    pub withdrawn_by_name: String,
    pub reminders: i64,
    pub last_reminded_on: Option<String>,
    pub created_at: i64,
    pub cases: Vec<OrderCase>,
}

impl SupervisionOrder {
    /// The order as the cases' events name it.
    pub fn order_ref(&self) -> OrderRef {
        OrderRef {
            order_id: self.id,
            order_no: self.order_no.clone(),
            to_unit: self.to_unit.clone(),
            due_on: NaiveDate::parse_from_str(&self.due_on, "%Y-%m-%d").unwrap_or_default(),
            reason: self.reason.clone(),
        }
    }
}

/// A case an order is about.
#[derive(Debug, Clone, Serialize)]
pub struct OrderCase {
    pub id: i64,
    pub case_no: String,
    pub stage: Stage,
    pub state: CaseState,
    pub due_on: Option<String>,
    pub unit_name: String,
}

/// What issuing an order writes.
#[derive(Debug, Clone)]
pub struct NewOrder {
    pub issuer: Unit,
    pub to: Unit,
    pub case_ids: Vec<i64>,
    pub issued_on: NaiveDate,
    pub reply_days: u32,
    pub due_on: NaiveDate,
    pub reason: String,
    pub requirements: String,
}

/// An open order as the reminder job reads it.
#[derive(Debug, Clone)]
pub struct OpenOrder {
    pub id: i64,
    pub to_unit_id: i64,
    pub due_on: String,
    pub last_reminded_on: Option<String>,
}

/// The in-app notice kinds supervision sends.
pub const NOTIFY_ORDER: &str = "supervision_order";
pub const NOTIFY_REMINDER: &str = "supervision_reminder";
pub const NOTIFY_ANSWER: &str = "supervision_answer";
pub const NOTIFY_LISTED: &str = "supervision_listed";
pub const NOTIFY_WITHDRAWN: &str = "supervision_withdrawn";

const ORDER_COLUMNS: &str = "o.id, o.order_no, o.to_unit_path, o.issued_by_name, o.issued_on,
    o.reply_days, o.due_on, o.reason, o.requirements, o.state, o.reply, o.answered_at,
    o.answered_by_name, o.withdrawn_reason, o.withdrawn_at, o.withdrawn_by_name, o.reminders, o.last_reminded_on, o.created_at,
    i.id AS i_id, i.code AS i_code, i.name AS i_name, i.name_en AS i_name_en,
    t.id AS t_id, t.code AS t_code, t.name AS t_name, t.name_en AS t_name_en";

const ORDER_FROM: &str = "FROM supervision_orders o JOIN units i ON i.id = o.issuer_unit_id
    JOIN units t ON t.id = o.to_unit_id";

fn unit_ref(r: &AnyRow, p: &str) -> Result<UnitRef> {
    Ok(UnitRef {
        id: r.try_get(format!("{p}_id").as_str())?,
        code: r.try_get(format!("{p}_code").as_str())?,
        name: r.try_get(format!("{p}_name").as_str())?,
        name_en: r.try_get(format!("{p}_name_en").as_str())?,
    })
}

fn order_from_row(r: &AnyRow) -> Result<SupervisionOrder> {
    Ok(SupervisionOrder {
        id: r.try_get("id")?,
        order_no: r.try_get("order_no")?,
        issuer_unit: unit_ref(r, "i")?,
        to_unit: unit_ref(r, "t")?,
        to_unit_path: r.try_get("to_unit_path")?,
        issued_by_name: r.try_get("issued_by_name")?,
        issued_on: r.try_get("issued_on")?,
        reply_days: r.try_get("reply_days")?,
        due_on: r.try_get("due_on")?,
        reason: r.try_get("reason")?,
        requirements: r.try_get("requirements")?,
        state: code(r, "state", OrderState::parse)?,
        reply: r.try_get("reply")?,
        answered_at: r.try_get("answered_at")?,
        answered_by_name: r.try_get("answered_by_name")?,
        withdrawn_reason: r.try_get("withdrawn_reason")?,
        withdrawn_at: r.try_get("withdrawn_at")?,
        withdrawn_by_name: r.try_get("withdrawn_by_name")?,
        reminders: r.try_get("reminders")?,
        last_reminded_on: r.try_get("last_reminded_on")?,
        created_at: r.try_get("created_at")?,
        cases: vec![],
    })
}

/// Writes one in-app notification inside the caller's transaction.
pub(crate) async fn notify_in(
    tx: &mut Transaction<'_, Any>,
    user: i64,
    case_id: Option<i64>,
    kind: &str,
    detail: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO notifications (user_id, case_id, kind, detail, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user)
    .bind(case_id)
    .bind(kind)
    .bind(detail)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Open cases of the caller's subtree due on or before `soon_until`, counted by the
    /// unit that holds them and their stage: one GROUP BY over the board's index.
    pub async fn board_counts(
        &self,
        scope: &Scope,
        today: &str,
        soon_until: &str,
    ) -> Result<Vec<BoardCell>> {
        let (lo, hi) = scope.bounds();
        let rows = sqlx::query(
            "SELECT unit_path, stage,
                 CAST(SUM(CASE WHEN due_sort < $1 THEN 1 ELSE 0 END) AS BIGINT) AS overdue,
                 COUNT(*) AS n,
                 CAST(SUM(listed) AS BIGINT) AS listed,
                 MIN(due_sort) AS oldest
             FROM cases
             WHERE state = 'open' AND due_sort <= $2 AND unit_path >= $3 AND unit_path < $4
             GROUP BY unit_path, stage",
        )
        .bind(today)
        .bind(soon_until)
        .bind(lo)
        .bind(hi)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                let overdue: i64 = r.try_get("overdue")?;
                let n: i64 = r.try_get("n")?;
                Ok(BoardCell {
                    unit_path: r.try_get("unit_path")?,
                    stage: code(r, "stage", Stage::parse)?,
                    overdue,
                    due_soon: n - overdue,
                    listed: r.try_get("listed")?,
                    oldest_due: r.try_get("oldest")?,
                })
            })
            .collect()
    }

    /// Issues an order: its number, its row, its cases, a `supervision_ordered` event on
    /// each case and a notification to each of `notify`, in one transaction.
    pub async fn create_order(
        &self,
        o: &NewOrder,
        actor: &Actor,
        notify: &[i64],
    ) -> Result<SupervisionOrder> {
        use chrono::Datelike;
        let now = now_ms();
        let year = o.issued_on.year();
        let mut tx = self.write.begin().await?;
        let seq: i64 = sqlx::query(
            "INSERT INTO supervision_counters (unit_id, year, last) VALUES ($1, $2, 1)
             ON CONFLICT (unit_id, year) DO UPDATE SET last = supervision_counters.last + 1
             RETURNING last",
        )
        .bind(o.issuer.id)
        .bind(i64::from(year))
        .fetch_one(&mut *tx)
        .await?
        .try_get("last")?;
        let order_no = format!("{}-DB-{year}-{seq:04}", o.issuer.code);
        let id: i64 = sqlx::query(
            "INSERT INTO supervision_orders (order_no, issuer_unit_id, to_unit_id, to_unit_path,
                 issued_by, issued_by_name, issued_on, reply_days, due_on, reason, requirements,
                 state, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'issued', $12) RETURNING id",
        )
        .bind(&order_no)
        .bind(o.issuer.id)
        .bind(o.to.id)
        .bind(&o.to.path)
        .bind(actor.id)
        .bind(&actor.name)
        .bind(o.issued_on.to_string())
        .bind(i64::from(o.reply_days))
        .bind(o.due_on.to_string())
        .bind(&o.reason)
        .bind(&o.requirements)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::from_sqlx)?
        .try_get("id")?;
        let order = OrderRef {
            order_id: id,
            order_no: order_no.clone(),
            to_unit: o.to.event_ref(),
            due_on: o.due_on,
            reason: o.reason.clone(),
        };
        for case_id in &o.case_ids {
            sqlx::query("INSERT INTO supervision_order_cases (order_id, case_id) VALUES ($1, $2)")
                .bind(id)
                .bind(case_id)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_sqlx)?;
            bump_version(&mut tx, *case_id).await?;
            append(
                &mut tx,
                *case_id,
                &Event::SupervisionOrdered(order.clone()),
                actor,
                now,
            )
            .await?;
        }
        let first = o.case_ids.first().copied();
        for user in notify {
            notify_in(&mut tx, *user, first, NOTIFY_ORDER, &order_no, now).await?;
        }
        tx.commit().await?;
        self.order_fresh(id).await
    }

    async fn order_fresh(&self, id: i64) -> Result<SupervisionOrder> {
        let row = sqlx::query(&format!(
            "SELECT {ORDER_COLUMNS} {ORDER_FROM} WHERE o.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.write)
        .await?
        .ok_or(StoreError::NotFound)?;
        let mut order = order_from_row(&row)?;
        order.cases = self.order_cases(id, &self.write).await?;
        Ok(order)
    }

    async fn order_cases(&self, id: i64, pool: &sqlx::AnyPool) -> Result<Vec<OrderCase>> {
        let rows = sqlx::query(
            "SELECT c.id, c.case_no, c.stage, c.state, c.due_on, n.name AS unit_name
             FROM supervision_order_cases oc JOIN cases c ON c.id = oc.case_id
             JOIN units n ON n.id = c.unit_id
             WHERE oc.order_id = $1 ORDER BY c.id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OrderCase {
                    id: r.try_get("id")?,
                    case_no: r.try_get("case_no")?,
                    stage: code(r, "stage", Stage::parse)?,
                    state: code(r, "state", CaseState::parse)?,
                    due_on: r.try_get("due_on")?,
                    unit_name: r.try_get("unit_name")?,
                })
            })
            .collect()
    }

    /// An order sent to a unit in the caller's subtree, with its cases.
    pub async fn order(&self, scope: &Scope, id: i64) -> Result<SupervisionOrder> {
        let (lo, hi) = scope.bounds();
        let row = sqlx::query(&format!(
            "SELECT {ORDER_COLUMNS} {ORDER_FROM}
             WHERE o.id = $1 AND o.to_unit_path >= $2 AND o.to_unit_path < $3"
        ))
        .bind(id)
        .bind(lo)
        .bind(hi)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        let mut order = order_from_row(&row)?;
        order.cases = self.order_cases(id, &self.read).await?;
        Ok(order)
    }

    /// Orders sent to units in the caller's subtree, newest first, optionally in one
    /// state; without their cases.
    pub async fn orders(
        &self,
        scope: &Scope,
        state: Option<OrderState>,
        limit: i64,
    ) -> Result<Vec<SupervisionOrder>> {
        let (lo, hi) = scope.bounds();
        let rows = sqlx::query(&format!(
            "SELECT {ORDER_COLUMNS} {ORDER_FROM}
             WHERE o.to_unit_path >= $1 AND o.to_unit_path < $2 AND ($3 = '' OR o.state = $3)
             ORDER BY o.id DESC LIMIT $4"
        ))
        .bind(lo)
        .bind(hi)
        .bind(state.map_or("", OrderState::as_str))
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(order_from_row).collect()
    }

    /// The orders about one case, oldest first.
    pub async fn orders_of_case(
        &self,
        scope: &Scope,
        case_id: i64,
    ) -> Result<Vec<SupervisionOrder>> {
        self.case_summary(scope, case_id).await?;
        let rows = sqlx::query(&format!(
            "SELECT {ORDER_COLUMNS} {ORDER_FROM}
             JOIN supervision_order_cases oc ON oc.order_id = o.id
             WHERE oc.case_id = $1 ORDER BY o.id"
        ))
        .bind(case_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(order_from_row).collect()
    }

    /// Records the receiving unit's written answer if the order is still open, with a
    /// `supervision_answered` event on each of its cases and a notification to each of
    /// `notify`. Returns false when it was no longer open.
    pub async fn answer_order(
        &self,
        order: &SupervisionOrder,
        text: &str,
        actor: &Actor,
        notify: &[i64],
    ) -> Result<bool> {
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        let n = sqlx::query(
            "UPDATE supervision_orders SET state = 'answered', reply = $1, answered_at = $2,
                 answered_by = $3, answered_by_name = $4
             WHERE id = $5 AND state = 'issued'",
        )
        .bind(text)
        .bind(now)
        .bind(actor.id)
        .bind(&actor.name)
        .bind(order.id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        let event = Event::SupervisionAnswered {
            order: order.order_ref(),
            text: text.to_string(),
        };
        for c in &order.cases {
            bump_version(&mut tx, c.id).await?;
            append(&mut tx, c.id, &event, actor, now).await?;
        }
        let first = order.cases.first().map(|c| c.id);
        for user in notify {
            notify_in(&mut tx, *user, first, NOTIFY_ANSWER, &order.order_no, now).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Withdraws an order that is still open: a `supervision_withdrawn` event on each of
    /// its cases and a notification to each of `notify`. `false` when it was no longer
    /// open (answered or withdrawn meanwhile).
    pub async fn withdraw_order(
        &self,
        order: &SupervisionOrder,
        reason: &str,
        actor: &Actor,
        notify: &[i64],
    ) -> Result<bool> {
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        let n = sqlx::query(
            "UPDATE supervision_orders SET state = 'withdrawn', withdrawn_reason = $1,
                 withdrawn_at = $2, withdrawn_by_name = $3
             WHERE id = $4 AND state = 'issued'",
        )
        .bind(reason)
        .bind(now)
        .bind(&actor.name)
        .bind(order.id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        let event = Event::SupervisionWithdrawn {
            order: order.order_ref(),
            reason: reason.to_string(),
        };
        for c in &order.cases {
            bump_version(&mut tx, c.id).await?;
            append(&mut tx, c.id, &event, actor, now).await?;
        }
        let first = order.cases.first().map(|c| c.id);
        for user in notify {
            notify_in(
                &mut tx,
                *user,
                first,
                NOTIFY_WITHDRAWN,
                &order.order_no,
                now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Sends a reminder about an open order, if it is still open and its last reminder is
    /// still `last_seen` (so that of two instances only one reminds): a
    /// `supervision_reminded` event on each case and a notification to each of `notify`.
    pub async fn remind_order(
        &self,
        order: &SupervisionOrder,
        today: NaiveDate,
        scheduled: bool,
        actor: &Actor,
        notify: &[i64],
    ) -> Result<bool> {
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        let n = sqlx::query(
            "UPDATE supervision_orders SET reminders = reminders + 1, last_reminded_on = $1
             WHERE id = $2 AND state = 'issued' AND COALESCE(last_reminded_on, '') = $3",
        )
        .bind(today.to_string())
        .bind(order.id)
        .bind(order.last_reminded_on.clone().unwrap_or_default())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        let event = Event::SupervisionReminded {
            order: order.order_ref(),
            scheduled,
        };
        for c in &order.cases {
            bump_version(&mut tx, c.id).await?;
            append(&mut tx, c.id, &event, actor, now).await?;
        }
        let first = order.cases.first().map(|c| c.id);
        for user in notify {
            notify_in(&mut tx, *user, first, NOTIFY_REMINDER, &order.order_no, now).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Open orders whose reply date is on or before `by`, a page at a time after `after`.
    pub async fn open_orders_due_by(
        &self,
        by: &str,
        after: i64,
        limit: i64,
    ) -> Result<Vec<OpenOrder>> {
        let rows = sqlx::query(
            "SELECT id, to_unit_id, due_on, last_reminded_on FROM supervision_orders
             WHERE state = 'issued' AND due_on <= $1 AND id > $2 ORDER BY id LIMIT $3",
        )
        .bind(by)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OpenOrder {
                    id: r.try_get("id")?,
                    to_unit_id: r.try_get("to_unit_id")?,
                    due_on: r.try_get("due_on")?,
                    last_reminded_on: r.try_get("last_reminded_on")?,
                })
            })
            .collect()
    }

    /// Puts a case under listed supervision or lifts it, with its event and a
    /// notification to each of `notify`. Returns false when it already was so.
    pub async fn set_listed(
        &self,
        scope: &Scope,
        case_id: i64,
        listed: bool,
        reason: &str,
        actor: &Actor,
        notify: &[i64],
    ) -> Result<bool> {
        self.case_summary(scope, case_id).await?;
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        let n = sqlx::query(
            "UPDATE cases SET listed = $1, updated_at = $2, version = version + 1 WHERE id = $3 AND listed = $4",
        )
        .bind(i64::from(listed))
        .bind(now)
        .bind(case_id)
        .bind(i64::from(!listed))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        let reason = reason.to_string();
        let event = if listed {
            Event::SupervisionListed { reason }
        } else {
            Event::SupervisionUnlisted { reason }
        };
        append(&mut tx, case_id, &event, actor, now).await?;
        if listed {
            for user in notify {
                notify_in(&mut tx, *user, Some(case_id), NOTIFY_LISTED, "", now).await?;
            }
        }
        tx.commit().await?;
        Ok(true)
    }
}
