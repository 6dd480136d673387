//! Links between cases on one matter (duplicate, same matter, earlier stage). A link is
//! written as a `case_linked` event on both cases and a row in `case_links`, in one
//! transaction; removing it writes `case_unlinked` on both and drops the row.

use crate::cases::{append, bump_version};
use crate::error::code;
use crate::search_source::placeholders;
use crate::{now_ms, Actor, CaseSummary, Result, Scope, Store, StoreError};
use domain::{CaseLink, CaseState, Event, LinkKind, Stage};
use serde::Serialize;
use sqlx::{Any, Row, Transaction};

/// A link as one of its cases shows it.
#[derive(Debug, Clone, Serialize)]
pub struct LinkRow {
    /// The other case.
    pub id: i64,
    pub case_no: String,
    /// `duplicate_of`, `same_matter` or `earlier_stage`, as made.
    pub kind: LinkKind,
    /// How the link reads from this case: `duplicate_of` (this case duplicates the
    /// other), `duplicated_by`, `same_matter`, `earlier_stage` (the other case is an
    /// earlier stage of this one) or `later_stage`.
    pub reading: String,
    /// The other case's state and stage now.
    pub state: CaseState,
    pub stage: Stage,
    /// When the link was made (milliseconds since the epoch, UTC).
    pub linked_at: i64,
}

/// A case's stage and lifecycle, for deciding whether its matter is concluded.
#[derive(Debug, Clone)]
pub struct CaseLife {
    pub id: i64,
    pub case_no: String,
    pub state: CaseState,
    pub stage: Stage,
    pub lifecycle: String,
}

fn ordered(a: i64, b: i64) -> (i64, i64) {
    if a < b {
        (a, b)
    } else {
        (b, a)
    }
}

/// Bumps both cases' versions, taking their row locks, the lower id first, so two links
/// never wait on each other.
async fn lock_pair(tx: &mut Transaction<'_, Any>, a: i64, b: i64) -> Result<()> {
    let (lo, hi) = ordered(a, b);
    bump_version(tx, lo).await?;
    bump_version(tx, hi).await
}

/// Appends the event built from each side's view of the link to both cases.
async fn append_both(
    tx: &mut Transaction<'_, Any>,
    from: &CaseSummary,
    to: &CaseSummary,
    kind: LinkKind,
    actor: &Actor,
    now: i64,
    event: fn(CaseLink) -> Event,
) -> Result<()> {
    for (this, other, inverse) in [(from, to, false), (to, from, true)] {
        let link = CaseLink {
            other: other.id,
            other_no: other.case_no.clone(),
            kind,
            inverse,
        };
        append(tx, this.id, &event(link), actor, now).await?;
    }
    Ok(())
}

impl Store {
    /// Links `from` to `to` as `kind`, with a `case_linked` event on both. Two cases have
    /// at most one link: a second is [`StoreError::Duplicate`].
    pub async fn link_cases(
        &self,
        from: &CaseSummary,
        to: &CaseSummary,
        kind: LinkKind,
        actor: &Actor,
    ) -> Result<()> {
        let (lo, hi) = ordered(from.id, to.id);
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        lock_pair(&mut tx, lo, hi).await?;
        sqlx::query(
            "INSERT INTO case_links (lo_id, hi_id, from_id, kind, linked_at, linked_by)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(lo)
        .bind(hi)
        .bind(from.id)
        .bind(kind.as_str())
        .bind(now)
        .bind(actor.id)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from_sqlx)?;
        append_both(&mut tx, from, to, kind, actor, now, Event::Linked).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes the link between `a` and `b`, with a `case_unlinked` event on both;
    /// [`StoreError::NotFound`] when they are not linked.
    pub async fn unlink_cases(
        &self,
        a: &CaseSummary,
        b: &CaseSummary,
        actor: &Actor,
    ) -> Result<()> {
        let (lo, hi) = ordered(a.id, b.id);
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        lock_pair(&mut tx, lo, hi).await?;
        let row =
            sqlx::query("SELECT from_id, kind FROM case_links WHERE lo_id = $1 AND hi_id = $2")
                .bind(lo)
                .bind(hi)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
        let from_id: i64 = row.try_get("from_id")?;
        let kind = code(&row, "kind", LinkKind::parse)?;
        sqlx::query("DELETE FROM case_links WHERE lo_id = $1 AND hi_id = $2")
            .bind(lo)
            .bind(hi)
            .execute(&mut *tx)
            .await?;
        let (from, to) = if from_id == a.id { (a, b) } else { (b, a) };
        append_both(&mut tx, from, to, kind, actor, now, Event::Unlinked).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The links of case `id` (in `scope`), oldest first. The other cases are named
    /// whether or not they are in scope: a case number is no personal data.
    pub async fn case_links(&self, scope: &Scope, id: i64) -> Result<Vec<LinkRow>> {
        self.case_summary(scope, id).await?;
        let rows = sqlx::query(
            "SELECT c.id, c.case_no, c.state, c.stage, l.kind, l.from_id, l.linked_at
             FROM case_links l JOIN cases c ON c.id = CASE WHEN l.lo_id = $1 THEN l.hi_id ELSE l.lo_id END
             WHERE l.lo_id = $1 OR l.hi_id = $1
             ORDER BY l.linked_at, c.id",
        )
        .bind(id)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                let kind = code(r, "kind", LinkKind::parse)?;
                let from_id: i64 = r.try_get("from_id")?;
                Ok(LinkRow {
                    id: r.try_get("id")?,
                    case_no: r.try_get("case_no")?,
                    reading: kind.reading(from_id != id).to_string(),
                    kind,
                    state: code(r, "state", CaseState::parse)?,
                    stage: code(r, "stage", Stage::parse)?,
                    linked_at: r.try_get("linked_at")?,
                })
            })
            .collect()
    }

    /// The stage and lifecycle of those of `ids` that are in `scope`, in no order.
    pub async fn case_lives(&self, scope: &Scope, ids: &[i64]) -> Result<Vec<CaseLife>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let (lo, hi) = scope.bounds();
        let sql = format!(
            "SELECT id, case_no, state, stage, lifecycle FROM cases
             WHERE unit_path >= $1 AND unit_path < $2 AND id IN ({})",
            placeholders(3, ids.len())
        );
        let mut q = sqlx::query(&sql).bind(lo).bind(hi);
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(&self.read)
            .await?
            .iter()
            .map(|r| {
                Ok(CaseLife {
                    id: r.try_get("id")?,
                    case_no: r.try_get("case_no")?,
                    state: code(r, "state", CaseState::parse)?,
                    stage: code(r, "stage", Stage::parse)?,
                    lifecycle: r.try_get("lifecycle")?,
                })
            })
            .collect()
    }
}
