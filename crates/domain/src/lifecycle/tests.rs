//! Every legal path through the lifecycle, and the illegal transitions refused.

use super::decide::Event;
use super::*;
use crate::calendar::{Calendar, RuleSet};
use crate::case::Stage;
use chrono::NaiveDate;
use proptest::prelude::*;

#[path = "sign_off_tests.rs"]
mod sign_off;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

struct Case {
    life: Life,
    cal: Calendar,
    rules: RuleSet,
}

impl Case {
    fn new() -> Case {
        let cal = Calendar::shipped();
        let rules = RuleSet::shipped("cn-2022").expect("rules");
        let routing = cal.add(d("2026-03-02"), rules.route);
        Case {
            life: Life::registered(d("2026-03-02"), Some((routing.date, routing.fallback))),
            cal,
            rules,
        }
    }

    fn try_on(&mut self, on: &str, cmd: Command) -> Result<Event, LifecycleError> {
        let ctx = Context {
            today: d(on),
            calendar: &self.cal,
            rules: &self.rules,
            units: Units::default(),
        };
        let ev = decide(&self.life, &cmd, &ctx)?;
        self.life = self.life.apply(&ev);
        Ok(ev)
    }

    /// Takes `cmd`; a draft that needs sign-off is approved the same day.
    fn on(&mut self, on: &str, cmd: Command) -> Event {
        let ev = self.raw(on, cmd);
        if ev.draft {
            return self.raw(on, Command::Approve { issues: None });
        }
        ev
    }

    fn raw(&mut self, on: &str, cmd: Command) -> Event {
        match self.try_on(on, cmd.clone()) {
            Ok(ev) => ev,
            Err(e) => panic!("{cmd:?} on {on} refused in {:?}: {e:?}", self.life.stage),
        }
    }
}

fn route() -> Command {
    Command::Route {
        mode: RouteMode::Transfer,
        unit: Some("330106".into()),
        channel: None,
        result_due: None,
    }
}

fn reply() -> Command {
    Command::Reply {
        outcome: Outcome::Support,
        text: "经核实，支持您的诉求。".into(),
        basis: "《劳动法》第五十条".into(),
    }
}

#[test]
fn registration_starts_routing_due_in_fifteen_days() {
    let c = Case::new();
    assert_eq!(c.life.stage, Stage::Routing);
    // 15 days after 2026-03-02 is 2026-03-17, a Tuesday.
    assert_eq!(c.life.due(), Some(d("2026-03-17")));
}

#[test]
fn the_full_path_to_rereview_and_conclusion() {
    let mut c = Case::new();
    let ev = c.on("2026-03-05", route());
    assert_eq!(ev.stage, Stage::Acceptance);
    assert_eq!(c.life.handling_unit.as_deref(), Some("330106"));
    // Objection: 5 working days after Thu 2026-03-05 → Thu 2026-03-12.
    assert_eq!(c.life.objection_due, Some(d("2026-03-12")));
    assert_eq!(c.life.due(), Some(d("2026-03-20")));
    c.on("2026-03-06", Command::Accept);
    assert_eq!(c.life.stage, Stage::Handling);
    // 60 days after 2026-03-06 is Tue 2026-05-05, inside the Labour Day holiday (May 1–5) → Wed May 6.
    assert_eq!(c.life.due(), Some(d("2026-05-06")));
    c.on(
        "2026-03-10",
        Command::Note {
            kind: NoteKind::Hearing,
            text: "召开听证会".into(),
        },
    );
    c.on(
        "2026-04-20",
        Command::Extend {
            days: 30,
            reason: "需要补充调查".into(),
        },
    );
    assert!(c.life.due() > Some(d("2026-05-06")));
    assert!(
        c.try_on(
            "2026-04-21",
            Command::Extend {
                days: 5,
                reason: "再延".into()
            }
        )
        .is_err(),
        "one extension only"
    );
    c.on("2026-05-20", reply());
    assert_eq!(c.life.stage, Stage::ReplyDelivery);
    c.on(
        "2026-05-25",
        Command::Deliver {
            received_on: d("2026-05-22"),
        },
    );
    assert_eq!(c.life.stage, Stage::ReviewWindow);
    assert_eq!(c.life.current().map(|x| x.start), Some(d("2026-05-22")));
    c.on(
        "2026-05-26",
        Command::Rate {
            rating: Rating::Dissatisfied,
        },
    );
    assert!(
        c.try_on(
            "2026-05-27",
            Command::Rate {
                rating: Rating::Satisfied
            }
        )
        .is_err(),
        "rated once"
    );
    c.on(
        "2026-06-10",
        Command::RequestReview {
            reason: "不服处理意见".into(),
        },
    );
    assert_eq!(c.life.stage, Stage::Review);
    c.on(
        "2026-07-01",
        Command::ReviewDecision {
            outcome: ReviewOutcome::Uphold,
            text: "维持原处理意见".into(),
        },
    );
    c.on(
        "2026-07-03",
        Command::Deliver {
            received_on: d("2026-07-03"),
        },
    );
    assert_eq!(c.life.stage, Stage::RereviewWindow);
    c.on(
        "2026-07-20",
        Command::RequestRereview {
            reason: "仍不服".into(),
        },
    );
    c.on(
        "2026-08-10",
        Command::RereviewDecision {
            outcome: ReviewOutcome::Uphold,
            text: "复核维持".into(),
        },
    );
    c.on(
        "2026-08-12",
        Command::Deliver {
            received_on: d("2026-08-11"),
        },
    );
    assert_eq!(c.life.stage, Stage::Concluded);
    c.on(
        "2026-08-13",
        Command::Close {
            reason: "复核终结，归档".into(),
        },
    );
    assert_eq!(c.life.stage, Stage::Closed);
    assert!(c
        .life
        .deadlines
        .iter()
        .filter(|x| x.due.is_some())
        .all(|x| x.met_on.is_some()));
}

