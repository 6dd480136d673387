//! The duty roster: shifts, swaps and handovers. Every change writes its audit row in
//! the same transaction; a swap leaves a row saying who swapped whom.

use crate::audit::{audit_in, AuditSubject};
use crate::error::code;
use crate::{now_ms, Actor, Result, Store, StoreError};
use domain::duty::roster::{OnDuty, ShiftPlan, Slot};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A shift as stored, with its swaps.
#[derive(Debug, Clone, Serialize)]
pub struct ShiftRow {
    pub id: i64,
    pub unit_id: i64,
    pub day: String,
    pub starts_at: String,
    pub leader: OnDuty,
    pub staff: Vec<OnDuty>,
    pub swaps: Vec<SwapRow>,
    /// The leading group the shift is filed under, and its name.
    pub group_id: Option<i64>,
    pub group_name: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SwapRow {
    /// `leader` or `staff:N` in JSON.
    pub slot: Slot,
    pub from_name: String,
    pub to_name: String,
    pub reason: String,
    pub swapped_by_name: String,
    pub at: i64,
}

/// A handover from the outgoing team, and its acknowledgement by the incoming one.
#[derive(Debug, Clone, Serialize)]
pub struct HandoverRow {
    pub id: i64,
    pub unit_id: i64,
    pub shift_id: i64,
    pub shift_day: String,
    pub pending: String,
    pub written_by_name: String,
    pub written_at: i64,
    pub ack_by_name: Option<String>,
    pub ack_note: Option<String>,
    pub ack_at: Option<i64>,
}

const SHIFT_COLUMNS: &str = "duty_shifts.id, duty_shifts.unit_id, duty_shifts.day,
    duty_shifts.starts_at, duty_shifts.leader_name, duty_shifts.leader_phone, duty_shifts.staff,
    duty_shifts.group_id, (SELECT g.name FROM leading_groups g WHERE g.id = duty_shifts.group_id) AS group_name";

fn shift_from_row(r: &AnyRow) -> Result<ShiftRow> {
    let staff: String = r.try_get("staff")?;
    Ok(ShiftRow {
        id: r.try_get("id")?,
        unit_id: r.try_get("unit_id")?,
        day: r.try_get("day")?,
        starts_at: r.try_get("starts_at")?,
        leader: OnDuty {
            name: r.try_get("leader_name")?,
            phone: r.try_get("leader_phone")?,
        },
        staff: serde_json::from_str(&staff).unwrap_or_default(),
        swaps: vec![],
        group_id: r.try_get("group_id")?,
        group_name: r.try_get("group_name")?,
    })
}

fn handover_from_row(r: &AnyRow) -> Result<HandoverRow> {
    Ok(HandoverRow {
        id: r.try_get("id")?,
        unit_id: r.try_get("unit_id")?,
        shift_id: r.try_get("shift_id")?,
        shift_day: r.try_get("day")?,
        pending: r.try_get("pending")?,
        written_by_name: r.try_get("written_by_name")?,
        written_at: r.try_get("written_at")?,
        ack_by_name: r.try_get("ack_by_name")?,
        ack_note: r.try_get("ack_note")?,
        ack_at: r.try_get("ack_at")?,
    })
}

fn staff_json(staff: &[OnDuty]) -> String {
    serde_json::to_string(staff).unwrap_or_else(|_| "[]".into())
}

impl Store {
    /// Plans (or replans) shifts of one unit, in one transaction with its audit row.
    pub async fn save_shifts(
        &self,
        unit_id: i64,
        unit_path: &str,
        shifts: &[ShiftPlan],
        actor: &Actor,
    ) -> Result<()> {
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        for s in shifts {
            sqlx::query(
                "INSERT INTO duty_shifts (unit_id, day, starts_at, leader_name, leader_phone, staff, updated_at, updated_by, group_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                 ON CONFLICT (unit_id, day) DO UPDATE SET starts_at = $3, leader_name = $4,
                     leader_phone = $5, staff = $6, updated_at = $7, updated_by = $8, group_id = $9",
            )
            .bind(unit_id)
            .bind(s.day.to_string())
            .bind(s.starts_at.format("%H:%M").to_string())
            .bind(s.leader.name.trim())
            .bind(s.leader.phone.trim())
            .bind(staff_json(&s.staff))
            .bind(now)
            .bind(actor.id)
            .bind(s.group_id)
            .execute(&mut *tx)
            .await?;
        }
        let days: Vec<String> = shifts
            .iter()
            .map(|s| match s.group_id {
                Some(g) => format!("{} group {g}", s.day),
                None => s.day.to_string(),
            })
            .collect();
        let subject = AuditSubject::UnitPath(unit_path);
        audit_in(
            &mut tx,
            actor,
            "roster_planned",
            unit_path,
            &days.join(","),
            subject,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A unit's shifts from `from` to `to` (dates, inclusive), with their swaps.
    pub async fn shifts_between(
        &self,
        unit_id: i64,
        from: &str,
        to: &str,
    ) -> Result<Vec<ShiftRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {SHIFT_COLUMNS} FROM duty_shifts WHERE unit_id = $1 AND day >= $2 AND day <= $3 ORDER BY day"
        ))
        .bind(unit_id)
        .bind(from)
        .bind(to)
        .fetch_all(&self.read)
        .await?;
        let mut shifts = rows
            .iter()
            .map(shift_from_row)
            .collect::<Result<Vec<_>>>()?;
        for s in &mut shifts {
            let swaps = sqlx::query(
                "SELECT slot, from_name, to_name, reason, swapped_by_name, at FROM duty_swaps
                 WHERE shift_id = $1 ORDER BY id",
            )
            .bind(s.id)
            .fetch_all(&self.read)
            .await?;
            s.swaps = swaps
                .iter()
                .map(|r| {
                    Ok(SwapRow {
                        slot: code(r, "slot", Slot::parse)?,
                        from_name: r.try_get("from_name")?,
                        to_name: r.try_get("to_name")?,
                        reason: r.try_get("reason")?,
                        swapped_by_name: r.try_get("swapped_by_name")?,
                        at: r.try_get("at")?,
                    })
                })
                .collect::<Result<_>>()?;
        }
        Ok(shifts)
    }

