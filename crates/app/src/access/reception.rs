//! Store calls about `reception` that the adapters use as they are.

use crate::{App, AppResult};
#[allow(unused_imports)]
use store::*;

impl App {
    /// Publishes a reception slot of `unit`.
    pub async fn create_slot(
        &self,
        unit: &Unit,
        s: &NewSlot,
        actor: &Actor,
    ) -> AppResult<ReceptionSlot> {
        Ok(self.store.create_slot(unit, s, actor).await?)
    }

    pub async fn slot(&self, id: i64) -> AppResult<ReceptionSlot> {
        Ok(self.store.slot(id).await?)
    }

    /// The public schedule: slots on or after `from_day` that were not cancelled.
    pub async fn public_slots(&self, from_day: &str, limit: i64) -> AppResult<Vec<ReceptionSlot>> {
        Ok(self.store.public_slots(from_day, limit).await?)
    }

    /// Slots of the units in `scope` on or after `from_day`, cancelled ones included.
    pub async fn slots_in(&self, scope: &Scope, from_day: &str) -> AppResult<Vec<ReceptionSlot>> {
        Ok(self.store.slots_in(scope, from_day).await?)
    }

    /// Withdraws a slot from the public schedule; its appointments stay as they are.
    pub async fn cancel_slot(&self, scope: &Scope, id: i64) -> AppResult<()> {
        Ok(self.store.cancel_slot(scope, id).await?)
    }

    /// Records an appointment request; its reference is `YF{year}{id:06}`.
    pub async fn request_appointment(
        &self,
        a: &NewAppointment,
        year: i32,
    ) -> AppResult<Appointment> {
        Ok(self.store.request_appointment(a, year).await?)
    }

    /// The appointment with this reference; the caller checks the code.
    pub async fn appointment_by_ref(&self, ref_no: &str) -> AppResult<Option<Appointment>> {
        Ok(self.store.appointment_by_ref(ref_no).await?)
    }

    /// Appointments for the units in `scope`: open requests first, then the newest.
    pub async fn appointments_in(&self, scope: &Scope, limit: i64) -> AppResult<Vec<Appointment>> {
        Ok(self.store.appointments_in(scope, limit).await?)
    }

    /// The petitioner takes the other slot offered: the appointment is confirmed for it.
    pub async fn accept_offer(&self, id: i64) -> AppResult<Appointment> {
        Ok(self.store.accept_offer(id).await?)
    }

    /// Field visits of the units in `scope`, newest first, with their case numbers.
    pub async fn field_visits_in(&self, scope: &Scope, limit: i64) -> AppResult<Vec<FieldVisit>> {
        Ok(self.store.field_visits_in(scope, limit).await?)
    }
}
