//! Links between cases on one matter: a duplicate, the same matter, an earlier stage.
//! Cases are linked by matter, never by person: nothing here looks at who petitioned.
//!
//! A link is made from one case (`from`) to another. Its kind reads from `from`:
//! - `duplicate_of`: `from` is a duplicate of the other case (重复件);
//! - `same_matter`: the two are on the same matter (同一事项);
//! - `earlier_stage`: the other case is an earlier stage of `from` (前一阶段), e.g. the
//!   petition the concluded procedure answered.
//!
//! Seen from the other case, the link reads the other way round ([`LinkKind::reading`]).

use crate::case::string_enum;
use crate::role::{Permission, Role};
use serde::{Deserialize, Serialize};

string_enum!(
    /// How two cases on one matter are related.
    LinkKind {
        DuplicateOf => "duplicate_of",
        SameMatter => "same_matter",
        EarlierStage => "earlier_stage",
    }
);

impl LinkKind {
    /// How the link reads from one of its cases: from the case it was made from (`inverse`
    /// false) `duplicate_of`, `same_matter`, `earlier_stage`; from the other case
    /// `duplicated_by`, `same_matter`, `later_stage`.
    pub fn reading(self, inverse: bool) -> &'static str {
        match (self, inverse) {
            (LinkKind::DuplicateOf, false) => "duplicate_of",
            (LinkKind::DuplicateOf, true) => "duplicated_by",
            (LinkKind::SameMatter, _) => "same_matter",
            (LinkKind::EarlierStage, false) => "earlier_stage",
            (LinkKind::EarlierStage, true) => "later_stage",
        }
    }
}

/// A link as one of its two cases records it, in the `case_linked` and `case_unlinked`
/// events: the other case (its number as it was) and how the link reads from this case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseLink {
    /// The other case's id.
    pub other: i64,
    pub other_no: String,
    pub kind: LinkKind,
    /// The link was made from the other case: its kind reads from there.
    #[serde(default)]
    pub inverse: bool,
}

impl CaseLink {
    /// How the link reads from this case (see [`LinkKind::reading`]).
    pub fn reading(&self) -> &'static str {
        self.kind.reading(self.inverse)
    }
}

/// What a user may do with one case: read it (it is in their scope), act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reach {
    pub reads: bool,
    pub acts: bool,
}

impl Reach {
    /// A case in the user's scope is read by every staff role, and acted on by the roles
    /// that work cases; a case out of scope neither.
    pub fn of(role: Role, in_scope: bool) -> Reach {
        Reach {
            reads: in_scope && role.can(Permission::ReadCases),
            acts: in_scope && role.can(Permission::LinkCases),
        }
    }
}

/// Whether a user may link two cases, or remove their link: staff who may act on at
/// least one of them and can read the other. Auditors and administrators change no case.
pub fn may_link(a: Reach, b: Reach) -> bool {
    (a.acts && b.reads) || (b.acts && a.reads)
}

/// Why a link cannot be made between two cases.
pub fn check_pair(a: i64, b: i64) -> Result<(), &'static str> {
    if a == b {
        Err("same_case")
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_reads_both_ways() {
        assert_eq!(LinkKind::DuplicateOf.reading(true), "duplicated_by");
        assert_eq!(LinkKind::EarlierStage.reading(true), "later_stage");
        assert_eq!(LinkKind::SameMatter.reading(true), "same_matter");
        for k in LinkKind::ALL {
            assert_eq!(k.reading(false), k.as_str());
            assert_eq!(LinkKind::parse(k.as_str()), Some(*k));
        }
    }

    #[test]
    fn staff_who_act_on_one_and_read_the_other_may_link() {
        for role in Role::ALL {
            let both = may_link(Reach::of(*role, true), Reach::of(*role, true));
            assert_eq!(both, role.can(Permission::LinkCases), "{role}");
            // A case out of scope is neither read nor acted on.
            assert!(!may_link(Reach::of(*role, true), Reach::of(*role, false)));
        }
        assert!(!may_link(
            Reach::of(Role::Auditor, true),
            Reach::of(Role::Auditor, true)
        ));
        assert!(!may_link(
            Reach::of(Role::Admin, true),
            Reach::of(Role::Admin, true)
        ));
        let reads_only = Reach {
            reads: true,
            acts: false,
        };
        let acts = Reach {
            reads: true,
            acts: true,
        };
        assert!(may_link(acts, reads_only));
        assert!(may_link(reads_only, acts));
        assert!(!may_link(reads_only, reads_only));
        assert!(!may_link(acts, Reach::default()));
    }

    #[test]
    fn a_case_is_not_linked_to_itself() {
        assert_eq!(check_pair(3, 3), Err("same_case"));
        assert_eq!(check_pair(3, 4), Ok(()));
    }
}
