//! The duty roster (值班) and the handover log (交接班): planning shifts a week at a
//! time, copying a week forward, swapping with a record, the team on duty now, and the
//! outgoing team's handover acknowledged by the incoming one.

use crate::{App, AppError, AppResult, Caller};
use chrono::{Datelike, Duration, NaiveDate};
use domain::duty::roster::{check_handover, check_shift, shift_day, swap, OnDuty, ShiftPlan, Slot};
use domain::Permission;
use serde::Serialize;
use store::{HandoverRow, ShiftRow, Unit};

/// A week of a unit's roster, a day a row (a day without a shift has `None`).
#[derive(Debug, Clone, Serialize)]
pub struct RosterWeek {
    pub unit_code: String,
    pub unit_name: String,
    pub from: NaiveDate,
    pub days: Vec<RosterDay>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RosterDay {
    pub day: NaiveDate,
    pub shift: Option<ShiftRow>,
}

/// The team on duty now in one unit.
#[derive(Debug, Clone, Serialize)]
pub struct DutyTeam {
    pub unit_code: String,
    pub unit_name: String,
    pub shift: ShiftRow,
}

fn plan_of(s: &ShiftRow) -> AppResult<ShiftPlan> {
    Ok(ShiftPlan {
        day: s
            .day
            .parse()
            .map_err(|_| AppError::Internal(format!("shift {} day {}", s.id, s.day)))?,
        starts_at: chrono::NaiveTime::parse_from_str(&s.starts_at, "%H:%M")
            .unwrap_or_else(|_| domain::duty::roster::default_start()),
        leader: s.leader.clone(),
        staff: s.staff.clone(),
        group_id: s.group_id,
    })
}

/// The Monday of `d`'s week.
pub fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

impl App {
    /// Seven days of a unit's roster from `from` (this week's Monday when absent).
    pub async fn roster_week(
        &self,
        who: &Caller,
        unit: Option<&str>,
        from: Option<NaiveDate>,
    ) -> AppResult<RosterWeek> {
        let unit = self.unit_or_own(who, unit).await?;
        let from = from.unwrap_or_else(|| monday_of(self.config.today()));
        let to = from + Duration::days(6);
        let shifts = self
            .store
            .shifts_between(unit.id, &from.to_string(), &to.to_string())
            .await?;
        let days = (0..7)
            .map(|i| {
                let day = from + Duration::days(i);
                RosterDay {
                    day,
                    shift: shifts.iter().find(|s| s.day == day.to_string()).cloned(),
                }
            })
            .collect();
        Ok(RosterWeek {
            unit_code: unit.code,
            unit_name: unit.name,
            from,
            days,
        })
    }

    /// Plans shifts for a unit in scope; each must name a leader and staff with phones.
    pub async fn plan_shifts(
        &self,
        who: &Caller,
        unit: Option<&str>,
        shifts: &[ShiftPlan],
    ) -> AppResult<()> {
        who.require(Permission::ManageDuty)?;
        let unit = self.unit_or_own(who, unit).await?;
        if shifts.is_empty() || shifts.len() > 62 {
            return Err(AppError::field("shifts", "invalid_shift_count"));
        }
        for (i, s) in shifts.iter().enumerate() {
            check_shift(s).map_err(|(f, c)| AppError::field(&format!("shifts[{i}].{f}"), c))?;
            if let Some(g) = s.group_id {
                self.check_group_filing(&unit, s.day, g, &format!("shifts[{i}].group_id"))
                    .await?;
            }
        }
        self.store
            .save_shifts(unit.id, &unit.path, shifts, &who.actor())
            .await?;
        Ok(())
    }

