//! The annual report (Art. 41): each unit's wording (the nearest edit up the tree, else
//! the default the application ships), the year's activity beyond case counts
//! (transfers, supervision orders, accountability records), respondents counted through
//! the queue's own filters, and the reports a unit has issued, frozen as issued.

use crate::audit::{audit_in, AuditSubject};
use crate::case_list::{bind_all, CaseFilter};
use crate::stats::VolumeRow;
use crate::{bounds_of, now_ms, Actor, Result, Scope, Store, StoreError, Unit};
use domain::annual::DocumentLang;
use serde::Serialize;
use sqlx::Row;

/// Where a unit's wording comes from: its own edit or the nearest one above (`Some`
/// code and name), else the default (`None`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AnnualTemplate {
    pub body: String,
    pub from_unit: Option<(String, String)>,
}

/// The year's work around the cases of a subtree.
#[derive(Debug, Clone, Copy, Default, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct YearActivity {
    /// Cases transferred (转送) to another unit, and assigned (交办).
    pub transfers: i64,
    pub assigns: i64,
    /// Supervision orders (督办单) sent to units in the subtree, and how many were answered.
    pub orders: i64,
    pub orders_answered: i64,
    /// Accountability records (问责) about officials of the subtree.
    pub accountability: i64,
}

/// One issued report: the figures (JSON) and the text as they were when issued.
#[derive(Debug, Clone, Serialize)]
pub struct IssuedReport {
    pub id: i64,
    pub unit_id: i64,
    pub unit_path: String,
    pub year: i64,
    pub version: i64,
    pub lang: DocumentLang,
    pub figures: String,
    pub done_text: String,
    pub body: String,
    pub issued_by_name: String,
    pub issued_at: i64,
}

pub struct NewIssuedReport<'a> {
    pub unit: &'a Unit,
    pub year: i64,
    pub lang: DocumentLang,
    pub figures: &'a str,
    pub done_text: &'a str,
    pub body: &'a str,
}

fn issued_from(r: &sqlx::any::AnyRow) -> Result<IssuedReport> {
    Ok(IssuedReport {
        id: r.try_get("id")?,
        unit_id: r.try_get("unit_id")?,
        unit_path: r.try_get("unit_path")?,
        year: r.try_get("year")?,
        version: r.try_get("version")?,
        lang: crate::error::code(r, "lang", DocumentLang::parse)?,
        figures: r.try_get("figures")?,
        done_text: r.try_get("done_text")?,
        body: r.try_get("body")?,
        issued_by_name: r.try_get("issued_by_name")?,
        issued_at: r.try_get("issued_at")?,
    })
}

const ISSUED_COLUMNS: &str = "id, unit_id, unit_path, year, version, lang, figures, done_text, \
                              body, issued_by_name, issued_at";

impl Store {
    /// The wording for a report of the unit at `unit_path` in `lang`: the nearest edit up
    /// the tree; `None` for the default.
    pub async fn annual_template(
        &self,
        unit_path: &str,
        lang: DocumentLang,
    ) -> Result<AnnualTemplate> {
        let chain = Scope::new(unit_path).unit_ids();
        if chain.is_empty() {
            return Ok(AnnualTemplate {
                body: String::new(),
                from_unit: None,
            });
        }
        let marks = (0..chain.len())
            .map(|i| format!("${}", i + 2))
            .collect::<Vec<_>>()
            .join(", ");
        let q = format!(
            "SELECT t.unit_id, t.body, u.code, u.name FROM annual_report_templates t
             JOIN units u ON u.id = t.unit_id WHERE t.lang = $1 AND t.unit_id IN ({marks})"
        );
        let mut query = sqlx::query(&q).bind(lang.as_str());
        for id in &chain {
            query = query.bind(*id);
        }
        let rows = query.fetch_all(&self.read).await?;
        let mut best: Option<(usize, &sqlx::any::AnyRow)> = None;
        for r in &rows {
            let id: i64 = r.try_get("unit_id")?;
            let depth = chain.iter().position(|c| *c == id).unwrap_or(0);
            if best.is_none_or(|(d, _)| depth > d) {
                best = Some((depth, r));
            }
        }
        match best {
            Some((_, r)) => Ok(AnnualTemplate {
                body: r.try_get("body")?,
                from_unit: Some((r.try_get("code")?, r.try_get("name")?)),
            }),
            None => Ok(AnnualTemplate {
                body: String::new(),
                from_unit: None,
            }),
        }
    }

