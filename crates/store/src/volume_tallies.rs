//! The volume tally (`domain::volume`): kept in the transaction of every change that
//! moves a case between cells, recounted from the cases themselves to check it, and
//! rebuilt once for a database that predates it.

use crate::{Backend, CaseSummary, Result, Store, StoreError};
use domain::volume::{moves, VolumeCell, VolumeDim, VolumeFacts};
use sqlx::{Any, Row, Transaction};
use std::collections::BTreeMap;

/// A stored (or recounted) tally row: a cell and its count.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct VolumeTallyRow {
    pub cell: VolumeCell,
    pub n: i64,
}

const COLUMNS: &str = "dim, grain, period, unit_id, state, area, key";

/// The volume facts of a case as its summary shows them.
pub(crate) fn facts_of(s: &CaseSummary) -> Result<VolumeFacts> {
    Ok(VolumeFacts {
        unit_id: s.unit_id,
        received_on: parse_day(&s.received_on)?,
        state: s.state,
        channel: s.channel,
        case_type: s.case_type,
        category: s.category.clone(),
        region: s.region.clone(),
    })
}

pub(crate) fn parse_day(s: &str) -> Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| StoreError::Data(format!("not a day: {s}")))
}

/// Moves a case between cells inside the caller's transaction (`None` before: a new
/// case). Cells are written in key order, so two transactions never wait on each
/// other's cells in a cycle.
pub(crate) async fn record_move(
    tx: &mut Transaction<'_, Any>,
    before: Option<&VolumeFacts>,
    after: Option<&VolumeFacts>,
) -> Result<()> {
    add_deltas(tx, &moves(before, after)).await
}

/// Adds `delta` to the stored cells inside the caller's transaction.
pub(crate) async fn add_deltas(
    tx: &mut Transaction<'_, Any>,
    delta: &BTreeMap<VolumeCell, i64>,
) -> Result<()> {
    let backend = Backend::of(tx);
    let cells: Vec<(&VolumeCell, &i64)> = delta.iter().filter(|(_, n)| **n != 0).collect();
    for chunk in cells.chunks(250) {
        let sql = format!(
            "INSERT INTO volume_tallies ({COLUMNS}, n) VALUES {}
             ON CONFLICT ({COLUMNS}) DO UPDATE SET n = volume_tallies.n + excluded.n",
            crate::bulk::placeholders(backend, chunk.len(), 8)
        );
        let mut q = sqlx::query(&sql);
        for (c, n) in chunk {
            q = q
                .bind(&c.dim)
                .bind(&c.grain)
                .bind(&c.period)
                .bind(c.unit_id)
                .bind(&c.state)
                .bind(&c.area)
                .bind(&c.key)
                .bind(**n);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// The tally every case's current row adds up to, as one SELECT over `cases`: one
/// grouped count per field and grain.
fn recount_sql() -> String {
    let mut parts = vec![];
    for dim in VolumeDim::ALL {
        let key = match dim {
            VolumeDim::Category => "category",
            VolumeDim::Channel => "channel",
            VolumeDim::Type => "case_type",
            VolumeDim::Region => "region",
            VolumeDim::State => "state",
        };
        for (grain, period) in [("d", "received_on"), ("m", "substr(received_on, 1, 7)")] {
            parts.push(format!(
                "SELECT '{dim}' AS dim, '{grain}' AS grain, {period} AS period, unit_id,
                        state, substr(region, 1, {area}) AS area, {key} AS key,
                        CAST(COUNT(*) AS BIGINT) AS n
                 FROM cases GROUP BY {period}, unit_id, state, substr(region, 1, {area}), {key}",
                dim = dim.as_str(),
                area = domain::volume::AREA_DIGITS,
            ));
        }
    }
    parts.join(" UNION ALL ")
}

fn row_of(r: &sqlx::any::AnyRow) -> Result<VolumeTallyRow> {
    Ok(VolumeTallyRow {
        cell: VolumeCell {
            dim: r.try_get("dim")?,
            grain: r.try_get("grain")?,
            period: r.try_get("period")?,
            unit_id: r.try_get("unit_id")?,
            state: r.try_get("state")?,
            area: r.try_get("area")?,
            key: r.try_get("key")?,
        },
        n: r.try_get("n")?,
    })
}

impl Store {
    /// Every stored cell that counts a case, in key order.
    pub async fn volume_tally_rows(&self) -> Result<Vec<VolumeTallyRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS}, n FROM volume_tallies WHERE n <> 0 ORDER BY {COLUMNS}"
        ))
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(row_of).collect()
    }

    /// The cells recounted from the cases as they stand, in key order: what the stored
    /// tally must equal.
    pub async fn recount_volume_tally(&self) -> Result<Vec<VolumeTallyRow>> {
        let rows = sqlx::query(&recount_sql()).fetch_all(&self.read).await?;
        let mut out: Vec<VolumeTallyRow> = rows.iter().map(row_of).collect::<Result<_>>()?;
        out.sort();
        Ok(out)
    }

    /// Whether cases exist but the volume tally is empty (a database from before it).
    pub async fn volume_tally_missing(&self) -> Result<bool> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM cases LIMIT 1) c) AS cases,
                    (SELECT COUNT(*) FROM (SELECT 1 FROM volume_tallies LIMIT 1) t) AS cells",
        )
        .fetch_one(&self.read)
        .await?;
        let cases: i64 = row.try_get("cases")?;
        let cells: i64 = row.try_get("cells")?;
        Ok(cases > 0 && cells == 0)
    }

    /// Replaces the volume tally with a recount from the cases, in one transaction.
    /// Returns the number of cells.
    pub async fn rebuild_volume_tally(&self) -> Result<u64> {
        let mut tx = self.write.begin().await?;
        sqlx::query("DELETE FROM volume_tallies")
            .execute(&mut *tx)
            .await?;
        let n = sqlx::query(&format!(
            "INSERT INTO volume_tallies ({COLUMNS}, n) SELECT {COLUMNS}, n FROM ({}) r",
            recount_sql()
        ))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(n)
    }
}
