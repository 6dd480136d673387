//! Bulk loading, for `hearken demo`: many cases per statement and per transaction.
//! Ordinary registration goes through [`Store::register_case`] instead.

use crate::{Actor, Backend, Result, Store};
use sqlx::Row;

/// A petitioner of a bulk-loaded case.
#[derive(Debug, Clone)]
pub struct BulkPetitioner {
    pub name: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub representative: bool,
}

/// A fully formed case to load.
#[derive(Debug, Clone)]
pub struct BulkCase {
    pub case_no: String,
    pub query_code: String,
    pub unit_id: i64,
    pub unit_path: String,
    pub channel: String,
    pub case_type: String,
    pub category: String,
    pub region: String,
    pub headcount: i64,
    pub anonymous: bool,
    pub respondent: String,
    pub content: String,
    pub demands: String,
    pub due_on: Option<String>,
    pub received_on: String,
    pub registered_at: i64,
    pub registered_by: Option<i64>,
    pub petitioners: Vec<BulkPetitioner>,
    /// When set, the case was closed then: its state is `closed` and a `closed` event
    /// follows the registration.
    pub closed_at: Option<i64>,
}

const CASE_COLS: usize = 22;
const ROWS_PER_STATEMENT: usize = 300;

fn placeholders(rows: usize, cols: usize) -> String {
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
            s.push('$');
            s.push_str(&(r * cols + c + 1).to_string());
        }
        s.push(')');
    }
    s
}

impl Store {
    /// Loads a batch of cases in one transaction, with their petitioners and events.
    pub async fn bulk_insert_cases(&self, batch: &[BulkCase], actor: &Actor) -> Result<()> {
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
                   registered_at, registered_by, updated_at, due_sort) VALUES {}",
                placeholders(chunk.len(), CASE_COLS)
            );
            let mut q = sqlx::query(&sql);
            for (id, c) in chunk {
                let closed = c.closed_at.is_some();
                q = q
                    .bind(*id)
                    .bind(&c.case_no)
                    .bind(&c.query_code)
                    .bind(c.unit_id)
                    .bind(&c.unit_path)
                    .bind(&c.channel)
                    .bind(&c.case_type)
                    .bind(&c.category)
                    .bind(&c.region)
                    .bind(c.headcount)
                    .bind(i64::from(c.anonymous))
                    .bind(&c.respondent)
                    .bind(&c.content)
                    .bind(&c.demands)
                    .bind(if closed { "closed" } else { "open" })
                    .bind(if closed { "closed" } else { "routing" })
                    .bind(if closed { None } else { c.due_on.clone() })
                    .bind(&c.received_on)
                    .bind(c.registered_at)
                    .bind(c.registered_by)
                    .bind(c.closed_at.unwrap_or(c.registered_at))
                    .bind(match (closed, &c.due_on) {
                        (false, Some(d)) => d.clone(),
                        _ => crate::NO_DUE.to_string(),
                    });
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
                placeholders(chunk.len(), 6)
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

        let mut events: Vec<(i64, &str, i64, String)> = Vec::with_capacity(with_ids.len() * 2);
        for (id, c) in &with_ids {
            let payload = serde_json::json!({
                "case_no": c.case_no, "channel": c.channel, "type": c.case_type, "category": c.category,
                "region": c.region, "headcount": c.headcount, "anonymous": c.anonymous, "received_on": c.received_on,
            });
            events.push((*id, "registered", c.registered_at, payload.to_string()));
            if let Some(at) = c.closed_at {
                events.push((*id, "closed", at, r#"{"reason":"demo"}"#.to_string()));
            }
        }
        for chunk in events.chunks(ROWS_PER_STATEMENT * 2) {
            let sql = format!(
                "INSERT INTO case_events (case_id, kind, actor_id, actor_name, at, payload) VALUES {}",
                placeholders(chunk.len(), 6)
            );
            let mut q = sqlx::query(&sql);
            for (id, kind, at, payload) in chunk {
                q = q
                    .bind(*id)
                    .bind(*kind)
                    .bind(actor.id)
                    .bind(&actor.name)
                    .bind(*at)
                    .bind(payload);
            }
            q.execute(&mut *tx).await?;
        }
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
