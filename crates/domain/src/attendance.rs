//! Who must attend a group visit (集体访), by the group's size (DOMAIN.md, "Group visits"):
//! 20 or more people, the unit's principal leaders; 5–19, the deputy in charge and the
//! responsible department's head; and the case's owner leader in every group visit.

use crate::case::string_enum;

/// A group visit is five or more people.
pub const GROUP_MIN: i64 = 5;
/// From twenty people, the principal leaders attend in person.
pub const LARGE_GROUP_MIN: i64 = 20;

string_enum!(
    /// Why someone must attend.
    Why {
        PrincipalLeader => "principal_leader",
        DeputyInCharge => "deputy_in_charge",
        DepartmentHead => "department_head",
        OwnerLeader => "owner_leader",
    }
);

/// The people who must attend, each once, with why. `unit_leaders` are the leaders of the
/// unit that has the case, the principal one first; `department_heads` the leaders of the
/// responsible department (if the case was routed to one).
pub fn required(
    headcount: i64,
    unit_leaders: &[i64],
    department_heads: &[i64],
    owner: Option<i64>,
) -> Vec<(i64, Why)> {
    let mut out: Vec<(i64, Why)> = vec![];
    let mut add = |id: i64, why: Why| {
        if !out.iter().any(|(u, _)| *u == id) {
            out.push((id, why));
        }
    };
    if headcount < GROUP_MIN {
        return vec![];
    }
    if headcount >= LARGE_GROUP_MIN {
        for id in unit_leaders {
            add(*id, Why::PrincipalLeader);
        }
    } else {
        // The deputy in charge: the unit's second leader when it has several, else its only one.
        if let Some(id) = unit_leaders.get(1).or(unit_leaders.first()) {
            add(*id, Why::DeputyInCharge);
        }
        if let Some(id) = department_heads.first() {
            add(*id, Why::DepartmentHead);
        }
    }
    if let Some(id) = owner {
        add(id, Why::OwnerLeader);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_groups_need_nobody() {
        assert!(required(4, &[1, 2], &[9], Some(7)).is_empty());
    }

    #[test]
    fn five_to_nineteen_bring_the_deputy_and_the_department_head() {
        assert_eq!(
            required(5, &[1, 2, 3], &[9], None),
            vec![(2, Why::DeputyInCharge), (9, Why::DepartmentHead)]
        );
        assert_eq!(
            required(19, &[1], &[], None),
            vec![(1, Why::DeputyInCharge)]
        );
    }

    #[test]
    fn twenty_or_more_bring_every_principal_leader_and_the_owner_once() {
        assert_eq!(
            required(20, &[1, 2], &[9], Some(2)),
            vec![(1, Why::PrincipalLeader), (2, Why::PrincipalLeader)]
        );
        assert_eq!(
            required(60, &[1], &[], Some(5)),
            vec![(1, Why::PrincipalLeader), (5, Why::OwnerLeader)]
        );
    }
}