    /// Copies the seven days from `from` onto the seven days from `to`. Returns how many
    /// shifts were copied. A copy stays under its leading group only on a day the group
    /// is still in force.
    pub async fn copy_week(
        &self,
        who: &Caller,
        unit: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> AppResult<usize> {
        who.require(Permission::ManageDuty)?;
        let unit = self.unit_or_own(who, unit).await?;
        let end = from + Duration::days(6);
        let shifts = self
            .store
            .shifts_between(unit.id, &from.to_string(), &end.to_string())
            .await?;
        if shifts.is_empty() {
            return Err(AppError::BadRequest("nothing_to_copy"));
        }
        let by = to - from;
        let mut copies = shifts
            .iter()
            .map(|s| {
                plan_of(s).map(|p| ShiftPlan {
                    day: p.day + by,
                    ..p
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        for c in &mut copies {
            if let Some(g) = c.group_id {
                if self
                    .check_group_filing(&unit, c.day, g, "group_id")
                    .await
                    .is_err()
                {
                    c.group_id = None;
                }
            }
        }
        self.store
            .save_shifts(unit.id, &unit.path, &copies, &who.actor())
            .await?;
        Ok(copies.len())
    }

    async fn shift_in_scope(&self, who: &Caller, id: i64) -> AppResult<(ShiftRow, Unit)> {
        let shift = self.store.shift(id).await?;
        let unit = self.store.unit(shift.unit_id).await?;
        if !who.scope().contains(&unit.path) {
            return Err(AppError::NotFound);
        }
        Ok((shift, unit))
    }

    /// Swaps one person on a shift for another, keeping a record of who swapped whom.
    pub async fn swap_duty(
        &self,
        who: &Caller,
        shift_id: i64,
        slot: &str,
        to: &OnDuty,
        reason: &str,
    ) -> AppResult<ShiftRow> {
        who.require(Permission::ManageDuty)?;
        let (shift, unit) = self.shift_in_scope(who, shift_id).await?;
        let slot = Slot::parse(slot).ok_or_else(|| AppError::field("slot", "unknown_duty_slot"))?;
        let (after, from) =
            swap(&plan_of(&shift)?, slot, to).map_err(|(f, c)| AppError::field(&f, c))?;
        let reason: String = reason.trim().chars().take(200).collect();
        self.store
            .swap_shift(
                shift.id,
                &unit.path,
                &after,
                slot,
                &from,
                &reason,
                &who.actor(),
            )
            .await?;
        let day = after.day.to_string();
        let rows = self.store.shifts_between(unit.id, &day, &day).await?;
        rows.into_iter().next().ok_or(AppError::NotFound)
    }

    /// The shift on duty now in a unit, if one is planned.
    pub async fn current_shift(&self, unit_id: i64) -> AppResult<Option<ShiftRow>> {
        let now = self
            .config
            .now()
            .with_timezone(&self.config.time_zone)
            .naive_local();
        let today = now.date();
        let yesterday = today.pred_opt().unwrap_or(today);
        let shifts = self
            .store
            .shifts_between(unit_id, &yesterday.to_string(), &today.to_string())
            .await?;
        // The latest-starting shift that has started.
        Ok(shifts
            .into_iter()
            .rev()
            .find(|s| plan_of(s).is_ok_and(|p| shift_day(now, p.starts_at) == p.day)))
    }

    /// The teams on duty now in the caller's unit and in its parent.
    pub async fn duty_teams(&self, who: &Caller) -> AppResult<Vec<DutyTeam>> {
        let unit = self.store.unit(who.unit_id).await?;
        let mut units = vec![unit.clone()];
        if let Some(p) = unit.parent_id {
            units.push(self.store.unit(p).await?);
        }
        let mut teams = vec![];
        for u in units {
            if let Some(shift) = self.current_shift(u.id).await? {
                teams.push(DutyTeam {
                    unit_code: u.code,
                    unit_name: u.name,
                    shift,
                });
            }
        }
        Ok(teams)
    }

    /// The outgoing team of the caller's unit writes what is pending for the next shift.
    pub async fn write_handover(&self, who: &Caller, pending: &str) -> AppResult<i64> {
        who.require(Permission::FileReports)?;
        check_handover(pending).map_err(|c| AppError::field("pending", c))?;
        let shift = self
            .current_shift(who.unit_id)
            .await?
            .ok_or(AppError::BadRequest("no_current_shift"))?;
        let at = self.config.clock.now_ms();
        Ok(self
            .store
            .write_handover(who.unit_id, shift.id, pending.trim(), at, &who.actor())
            .await?)
    }

    /// The incoming team acknowledges a handover of a unit in scope, once.
    pub async fn acknowledge_handover(
        &self,
        who: &Caller,
        id: i64,
        note: &str,
    ) -> AppResult<HandoverRow> {
        who.require(Permission::FileReports)?;
        let h = self.store.handover(id).await?;
        let unit = self.store.unit(h.unit_id).await?;
        if !who.scope().contains(&unit.path) {
            return Err(AppError::NotFound);
        }
        let note: String = note.trim().chars().take(2000).collect();
        let at = self.config.clock.now_ms();
        if !self
            .store
            .acknowledge_handover(id, &note, at, &who.actor())
            .await?
        {
            return Err(AppError::BadRequest("already_acknowledged"));
        }
        Ok(self.store.handover(id).await?)
    }

    /// A unit's handovers, newest first.
    pub async fn handovers(&self, who: &Caller, unit: Option<&str>) -> AppResult<Vec<HandoverRow>> {
        let unit = self.unit_or_own(who, unit).await?;
        Ok(self.store.handovers(unit.id, 50).await?)
    }
}
