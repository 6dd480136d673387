//! Leader sign-off (签发): a reply or opinion is drafted, then approved or sent back.

use super::*;

fn handling() -> Case {
    let mut c = Case::new();
    c.on("2026-03-03", route());
    c.on("2026-03-04", Command::Accept);
    c
}

#[test]
fn a_reply_is_a_draft_until_a_leader_approves_it() {
    let mut c = handling();
    let due = c.life.due();
    let ev = c.raw("2026-03-10", reply());
    assert!(ev.draft, "drafted, not issued");
    assert_eq!(c.life.stage, Stage::Handling);
    assert_eq!(c.life.due(), due, "the handling deadline still runs");
    assert_eq!(c.life.reply_outcome, None);
    assert!(c.life.awaiting_sign_off().is_some());
    assert_eq!(c.life.waiting_for(), Some(Action::Approve));
    let allowed = c.life.allowed_actions(d("2026-03-10"));
    assert!(allowed.contains(&Action::Approve) && allowed.contains(&Action::Return));
    assert!(
        !allowed.contains(&Action::Reply),
        "no second draft over a waiting one"
    );

    let ev = c.raw("2026-03-12", Command::Approve { issues: None });
    assert_eq!(ev.stage, Stage::ReplyDelivery);
    assert_eq!(
        ev.command,
        Command::Approve {
            issues: Some(Box::new(reply()))
        },
        "the approval carries what it issued"
    );
    assert_eq!(c.life.stage, Stage::ReplyDelivery);
    assert_eq!(c.life.reply_outcome, Some(Outcome::Support));
    assert_eq!(c.life.draft, None);
    let handling = c
        .life
        .deadlines
        .iter()
        .find(|x| x.stage == Stage::Handling)
        .expect("handling");
    assert_eq!(handling.met_on, Some(d("2026-03-12")), "met when issued");
}

#[test]
fn a_leader_returns_a_draft_with_comments_and_the_handler_redrafts() {
    let mut c = handling();
    c.raw("2026-03-10", reply());
    assert_eq!(
        c.try_on(
            "2026-03-11",
            Command::Return {
                comments: " ".into()
            }
        ),
        Err(LifecycleError::Invalid {
            field: "comments",
            code: "required"
        })
    );
    c.raw(
        "2026-03-11",
        Command::Return {
            comments: "依据引用不全，请补充".into(),
        },
    );
    assert_eq!(c.life.stage, Stage::Handling);
    assert_eq!(c.life.returned_comments(), Some("依据引用不全，请补充"));
    assert!(c.life.awaiting_sign_off().is_none());
    assert!(
        c.try_on("2026-03-11", Command::Approve { issues: None })
            .is_err(),
        "nothing to approve once returned"
    );
    assert_eq!(c.life.waiting_for(), Some(Action::Reply));
    c.raw("2026-03-12", reply());
    assert!(c.life.awaiting_sign_off().is_some());
    c.raw("2026-03-13", Command::Approve { issues: None });
    assert_eq!(c.life.stage, Stage::ReplyDelivery);
}

#[test]
fn review_opinions_are_signed_off_too() {
    let mut c = handling();
    c.on("2026-03-10", reply());
    c.on(
        "2026-03-11",
        Command::Deliver {
            received_on: d("2026-03-11"),
        },
    );
    c.on("2026-03-12", Command::RequestReview { reason: "r".into() });
    let ev = c.raw(
        "2026-03-20",
        Command::ReviewDecision {
            outcome: ReviewOutcome::Uphold,
            text: "维持".into(),
        },
    );
    assert!(ev.draft);
    assert_eq!(c.life.stage, Stage::Review);
    c.raw("2026-03-21", Command::Approve { issues: None });
    assert_eq!(c.life.stage, Stage::ReviewDelivery);
}

#[test]
fn a_voided_case_has_nothing_to_sign_off() {
    let mut c = handling();
    c.raw("2026-03-10", reply());
    c.raw(
        "2026-03-10",
        Command::Void {
            reason: "误登".into(),
        },
    );
    assert!(c
        .try_on("2026-03-11", Command::Approve { issues: None })
        .is_err());
}

#[test]
fn without_sign_off_a_reply_is_issued_at_once() {
    let mut c = handling();
    c.rules.sign_off = false;
    let ev = c.raw("2026-03-10", reply());
    assert!(!ev.draft);
    assert_eq!(c.life.stage, Stage::ReplyDelivery);
    assert!(c
        .try_on("2026-03-10", Command::Approve { issues: None })
        .is_err());
}

#[test]
fn the_shipped_rule_sets_say_whether_they_sign_off() {
    use crate::calendar::RuleSet;
    let on = |n: &str| RuleSet::shipped(n).expect(n).sign_off;
    assert!(on("cn-2022") && on("cn-2005"));
    assert!(!on("hotline-12345"));
}
