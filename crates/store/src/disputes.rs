//! The dispute register (矛盾纠纷台账): entries about issues, their resolution plans,
//! mediation records, linked petitions and outcomes. Every change appends a
//! `register_events` row (register `dispute`) in the change's own transaction.

use crate::error::{code, code_or_empty};
use crate::register_events::append_register_event;
use crate::{like_escape, now_ms, Actor, Result, Scope, Store, StoreError, Unit};
use domain::dispute::{DisputeKind, DisputeScale, LegalChannel, Outcome, Urgency};
use domain::register_event::{DisputeDetails, DisputeEvent, LinkedCase};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// An entry as the list shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DisputeRow {
    pub id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub unit_name_en: String,
    pub unit_path: String,
    pub kind: DisputeKind,
    pub title: String,
    pub region: String,
    pub address: String,
    pub parties: String,
    pub people: i64,
    pub scale: DisputeScale,
    pub urgency: Urgency,
    pub owner_user_id: Option<i64>,
    pub owner_name: String,
    pub hotspot: String,
    pub outcome: Outcome,
    /// The legal channel of a referral (`""` in JSON when there is none).
    #[serde(serialize_with = "crate::error::serialize_code_or_empty")]
    pub channel: Option<LegalChannel>,
    /// Why it stays unresolved, or a note on the outcome.
    pub outcome_note: String,
    pub closed_on: Option<String>,
    pub created_by_name: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// Steps past their deadline and not done (0 once the entry is closed).
    pub overdue_steps: i64,
}

/// A step of the resolution plan.
#[derive(Debug, Clone, Serialize)]
pub struct DisputeStep {
    pub id: i64,
    pub what: String,
    pub due_on: String,
    pub assignee: String,
    pub done_on: Option<String>,
}

/// One entry of the mediation record.
#[derive(Debug, Clone, Serialize)]
pub struct Mediation {
    pub id: i64,
    pub held_on: String,
    pub mediator: String,
    pub agreed: String,
}

/// A linked petition as the entry shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DisputeCase {
    pub id: i64,
    pub case_no: String,
    pub state: domain::CaseState,
    pub stage: domain::Stage,
}

impl DisputeCase {
    /// The petition as a link event names it.
    fn linked(&self) -> LinkedCase {
        LinkedCase {
            case_id: self.id,
            case_no: self.case_no.clone(),
        }
    }
}

/// A whole entry.
#[derive(Debug, Clone, Serialize)]
pub struct Dispute {
    #[serde(flatten)]
    pub row: DisputeRow,
    pub steps: Vec<DisputeStep>,
    pub mediations: Vec<Mediation>,
    /// Linked petitions in the reader's scope.
    pub cases: Vec<DisputeCase>,
}

/// What an entry says (checked by `domain::dispute`).
#[derive(Debug, Clone)]
pub struct DisputeData {
    pub unit: Unit,
    pub kind: DisputeKind,
    pub title: String,
    pub region: String,
    pub address: String,
    pub parties: String,
    pub people: i64,
    pub scale: DisputeScale,
    pub urgency: Urgency,
    pub owner_user_id: Option<i64>,
    pub owner_name: String,
    pub hotspot: String,
}

impl DisputeData {
    /// What the entry says, as its history keeps it.
    fn details(&self) -> DisputeDetails {
        DisputeDetails {
            unit: self.unit.code.clone(),
            kind: self.kind,
            title: self.title.clone(),
            region: self.region.clone(),
            address: self.address.clone(),
            parties: self.parties.clone(),
            people: self.people,
            scale: self.scale,
            urgency: self.urgency,
            owner_name: self.owner_name.clone(),
            hotspot: self.hotspot.clone(),
        }
    }
}

/// The list's filters; the scope is the subtree to list.
#[derive(Debug, Clone, Default)]
pub struct DisputeFilter {
    pub kind: Option<DisputeKind>,
    pub outcome: Option<Outcome>,
    /// A region-code prefix.
    pub region: Option<String>,
    /// Only open entries with a step due before this day and not done.
    pub overdue_before: Option<String>,
    pub text: Option<String>,
    /// Only entries with a smaller id (the list is newest first).
    pub before: Option<i64>,
}

