//! Bulk loading, for `hearken demo`: many cases per statement and per transaction.
//! Ordinary registration goes through [`Store::register_case`] instead.

use crate::{Backend, Result, Store};
use sqlx::Row;

/// A petitioner of a bulk-loaded case.
#[derive(Debug, Clone)]
pub struct BulkPetitioner {
    pub name: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub representative: bool,
}

/// One stored event of a bulk-loaded case: its kind and payload as
/// [`domain::Event`] writes them, when it happened and who did it.
#[derive(Debug, Clone)]
pub struct BulkEvent {
    pub kind: String,
    pub payload: String,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
}

/// A fully formed case to load: what was registered, its history, and the projection
/// of that history (state, stage, due date, lifecycle, holding unit) that the `cases` row
/// stores, as ordinary registration and actions would have left it.
#[derive(Debug, Clone)]
pub struct BulkCase {
    pub case_no: String,
    pub query_code: String,
    /// The unit that holds the case now.
    pub unit_id: i64,
    pub unit_path: String,
    pub channel: domain::Channel,
    pub case_type: domain::CaseType,
    pub category: String,
    pub region: String,
    pub headcount: i64,
    pub anonymous: bool,
    pub respondent: String,
    pub content: String,
    pub demands: String,
    pub state: domain::CaseState,
    pub stage: domain::Stage,
    pub due_on: Option<String>,
    /// `domain::lifecycle::Life` as JSON.
    pub lifecycle: String,
    pub received_on: String,
    pub registered_at: i64,
    pub registered_by: Option<i64>,
    pub updated_at: i64,
    /// 1 at registration, plus one per action.
    pub version: i64,
    pub petitioners: Vec<BulkPetitioner>,
    /// The registration first, then every step, in order.
    pub events: Vec<BulkEvent>,
    /// What the registration and each step count toward the rates, with the unit that
    /// held the case then (`domain::stats`), as live registration and actions add them.
    pub tallies: Vec<(i64, domain::stats::Tally)>,
}

const CASE_COLS: usize = 24;
const ROWS_PER_STATEMENT: usize = 300;

/// `(…),(…)` placeholders for `rows` rows of `cols` values. SQLite gets anonymous `?`
/// parameters: it looks each numbered `$N` up by name in a list, which makes binding a
/// statement of thousands of `$N` quadratic (it dominated the load before this).
pub(crate) fn placeholders(backend: Backend, rows: usize, cols: usize) -> String {
    let mut s = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            s.push(',');
        }
        s.push('(');
        for c in 0..cols {
            if c > 0 {
                s.push(',');
            }
            match backend {
                Backend::Sqlite => s.push('?'),
                Backend::Postgres => {
                    s.push('$');
                    s.push_str(&(r * cols + c + 1).to_string());
                }
            }
        }
        s.push(')');
    }
    s
}

