//! Leaders' reception: publishing reception slots, answering appointment requests and
//! logging field visits (who may: `Permission::ManageOwnership`). A refusal a form
//! shows beside itself is `BadRequest` with its code.

use crate::{App, AppError, AppResult, Caller};
use chrono::NaiveDate;
use domain::reception::{check_slot, SlotInput};
use domain::{CaseNo, Permission};
use store::{Appointment, AppointmentAnswer, NewFieldVisit, NewSlot};

impl App {
    /// Publishes a reception slot in the caller's unit, after domain's slot rule. A
    /// refused slot is `BadRequest` with the rule's code.
    pub async fn publish_slot(&self, who: &Caller, slot: &NewSlot) -> AppResult<()> {
        who.require(Permission::ManageOwnership)?;
        let input = SlotInput {
            leader_name: &slot.leader_name,
            place: &slot.place,
            day: &slot.day,
            start_time: &slot.start_time,
            end_time: &slot.end_time,
            capacity: slot.capacity,
        };
        check_slot(&input, self.config.today()).map_err(AppError::BadRequest)?;
        let unit = self.store.unit(who.unit_id).await?;
        self.store.create_slot(&unit, slot, &who.actor()).await?;
        Ok(())
    }

    /// Answers an appointment of a unit in the caller's scope: a refusal needs a message,
    /// and another slot offered must be one of the caller's, not withdrawn.
    pub async fn answer_appointment(
        &self,
        who: &Caller,
        id: i64,
        answer: &AppointmentAnswer,
    ) -> AppResult<Appointment> {
        who.require(Permission::ManageOwnership)?;
        match answer {
            AppointmentAnswer::Decline { message } if message.trim().is_empty() => {
                return Err(AppError::BadRequest("required"))
            }
            AppointmentAnswer::Offer { slot_id, .. } => match self.store.slot(*slot_id).await {
                Ok(s) if !s.cancelled && who.scope().contains(&s.unit_path) => {}
                _ => return Err(AppError::BadRequest("slot_unavailable")),
            },
            _ => {}
        }
        Ok(self
            .store
            .answer_appointment(&who.scope(), id, answer, &who.actor())
            .await?)
    }

    /// Logs a leader's field visit of the caller's unit, on or before today, and the cases
    /// it took up, by their numbers (separated by spaces or commas; each in scope).
    pub async fn log_field_visit(
        &self,
        who: &Caller,
        visit: &NewFieldVisit,
        case_nos: &str,
    ) -> AppResult<i64> {
        who.require(Permission::ManageOwnership)?;
        if visit.leader_name.is_empty() || visit.place.is_empty() {
            return Err(AppError::BadRequest("required"));
        }
        let today = self.config.today();
        if !NaiveDate::parse_from_str(&visit.day, "%Y-%m-%d").is_ok_and(|d| d <= today) {
            return Err(AppError::BadRequest("invalid_date"));
        }
        let scope = who.scope();
        let mut case_ids = vec![];
        for no in case_nos
            .split(|c: char| c.is_whitespace() || c == ',' || c == '，' || c == '、')
            .filter(|s| !s.is_empty())
        {
            let Some(no) = CaseNo::parse(no) else {
                return Err(AppError::BadRequest("invalid_case_no"));
            };
            match self.store.case_id_by_no(&scope, no.as_str()).await {
                Ok(id) if !case_ids.contains(&id) => case_ids.push(id),
                Ok(_) => {}
                Err(_) => return Err(AppError::BadRequest("unknown_case")),
            }
        }
        let unit = self.store.unit(who.unit_id).await?;
        Ok(self
            .store
            .log_field_visit(&unit, visit, &case_ids, &who.actor())
            .await?)
    }
}
