//! Supervision (督查督办, Arts. 38–41 of the 2022 regulation) and accountability (问责,
//! Arts. 42–46): who may press a unit about its cases, when the unit's written answer is due,
//! and who may record that an official failed in a duty.
//!
//! Everything here concerns units, cases and officials' duties, never petitioners.

use crate::calendar::{Calendar, Due};
use crate::case::{string_enum, Stage};
use crate::role::Role;
use chrono::NaiveDate;

/// Days a unit has to answer a supervision order in writing unless the issuer sets another
/// period (2005 regulation, Art. 36: 30 days).
pub const DEFAULT_REPLY_DAYS: u32 = 30;

/// The longest reply period an issuer may set.
pub const MAX_REPLY_DAYS: u32 = 90;

/// Whether the unit at `upper` is strictly above the unit at `lower` in the unit tree.
/// Paths are materialised (`/1/5/23/`), so "above" is "a proper prefix of".
pub fn is_strictly_above(upper: &str, lower: &str) -> bool {
    upper.len() < lower.len() && lower.starts_with(upper) && upper.ends_with('/')
}

/// Supervisors and leaders of a unit above the target unit may issue a supervision order,
/// send a reminder, list a case for supervision, or record accountability about an official
/// of that unit. Nobody presses their own unit or a unit beside or above them.
pub fn may_supervise(role: Role, caller_unit_path: &str, target_unit_path: &str) -> bool {
    matches!(role, Role::Supervisor | Role::Leader)
        && is_strictly_above(caller_unit_path, target_unit_path)
}

/// Only the issuing unit withdraws its own order, through a supervisor or leader of that
/// unit (not a unit above it, which would issue its own order instead).
pub fn may_withdraw_order(role: Role, caller_unit_id: i64, issuer_unit_id: i64) -> bool {
    matches!(role, Role::Supervisor | Role::Leader) && caller_unit_id == issuer_unit_id
}

/// Accountability records are read by the roles that supervise and by auditors, within the
/// caller's subtree.
pub fn may_read_accountability(role: Role) -> bool {
    matches!(role, Role::Supervisor | Role::Leader | Role::Auditor)
}

/// The unit that receives an order answers it: its clerks (who keep the office's
/// correspondence), handlers, leaders and supervisors.
pub fn may_answer_order(role: Role) -> bool {
    matches!(
        role,
        Role::Clerk | Role::Handler | Role::Leader | Role::Supervisor
    )
}

/// Whether a user of `caller_unit_path` answers for the order sent to `order_unit_path`:
/// only the receiving unit itself, never a unit below or beside it.
pub fn answers_for(caller_unit_path: &str, order_unit_path: &str) -> bool {
    caller_unit_path == order_unit_path
}

/// The supervision board shows what is late under the caller: supervisors and leaders,
/// who press the units, and auditors, who read everything in scope.
pub fn may_read_board(role: Role) -> bool {
    matches!(role, Role::Supervisor | Role::Leader | Role::Auditor)
}

string_enum!(
    /// Where a late case's delay is, as the board groups it.
    DelayStage {
        /// Waiting to be transferred or assigned (Art. 22, 15 days).
        Routing => "routing",
        /// Waiting for the acceptance decision (Art. 23, 15 days).
        Acceptance => "acceptance",
        /// Being handled (Arts. 29–34, 60 days plus any extension).
        Handling => "handling",
        /// Under review or re-review (Arts. 35–36, 30 days each).
        Review => "review",
        /// Any other stage that has a deadline.
        Other => "other",
    }
);

impl DelayStage {
    /// The board's group of a lifecycle stage.
    pub fn of(stage: Stage) -> DelayStage {
        match stage {
            Stage::Routing => DelayStage::Routing,
            Stage::Acceptance => DelayStage::Acceptance,
            Stage::Handling => DelayStage::Handling,
            Stage::Review | Stage::Rereview => DelayStage::Review,
            _ => DelayStage::Other,
        }
    }

    /// The lifecycle stages in this group, for filtering the queue to exactly its cases.
    pub fn stages(self) -> Vec<Stage> {
        Stage::ALL
            .iter()
            .copied()
            .filter(|s| DelayStage::of(*s) == self)
            .collect()
    }
}

