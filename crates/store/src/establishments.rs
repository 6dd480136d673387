//! The establishments register (canteens, restaurants, drug wholesalers, clinics,
//! pharmacies: places, never people) and the inspection checklists per kind. An import
//! writes every row in one transaction, each with its `imported` event, or nothing.

use crate::audit::{audit_in, AuditSubject};
use crate::error::code;
use crate::register_events::append_register_event;
use crate::search_source::placeholders;
use crate::{bounds_of, now_ms, Actor, Result, Scope, Store, StoreError, Unit};
use domain::inspection::EstablishmentKind;
use domain::register_event::EstablishmentEvent;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

/// An establishment as its page and the API show it.
#[derive(Debug, Clone, Serialize)]
pub struct Establishment {
    pub id: i64,
    pub kind: EstablishmentKind,
    pub licence_no: String,
    pub name: String,
    pub address: String,
    pub region_code: String,
    pub unit_code: String,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: String,
    pub created_at: i64,
}

/// One validated row of an import.
#[derive(Debug, Clone)]
pub struct NewEstablishment {
    pub kind: EstablishmentKind,
    pub licence_no: String,
    pub name: String,
    pub address: String,
    pub region_code: String,
    pub unit: Unit,
}

pub(crate) const ESTABLISHMENT_COLUMNS: &str = "e.id, e.kind, e.licence_no, e.name, e.address,
    e.region_code, e.unit_path, e.created_at, u.code AS unit_code, u.name AS unit_name";

pub(crate) fn establishment_from_row(r: &AnyRow) -> Result<Establishment> {
    Ok(Establishment {
        id: r.try_get("id")?,
        kind: code(r, "kind", EstablishmentKind::parse)?,
        licence_no: r.try_get("licence_no")?,
        name: r.try_get("name")?,
        address: r.try_get("address")?,
        region_code: r.try_get("region_code")?,
        unit_code: r.try_get("unit_code")?,
        unit_name: r.try_get("unit_name")?,
        unit_path: r.try_get("unit_path")?,
        created_at: r.try_get("created_at")?,
    })
}

/// How many establishments a list shows at most.
pub const ESTABLISHMENT_LIST_CAP: i64 = 1000;

impl Store {
    /// Which of `licences` the register already holds.
    pub async fn existing_licences(&self, licences: &[String]) -> Result<Vec<String>> {
        let mut out = vec![];
        for chunk in licences.chunks(400) {
            let q = format!(
                "SELECT licence_no FROM establishments WHERE licence_no IN ({})",
                placeholders(1, chunk.len())
            );
            let mut query = sqlx::query(&q);
            for l in chunk {
                query = query.bind(l.as_str());
            }
            for r in query.fetch_all(&self.read).await? {
                out.push(r.try_get("licence_no")?);
            }
        }
        Ok(out)
    }

    /// Writes every row and its `imported` event in one transaction; a row the database
    /// refuses (a licence taken meanwhile) undoes them all.
    pub async fn import_establishments(
        &self,
        rows: &[NewEstablishment],
        actor: &Actor,
    ) -> Result<Vec<i64>> {
        let mut tx = self.write.begin().await?;
        let now = now_ms();
        let mut ids = Vec::with_capacity(rows.len());
        for e in rows {
            let row = sqlx::query(
                "INSERT INTO establishments (kind, licence_no, name, address, region_code,
                     unit_id, unit_path, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(e.kind.as_str())
            .bind(&e.licence_no)
            .bind(&e.name)
            .bind(&e.address)
            .bind(&e.region_code)
            .bind(e.unit.id)
            .bind(&e.unit.path)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::from_sqlx)?;
            let id: i64 = row.try_get("id")?;
            let event = EstablishmentEvent::Imported {
                kind: e.kind,
                licence_no: e.licence_no.clone(),
                name: e.name.clone(),
                address: e.address.clone(),
                region_code: e.region_code.clone(),
                unit: e.unit.code.clone(),
            };
            append_register_event(&mut tx, id, &e.unit.path, &event, actor).await?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// The establishments of the caller's subtree, by unit then licence; optionally of one
    /// kind, or under one unit's path.
    pub async fn establishments(
        &self,
        scope: &Scope,
        kind: Option<EstablishmentKind>,
        under: Option<&str>,
    ) -> Result<Vec<Establishment>> {
        let path = match under {
            Some(p) if scope.contains(p) => p,
            Some(_) => return Ok(vec![]),
            None => scope.path(),
        };
        let (lo, hi) = bounds_of(path);
        let rows = sqlx::query(&format!(
            "SELECT {ESTABLISHMENT_COLUMNS} FROM establishments e JOIN units u ON u.id = e.unit_id
             WHERE e.unit_path >= $1 AND e.unit_path < $2 AND ($3 = '' OR e.kind = $3)
             ORDER BY e.unit_path, e.licence_no LIMIT {ESTABLISHMENT_LIST_CAP}"
        ))
        .bind(lo)
        .bind(hi)
        .bind(kind.map_or("", EstablishmentKind::as_str))
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(establishment_from_row).collect()
    }

    /// One establishment in the caller's subtree; `NotFound` outside it.
    pub async fn establishment(&self, scope: &Scope, id: i64) -> Result<Establishment> {
        let row = sqlx::query(&format!(
            "SELECT {ESTABLISHMENT_COLUMNS} FROM establishments e JOIN units u ON u.id = e.unit_id
             WHERE e.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        let e = establishment_from_row(&row)?;
        if scope.contains(&e.unit_path) {
            Ok(e)
        } else {
            Err(StoreError::NotFound)
        }
    }

    /// An admin's edit of a kind's checklist, if any (one item a line).
    pub async fn checklist_edit(&self, kind: EstablishmentKind) -> Result<Option<Vec<String>>> {
        let row = sqlx::query("SELECT items FROM inspection_checklists WHERE kind = $1")
            .bind(kind.as_str())
            .fetch_optional(&self.read)
            .await?;
        match row {
            Some(r) => {
                let items: String = r.try_get("items")?;
                Ok(Some(items.lines().map(String::from).collect()))
            }
            None => Ok(None),
        }
    }

    /// Replaces a kind's checklist, with its audit row in the same transaction.
    pub async fn set_checklist(
        &self,
        kind: EstablishmentKind,
        items: &[String],
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let text = items.join("\n");
        sqlx::query(
            "INSERT INTO inspection_checklists (kind, items, updated_at, updated_by)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (kind) DO UPDATE SET items = excluded.items,
                 updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(kind.as_str())
        .bind(&text)
        .bind(now_ms())
        .bind(&actor.name)
        .execute(&mut *tx)
        .await?;
        let detail = format!("{} items", items.len());
        audit_in(
            &mut tx,
            actor,
            "inspection_checklist_set",
            kind.as_str(),
            &detail,
            AuditSubject::None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
