//! The running tallies behind the per-unit rates (see `domain::stats`): each counted step
//! adds to its unit's tally for its day and its month, inside the transaction that writes
//! its event. Reading a rate sums tallies; it never replays events.

use crate::{bounds_of, Result, Store};
use domain::stats::{tally_periods, Grain, Rate, Spans, Tally};
use sqlx::{Any, Row, Transaction};
use std::collections::BTreeMap;

/// A stored tally row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TallyRow {
    pub grain: String,
    pub period: String,
    pub unit_id: i64,
    pub rate: String,
    pub num: i64,
    pub den: i64,
}

/// A unit's totals of one rate over a range of days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRate {
    pub unit_path: String,
    pub rate: Rate,
    pub num: i64,
    pub den: i64,
}

/// The tally rows `tallies` of `unit_id` add up to, merged by period (day and month).
pub fn tally_rows(unit_id: i64, tallies: &[Tally]) -> Vec<TallyRow> {
    let mut sum: BTreeMap<(String, String, i64, String), (i64, i64)> = BTreeMap::new();
    for t in tallies {
        for (grain, period) in tally_periods(t.on) {
            let e = sum
                .entry((
                    grain.as_str().into(),
                    period,
                    unit_id,
                    t.rate.as_str().into(),
                ))
                .or_default();
            e.0 += t.num;
            e.1 += t.den;
        }
    }
    sum.into_iter()
        .map(|((grain, period, unit_id, rate), (num, den))| TallyRow {
            grain,
            period,
            unit_id,
            rate,
            num,
            den,
        })
        .collect()
}

