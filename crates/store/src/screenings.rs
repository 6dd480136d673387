//! Screening campaigns (排查): a unit asks the units below it to screen their sectors for
//! disputes over a date range; each covered unit answers with the entries it found or
//! an explicit "nothing found". Every change appends a `register_events` row (register
//! `screening`) in its own transaction.

use crate::error::code_opt;
use crate::register_events::append_register_event;
use crate::{now_ms, Actor, Result, Scope, Store, StoreError, Unit};
use domain::dispute::ScreeningAnswer;
use domain::register_event::ScreeningEvent;
use serde::Serialize;
use sqlx::Row;

/// A campaign as the list shows it, with its progress.
#[derive(Debug, Clone, Serialize)]
pub struct ScreeningRow {
    pub id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub unit_path: String,
    pub title: String,
    pub sectors: String,
    pub starts_on: String,
    pub ends_on: String,
    pub created_by_name: String,
    pub created_at: i64,
    /// Covered units.
    pub units: i64,
    /// Units that answered (either way).
    pub answered: i64,
}

/// A finding: an entry a covered unit registered.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub dispute_id: i64,
    pub title: String,
}

/// One covered unit and its answer.
#[derive(Debug, Clone, Serialize)]
pub struct CoveredUnit {
    pub unit_id: i64,
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub unit_path: String,
    /// None until the unit answers.
    pub answer: Option<ScreeningAnswer>,
    pub note: String,
    pub answered_on: Option<String>,
    pub answered_by_name: String,
    /// How many entries it found.
    pub found: i64,
    /// The entries it found that the reader may open.
    pub findings: Vec<Finding>,
}

/// A campaign with its units.
#[derive(Debug, Clone, Serialize)]
pub struct Screening {
    #[serde(flatten)]
    pub row: ScreeningRow,
    pub covered: Vec<CoveredUnit>,
}

/// What opening a campaign writes.
#[derive(Debug, Clone)]
pub struct NewScreening {
    pub issuer: Unit,
    pub title: String,
    pub sectors: String,
    pub starts_on: String,
    pub ends_on: String,
    pub units: Vec<Unit>,
}

const ROW: &str = "SELECT s.id, n.code AS unit_code, n.name AS unit_name, s.unit_path, s.title,
    s.sectors, s.starts_on, s.ends_on, s.created_by_name, s.created_at,
    (SELECT COUNT(*) FROM screening_units u WHERE u.screening_id = s.id) AS units,
    (SELECT COUNT(*) FROM screening_units u WHERE u.screening_id = s.id
        AND u.answer IS NOT NULL) AS answered
    FROM screenings s JOIN units n ON n.id = s.unit_id";

/// A campaign is visible to its issuer's subtree and to the units it covers.
const VISIBLE: &str = "((s.unit_path >= $1 AND s.unit_path < $2) OR EXISTS (SELECT 1
    FROM screening_units v WHERE v.screening_id = s.id AND v.unit_path >= $1
    AND v.unit_path < $2))";

fn row_of(r: &sqlx::any::AnyRow) -> Result<ScreeningRow> {
    Ok(ScreeningRow {
        id: r.try_get("id")?,
        unit_code: r.try_get("unit_code")?,
        unit_name: r.try_get("unit_name")?,
        unit_path: r.try_get("unit_path")?,
        title: r.try_get("title")?,
        sectors: r.try_get("sectors")?,
        starts_on: r.try_get("starts_on")?,
        ends_on: r.try_get("ends_on")?,
        created_by_name: r.try_get("created_by_name")?,
        created_at: r.try_get("created_at")?,
        units: r.try_get("units")?,
        answered: r.try_get("answered")?,
    })
}

