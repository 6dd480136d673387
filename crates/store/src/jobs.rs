//! Background jobs with leases. Any number of instances may try to claim a job; the claim
//! is one conditional UPDATE, so exactly one wins each period, on SQLite and PostgreSQL.

use crate::{now_ms, Result, Store};
use sqlx::Row;

impl Store {
    /// Claims `name` for `owner` if its last run is at least `every_ms` old and no live
    /// lease holds it. The lease lasts `lease_ms`, after which a crashed run can be taken
    /// over. Returns whether this caller won.
    pub async fn claim_job(
        &self,
        name: &str,
        owner: &str,
        every_ms: i64,
        lease_ms: i64,
    ) -> Result<bool> {
        let now = now_ms();
        sqlx::query("INSERT INTO jobs (name, runs) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .execute(&self.write)
            .await?;
        let n = sqlx::query(
            "UPDATE jobs SET lease_owner = $1, lease_until = $2
             WHERE name = $3
               AND (lease_until IS NULL OR lease_until < $4)
               AND (last_run_at IS NULL OR last_run_at <= $5)",
        )
        .bind(owner)
        .bind(now + lease_ms)
        .bind(name)
        .bind(now)
        .bind(now - every_ms)
        .execute(&self.write)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Records a finished run and releases the lease.
    pub async fn finish_job(&self, name: &str, owner: &str) -> Result<()> {
        sqlx::query(
            "UPDATE jobs SET last_run_at = $1, lease_owner = NULL, lease_until = NULL, runs = runs + 1
             WHERE name = $2 AND lease_owner = $3",
        )
        .bind(now_ms())
        .bind(name)
        .bind(owner)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// How many times `name` has run.
    pub async fn job_runs(&self, name: &str) -> Result<i64> {
        let row = sqlx::query("SELECT runs FROM jobs WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.read)
            .await?;
        Ok(match row {
            Some(r) => r.try_get("runs")?,
            None => 0,
        })
    }
}