/// How many days a deadline `due` is past on `today` (0 when not past).
pub fn days_late(due: NaiveDate, today: NaiveDate) -> i64 {
    (today - due).num_days().max(0)
}

/// The last due date that still counts as *due soon* on `today`: a case due on or before
/// it, and not before today, has at most `window` working days left (see
/// [`crate::DueStatus::of`]).
pub fn due_soon_until(calendar: &Calendar, today: NaiveDate, window: u32) -> NaiveDate {
    let mut last = today;
    let mut d = today;
    // A window of working days spans at most a long holiday beyond it.
    for _ in 0..(window as usize * 3 + 15) {
        let Some(next) = d.succ_opt() else { break };
        d = next;
        if calendar.working_days_between(today, d).0 <= window {
            last = d;
        } else {
            break;
        }
    }
    last
}

/// Days before the reply date at which the scheduled reminder goes out.
pub const REMIND_DAYS_BEFORE: i64 = 3;

/// Days between scheduled reminders while an order is late.
pub const REMIND_EVERY_LATE: i64 = 7;

/// Whether the scheduled job should remind the receiving unit of an order today: once
/// when the reply date comes within [`REMIND_DAYS_BEFORE`] days, again once it has
/// passed, and then every [`REMIND_EVERY_LATE`] days while it stays unanswered.
/// `last` is the day of the latest reminder, by hand or scheduled.
pub fn reminder_due(
    state: OrderState,
    due_on: NaiveDate,
    today: NaiveDate,
    last: Option<NaiveDate>,
) -> bool {
    match order_standing(state, due_on, today) {
        OrderStanding::Settled => false,
        OrderStanding::Open { days_left } => {
            days_left <= REMIND_DAYS_BEFORE
                && last.is_none_or(|l| (due_on - l).num_days() > REMIND_DAYS_BEFORE)
        }
        OrderStanding::Late { .. } => {
            last.is_none_or(|l| l <= due_on || (today - l).num_days() >= REMIND_EVERY_LATE)
        }
    }
}

/// When the written answer to an order issued on `issued_on` is due. The period is counted
/// in calendar days; a due date on a rest day moves to the next working day, as the
/// lifecycle's deadlines do.
pub fn reply_due(calendar: &Calendar, issued_on: NaiveDate, days: u32) -> Due {
    calendar.add_days(issued_on, days)
}

/// Checks a reply period chosen by the issuer.
pub fn reply_days(requested: Option<u32>) -> Result<u32, SupervisionError> {
    match requested {
        None => Ok(DEFAULT_REPLY_DAYS),
        Some(d) if (1..=MAX_REPLY_DAYS).contains(&d) => Ok(d),
        Some(_) => Err(SupervisionError::ReplyDaysOutOfRange),
    }
}

string_enum!(
    /// Where a supervision order stands.
    OrderState {
        Issued => "issued",
        Answered => "answered",
        Withdrawn => "withdrawn",
    }
);

impl OrderState {
    pub fn is_answered(self) -> bool {
        self == OrderState::Answered
    }

    pub fn is_withdrawn(self) -> bool {
        self == OrderState::Withdrawn
    }
}

/// How an open order stands against its reply date on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderStanding {
    /// Answered or withdrawn: nothing more is owed.
    Settled,
    /// Open, and its reply date has not passed.
    Open { days_left: i64 },
    /// Open, and its reply date has passed.
    Late { days_late: i64 },
}

pub fn order_standing(state: OrderState, due_on: NaiveDate, today: NaiveDate) -> OrderStanding {
    if state != OrderState::Issued {
        return OrderStanding::Settled;
    }
    let d = (due_on - today).num_days();
    if d >= 0 {
        OrderStanding::Open { days_left: d }
    } else {
        OrderStanding::Late { days_late: -d }
    }
}

/// What may happen to an order in a state.
pub fn may_transition(from: OrderState, to: OrderState) -> bool {
    matches!(
        (from, to),
        (OrderState::Issued, OrderState::Answered) | (OrderState::Issued, OrderState::Withdrawn)
    )
}

