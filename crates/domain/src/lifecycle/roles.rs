//! Which roles may take which action. Scope (whose unit) is checked by the caller.

use super::Action;
use crate::role::Role;

/// Whether `role` may take `action` on a case in its scope.
pub fn may_act(role: Role, action: Action) -> bool {
    use Action::*;
    use Role::*;
    match action {
        // The petition office routes, and closes or voids its records.
        Route | Close | Void | LinkConcluded => matches!(role, Supervisor),
        // The receiving body objects, decides acceptance, handles and replies.
        Object | Accept | Decline | Note | Reply => matches!(role, Handler | Leader | Supervisor),
        // Only a unit's leader approves an extension.
        Extend => matches!(role, Leader),
        // Recording what the petitioner did: received a reply, rated it, asked for review.
        Deliver | Rate | RequestReview | RequestRereview => {
            matches!(role, Clerk | Handler | Supervisor | Duty)
        }
        // Review opinions come from above the handling unit.
        ReviewDecision | RereviewDecision => matches!(role, Leader | Supervisor),
        // A leader signs off (签发) a drafted reply or opinion, or sends it back.
        Approve | Return => matches!(role, Leader),
    }
}

/// Whether `action` must come from a unit above the one that handles the case: review
/// and re-review opinions, and the sign-off of such an opinion's draft (a reply's draft is
/// signed off by a leader of any unit whose scope holds the case). `awaiting` is the draft
/// that awaits sign-off, if any.
pub fn needs_unit_above(action: Action, awaiting: Option<&super::Command>) -> bool {
    use super::Command;
    match action {
        Action::ReviewDecision | Action::RereviewDecision => true,
        Action::Approve | Action::Return => matches!(
            awaiting,
            Some(Command::ReviewDecision { .. } | Command::RereviewDecision { .. })
        ),
        _ => false,
    }
}

/// Whether `role`, acting from a unit that is (`above`) or is not above the handling
/// unit, may take `action`; `awaiting` is the draft awaiting sign-off, if any.
pub fn may_take(
    role: Role,
    action: Action,
    above: bool,
    awaiting: Option<&super::Command>,
) -> bool {
    may_act(role, action) && (above || !needs_unit_above(action, awaiting))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auditors_and_admins_take_no_case_actions() {
        for a in Action::ALL {
            assert!(!may_act(Role::Auditor, *a), "{a}");
            assert!(!may_act(Role::Admin, *a), "{a}");
        }
    }

    #[test]
    fn only_leaders_sign_off() {
        for r in Role::ALL {
            assert_eq!(may_act(*r, Action::Approve), *r == Role::Leader);
            assert_eq!(may_act(*r, Action::Return), *r == Role::Leader);
        }
    }

    #[test]
    fn only_leaders_extend() {
        for r in Role::ALL {
            assert_eq!(may_act(*r, Action::Extend), *r == Role::Leader);
        }
    }
}
