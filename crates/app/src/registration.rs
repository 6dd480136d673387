//! Registering a petition, by staff and through the public portal.

use crate::attachments::{self, Upload};
use crate::{App, AppError, AppResult, Caller};
use chrono::Datelike;
use domain::{NewCase, Permission, QueryCode, Registration};
use store::{Actor, NewRegistration, RegisterResult, StoreError, Unit};

impl App {
    /// Validates a registration against the category tree and today's date.
    pub async fn validate_registration(&self, input: &NewCase) -> AppResult<Registration> {
        let categories = self.categories().await?;
        let today = self.config.today();
        Ok(input.validate(&|c| categories.iter().any(|k| k.code == c), today)?)
    }

    /// Stores a validated registration in `unit`, with its routing deadline on the
    /// calendar, and its attachments. The files are written first, then the case and the
    /// attachments' rows commit in one transaction: a failure leaves no case and nothing
    /// to resubmit twice.
    pub async fn register_in(
        &self,
        reg: &Registration,
        unit: &Unit,
        actor: &Actor,
        files: &[Upload],
    ) -> AppResult<RegisterResult> {
        if unit.retired {
            return Err(AppError::field("unit", "unit_retired"));
        }
        let _writing = attachments::gate().read().await;
        let saved = attachments::save_all(
            &self.config.attachments_dir,
            files,
            self.config.max_upload_bytes,
        )
        .await?;
        let query_code = QueryCode::generate(&mut rand::thread_rng());
        let due = self
            .config
            .calendar
            .add(reg.received_on, self.config.rules.route);
        let year = self.config.today().year();
        let result = self
            .store
            .register(NewRegistration {
                reg: reg.clone(),
                unit: unit.clone(),
                query_code,
                year,
                due: Some((due.date, due.fallback)),
                actor: actor.clone(),
                attachments: saved,
            })
            .await?;
        // After the commit: a group visit that meets a plan's trigger raises a proposal
        // (a person decides). A failure here must not undo the registration.
        if let Err(e) = self.propose_plans(result.id, unit, reg.headcount).await {
            tracing::warn!(error = %e, case = result.id, "plan proposal failed");
        }
        Ok(result)
    }

    /// Validates and stores a staff registration with its uploads. Nothing is stored when
    /// anything is wrong.
    pub async fn register(
        &self,
        who: &Caller,
        input: &NewCase,
        files: &[Upload],
    ) -> AppResult<(RegisterResult, Unit)> {
        who.require(Permission::Register)?;
        let reg = self.validate_registration(input).await?;
        let unit = match &reg.unit {
            None => self.store.unit(who.unit_id).await?,
            Some(code) => match self.store.unit_by_code(code.as_str()).await {
                Ok(u) if who.scope().contains(&u.path) => u,
                Ok(_) | Err(StoreError::NotFound) => {
                    return Err(AppError::field("unit", "unit_out_of_scope"))
                }
                Err(e) => return Err(e.into()),
            },
        };
        let result = self.register_in(&reg, &unit, &who.actor(), files).await?;
        Ok((result, unit))
    }
}
