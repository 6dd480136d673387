//! Leaders' reception (领导接访): published slots, the appointments petitioners request
//! (约访) and staff answer, and leaders' field visits (下访) with the cases they took up.
//!
//! An appointment is found by its reference and code, or listed by slot and unit; never
//! by the person who asked for it.

use crate::cases::{append, bump_version};
use crate::{bounds_of, now_ms, Actor, Result, Scope, Store, StoreError, Unit};
use domain::reception::AppointmentStatus;
use domain::Event;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

/// One published reception slot: a leader receives petitioners on a day, at a place.
#[derive(Debug, Clone, Serialize)]
pub struct ReceptionSlot {
    pub id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub unit_name_en: String,
    pub leader_name: String,
    pub leader_title: String,
    /// `YYYY-MM-DD`.
    pub day: String,
    /// `HH:MM`.
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub capacity: i64,
    /// Appointments requested, confirmed or offered for this slot.
    pub booked: i64,
    pub cancelled: bool,
    /// The unit's materialised path, for scope checks.
    #[serde(skip)]
    pub unit_path: String,
}

impl ReceptionSlot {
    pub fn is_full(&self) -> bool {
        self.booked >= self.capacity
    }
}

#[derive(Debug, Clone)]
pub struct NewSlot {
    pub leader_name: String,
    pub leader_title: String,
    pub day: String,
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub capacity: i64,
}

/// A petitioner's appointment request and where it stands.
#[derive(Debug, Clone, Serialize)]
pub struct Appointment {
    pub id: i64,
    pub ref_no: String,
    pub status: AppointmentStatus,
    pub slot: ReceptionSlot,
    pub offered_slot: Option<ReceptionSlot>,
    pub matter: String,
    pub case_no: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub answer: String,
    pub created_at: i64,
    pub answered_at: Option<i64>,
    #[serde(skip)]
    pub code_hash: String,
}

#[derive(Debug, Clone)]
pub struct NewAppointment {
    pub slot_id: i64,
    pub matter: String,
    pub case_no: String,
    pub contact_name: String,
    pub contact_phone: String,
    /// SHA-256 of the code the petitioner tracks it with.
    pub code_hash: String,
}

