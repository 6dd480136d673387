//! The units a step records, and the refusal to send a case to the unit that holds it.

use super::*;
use crate::calendar::{Calendar, RuleSet};
use crate::case::Stage;
use crate::event::UnitRef;
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn unit(id: i64, code: &str, name: &str) -> UnitRef {
    UnitRef {
        id,
        code: code.into(),
        name: name.into(),
        name_en: String::new(),
    }
}

fn route(mode: RouteMode, code: &str) -> Command {
    Command::Route {
        mode,
        unit: Some(code.into()),
        channel: None,
        result_due: Some(d("2026-04-30")),
    }
}

fn decide_with(life: &Life, cmd: &Command, units: Units) -> Result<Event, LifecycleError> {
    let cal = Calendar::shipped();
    let rules = RuleSet::shipped("cn-2022").expect("rules");
    let ctx = Context {
        today: d("2026-03-03"),
        calendar: &cal,
        rules: &rules,
        units,
    };
    decide(life, cmd, &ctx)
}

fn registered() -> Life {
    Life::registered(d("2026-03-02"), Some((d("2026-03-17"), false)))
}

#[test]
fn a_case_is_not_transferred_or_assigned_to_the_unit_that_holds_it() {
    let office = unit(1, "ROOT", "省信访局");
    for mode in [RouteMode::Transfer, RouteMode::Assign] {
        let units = Units {
            holder: Some(office.clone()),
            actor: Some(office.clone()),
            target: Some(office.clone()),
        };
        assert_eq!(
            decide_with(&registered(), &route(mode, "root"), units),
            Err(LifecycleError::Invalid {
                field: "unit",
                code: "same_unit"
            }),
            "{mode}"
        );
    }
    // Handling it itself is the way to keep it.
    let units = Units {
        holder: Some(office.clone()),
        ..Units::default()
    };
    let own = Command::Route {
        mode: RouteMode::SelfHandle,
        unit: None,
        channel: None,
        result_due: None,
    };
    assert!(decide_with(&registered(), &own, units).is_ok());
}

#[test]
fn a_transfer_records_the_issuing_and_the_receiving_unit() {
    let office = unit(1, "ROOT", "省信访局");
    let hr = unit(7, "330106-RS", "西湖区人力资源和社会保障局");
    let ev = decide_with(
        &registered(),
        &route(RouteMode::Transfer, "330106-RS"),
        Units {
            holder: Some(office.clone()),
            actor: Some(office.clone()),
            target: Some(hr.clone()),
        },
    )
    .expect("transfer");
    assert_eq!(ev.by_unit, Some(office));
    assert_eq!(ev.to_unit, Some(hr));
}

#[test]
fn a_review_opinion_is_issued_by_the_unit_above() {
    let mut life = registered();
    life.stage = Stage::Review;
    let city = unit(2, "3301", "杭州市信访局");
    let county = unit(3, "330106", "西湖区信访局");
    let ev = decide_with(
        &life,
        &Command::ReviewDecision {
            outcome: ReviewOutcome::Uphold,
            text: "维持".into(),
        },
        Units {
            holder: Some(county.clone()),
            actor: Some(city.clone()),
            target: None,
        },
    )
    .expect("review");
    assert_eq!(ev.by_unit, Some(city.clone()));
    assert_eq!(ev.to_unit, None);
    // Acceptance is the holder's step.
    life.stage = Stage::Acceptance;
    let ev = decide_with(
        &life,
        &Command::Accept,
        Units {
            holder: Some(county.clone()),
            actor: Some(city),
            target: None,
        },
    )
    .expect("accept");
    assert_eq!(ev.by_unit, Some(county));
}

#[test]
fn a_signed_off_review_opinion_is_issued_by_the_unit_that_wrote_it() {
    let mut life = registered();
    life.stage = Stage::Review;
    let province = unit(1, "33", "浙江省信访局");
    let city = unit(2, "3301", "杭州市信访局");
    let county = unit(3, "330106", "西湖区信访局");
    let draft = decide_with(
        &life,
        &Command::ReviewDecision {
            outcome: ReviewOutcome::Uphold,
            text: "维持".into(),
        },
        Units {
            holder: Some(county.clone()),
            actor: Some(city.clone()),
            target: None,
        },
    )
    .expect("review drafted");
    assert!(draft.draft, "the rule set asks for sign-off");
    let life = life.apply(&draft);
    // A leader further up signs it off: the city, which wrote it, still issues it.
    let approved = decide_with(
        &life,
        &Command::Approve { issues: None },
        Units {
            holder: Some(county),
            actor: Some(province),
            target: None,
        },
    )
    .expect("approved");
    assert_eq!(approved.by_unit, Some(city));
}
