//! Who may change which settings. Settings belong to a unit: a unit's admin changes its
//! own subtree's (notice templates, which override the parent's), and settings that
//! speak for the whole installation (the public portal's contact block) belong to the
//! root unit's admins alone.

use crate::role::{Permission, Role};

/// Whose settings a change touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingScope {
    /// The whole installation: the public portal's contact block on `/`.
    Installation,
    /// One unit and the units below it: notice templates.
    Unit {
        /// The unit whose settings change is the caller's unit or below it.
        in_callers_subtree: bool,
    },
}

/// May a user with `role`, in a unit that is (or is not) the root of the tree, change
/// settings of `scope`?
pub fn may_change_settings(role: Role, caller_is_root: bool, scope: SettingScope) -> bool {
    if !role.can(Permission::Administer) {
        return false;
    }
    match scope {
        SettingScope::Installation => caller_is_root,
        SettingScope::Unit { in_callers_subtree } => in_callers_subtree,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_root_admin_changes_installation_settings() {
        assert!(may_change_settings(
            Role::Admin,
            true,
            SettingScope::Installation
        ));
        assert!(!may_change_settings(
            Role::Admin,
            false,
            SettingScope::Installation
        ));
        for r in Role::ALL.iter().filter(|r| **r != Role::Admin) {
            assert!(!may_change_settings(*r, true, SettingScope::Installation));
        }
    }

    #[test]
    fn a_unit_admin_changes_its_own_subtree_only() {
        let own = SettingScope::Unit {
            in_callers_subtree: true,
        };
        let other = SettingScope::Unit {
            in_callers_subtree: false,
        };
        assert!(may_change_settings(Role::Admin, false, own));
        assert!(!may_change_settings(Role::Admin, false, other));
        assert!(!may_change_settings(Role::Admin, true, other));
        assert!(!may_change_settings(Role::Auditor, true, own));
        assert!(!may_change_settings(Role::Leader, false, own));
    }
}