/// Staff's answer to an appointment request.
#[derive(Debug, Clone)]
pub enum AppointmentAnswer {
    Confirm { message: String },
    Offer { slot_id: i64, message: String },
    Decline { message: String },
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldVisit {
    pub id: i64,
    pub unit_name: String,
    pub leader_name: String,
    pub day: String,
    pub place: String,
    pub summary: String,
    pub case_nos: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct NewFieldVisit {
    pub leader_name: String,
    pub day: String,
    pub place: String,
    pub summary: String,
}

const SLOT_SELECT: &str = "SELECT s.id, n.code AS unit_code, n.name AS unit_name,
    n.name_en AS unit_name_en, s.leader_name, s.leader_title, s.day, s.start_time, s.end_time,
    s.place, s.capacity, s.cancelled, s.unit_path,
    (SELECT COUNT(*) FROM appointments a
      WHERE (a.slot_id = s.id AND a.status IN ('requested', 'confirmed'))
         OR (a.offered_slot_id = s.id AND a.status = 'offered')) AS booked
    FROM reception_slots s JOIN units n ON n.id = s.unit_id";

fn slot_from_row(r: &AnyRow) -> Result<ReceptionSlot> {
    let cancelled: i64 = r.try_get("cancelled")?;
    Ok(ReceptionSlot {
        id: r.try_get("id")?,
        unit_code: r.try_get("unit_code")?,
        unit_name: r.try_get("unit_name")?,
        unit_name_en: r.try_get("unit_name_en")?,
        leader_name: r.try_get("leader_name")?,
        leader_title: r.try_get("leader_title")?,
        day: r.try_get("day")?,
        start_time: r.try_get("start_time")?,
        end_time: r.try_get("end_time")?,
        place: r.try_get("place")?,
        capacity: r.try_get("capacity")?,
        booked: r.try_get("booked")?,
        cancelled: cancelled != 0,
        unit_path: r.try_get("unit_path")?,
    })
}

const APPOINTMENT_COLUMNS: &str = "id, ref_no, code_hash, slot_id, offered_slot_id, status, matter,
    case_no, contact_name, contact_phone, answer, created_at, answered_at";

impl Store {
    /// Publishes a reception slot of `unit`.
    pub async fn create_slot(
        &self,
        unit: &Unit,
        s: &NewSlot,
        actor: &Actor,
    ) -> Result<ReceptionSlot> {
        let id: i64 = sqlx::query(
            "INSERT INTO reception_slots (unit_id, unit_path, leader_name, leader_title, day,
                 start_time, end_time, place, capacity, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(unit.id)
        .bind(&unit.path)
        .bind(&s.leader_name)
        .bind(&s.leader_title)
        .bind(&s.day)
        .bind(&s.start_time)
        .bind(&s.end_time)
        .bind(&s.place)
        .bind(s.capacity)
        .bind(now_ms())
        .bind(actor.id)
        .fetch_one(&self.write)
        .await
        .map_err(StoreError::from_sqlx)?
        .try_get("id")?;
        self.slot(id).await
    }

    pub async fn slot(&self, id: i64) -> Result<ReceptionSlot> {
        let row = sqlx::query(&format!("{SLOT_SELECT} WHERE s.id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        slot_from_row(&row)
    }

    /// The public schedule: slots on or after `from_day` that were not cancelled.
    pub async fn public_slots(&self, from_day: &str, limit: i64) -> Result<Vec<ReceptionSlot>> {
        let rows = sqlx::query(&format!(
            "{SLOT_SELECT} WHERE s.cancelled = 0 AND s.day >= $1
             ORDER BY s.day, s.start_time, s.id LIMIT $2"
        ))
        .bind(from_day)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(slot_from_row).collect()
    }

    /// Slots of the units in `scope` on or after `from_day`, cancelled ones included.
    pub async fn slots_in(&self, scope: &Scope, from_day: &str) -> Result<Vec<ReceptionSlot>> {
        let (lo, hi) = scope.bounds();
        let rows = sqlx::query(&format!(
            "{SLOT_SELECT} WHERE s.unit_path >= $1 AND s.unit_path < $2 AND s.day >= $3
             ORDER BY s.day, s.start_time, s.id LIMIT 500"
        ))
        .bind(lo)
        .bind(hi)
        .bind(from_day)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(slot_from_row).collect()
    }

    /// Withdraws a slot from the public schedule; its appointments stay as they are.
    pub async fn cancel_slot(&self, scope: &Scope, id: i64) -> Result<()> {
        let (lo, hi) = scope.bounds();
        let n = sqlx::query(
            "UPDATE reception_slots SET cancelled = 1
             WHERE id = $1 AND unit_path >= $2 AND unit_path < $3",
        )
        .bind(id)
        .bind(lo)
        .bind(hi)
        .execute(&self.write)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Records an appointment request; its reference is `YF{year}{id:06}`.
    pub async fn request_appointment(&self, a: &NewAppointment, year: i32) -> Result<Appointment> {
        let slot_path: String =
            sqlx::query("SELECT unit_path FROM reception_slots WHERE id = $1 AND cancelled = 0")
                .bind(a.slot_id)
                .fetch_optional(&self.read)
                .await?
                .ok_or(StoreError::NotFound)?
                .try_get("unit_path")?;
        let placeholder = format!("new-{:016x}", rand::random::<u64>());
        let mut tx = self.write.begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO appointments (ref_no, code_hash, slot_id, unit_path, matter, case_no,
                 contact_name, contact_phone, status, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'requested', $9) RETURNING id",
        )
        .bind(&placeholder)
        .bind(&a.code_hash)
        .bind(a.slot_id)
        .bind(&slot_path)
        .bind(&a.matter)
        .bind(&a.case_no)
        .bind(&a.contact_name)
        .bind(&a.contact_phone)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::from_sqlx)?
        .try_get("id")?;
        sqlx::query("UPDATE appointments SET ref_no = $1 WHERE id = $2")
            .bind(format!("YF{year}{id:06}"))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.appointment(id).await
    }

    async fn appointment_from_row(&self, r: &AnyRow) -> Result<Appointment> {
        let offered: Option<i64> = r.try_get("offered_slot_id")?;
        let offered_slot = match offered {
            Some(id) => Some(self.slot(id).await?),
            None => None,
        };
        Ok(Appointment {
            id: r.try_get("id")?,
            ref_no: r.try_get("ref_no")?,
            status: crate::error::code(r, "status", AppointmentStatus::parse)?,
            slot: self.slot(r.try_get("slot_id")?).await?,
            offered_slot,
            matter: r.try_get("matter")?,
            case_no: r.try_get("case_no")?,
            contact_name: r.try_get("contact_name")?,
            contact_phone: r.try_get("contact_phone")?,
            answer: r.try_get("answer")?,
            created_at: r.try_get("created_at")?,
            answered_at: r.try_get("answered_at")?,
            code_hash: r.try_get("code_hash")?,
        })
    }

    pub async fn appointment(&self, id: i64) -> Result<Appointment> {
        let row = sqlx::query(&format!(
            "SELECT {APPOINTMENT_COLUMNS} FROM appointments WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        self.appointment_from_row(&row).await
    }

    /// The appointment with this reference; the caller checks the code.
    pub async fn appointment_by_ref(&self, ref_no: &str) -> Result<Option<Appointment>> {
        let row = sqlx::query(&format!(
            "SELECT {APPOINTMENT_COLUMNS} FROM appointments WHERE ref_no = $1"
        ))
        .bind(ref_no)
        .fetch_optional(&self.read)
        .await?;
        match row {
            Some(r) => Ok(Some(self.appointment_from_row(&r).await?)),
            None => Ok(None),
        }
    }

    /// Appointments for the units in `scope`: open requests first, then the newest.
    pub async fn appointments_in(&self, scope: &Scope, limit: i64) -> Result<Vec<Appointment>> {
        let (lo, hi) = scope.bounds();
        let rows = sqlx::query(&format!(
            "SELECT {APPOINTMENT_COLUMNS} FROM appointments
             WHERE unit_path >= $1 AND unit_path < $2
             ORDER BY CASE WHEN status = 'requested' THEN 0 ELSE 1 END, created_at DESC, id DESC
             LIMIT $3"
        ))
        .bind(lo)
        .bind(hi)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.appointment_from_row(r).await?);
        }
        Ok(out)
    }

    /// Staff answer an appointment of a unit in `scope`.
    pub async fn answer_appointment(
        &self,
        scope: &Scope,
        id: i64,
        answer: &AppointmentAnswer,
        actor: &Actor,
    ) -> Result<Appointment> {
        let (lo, hi) = scope.bounds();
        let (status, offered, message) = match answer {
            AppointmentAnswer::Confirm { message } => (AppointmentStatus::Confirmed, None, message),
            AppointmentAnswer::Offer { slot_id, message } => {
                (AppointmentStatus::Offered, Some(*slot_id), message)
            }
            AppointmentAnswer::Decline { message } => (AppointmentStatus::Declined, None, message),
        };
        let n = sqlx::query(
            "UPDATE appointments SET status = $1, offered_slot_id = $2, answer = $3,
                 answered_at = $4, answered_by = $5, version = version + 1
             WHERE id = $6 AND unit_path >= $7 AND unit_path < $8",
        )
        .bind(status.as_str())
        .bind(offered)
        .bind(message)
        .bind(now_ms())
        .bind(actor.id)
        .bind(id)
        .bind(lo)
        .bind(hi)
        .execute(&self.write)
        .await
        .map_err(StoreError::from_sqlx)?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        self.appointment(id).await
    }

    /// The petitioner takes the other slot offered: the appointment is confirmed for it.
    pub async fn accept_offer(&self, id: i64) -> Result<Appointment> {
        let n = sqlx::query(
            "UPDATE appointments SET status = 'confirmed', slot_id = offered_slot_id,
                 offered_slot_id = NULL, version = version + 1
             WHERE id = $1 AND status = 'offered' AND offered_slot_id IS NOT NULL",
        )
        .bind(id)
        .execute(&self.write)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::Conflict { current_version: 0 });
        }
        self.appointment(id).await
    }

    /// Logs a leader's field visit of `unit` and the cases (by id) it took up.
    pub async fn log_field_visit(
        &self,
        unit: &Unit,
        v: &NewFieldVisit,
        case_ids: &[i64],
        actor: &Actor,
    ) -> Result<i64> {
        let mut tx = self.write.begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO field_visits (unit_id, unit_path, leader_name, day, place, summary,
                 created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(unit.id)
        .bind(&unit.path)
        .bind(&v.leader_name)
        .bind(&v.day)
        .bind(&v.place)
        .bind(&v.summary)
        .bind(now_ms())
        .bind(actor.id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let event = Event::FieldVisitLinked {
            visit_id: id,
            day: v.day.clone(),
            place: v.place.clone(),
            leader_name: v.leader_name.clone(),
        };
        let now = now_ms();
        for case_id in case_ids {
            sqlx::query("INSERT INTO field_visit_cases (visit_id, case_id) VALUES ($1, $2)")
                .bind(id)
                .bind(case_id)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_sqlx)?;
            // Every change to a case is an event of that case, in order.
            bump_version(&mut tx, *case_id).await?;
            append(&mut tx, *case_id, &event, actor, now).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Field visits of the units in `scope`, newest first, with their case numbers.
    pub async fn field_visits_in(&self, scope: &Scope, limit: i64) -> Result<Vec<FieldVisit>> {
        let (lo, hi) = bounds_of(scope.path());
        let rows = sqlx::query(
            "SELECT v.id, n.name AS unit_name, v.leader_name, v.day, v.place, v.summary
             FROM field_visits v JOIN units n ON n.id = v.unit_id
             WHERE v.unit_path >= $1 AND v.unit_path < $2
             ORDER BY v.day DESC, v.id DESC LIMIT $3",
        )
        .bind(lo)
        .bind(hi)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: i64 = r.try_get("id")?;
            let case_nos = sqlx::query(
                "SELECT c.case_no FROM field_visit_cases f JOIN cases c ON c.id = f.case_id
                 WHERE f.visit_id = $1 ORDER BY c.case_no",
            )
            .bind(id)
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(|c| c.try_get("case_no"))
            .collect::<std::result::Result<Vec<String>, _>>()?;
            out.push(FieldVisit {
                id,
                unit_name: r.try_get("unit_name")?,
                leader_name: r.try_get("leader_name")?,
                day: r.try_get("day")?,
                place: r.try_get("place")?,
                summary: r.try_get("summary")?,
                case_nos,
            });
        }
        Ok(out)
    }
}