    /// The shifts filed under a leading group, of units in `scope`, latest day first,
    /// each with its unit's name.
    pub async fn shifts_of_group(
        &self,
        group_id: i64,
        scope: &crate::Scope,
    ) -> Result<Vec<(ShiftRow, String)>> {
        let (lo, hi) = scope.bounds();
        let rows = sqlx::query(&format!(
            "SELECT {SHIFT_COLUMNS}, u.name AS unit_name FROM duty_shifts
             JOIN units u ON u.id = duty_shifts.unit_id
             WHERE duty_shifts.group_id = $1 AND u.path >= $2 AND u.path < $3
             ORDER BY duty_shifts.day DESC, u.path LIMIT 500"
        ))
        .bind(group_id)
        .bind(lo)
        .bind(hi)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| Ok((shift_from_row(r)?, r.try_get("unit_name")?)))
            .collect()
    }

    /// One shift, by id.
    pub async fn shift(&self, id: i64) -> Result<ShiftRow> {
        let row = sqlx::query(&format!(
            "SELECT {SHIFT_COLUMNS} FROM duty_shifts WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        shift_from_row(&row)
    }

    /// Records a swap: the shift as it becomes, and who was swapped for whom, with the
    /// audit row, in one transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn swap_shift(
        &self,
        shift_id: i64,
        unit_path: &str,
        after: &ShiftPlan,
        slot: Slot,
        from: &OnDuty,
        reason: &str,
        actor: &Actor,
    ) -> Result<()> {
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "UPDATE duty_shifts SET leader_name = $1, leader_phone = $2, staff = $3, updated_at = $4, updated_by = $5 WHERE id = $6",
        )
        .bind(&after.leader.name)
        .bind(&after.leader.phone)
        .bind(staff_json(&after.staff))
        .bind(now)
        .bind(actor.id)
        .bind(shift_id)
        .execute(&mut *tx)
        .await?;
        let to = match slot {
            Slot::Staff(i) => after.staff.get(i).cloned(),
            Slot::Leader => Some(after.leader.clone()),
        }
        .unwrap_or_default();
        sqlx::query(
            "INSERT INTO duty_swaps (shift_id, slot, from_name, to_name, to_phone, reason, swapped_by, swapped_by_name, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(shift_id)
        .bind(slot.code())
        .bind(&from.name)
        .bind(&to.name)
        .bind(&to.phone)
        .bind(reason)
        .bind(actor.id)
        .bind(&actor.name)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let detail = format!(
            "{} {}: {} -> {}",
            after.day,
            slot.code(),
            from.name,
            to.name
        );
        let subject = AuditSubject::UnitPath(unit_path);
        audit_in(&mut tx, actor, "duty_swapped", unit_path, &detail, subject).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The outgoing team writes what is pending. Returns the handover's id.
    pub async fn write_handover(
        &self,
        unit_id: i64,
        shift_id: i64,
        pending: &str,
        at: i64,
        actor: &Actor,
    ) -> Result<i64> {
        let id: i64 = sqlx::query(
            "INSERT INTO handovers (unit_id, shift_id, pending, written_by, written_by_name, written_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(unit_id)
        .bind(shift_id)
        .bind(pending)
        .bind(actor.id)
        .bind(&actor.name)
        .bind(at)
        .fetch_one(&self.write)
        .await?
        .try_get("id")?;
        Ok(id)
    }

    /// The incoming team acknowledges a handover, once. Returns whether this call did.
    pub async fn acknowledge_handover(
        &self,
        id: i64,
        note: &str,
        at: i64,
        actor: &Actor,
    ) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE handovers SET ack_by = $1, ack_by_name = $2, ack_note = $3, ack_at = $4
             WHERE id = $5 AND ack_at IS NULL",
        )
        .bind(actor.id)
        .bind(&actor.name)
        .bind(note)
        .bind(at)
        .bind(id)
        .execute(&self.write)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// A unit's handovers, newest first.
    pub async fn handovers(&self, unit_id: i64, limit: i64) -> Result<Vec<HandoverRow>> {
        let rows = sqlx::query(
            "SELECT h.id, h.unit_id, h.shift_id, s.day, h.pending, h.written_by_name, h.written_at,
                    h.ack_by_name, h.ack_note, h.ack_at
             FROM handovers h JOIN duty_shifts s ON s.id = h.shift_id
             WHERE h.unit_id = $1 ORDER BY h.id DESC LIMIT $2",
        )
        .bind(unit_id)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(handover_from_row).collect()
    }

    /// One handover, by id.
    pub async fn handover(&self, id: i64) -> Result<HandoverRow> {
        let row = sqlx::query(
            "SELECT h.id, h.unit_id, h.shift_id, s.day, h.pending, h.written_by_name, h.written_at,
                    h.ack_by_name, h.ack_note, h.ack_at
             FROM handovers h JOIN duty_shifts s ON s.id = h.shift_id WHERE h.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        handover_from_row(&row)
    }
}
