//! Volumes: the queue's cases counted by one field. A figure always equals the number of
//! cases the queue lists with the same filters, and can link to exactly those cases. Most
//! volumes are summed from the volume tally (`domain::volume`); a filter the tally cannot
//! answer (a case number, a stage, a deadline, a second field) is counted through the
//! queue's own WHERE clause instead.

use crate::case_list::{
    bind_all, category_clause, region_clause, scoped_unit, unit_clause, Arg, CaseFilter, Sql,
};
use crate::{Result, Scope, Store};
use domain::stats::{spans, Grain};
use domain::volume::{area_answers, received_span, VolumeDim};
use sqlx::Row;
use std::collections::BTreeMap;

/// The field a volume is counted by. Units, categories and regions are counted at their
/// finest level here; folding them up to a level of the tree is the caller's business.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VolumeBy {
    Category,
    Channel,
    CaseType,
    Region,
    /// The path of the unit that holds the case.
    UnitPath,
    State,
    /// The day received (`YYYY-MM-DD`).
    Day,
    /// The month received (`YYYY-MM`).
    Month,
    /// The year received (`YYYY`).
    Year,
}

impl VolumeBy {
    fn column(self) -> &'static str {
        match self {
            VolumeBy::Category => "c.category",
            VolumeBy::Channel => "c.channel",
            VolumeBy::CaseType => "c.case_type",
            VolumeBy::Region => "c.region",
            VolumeBy::UnitPath => "c.unit_path",
            VolumeBy::State => "c.state",
            VolumeBy::Day => "c.received_on",
            VolumeBy::Month => "substr(c.received_on, 1, 7)",
            VolumeBy::Year => "substr(c.received_on, 1, 4)",
        }
    }
}

/// How many cases share one value of the counted field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeRow {
    pub key: String,
    pub count: i64,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|v| !v.is_empty())
}

impl VolumeBy {
    /// The tally field whose rows count this, and the expression of the row's key.
    fn tallied(self) -> Option<(VolumeDim, &'static str)> {
        Some(match self {
            VolumeBy::Category => (VolumeDim::Category, "t.key"),
            VolumeBy::Channel => (VolumeDim::Channel, "t.key"),
            VolumeBy::CaseType => (VolumeDim::Type, "t.key"),
            VolumeBy::Region => (VolumeDim::Region, "t.key"),
            VolumeBy::State => (VolumeDim::State, "t.key"),
            VolumeBy::UnitPath => (VolumeDim::State, "u.path"),
            VolumeBy::Month => (VolumeDim::State, "substr(t.period, 1, 7)"),
            VolumeBy::Year => (VolumeDim::State, "substr(t.period, 1, 4)"),
            VolumeBy::Day => return None,
        })
    }
}

impl Store {
    /// The cases the filters match in the caller's scope, counted by `by`, in key order.
    pub async fn volume(
        &self,
        scope: &Scope,
        f: &CaseFilter,
        by: VolumeBy,
    ) -> Result<Vec<VolumeRow>> {
        match self.tallied_volume(scope, f, by).await? {
            Some(rows) => Ok(rows),
            None => self.counted_volume(scope, f, by).await,
        }
    }

    /// The volume summed from the volume tally, or `None` when the filters ask for
    /// something the tally does not hold.
    pub async fn tallied_volume(
        &self,
        scope: &Scope,
        f: &CaseFilter,
        by: VolumeBy,
    ) -> Result<Option<Vec<VolumeRow>>> {
        let Some((dim, key)) = by.tallied() else {
            return Ok(None);
        };
        let beyond = given(&f.case_no).is_some()
            || !f.stages.is_empty()
            || given(&f.due_before).is_some()
            || given(&f.due_from).is_some()
            || given(&f.due_until).is_some()
            || f.listed
            || f.rate.is_some()
            || (given(&f.channel).is_some() && by != VolumeBy::Channel)
            || (given(&f.case_type).is_some() && by != VolumeBy::CaseType)
            || (given(&f.category).is_some() && by != VolumeBy::Category)
            || given(&f.region).is_some_and(|r| by != VolumeBy::Region && !area_answers(r));
        let Some((from, to)) = received_span(
            given(&f.received_from),
            given(&f.received_to),
            given(&f.month),
        ) else {
            return Ok(None);
        };
        if beyond {
            return Ok(None);
        }
        let Some(unit) = scoped_unit(scope, f) else {
            return Ok(Some(vec![]));
        };
        let span = spans(from, to);
        let mut periods: Vec<(Grain, String, String)> = vec![];
        if let Some((a, b)) = span.months {
            periods.push((Grain::Month, a, b));
        }
        for (a, b) in span.days {
            periods.push((Grain::Day, a, b));
        }
        let mut sums: BTreeMap<String, i64> = BTreeMap::new();
        for (grain, a, b) in periods {
            let mut q = Sql {
                text: format!(
                    "SELECT {key} AS k, CAST(SUM(t.n) AS BIGINT) AS n
                     FROM volume_tallies t JOIN units u ON u.id = t.unit_id
                     WHERE t.dim = $1 AND t.grain = $2 AND t.period >= $3 AND t.period <= $4"
                ),
                args: vec![
                    Arg::S(dim.as_str().into()),
                    Arg::S(grain.as_str().into()),
                    Arg::S(a),
                    Arg::S(b),
                ],
            };
            unit_clause(&mut q, "u.path", &unit);
            if let Some(state) = given(&f.state) {
                let a = q.arg(Arg::S(state.into()));
                q.and(&format!("t.state = {a}"));
            }
            for v in [given(&f.channel), given(&f.case_type)]
                .into_iter()
                .flatten()
            {
                // Only asked of the field itself (see `beyond`).
                let a = q.arg(Arg::S(v.into()));
                q.and(&format!("t.key = {a}"));
            }
            if let Some(cat) = given(&f.category) {
                let subtree =
                    !cat.ends_with(domain::stats::ONLY_MARK) && self.has_subcategories(cat).await?;
                category_clause(&mut q, "t.key", cat, subtree);
            }
            if let Some(region) = given(&f.region) {
                let col = if by == VolumeBy::Region {
                    "t.key"
                } else {
                    "t.area"
                };
                region_clause(&mut q, col, region);
            }
            q.text.push_str(" GROUP BY k");
            let rows = bind_all(sqlx::query(&q.text), q.args)
                .fetch_all(&self.read)
                .await?;
            for r in rows {
                *sums.entry(r.try_get("k")?).or_default() += r.try_get::<i64, _>("n")?;
            }
        }
        Ok(Some(
            sums.into_iter()
                .filter(|(_, n)| *n != 0)
                .map(|(key, count)| VolumeRow { key, count })
                .collect(),
        ))
    }

    /// The volume counted through the queue's own WHERE clause: every matching case read.
    pub async fn counted_volume(
        &self,
        scope: &Scope,
        f: &CaseFilter,
        by: VolumeBy,
    ) -> Result<Vec<VolumeRow>> {
        let select = format!("SELECT {} AS k FROM cases c", by.column());
        let Some(q) = self.queue_where(scope, f, &select).await? else {
            return Ok(vec![]);
        };
        let text = format!(
            "SELECT k, COUNT(*) AS n FROM ({}) m GROUP BY k ORDER BY k",
            q.text
        );
        let rows = bind_all(sqlx::query(&text), q.args)
            .fetch_all(&self.read)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(VolumeRow {
                    key: r.try_get("k")?,
                    count: r.try_get("n")?,
                })
            })
            .collect()
    }
}