impl Store {
    /// Loads a batch of cases in one transaction, with their petitioners and events.
    pub async fn bulk_insert_cases(&self, batch: &[BulkCase]) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let max: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) AS m FROM cases")
            .fetch_one(&mut *tx)
            .await?
            .try_get("m")?;
        let with_ids: Vec<(i64, &BulkCase)> = batch
            .iter()
            .enumerate()
            .map(|(i, c)| (max + 1 + i as i64, c))
            .collect();

        for chunk in with_ids.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO cases (id, case_no, query_code, unit_id, unit_path, channel, case_type, category, region,
                   headcount, anonymous, respondent, content, demands, state, stage, due_on, received_on,
                   registered_at, registered_by, updated_at, due_sort, lifecycle, version) VALUES {}",
                placeholders(self.backend, chunk.len(), CASE_COLS)
            );
            let mut q = sqlx::query(&sql);
            for (id, c) in chunk {
                q = q
                    .bind(*id)
                    .bind(&c.case_no)
                    .bind(&c.query_code)
                    .bind(c.unit_id)
                    .bind(&c.unit_path)
                    .bind(c.channel.as_str())
                    .bind(c.case_type.as_str())
                    .bind(&c.category)
                    .bind(&c.region)
                    .bind(c.headcount)
                    .bind(i64::from(c.anonymous))
                    .bind(&c.respondent)
                    .bind(&c.content)
                    .bind(&c.demands)
                    .bind(c.state.as_str())
                    .bind(c.stage.as_str())
                    .bind(c.due_on.clone())
                    .bind(&c.received_on)
                    .bind(c.registered_at)
                    .bind(c.registered_by)
                    .bind(c.updated_at)
                    .bind(c.due_on.as_deref().unwrap_or(crate::NO_DUE))
                    .bind(&c.lifecycle)
                    .bind(c.version);
            }
            q.execute(&mut *tx).await?;
        }

        let petitioners: Vec<(i64, usize, &BulkPetitioner)> = with_ids
            .iter()
            .flat_map(|(id, c)| {
                c.petitioners
                    .iter()
                    .enumerate()
                    .map(move |(i, p)| (*id, i, p))
            })
            .collect();
        for chunk in petitioners.chunks(ROWS_PER_STATEMENT * 2) {
            let sql = format!(
                "INSERT INTO case_petitioners (case_id, position, name, phone, address, representative) VALUES {}",
                placeholders(self.backend, chunk.len(), 6)
            );
            let mut q = sqlx::query(&sql);
            for (id, pos, p) in chunk {
                q = q
                    .bind(*id)
                    .bind(*pos as i64)
                    .bind(&p.name)
                    .bind(&p.phone)
                    .bind(&p.address)
                    .bind(i64::from(p.representative));
            }
            q.execute(&mut *tx).await?;
        }

        let events: Vec<(i64, &BulkEvent)> = with_ids
            .iter()
            .flat_map(|(id, c)| c.events.iter().map(move |e| (*id, e)))
            .collect();
        for chunk in events.chunks(ROWS_PER_STATEMENT * 2) {
            let sql = format!(
                "INSERT INTO case_events (case_id, kind, actor_id, actor_name, at, payload) VALUES {}",
                placeholders(self.backend, chunk.len(), 6)
            );
            let mut q = sqlx::query(&sql);
            for (id, e) in chunk {
                q = q
                    .bind(*id)
                    .bind(&e.kind)
                    .bind(e.actor_id)
                    .bind(&e.actor_name)
                    .bind(e.at)
                    .bind(&e.payload);
            }
            q.execute(&mut *tx).await?;
        }

        let mut by_unit: std::collections::BTreeMap<i64, Vec<domain::stats::Tally>> =
            std::collections::BTreeMap::new();
        for (unit, t) in batch.iter().flat_map(|c| c.tallies.iter()) {
            by_unit.entry(*unit).or_default().push(*t);
        }
        let rows: Vec<crate::TallyRow> = by_unit
            .iter()
            .flat_map(|(unit, ts)| crate::tally_rows(*unit, ts))
            .collect();
        crate::stat_tallies::add_rows(&mut tx, &rows).await?;
        let marks: Vec<crate::RateMark> = with_ids
            .iter()
            .flat_map(|(id, c)| {
                c.tallies
                    .iter()
                    .map(move |(unit, t)| crate::RateMark::of(*id, *unit, t))
            })
            .collect();
        crate::stat_tallies::add_marks(&mut tx, self.backend, &marks).await?;
        let facts = batch
            .iter()
            .map(|c| {
                Ok(domain::volume::VolumeFacts {
                    unit_id: c.unit_id,
                    received_on: crate::volume_tallies::parse_day(&c.received_on)?,
                    state: c.state,
                    channel: c.channel,
                    case_type: c.case_type,
                    category: c.category.clone(),
                    region: c.region.clone(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let cells = domain::volume::arrivals(&facts);
        crate::volume_tallies::add_deltas(&mut tx, &cells).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a unit's case-number counter for a year, so later registrations continue it.
    pub async fn set_case_counter(&self, unit_id: i64, year: i32, last: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO case_counters (unit_id, year, last) VALUES ($1, $2, $3)
             ON CONFLICT (unit_id, year) DO UPDATE SET last = excluded.last",
        )
        .bind(unit_id)
        .bind(i64::from(year))
        .bind(last)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// After a bulk load: move PostgreSQL's id sequence past the loaded ids, and refresh
    /// the planner's statistics on both backends.
    pub async fn finish_bulk(&self) -> Result<()> {
        match self.backend {
            Backend::Postgres => {
                sqlx::query("SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT COALESCE(MAX(id), 1) FROM cases))")
                    .execute(&self.write)
                    .await?;
                sqlx::query("ANALYZE").execute(&self.write).await?;
            }
            Backend::Sqlite => {
                sqlx::query("ANALYZE").execute(&self.write).await?;
                self.keep_planner_hints().await?;
            }
        }
        Ok(())
    }

    /// The number of cases already stored (so demo data is only loaded into an empty
    /// database).
    pub async fn case_count(&self) -> Result<i64> {
        Ok(sqlx::query("SELECT COUNT(*) AS n FROM cases")
            .fetch_one(&self.read)
            .await?
            .try_get("n")?)
    }
}