string_enum!(
    /// The failures the regulation holds officials to account for (Arts. 42–46).
    AccountabilityKind {
        /// Did not register a petition, or registered it late (Art. 44).
        FailedToRegister => "failed_to_register",
        /// Did not accept, or declined without ground (Art. 44).
        FailedToAccept => "failed_to_accept",
        /// Did not send a notice or reply the law requires (Art. 44).
        FailedToNotify => "failed_to_notify",
        /// Missed a deadline for handling, reply or review (Art. 44).
        MissedDeadline => "missed_deadline",
        /// Shirked, stalled or passed the matter on (推诿、敷衍、拖延) (Art. 44).
        Shirked => "shirked",
        /// Made a wrong decision that harmed a petitioner's rights (Art. 43).
        WrongDecision => "wrong_decision",
        /// Disclosed a reporter's identity or materials (Art. 45).
        Disclosure => "disclosure",
        /// Retaliated against a petitioner (Art. 46).
        Retaliation => "retaliation",
        /// Caused a petition by acting against the law or policy (Art. 42).
        CausedByViolation => "caused_by_violation",
    }
);

impl AccountabilityKind {
    /// The article of the 2022 regulation that names this failure.
    pub fn article(self) -> u8 {
        use AccountabilityKind::*;
        match self {
            CausedByViolation => 42,
            WrongDecision => 43,
            FailedToRegister | FailedToAccept | FailedToNotify | MissedDeadline | Shirked => 44,
            Disclosure => 45,
            Retaliation => 46,
        }
    }
}

string_enum!(
    /// What was decided on an accountability record.
    AccountabilityDecision {
        /// Criticism and education (批评教育).
        Criticism => "criticism",
        /// Ordered to make a written self-examination (责令检查).
        SelfExamination => "self_examination",
        /// Admonished (诫勉).
        Admonition => "admonition",
        /// Referred for a disciplinary sanction (处分).
        Sanction => "sanction",
        /// Referred to the judicial authorities (移送司法机关).
        Referred => "referred",
        /// Examined and no fault found.
        NoFault => "no_fault",
    }
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SupervisionError {
    #[error("the reply period must be 1 to 90 days")]
    ReplyDaysOutOfRange,
    #[error("the order is no longer open")]
    OrderNotOpen,
}

impl SupervisionError {
    pub fn code(self) -> &'static str {
        match self {
            SupervisionError::ReplyDaysOutOfRange => "reply_days_out_of_range",
            SupervisionError::OrderNotOpen => "order_not_open",
        }
    }
}