impl Store {
    /// Opens a campaign; returns its id.
    pub async fn create_screening(&self, s: &NewScreening, actor: &Actor) -> Result<i64> {
        let mut tx = self.write.begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO screenings (unit_id, unit_path, title, sectors, starts_on, ends_on,
                 created_by_name, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(s.issuer.id)
        .bind(&s.issuer.path)
        .bind(&s.title)
        .bind(&s.sectors)
        .bind(&s.starts_on)
        .bind(&s.ends_on)
        .bind(&actor.name)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        for u in &s.units {
            sqlx::query(
                "INSERT INTO screening_units (screening_id, unit_id, unit_path) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(u.id)
            .bind(&u.path)
            .execute(&mut *tx)
            .await?;
        }
        let event = ScreeningEvent::Created {
            title: s.title.clone(),
            sectors: s.sectors.clone(),
            starts_on: s.starts_on.clone(),
            ends_on: s.ends_on.clone(),
            units: s.units.iter().map(|u| u.code.clone()).collect(),
        };
        append_register_event(&mut tx, id, &s.issuer.path, &event, actor).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records a covered unit's answer (replacing an earlier one) with the entries it found.
    #[allow(clippy::too_many_arguments)]
    pub async fn answer_screening(
        &self,
        id: i64,
        issuer_path: &str,
        unit: &Unit,
        answer: ScreeningAnswer,
        note: &str,
        answered_on: &str,
        findings: &[i64],
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let n = sqlx::query(
            "UPDATE screening_units SET answer = $1, note = $2, answered_on = $3,
                 answered_by_name = $4
             WHERE screening_id = $5 AND unit_id = $6",
        )
        .bind(answer.as_str())
        .bind(note)
        .bind(answered_on)
        .bind(&actor.name)
        .bind(id)
        .bind(unit.id)
        .execute(&mut *tx)
        .await?;
        if n.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM screening_findings WHERE screening_id = $1 AND unit_id = $2")
            .bind(id)
            .bind(unit.id)
            .execute(&mut *tx)
            .await?;
        for d in findings {
            sqlx::query(
                "INSERT INTO screening_findings (screening_id, unit_id, dispute_id)
                 VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(unit.id)
            .bind(d)
            .execute(&mut *tx)
            .await?;
        }
        let event = ScreeningEvent::Answered {
            unit: unit.code.clone(),
            answer,
            note: note.into(),
            disputes: findings.to_vec(),
        };
        append_register_event(&mut tx, id, issuer_path, &event, actor).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Campaigns the scope may see, newest first.
    pub async fn screenings(&self, scope: &Scope) -> Result<Vec<ScreeningRow>> {
        let (lo, hi) = scope.bounds();
        sqlx::query(&format!(
            "{ROW} WHERE {VISIBLE} ORDER BY s.id DESC LIMIT 500"
        ))
        .bind(lo)
        .bind(hi)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(row_of)
        .collect()
    }

    /// One campaign with its covered units, if the scope may see it.
    pub async fn screening(&self, scope: &Scope, id: i64) -> Result<Screening> {
        let (lo, hi) = scope.bounds();
        let r = sqlx::query(&format!("{ROW} WHERE {VISIBLE} AND s.id = $3"))
            .bind(&lo)
            .bind(&hi)
            .bind(id)
            .fetch_optional(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        let row = row_of(&r)?;
        let units = sqlx::query(
            "SELECT u.unit_id, n.code, n.name, n.name_en, u.unit_path, u.answer, u.note,
                 u.answered_on, u.answered_by_name,
                 (SELECT COUNT(*) FROM screening_findings f WHERE f.screening_id = u.screening_id
                     AND f.unit_id = u.unit_id) AS found
             FROM screening_units u JOIN units n ON n.id = u.unit_id
             WHERE u.screening_id = $1 ORDER BY u.unit_path",
        )
        .bind(id)
        .fetch_all(&self.read)
        .await?;
        let findings = sqlx::query(
            "SELECT f.unit_id, d.id, d.title FROM screening_findings f
             JOIN disputes d ON d.id = f.dispute_id
             WHERE f.screening_id = $1 AND d.unit_path >= $2 AND d.unit_path < $3
             ORDER BY d.id",
        )
        .bind(id)
        .bind(&lo)
        .bind(&hi)
        .fetch_all(&self.read)
        .await?;
        let mut covered = vec![];
        for u in &units {
            let unit_id: i64 = u.try_get("unit_id")?;
            let mut mine = vec![];
            for f in &findings {
                if f.try_get::<i64, _>("unit_id")? == unit_id {
                    mine.push(Finding {
                        dispute_id: f.try_get("id")?,
                        title: f.try_get("title")?,
                    });
                }
            }
            covered.push(CoveredUnit {
                unit_id,
                code: u.try_get("code")?,
                name: u.try_get("name")?,
                name_en: u.try_get("name_en")?,
                unit_path: u.try_get("unit_path")?,
                answer: code_opt(u, "answer", ScreeningAnswer::parse)?,
                note: u.try_get("note")?,
                answered_on: u.try_get("answered_on")?,
                answered_by_name: u.try_get("answered_by_name")?,
                found: u.try_get("found")?,
                findings: mine,
            });
        }
        Ok(Screening { row, covered })
    }
}