#[test]
fn an_objection_returns_the_case_to_routing_within_five_working_days_only() {
    let mut c = Case::new();
    c.on("2026-03-05", route());
    c.on(
        "2026-03-09",
        Command::Object {
            reason: "不属于本单位职责".into(),
        },
    );
    assert_eq!(c.life.stage, Stage::Routing);
    c.on("2026-03-10", route());
    let late = c.try_on(
        "2026-03-30",
        Command::Object {
            reason: "太晚".into(),
        },
    );
    assert!(matches!(
        late,
        Err(LifecycleError::IllegalTransition {
            action: Action::Object,
            ..
        })
    ));
}

#[test]
fn legal_channel_decline_and_void_end_the_path() {
    let mut c = Case::new();
    c.on(
        "2026-03-03",
        Command::Route {
            mode: RouteMode::LegalChannel,
            unit: None,
            channel: Some("劳动人事争议仲裁".into()),
            result_due: None,
        },
    );
    assert_eq!(c.life.stage, Stage::Directed);
    c.on(
        "2026-03-04",
        Command::Close {
            reason: "已告知法定途径".into(),
        },
    );

    let mut c = Case::new();
    c.on("2026-03-03", route());
    c.on(
        "2026-03-04",
        Command::Decline {
            reason: "已在办理中".into(),
            refer_to: "区人社局".into(),
        },
    );
    assert_eq!(c.life.stage, Stage::Declined);

    let mut c = Case::new();
    c.on(
        "2026-03-03",
        Command::Void {
            reason: "重复登记".into(),
        },
    );
    assert_eq!(c.life.stage, Stage::Voided);
    assert!(c
        .try_on(
            "2026-03-04",
            Command::Void {
                reason: "again".into()
            }
        )
        .is_err());
}

#[test]
fn a_repeat_of_a_concluded_matter_is_registered_then_declined() {
    let mut c = Case::new();
    let ev = c.on(
        "2026-03-03",
        Command::LinkConcluded {
            case_no: "330106-2025-000001".into(),
        },
    );
    assert_eq!(ev.stage, Stage::Declined);
    c.on(
        "2026-03-04",
        Command::Close {
            reason: "已告知不予受理".into(),
        },
    );
    let mut c = Case::new();
    c.on("2026-03-03", route());
    assert!(
        c.try_on(
            "2026-03-04",
            Command::LinkConcluded {
                case_no: "x".into()
            }
        )
        .is_err(),
        "only while routing"
    );
}

#[test]
fn illegal_transitions_are_refused_with_the_stage() {
    let mut c = Case::new();
    for cmd in [
        Command::Accept,
        reply(),
        Command::Deliver {
            received_on: d("2026-03-03"),
        },
        Command::Close { reason: "x".into() },
    ] {
        let action = cmd.action();
        assert_eq!(
            c.try_on("2026-03-03", cmd),
            Err(LifecycleError::IllegalTransition {
                action,
                stage: Stage::Routing
            })
        );
    }
}

#[test]
fn commands_are_checked() {
    let mut c = Case::new();
    let bad = c.try_on(
        "2026-03-03",
        Command::Route {
            mode: RouteMode::Assign,
            unit: Some("330106".into()),
            channel: None,
            result_due: None,
        },
    );
    assert_eq!(
        bad,
        Err(LifecycleError::Invalid {
            field: "result_due",
            code: "date_not_in_future"
        })
    );
    c.on("2026-03-03", route());
    c.on("2026-03-04", Command::Accept);
    assert_eq!(
        c.try_on(
            "2026-03-05",
            Command::Extend {
                days: 31,
                reason: "x".into()
            }
        ),
        Err(LifecycleError::Invalid {
            field: "days",
            code: "extension_out_of_range"
        })
    );
    c.on("2026-03-06", reply());
    assert_eq!(
        c.try_on(
            "2026-03-07",
            Command::Deliver {
                received_on: d("2026-03-09")
            }
        ),
        Err(LifecycleError::Invalid {
            field: "received_on",
            code: "date_in_future"
        })
    );
}

