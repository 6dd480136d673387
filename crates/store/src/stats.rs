//! Volumes: the queue's cases counted by one field. Each count uses the queue's own WHERE
//! clause within the caller's scope, so a figure always equals the number of cases the
//! queue lists with the same filters, and can link to exactly those cases.

use crate::case_list::{bind_all, CaseFilter};
use crate::{Result, Scope, Store};
use sqlx::Row;

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

impl Store {
    /// The cases the filters match in the caller's scope, counted by `by`, in key order.
    pub async fn volume(
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
