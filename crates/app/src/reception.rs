//! Leaders' reception: publishing reception slots.

use crate::{App, AppError, AppResult, Caller};
use domain::reception::{check_slot, SlotInput};
use domain::Permission;
use store::NewSlot;

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
}