#[test]
fn the_review_window_closes_after_thirty_days() {
    let mut c = Case::new();
    c.on("2026-03-03", route());
    c.on("2026-03-04", Command::Accept);
    c.on("2026-03-06", reply());
    c.on(
        "2026-03-09",
        Command::Deliver {
            received_on: d("2026-03-09"),
        },
    );
    let due = c.life.due().expect("window");
    let after = (due + chrono::Duration::days(1)).to_string();
    // The matter counts as concluded (Art. 36) only once the window has passed.
    assert!(!c.life.concluded(due), "the last day to ask is still open");
    assert!(c.life.concluded(d(&after)));
    assert!(c
        .try_on(
            &after,
            Command::RequestReview {
                reason: "晚了".into()
            }
        )
        .is_err());
    c.on(
        &after,
        Command::Close {
            reason: "复查期限届满".into(),
        },
    );
    assert!(
        c.life.concluded(d(&after)),
        "closed after the window: concluded"
    );
}

#[test]
fn a_case_closed_before_it_was_answered_is_not_concluded() {
    let mut c = Case::new();
    assert!(!c.life.concluded(d("2027-01-01")), "still being routed");
    c.on("2026-03-03", route());
    c.on("2026-03-04", Command::Accept);
    c.on("2026-03-06", reply());
    c.on(
        "2026-03-09",
        Command::Deliver {
            received_on: d("2026-03-09"),
        },
    );
    // Closed on the day the reply arrived: the window is still open until it passes.
    c.on(
        "2026-03-09",
        Command::Close {
            reason: "归档".into(),
        },
    );
    assert!(!c.life.concluded(d("2026-03-10")));
    assert!(c.life.concluded(d("2026-06-01")));
    let mut v = Case::new();
    v.on(
        "2026-03-03",
        Command::Void {
            reason: "登记错误".into(),
        },
    );
    assert!(!v.life.concluded(d("2027-01-01")));
}

fn any_command() -> impl Strategy<Value = Command> {
    prop_oneof![
        Just(route()),
        Just(Command::Route {
            mode: RouteMode::LegalChannel,
            unit: None,
            channel: Some("诉讼".into()),
            result_due: None
        }),
        Just(Command::Object { reason: "r".into() }),
        Just(Command::Accept),
        Just(Command::Decline {
            reason: "r".into(),
            refer_to: "x".into()
        }),
        Just(Command::Note {
            kind: NoteKind::Note,
            text: "t".into()
        }),
        (1u32..40).prop_map(|days| Command::Extend {
            days,
            reason: "r".into()
        }),
        Just(reply()),
        Just(Command::Rate {
            rating: Rating::Satisfied
        }),
        Just(Command::RequestReview { reason: "r".into() }),
        Just(Command::ReviewDecision {
            outcome: ReviewOutcome::Change,
            text: "t".into()
        }),
        Just(Command::RequestRereview { reason: "r".into() }),
        Just(Command::RereviewDecision {
            outcome: ReviewOutcome::Uphold,
            text: "t".into()
        }),
        Just(Command::Close { reason: "r".into() }),
        Just(Command::Void { reason: "r".into() }),
        Just(Command::LinkConcluded {
            case_no: "330106-2025-000001".into()
        }),
        Just(Command::Approve { issues: None }),
        Just(Command::Return {
            comments: "c".into()
        }),
    ]
}

proptest! {
    /// No sequence of commands reaches an illegal state: an accepted command always lands
    /// in a stage it allows, deadlines are met in order, and closed cases stay closed.
    #[test]
    fn no_sequence_reaches_an_illegal_state(cmds in prop::collection::vec((any_command(), 0i64..20), 1..40)) {
        let mut c = Case::new();
        let mut day = d("2026-03-02");
        for (cmd, gap) in cmds {
            day += chrono::Duration::days(gap);
            let before = c.life.stage;
            let cmd = match cmd {
                Command::Deliver { .. } => Command::Deliver { received_on: day },
                other => other,
            };
            let allowed = c.life.allowed_actions(day).contains(&cmd.action());
            match c.try_on(&day.to_string(), cmd) {
                Ok(_) => prop_assert!(allowed, "an action outside allowed_actions was accepted"),
                Err(LifecycleError::IllegalTransition { .. }) => prop_assert!(!allowed),
                Err(LifecycleError::Invalid { .. }) => {}
            }
            if matches!(before, Stage::Closed | Stage::Voided) {
                prop_assert_eq!(c.life.stage, before, "a closed case never reopens");
            }
            prop_assert!(c.life.deadlines.iter().filter(|x| x.met_on.is_none()).count() <= 1);
            prop_assert!(c.life.extended_days <= 30);
            // A draft awaits sign-off only in the stage it was drafted in.
            if let Some(cmd) = c.life.awaiting_sign_off() {
                prop_assert!(cmd.action().needs_sign_off());
            }
        }
    }
}