/// Adds `rows` to the stored tallies inside the caller's transaction, several to a
/// statement. Rows are written in key order, so two transactions never wait on each
/// other's rows in a cycle; rows with the same key are summed first (one statement may
/// not touch a row twice).
pub(crate) async fn add_rows(tx: &mut Transaction<'_, Any>, rows: &[TallyRow]) -> Result<()> {
    let mut sum: BTreeMap<(&str, &str, i64, &str), (i64, i64)> = BTreeMap::new();
    for r in rows {
        let e = sum
            .entry((&r.grain, &r.period, r.unit_id, &r.rate))
            .or_default();
        e.0 += r.num;
        e.1 += r.den;
    }
    let sum: Vec<_> = sum.into_iter().collect();
    let backend = crate::Backend::of(tx);
    for chunk in sum.chunks(500) {
        let sql = format!(
            "INSERT INTO stat_tallies (grain, period, unit_id, rate, num, den) VALUES {}
             ON CONFLICT (grain, period, unit_id, rate)
             DO UPDATE SET num = stat_tallies.num + excluded.num, den = stat_tallies.den + excluded.den",
            crate::bulk::placeholders(backend, chunk.len(), 6)
        );
        let mut q = sqlx::query(&sql);
        for ((grain, period, unit_id, rate), (num, den)) in chunk {
            q = q
                .bind(*grain)
                .bind(*period)
                .bind(*unit_id)
                .bind(*rate)
                .bind(*num)
                .bind(*den);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// One counted step of one case: what it added to its unit's tally of a rate on a day.
/// The marks of a rate over a range list exactly the cases behind its figure.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RateMark {
    pub case_id: i64,
    pub unit_id: i64,
    pub rate: String,
    pub on_day: String,
    pub num: i64,
    pub den: i64,
}

impl RateMark {
    pub fn of(case_id: i64, unit_id: i64, t: &Tally) -> RateMark {
        RateMark {
            case_id,
            unit_id,
            rate: t.rate.as_str().into(),
            on_day: t.on.to_string(),
            num: t.num,
            den: t.den,
        }
    }
}

/// Writes `marks` inside the caller's transaction, several rows to a statement.
pub(crate) async fn add_marks(
    tx: &mut Transaction<'_, Any>,
    backend: crate::Backend,
    marks: &[RateMark],
) -> Result<()> {
    for chunk in marks.chunks(500) {
        let sql = format!(
            "INSERT INTO rate_marks (case_id, unit_id, rate, on_day, num, den) VALUES {}",
            crate::bulk::placeholders(backend, chunk.len(), 6)
        );
        let mut q = sqlx::query(&sql);
        for m in chunk {
            q = q
                .bind(m.case_id)
                .bind(m.unit_id)
                .bind(&m.rate)
                .bind(&m.on_day)
                .bind(m.num)
                .bind(m.den);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Adds what `tallies` count for `unit_id` inside the caller's transaction, with the marks
/// that tie them to case `case_id`.
pub(crate) async fn add_tallies(
    tx: &mut Transaction<'_, Any>,
    case_id: i64,
    unit_id: i64,
    tallies: &[Tally],
) -> Result<()> {
    if tallies.is_empty() {
        return Ok(());
    }
    add_rows(tx, &tally_rows(unit_id, tallies)).await?;
    let marks: Vec<RateMark> = tallies
        .iter()
        .map(|t| RateMark::of(case_id, unit_id, t))
        .collect();
    add_marks(tx, crate::Backend::of(tx), &marks).await?;
    Ok(())
}

impl Store {
    /// Each unit's totals of each rate over the periods `spans` names, for the units in
    /// the subtree at `path`. One row per unit and rate that counted anything.
    pub async fn unit_rates(&self, path: &str, spans: &Spans) -> Result<Vec<UnitRate>> {
        let (lo, hi) = bounds_of(path);
        let mut args: Vec<String> = vec![lo, hi];
        let mut ors = vec![];
        let mut range = |grain: Grain, a: &str, b: &str, args: &mut Vec<String>| {
            args.push(grain.as_str().into());
            args.push(a.into());
            args.push(b.into());
            let n = args.len();
            ors.push(format!(
                "(t.grain = ${} AND t.period >= ${} AND t.period <= ${})",
                n - 2,
                n - 1,
                n
            ));
        };
        if let Some((a, b)) = &spans.months {
            range(Grain::Month, a, b, &mut args);
        }
        for (a, b) in &spans.days {
            range(Grain::Day, a, b, &mut args);
        }
        if ors.is_empty() {
            return Ok(vec![]);
        }
        let text = format!(
            "SELECT u.path AS path, t.rate AS rate, CAST(SUM(t.num) AS BIGINT) AS num, CAST(SUM(t.den) AS BIGINT) AS den
             FROM stat_tallies t JOIN units u ON u.id = t.unit_id
             WHERE u.path >= $1 AND u.path < $2 AND ({})
             GROUP BY u.path, t.rate",
            ors.join(" OR ")
        );
        let mut q = sqlx::query(&text);
        for a in args {
            q = q.bind(a);
        }
        let rows = q.fetch_all(&self.read).await?;
        let mut out = vec![];
        for r in rows {
            let rate: String = r.try_get("rate")?;
            let Some(rate) = Rate::parse(&rate) else {
                continue;
            };
            out.push(UnitRate {
                unit_path: r.try_get("path")?,
                rate,
                num: r.try_get("num")?,
                den: r.try_get("den")?,
            });
        }
        Ok(out)
    }

    /// Every stored tally row, in key order (for checking them against a recount).
    pub async fn tally_rows(&self) -> Result<Vec<TallyRow>> {
        let rows = sqlx::query(
            "SELECT grain, period, unit_id, rate, num, den FROM stat_tallies
             WHERE num <> 0 OR den <> 0 ORDER BY grain, period, unit_id, rate",
        )
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TallyRow {
                    grain: r.try_get("grain")?,
                    period: r.try_get("period")?,
                    unit_id: r.try_get("unit_id")?,
                    rate: r.try_get("rate")?,
                    num: r.try_get("num")?,
                    den: r.try_get("den")?,
                })
            })
            .collect()
    }

    /// Every stored mark, in key order (for checking them against a recount).
    pub async fn rate_marks(&self) -> Result<Vec<RateMark>> {
        let rows = sqlx::query(
            "SELECT case_id, unit_id, rate, on_day, num, den FROM rate_marks
             ORDER BY case_id, unit_id, rate, on_day, num, den",
        )
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RateMark {
                    case_id: r.try_get("case_id")?,
                    unit_id: r.try_get("unit_id")?,
                    rate: r.try_get("rate")?,
                    on_day: r.try_get("on_day")?,
                    num: r.try_get("num")?,
                    den: r.try_get("den")?,
                })
            })
            .collect()
    }

    /// Whether the tallies were counted before their marks existed (a database that
    /// predates migration 0030): tallies are stored but no mark is.
    pub async fn marks_missing(&self) -> Result<bool> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM stat_tallies LIMIT 1) t) AS tallies,
                    (SELECT COUNT(*) FROM (SELECT 1 FROM rate_marks LIMIT 1) m) AS marks",
        )
        .fetch_one(&self.read)
        .await?;
        let tallies: i64 = row.try_get("tallies")?;
        let marks: i64 = row.try_get("marks")?;
        Ok(tallies > 0 && marks == 0)
    }

    /// Replaces every tally with `rows` and every mark with `marks` (a recount from the
    /// events), in one transaction.
    pub async fn replace_tallies(&self, rows: &[TallyRow], marks: &[RateMark]) -> Result<()> {
        let mut tx = self.write.begin().await?;
        sqlx::query("DELETE FROM stat_tallies")
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM rate_marks")
            .execute(&mut *tx)
            .await?;
        add_rows(&mut tx, rows).await?;
        add_marks(&mut tx, self.backend, marks).await?;
        tx.commit().await?;
        Ok(())
    }
}
