//! Who takes each step of a demo case: a demo account whose role may take the action
//! (`domain::lifecycle::may_act`), in the unit that holds the case or the nearest unit
//! above it that has one, as in a live office.

use domain::lifecycle::{may_act, Action};
use domain::{Role, UnitRef};
use std::collections::HashMap;
use store::{Unit, User};

/// A demo account, as events record it.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: i64,
    pub username: String,
    /// The unit the account belongs to.
    pub unit: i64,
}

/// The demo's units and accounts.
pub struct Staff {
    units: HashMap<i64, Unit>,
    people: HashMap<i64, Vec<(Role, Person)>>,
}

/// Whom an office asks first: the petitioner's side of the work goes to a clerk, the
/// rest to a handler, then up the ranks.
fn preference(action: Action) -> [Role; 5] {
    use Role::*;
    match action {
        Action::Deliver | Action::Rate | Action::RequestReview | Action::RequestRereview => {
            [Clerk, Handler, Duty, Supervisor, Leader]
        }
        _ => [Handler, Leader, Supervisor, Clerk, Duty],
    }
}

impl Staff {
    pub fn new(units: Vec<Unit>, users: Vec<User>) -> Staff {
        let mut people: HashMap<i64, Vec<(Role, Person)>> = HashMap::new();
        for u in users {
            people.entry(u.unit_id).or_default().push((
                u.role,
                Person {
                    id: u.id,
                    username: u.username,
                    unit: u.unit_id,
                },
            ));
        }
        Staff {
            units: units.into_iter().map(|u| (u.id, u)).collect(),
            people,
        }
    }

    pub fn unit(&self, id: i64) -> Option<&Unit> {
        self.units.get(&id)
    }

    /// The unit as events record it.
    pub fn unit_ref(&self, id: i64) -> Option<UnitRef> {
        self.units.get(&id).map(|u| UnitRef {
            id: u.id,
            code: u.code.clone(),
            name: u.name.clone(),
            name_en: u.name_en.clone(),
        })
    }

    /// The units directly below `id` at `level`.
    pub fn children(&self, id: i64, level: domain::UnitLevel) -> Vec<i64> {
        let mut out: Vec<i64> = self
            .units
            .values()
            .filter(|u| u.parent_id == Some(id) && u.level == level)
            .map(|u| u.id)
            .collect();
        out.sort_unstable();
        out
    }

    /// Who takes `action` on a case held by `unit`: the first account, in this unit or
    /// the nearest one above, whose role may take it. With `above`, the search starts at
    /// the unit above (review opinions come from above the handling unit).
    pub fn who(&self, unit: i64, action: Action, above: bool) -> Option<&Person> {
        let mut at = if above {
            self.units.get(&unit)?.parent_id
        } else {
            Some(unit)
        };
        while let Some(id) = at {
            if let Some(people) = self.people.get(&id) {
                for role in preference(action) {
                    if !may_act(role, action) {
                        continue;
                    }
                    if let Some((_, p)) = people.iter().find(|(r, _)| *r == role) {
                        return Some(p);
                    }
                }
            }
            at = self.units.get(&id).and_then(|u| u.parent_id);
        }
        None
    }

    /// The clerk who registers a case received in `unit` (or the nearest one above).
    pub fn registrar(&self, unit: i64) -> Option<&Person> {
        let mut at = Some(unit);
        while let Some(id) = at {
            if let Some((_, p)) = self
                .people
                .get(&id)
                .and_then(|ps| ps.iter().find(|(r, _)| *r == Role::Clerk))
            {
                return Some(p);
            }
            at = self.units.get(&id).and_then(|u| u.parent_id);
        }
        None
    }
}