/// Checks that an order in `from` may move to `to`.
pub fn transition(from: OrderState, to: OrderState) -> Result<(), SupervisionError> {
    if may_transition(from, to) {
        Ok(())
    } else {
        Err(SupervisionError::OrderNotOpen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn only_a_unit_strictly_above_presses() {
        assert!(is_strictly_above("/1/", "/1/5/"));
        assert!(is_strictly_above("/1/", "/1/5/23/"));
        assert!(!is_strictly_above("/1/5/", "/1/5/"));
        assert!(!is_strictly_above("/1/5/", "/1/"));
        assert!(!is_strictly_above("/1/5/", "/1/6/"));
        // "/1/5" is not a path prefix of "/1/50/": a sibling, not a parent.
        assert!(!is_strictly_above("/1/5", "/1/50/"));
    }

    #[test]
    fn supervisors_and_leaders_above_may_supervise() {
        for role in Role::ALL {
            let allowed = may_supervise(*role, "/1/", "/1/5/");
            assert_eq!(
                allowed,
                matches!(role, Role::Supervisor | Role::Leader),
                "{role}"
            );
            assert!(!may_supervise(*role, "/1/5/", "/1/5/"), "own unit: {role}");
            assert!(!may_supervise(*role, "/1/5/", "/1/"), "upwards: {role}");
        }
    }

    #[test]
    fn auditors_read_accountability_but_clerks_do_not() {
        assert!(may_read_accountability(Role::Auditor));
        assert!(!may_read_accountability(Role::Clerk));
        assert!(!may_read_accountability(Role::Handler));
    }

    #[test]
    fn the_reply_is_due_thirty_days_later_on_a_working_day() {
        let cal = Calendar::shipped();
        // 2026-09-01 + 30 days = 2026-10-01, the National Day holiday: due after it.
        let due = reply_due(&cal, d(2026, 9, 1), DEFAULT_REPLY_DAYS);
        assert!(due.date > d(2026, 10, 1));
        assert!(cal.is_workday(due.date).working);
        let plain = reply_due(&cal, d(2026, 11, 2), DEFAULT_REPLY_DAYS);
        assert_eq!(plain.date, d(2026, 12, 2));
    }

    #[test]
    fn reply_periods_are_bounded() {
        assert_eq!(reply_days(None), Ok(30));
        assert_eq!(reply_days(Some(15)), Ok(15));
        assert_eq!(
            reply_days(Some(0)),
            Err(SupervisionError::ReplyDaysOutOfRange)
        );
        assert_eq!(
            reply_days(Some(91)),
            Err(SupervisionError::ReplyDaysOutOfRange)
        );
    }

    #[test]
    fn an_open_order_turns_late_after_its_date() {
        let due = d(2026, 12, 2);
        assert_eq!(
            order_standing(OrderState::Issued, due, d(2026, 11, 30)),
            OrderStanding::Open { days_left: 2 }
        );
        assert_eq!(
            order_standing(OrderState::Issued, due, d(2026, 12, 5)),
            OrderStanding::Late { days_late: 3 }
        );
        assert_eq!(
            order_standing(OrderState::Answered, due, d(2026, 12, 5)),
            OrderStanding::Settled
        );
    }

    #[test]
    fn an_answered_order_stays_answered() {
        assert!(may_transition(OrderState::Issued, OrderState::Answered));
        assert!(!may_transition(OrderState::Answered, OrderState::Issued));
        assert!(!may_transition(OrderState::Withdrawn, OrderState::Answered));
    }

    #[test]
    fn only_the_receiving_unit_answers() {
        assert!(may_answer_order(Role::Clerk));
        assert!(!may_answer_order(Role::Auditor));
        assert!(answers_for("/1/5/", "/1/5/"));
        assert!(!answers_for("/1/5/9/", "/1/5/"));
        assert!(!answers_for("/1/", "/1/5/"));
    }

    #[test]
    fn the_board_groups_stages_where_the_delay_is() {
        assert_eq!(DelayStage::of(Stage::Rereview), DelayStage::Review);
        assert_eq!(
            DelayStage::Review.stages(),
            vec![Stage::Review, Stage::Rereview]
        );
        assert_eq!(DelayStage::Routing.stages(), vec![Stage::Routing]);
        assert_eq!(days_late(d(2026, 11, 20), d(2026, 11, 30)), 10);
        assert_eq!(days_late(d(2026, 12, 20), d(2026, 11, 30)), 0);
    }

    #[test]
    fn due_soon_until_matches_the_due_status() {
        let cal = Calendar::shipped();
        let today = d(2026, 11, 30);
        let until = due_soon_until(&cal, today, 3);
        let status = |day| crate::DueStatus::of(Some(day), today, &cal, 3);
        assert_eq!(status(until), crate::DueStatus::DueSoon);
        assert_eq!(
            status(until.succ_opt().expect("next")),
            crate::DueStatus::Ok
        );
    }

    #[test]
    fn scheduled_reminders_come_before_the_date_and_weekly_after() {
        let due = d(2026, 12, 10);
        let issued = OrderState::Issued;
        assert!(!reminder_due(issued, due, d(2026, 12, 1), None));
        assert!(reminder_due(issued, due, d(2026, 12, 7), None));
        assert!(!reminder_due(
            issued,
            due,
            d(2026, 12, 8),
            Some(d(2026, 12, 7))
        ));
        assert!(reminder_due(
            issued,
            due,
            d(2026, 12, 11),
            Some(d(2026, 12, 7))
        ));
        assert!(!reminder_due(
            issued,
            due,
            d(2026, 12, 12),
            Some(d(2026, 12, 11))
        ));
        assert!(reminder_due(
            issued,
            due,
            d(2026, 12, 18),
            Some(d(2026, 12, 11))
        ));
        assert!(!reminder_due(
            OrderState::Answered,
            due,
            d(2026, 12, 18),
            None
        ));
    }

    #[test]
    fn every_kind_names_its_article() {
        for k in AccountabilityKind::ALL {
            assert!((42..=46).contains(&k.article()), "{k}");
            assert_eq!(AccountabilityKind::parse(k.as_str()), Some(*k));
        }
    }
}
