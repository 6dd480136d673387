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
