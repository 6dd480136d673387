//! Recording a lifecycle action: the event and the new projection, in one transaction,
//! only if nobody changed the case since it was read.

use crate::cases::append_event;
use crate::{now_ms, Actor, Result, Scope, Store, StoreError, Unit};
use domain::lifecycle::Life;

/// What one action writes.
pub struct ActionRecord<'a> {
    /// The event kind: the action's name.
    pub kind: &'a str,
    pub payload: serde_json::Value,
    /// The case's lifecycle after the action.
    pub life: &'a Life,
    /// The unit that now has the case (a transfer or an assignment).
    pub move_to: Option<&'a Unit>,
    /// Staff to tell in the app, with the notification's kind and detail, written in the
    /// same transaction as the event.
    pub notify: Vec<(i64, &'a str, String)>,
    /// What the step counts toward the rates (`domain::stats::counted`), added to the
    /// tallies of the unit that held the case when the step was taken.
    pub tallies: Vec<domain::stats::Tally>,
}

impl Store {
    /// Appends the event and updates stage, state, due date, lifecycle and (when moved)
    /// the unit, if the case is still at `expected_version`; otherwise
    /// [`StoreError::Conflict`].
    pub async fn record_action(
        &self,
        scope: &Scope,
        id: i64,
        expected_version: i64,
        a: &ActionRecord<'_>,
        actor: &Actor,
    ) -> Result<()> {
        let current = self.case_summary(scope, id).await?;
        // The version check below then also proves the row is the one just read, whose
        // fields the volume tally moves the case from.
        if current.version != expected_version {
            return Err(StoreError::Conflict {
                current_version: current.version,
            });
        }
        let life = serde_json::to_string(a.life).map_err(|e| StoreError::Data(e.to_string()))?;
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        let n = sqlx::query(
            "UPDATE cases SET stage = $1, state = $2, due_on = $3, lifecycle = $4,
                 unit_id = $5, unit_path = $6, updated_at = $7, version = version + 1,
                 due_sort = COALESCE($3, $10), due_flag = ''
             WHERE id = $8 AND version = $9",
        )
        .bind(a.life.stage.as_str())
        .bind(a.life.stage.state().as_str())
        .bind(a.life.due().map(|d| d.to_string()))
        .bind(life)
        .bind(a.move_to.map(|u| u.id).unwrap_or(current.unit_id))
        .bind(match a.move_to {
            Some(u) => u.path.clone(),
            None => self.unit(current.unit_id).await?.path,
        })
        .bind(now)
        .bind(id)
        .bind(expected_version)
        .bind(crate::NO_DUE)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            tx.rollback().await?;
            let latest = self.case_summary(scope, id).await?;
            return Err(StoreError::Conflict {
                current_version: latest.version,
            });
        }
        append_event(&mut tx, id, a.kind, actor, now, &a.payload).await?;
        crate::stat_tallies::add_tallies(&mut tx, id, current.unit_id, &a.tallies).await?;
        let before = crate::volume_tallies::facts_of(&current)?;
        let after = domain::volume::VolumeFacts {
            unit_id: a.move_to.map_or(current.unit_id, |u| u.id),
            state: a.life.stage.state(),
            ..before.clone()
        };
        crate::volume_tallies::record_move(&mut tx, Some(&before), Some(&after)).await?;
        for (user, kind, detail) in &a.notify {
            sqlx::query(
                "INSERT INTO notifications (user_id, case_id, kind, detail, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(user)
            .bind(id)
            .bind(*kind)
            .bind(detail)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
