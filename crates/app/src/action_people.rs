//! Who an action concerns besides its actor: who is told in the app when a case reaches
//! their unit or a draft needs them.

use crate::App;
use domain::lifecycle::{Action, Command, Event, RouteMode};
use domain::Role;
use store::{Actor, CaseRecord, StoreError, Unit};

/// Notification kinds written with an action.
pub const ROUTED_IN: &str = "routed_in";
pub const SIGN_OFF_REQUESTED: &str = "sign_off_requested";
pub const DRAFT_RETURNED: &str = "draft_returned";

/// The staff to tell about `event`, with the notification's kind and detail.
pub async fn recipients(
    state: &App,
    record: &CaseRecord,
    event: &Event,
    actor: &Actor,
    move_to: Option<&Unit>,
) -> Result<Vec<(i64, &'static str, String)>, StoreError> {
    let mut out = vec![];
    let me = actor.id;
    match &event.command {
        // The receiving unit's handlers and leaders: the case is theirs now.
        Command::Route {
            mode: RouteMode::Transfer | RouteMode::Assign,
            ..
        } => {
            if let Some(u) = move_to {
                for id in state
                    .store
                    .unit_staff(u.id, &[Role::Handler, Role::Leader])
                    .await?
                {
                    out.push((id, ROUTED_IN, record.summary.unit_name.clone()));
                }
            }
        }
        // A draft: the leaders of the unit that drafted it must sign it off.
        c if event.draft && c.action().needs_sign_off() => {
            let unit_id = match (c.action(), me) {
                (Action::Reply, _) | (_, None) => record.summary.unit_id,
                (_, Some(id)) => state.store.user(id).await?.unit_id,
            };
            for id in state.store.unit_staff(unit_id, &[Role::Leader]).await? {
                out.push((id, SIGN_OFF_REQUESTED, c.action().as_str().to_string()));
            }
        }
        // Sent back: its drafter redrafts.
        Command::Return { comments } => {
            let events = state
                .store
                .case_events(&store::Scope::new("/"), record.summary.id)
                .await?;
            if let Some(drafter) = events
                .iter()
                .rev()
                .find(|e| e.event().step().is_some_and(|s| s.draft))
                .and_then(|e| e.actor_id)
            {
                out.push((drafter, DRAFT_RETURNED, comments.clone()));
            }
        }
        _ => {}
    }
    out.retain(|(id, _, _)| Some(*id) != me);
    Ok(out)
}