    /// Sets `unit`'s wording for its subtree; an empty body removes the edit. The audit
    /// row is written in the same transaction.
    pub async fn set_annual_template(
        &self,
        unit: &Unit,
        lang: DocumentLang,
        body: &str,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let target = format!("{}:annual:{lang}", unit.code);
        let subject = AuditSubject::UnitPath(&unit.path);
        if body.trim().is_empty() {
            sqlx::query("DELETE FROM annual_report_templates WHERE unit_id = $1 AND lang = $2")
                .bind(unit.id)
                .bind(lang.as_str())
                .execute(&mut *tx)
                .await?;
            audit_in(
                &mut tx,
                actor,
                "annual_template_reset",
                &target,
                "",
                subject,
            )
            .await?;
        } else {
            sqlx::query(
                "INSERT INTO annual_report_templates (unit_id, lang, body, updated_at, updated_by)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (unit_id, lang) DO UPDATE SET body = excluded.body,
                     updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            )
            .bind(unit.id)
            .bind(lang.as_str())
            .bind(body)
            .bind(now_ms())
            .bind(&actor.name)
            .execute(&mut *tx)
            .await?;
            let detail: String = body.chars().take(100).collect();
            audit_in(
                &mut tx,
                actor,
                "annual_template_set",
                &target,
                &detail,
                subject,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The cases the filters match in `scope`, counted by their respondent as written.
    pub async fn respondent_volume(&self, scope: &Scope, f: &CaseFilter) -> Result<Vec<VolumeRow>> {
        let Some(q) = self
            .queue_where(scope, f, "SELECT c.respondent AS k FROM cases c")
            .await?
        else {
            return Ok(vec![]);
        };
        let text = format!(
            "SELECT k, COUNT(*) AS n FROM ({}) m WHERE k <> '' GROUP BY k ORDER BY k",
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

    /// Transfers and assignments made in `[from_ms, to_ms)` of cases now in the subtree
    /// at `path`; orders issued on days `from_day..=to_day` to units in it; accountability
    /// records decided on those days about its officials.
    pub async fn year_activity(
        &self,
        path: &str,
        (from_ms, to_ms): (i64, i64),
        (from_day, to_day): (&str, &str),
    ) -> Result<YearActivity> {
        let (lo, hi) = bounds_of(path);
        let r = sqlx::query(
            "SELECT
               COALESCE(SUM(CASE WHEN e.payload LIKE '%\"mode\":\"transfer\"%' THEN 1 ELSE 0 END), 0) AS t,
               COALESCE(SUM(CASE WHEN e.payload LIKE '%\"mode\":\"assign\"%' THEN 1 ELSE 0 END), 0) AS a
             FROM case_events e JOIN cases c ON c.id = e.case_id
             WHERE e.kind = 'route' AND e.at >= $1 AND e.at < $2
               AND c.unit_path >= $3 AND c.unit_path < $4",
        )
        .bind(from_ms)
        .bind(to_ms)
        .bind(&lo)
        .bind(&hi)
        .fetch_one(&self.read)
        .await?;
        let o = sqlx::query(
            "SELECT COUNT(*) AS n,
               COALESCE(SUM(CASE WHEN answered_at IS NULL THEN 0 ELSE 1 END), 0) AS answered
             FROM supervision_orders
             WHERE issued_on >= $1 AND issued_on <= $2 AND to_unit_path >= $3 AND to_unit_path < $4",
        )
        .bind(from_day)
        .bind(to_day)
        .bind(&lo)
        .bind(&hi)
        .fetch_one(&self.read)
        .await?;
        let acc = sqlx::query(
            "SELECT COUNT(*) AS n FROM accountability_records
             WHERE decided_on >= $1 AND decided_on <= $2
               AND official_unit_path >= $3 AND official_unit_path < $4",
        )
        .bind(from_day)
        .bind(to_day)
        .bind(&lo)
        .bind(&hi)
        .fetch_one(&self.read)
        .await?;
        Ok(YearActivity {
            transfers: r.try_get("t")?,
            assigns: r.try_get("a")?,
            orders: o.try_get("n")?,
            orders_answered: o.try_get("answered")?,
            accountability: acc.try_get("n")?,
        })
    }

    /// Keeps a report as issued: the next version for its unit and year, with an audit
    /// row in the same transaction.
    pub async fn issue_annual_report(
        &self,
        r: &NewIssuedReport<'_>,
        actor: &Actor,
    ) -> Result<IssuedReport> {
        let mut tx = self.write.begin().await?;
        let last = sqlx::query(
            "SELECT COALESCE(MAX(version), 0) AS v FROM annual_reports WHERE unit_id = $1 AND year = $2",
        )
        .bind(r.unit.id)
        .bind(r.year)
        .fetch_one(&mut *tx)
        .await?;
        let version: i64 = last.try_get::<i64, _>("v")? + 1;
        let row = sqlx::query(&format!(
            "INSERT INTO annual_reports (unit_id, unit_path, year, version, lang, figures, done_text,
                 body, issued_by, issued_by_name, issued_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING {ISSUED_COLUMNS}"
        ))
        .bind(r.unit.id)
        .bind(&r.unit.path)
        .bind(r.year)
        .bind(version)
        .bind(r.lang.as_str())
        .bind(r.figures)
        .bind(r.done_text)
        .bind(r.body)
        .bind(actor.id)
        .bind(&actor.name)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        let issued = issued_from(&row)?;
        audit_in(
            &mut tx,
            actor,
            "annual_report_issued",
            &format!("{}:{}:v{version}", r.unit.code, r.year),
            "",
            AuditSubject::UnitPath(&r.unit.path),
        )
        .await?;
        tx.commit().await?;
        Ok(issued)
    }

    /// The reports issued for units in `scope`, newest first (of one unit and year when
    /// given).
    pub async fn issued_annual_reports(
        &self,
        scope: &Scope,
        unit_year: Option<(i64, i64)>,
    ) -> Result<Vec<IssuedReport>> {
        let (lo, hi) = scope.bounds();
        let (unit, year) = unit_year.unwrap_or((0, 0));
        let rows = sqlx::query(&format!(
            "SELECT {ISSUED_COLUMNS} FROM annual_reports
             WHERE unit_path >= $1 AND unit_path < $2 AND ($3 = 0 OR (unit_id = $3 AND year = $4))
             ORDER BY id DESC LIMIT 200"
        ))
        .bind(&lo)
        .bind(&hi)
        .bind(unit)
        .bind(year)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(issued_from).collect()
    }

    /// One issued report, if it lies in `scope`.
    pub async fn issued_annual_report(&self, scope: &Scope, id: i64) -> Result<IssuedReport> {
        let row = sqlx::query(&format!(
            "SELECT {ISSUED_COLUMNS} FROM annual_reports WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        let r = issued_from(&row)?;
        if !scope.contains(&r.unit_path) {
            return Err(StoreError::NotFound);
        }
        Ok(r)
    }
}