const COLUMNS: &str = "d.id, n.code AS unit_code, n.name AS unit_name, n.name_en AS unit_name_en,
    d.unit_path, d.kind, d.title, d.region, d.address, d.parties, d.people, d.scale, d.urgency,
    d.owner_user_id, d.owner_name, d.hotspot, d.outcome, d.channel, d.outcome_note, d.closed_on,
    d.created_by_name, d.created_at, d.updated_at,
    (SELECT COUNT(*) FROM dispute_steps s WHERE s.dispute_id = d.id AND s.done_on IS NULL
        AND s.due_on < $1 AND d.outcome = 'open') AS overdue_steps";

fn row_of(r: &AnyRow) -> Result<DisputeRow> {
    Ok(DisputeRow {
        id: r.try_get("id")?,
        unit_code: r.try_get("unit_code")?,
        unit_name: r.try_get("unit_name")?,
        unit_name_en: r.try_get("unit_name_en")?,
        unit_path: r.try_get("unit_path")?,
        kind: code(r, "kind", DisputeKind::parse)?,
        title: r.try_get("title")?,
        region: r.try_get("region")?,
        address: r.try_get("address")?,
        parties: r.try_get("parties")?,
        people: r.try_get("people")?,
        scale: code(r, "scale", DisputeScale::parse)?,
        urgency: code(r, "urgency", Urgency::parse)?,
        owner_user_id: r.try_get("owner_user_id")?,
        owner_name: r.try_get("owner_name")?,
        hotspot: r.try_get("hotspot")?,
        outcome: code(r, "outcome", Outcome::parse)?,
        channel: code_or_empty(r, "channel", LegalChannel::parse)?,
        outcome_note: r.try_get("outcome_note")?,
        closed_on: r.try_get("closed_on")?,
        created_by_name: r.try_get("created_by_name")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        overdue_steps: r.try_get("overdue_steps")?,
    })
}

/// Appends the entry's event and marks it changed.
async fn changed(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    unit_path: &str,
    event: &DisputeEvent,
    actor: &Actor,
) -> Result<()> {
    append_register_event(tx, id, unit_path, event, actor).await?;
    sqlx::query("UPDATE disputes SET updated_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn link_in(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    unit_path: &str,
    case: &DisputeCase,
    actor: &Actor,
) -> Result<()> {
    let done = sqlx::query(
        "INSERT INTO dispute_cases (dispute_id, case_id) VALUES ($1, $2)
         ON CONFLICT (dispute_id, case_id) DO NOTHING",
    )
    .bind(id)
    .bind(case.id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() > 0 {
        let event = DisputeEvent::CaseLinked(case.linked());
        changed(tx, id, unit_path, &event, actor).await?;
    }
    Ok(())
}

impl Store {
    /// Enters a dispute with its linked petitions; returns its id.
    pub async fn create_dispute(
        &self,
        d: &DisputeData,
        cases: &[DisputeCase],
        actor: &Actor,
    ) -> Result<i64> {
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO disputes (unit_id, unit_path, kind, title, region, address, parties,
                 people, scale, urgency, owner_user_id, owner_name, hotspot, created_by_name,
                 created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)
             RETURNING id",
        )
        .bind(d.unit.id)
        .bind(&d.unit.path)
        .bind(d.kind.as_str())
        .bind(&d.title)
        .bind(&d.region)
        .bind(&d.address)
        .bind(&d.parties)
        .bind(d.people)
        .bind(d.scale.as_str())
        .bind(d.urgency.as_str())
        .bind(d.owner_user_id)
        .bind(&d.owner_name)
        .bind(&d.hotspot)
        .bind(&actor.name)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let event = DisputeEvent::Created(d.details());
        changed(&mut tx, id, &d.unit.path, &event, actor).await?;
        for c in cases {
            link_in(&mut tx, id, &d.unit.path, c, actor).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Corrects what an entry says (its unit may move within the caller's scope).
    pub async fn update_dispute(&self, id: i64, d: &DisputeData, actor: &Actor) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let n = sqlx::query(
            "UPDATE disputes SET unit_id = $1, unit_path = $2, kind = $3, title = $4, region = $5,
                 address = $6, parties = $7, people = $8, scale = $9, urgency = $10,
                 owner_user_id = $11, owner_name = $12, hotspot = $13
             WHERE id = $14",
        )
        .bind(d.unit.id)
        .bind(&d.unit.path)
        .bind(d.kind.as_str())
        .bind(&d.title)
        .bind(&d.region)
        .bind(&d.address)
        .bind(&d.parties)
        .bind(d.people)
        .bind(d.scale.as_str())
        .bind(d.urgency.as_str())
        .bind(d.owner_user_id)
        .bind(&d.owner_name)
        .bind(&d.hotspot)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if n.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let event = DisputeEvent::Edited(d.details());
        changed(&mut tx, id, &d.unit.path, &event, actor).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a step to the plan.
    pub async fn add_dispute_step(
        &self,
        id: i64,
        unit_path: &str,
        what: &str,
        due_on: &str,
        assignee: &str,
        actor: &Actor,
    ) -> Result<i64> {
        let mut tx = self.write.begin().await?;
        let step: i64 = sqlx::query(
            "INSERT INTO dispute_steps (dispute_id, what, due_on, assignee)
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(id)
        .bind(what)
        .bind(due_on)
        .bind(assignee)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let event = DisputeEvent::StepAdded {
            step,
            what: what.into(),
            due_on: due_on.into(),
            assignee: assignee.into(),
        };
        changed(&mut tx, id, unit_path, &event, actor).await?;
        tx.commit().await?;
        Ok(step)
    }

    /// Marks a step done on `done_on`.
    pub async fn complete_dispute_step(
        &self,
        id: i64,
        unit_path: &str,
        step: i64,
        done_on: &str,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let row = sqlx::query(
            "UPDATE dispute_steps SET done_on = $1
             WHERE id = $2 AND dispute_id = $3 AND done_on IS NULL RETURNING what",
        )
        .bind(done_on)
        .bind(step)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let event = DisputeEvent::StepDone {
            step,
            what: row.try_get("what")?,
            done_on: done_on.into(),
        };
        changed(&mut tx, id, unit_path, &event, actor).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds an entry to the mediation record.
    pub async fn add_mediation(
        &self,
        id: i64,
        unit_path: &str,
        held_on: &str,
        mediator: &str,
        agreed: &str,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "INSERT INTO dispute_mediations (dispute_id, held_on, mediator, agreed)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(held_on)
        .bind(mediator)
        .bind(agreed)
        .execute(&mut *tx)
        .await?;
        let event = DisputeEvent::Mediation {
            held_on: held_on.into(),
            mediator: mediator.into(),
            agreed: agreed.into(),
        };
        changed(&mut tx, id, unit_path, &event, actor).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Links petitions to an entry (those already linked are left as they are).
    pub async fn link_dispute_cases(
        &self,
        id: i64,
        unit_path: &str,
        cases: &[DisputeCase],
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.write.begin().await?;
        for c in cases {
            link_in(&mut tx, id, unit_path, c, actor).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Removes a petition's link.
    pub async fn unlink_dispute_case(
        &self,
        id: i64,
        unit_path: &str,
        case: &DisputeCase,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let n = sqlx::query("DELETE FROM dispute_cases WHERE dispute_id = $1 AND case_id = $2")
            .bind(id)
            .bind(case.id)
            .execute(&mut *tx)
            .await?;
        if n.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let event = DisputeEvent::CaseUnlinked(case.linked());
        changed(&mut tx, id, unit_path, &event, actor).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the outcome of an open entry (`NotFound` once it is closed).
    #[allow(clippy::too_many_arguments)]
    pub async fn close_dispute(
        &self,
        id: i64,
        unit_path: &str,
        outcome: Outcome,
        channel: Option<LegalChannel>,
        note: &str,
        closed_on: &str,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let n = sqlx::query(
            "UPDATE disputes SET outcome = $1, channel = $2, outcome_note = $3, closed_on = $4
             WHERE id = $5 AND outcome = 'open'",
        )
        .bind(outcome.as_str())
        .bind(channel.map_or("", LegalChannel::as_str))
        .bind(note)
        .bind(closed_on)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if n.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let event = DisputeEvent::Closed {
            outcome,
            channel,
            note: note.into(),
            closed_on: closed_on.into(),
        };
        changed(&mut tx, id, unit_path, &event, actor).await?;
        tx.commit().await?;
        Ok(())
    }

    /// One entry with its plan, mediation record and the linked petitions in scope.
    pub async fn dispute(&self, scope: &Scope, id: i64, today: &str) -> Result<Dispute> {
        let (lo, hi) = scope.bounds();
        let r = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM disputes d JOIN units n ON n.id = d.unit_id
             WHERE d.id = $2 AND d.unit_path >= $3 AND d.unit_path < $4"
        ))
        .bind(today)
        .bind(id)
        .bind(&lo)
        .bind(&hi)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        let row = row_of(&r)?;
        let steps = sqlx::query(
            "SELECT id, what, due_on, assignee, done_on FROM dispute_steps
             WHERE dispute_id = $1 ORDER BY due_on, id",
        )
        .bind(id)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| {
            Ok(DisputeStep {
                id: r.try_get("id")?,
                what: r.try_get("what")?,
                due_on: r.try_get("due_on")?,
                assignee: r.try_get("assignee")?,
                done_on: r.try_get("done_on")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let mediations = sqlx::query(
            "SELECT id, held_on, mediator, agreed FROM dispute_mediations
             WHERE dispute_id = $1 ORDER BY held_on, id",
        )
        .bind(id)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| {
            Ok(Mediation {
                id: r.try_get("id")?,
                held_on: r.try_get("held_on")?,
                mediator: r.try_get("mediator")?,
                agreed: r.try_get("agreed")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let cases = sqlx::query(
            "SELECT c.id, c.case_no, c.state, c.stage FROM dispute_cases l
             JOIN cases c ON c.id = l.case_id
             WHERE l.dispute_id = $1 AND c.unit_path >= $2 AND c.unit_path < $3 ORDER BY c.id",
        )
        .bind(id)
        .bind(&lo)
        .bind(&hi)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| {
            Ok(DisputeCase {
                id: r.try_get("id")?,
                case_no: r.try_get("case_no")?,
                state: code(r, "state", domain::CaseState::parse)?,
                stage: code(r, "stage", domain::Stage::parse)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        Ok(Dispute {
            row,
            steps,
            mediations,
            cases,
        })
    }

    /// Entries of a subtree matching the filters, newest first, at most `limit`.
    pub async fn disputes(
        &self,
        scope: &Scope,
        f: &DisputeFilter,
        today: &str,
        limit: i64,
    ) -> Result<Vec<DisputeRow>> {
        let (lo, hi) = scope.bounds();
        let mut args: Vec<String> = vec![today.to_string(), lo, hi];
        let mut sql = format!(
            "SELECT {COLUMNS} FROM disputes d JOIN units n ON n.id = d.unit_id
             WHERE d.unit_path >= $2 AND d.unit_path < $3"
        );
        let mut arg = |v: String| {
            args.push(v);
            format!("${}", args.len())
        };
        if let Some(k) = f.kind {
            sql.push_str(&format!(" AND d.kind = {}", arg(k.as_str().into())));
        }
        if let Some(o) = f.outcome {
            sql.push_str(&format!(" AND d.outcome = {}", arg(o.as_str().into())));
        }
        if let Some(r) = &f.region {
            let p = arg(format!("{}%", like_escape(r)));
            sql.push_str(&format!(" AND d.region LIKE {p} ESCAPE '\\'"));
        }
        if let Some(t) = &f.overdue_before {
            let p = arg(t.clone());
            sql.push_str(&format!(
                " AND d.outcome = 'open' AND EXISTS (SELECT 1 FROM dispute_steps s
                   WHERE s.dispute_id = d.id AND s.done_on IS NULL AND s.due_on < {p})"
            ));
        }
        if let Some(t) = &f.text {
            let p = arg(format!("%{}%", like_escape(&t.to_lowercase())));
            sql.push_str(&format!(
                " AND (LOWER(d.title) LIKE {p} ESCAPE '\\' OR LOWER(d.parties) LIKE {p} ESCAPE '\\'
                   OR LOWER(d.address) LIKE {p} ESCAPE '\\' OR LOWER(d.hotspot) LIKE {p} ESCAPE '\\')"
            ));
        }
        if let Some(b) = f.before {
            // An integer, not text: written into the query, not bound.
            sql.push_str(&format!(" AND d.id < {b}"));
        }
        sql.push_str(&format!(
            " ORDER BY d.id DESC LIMIT {}",
            limit.clamp(1, 10_000)
        ));
        let mut q = sqlx::query(&sql);
        for a in &args {
            q = q.bind(a);
        }
        q.fetch_all(&self.read).await?.iter().map(row_of).collect()
    }
}
