//! Every register event's stored form is what the registers wrote before they were
//! typed, and reads back as the same event.

use super::*;
use crate::dispute::{DisputeKind, DisputeScale, LegalChannel, Outcome, ScreeningAnswer, Urgency};
use crate::inspection::{EstablishmentKind, OrderKind, Severity};
use serde_json::json;

/// Encodes `event`, checks the stored pair, and decodes it back unchanged.
fn stores_as<E: RegisterHistory + PartialEq + std::fmt::Debug>(
    event: E,
    kind: &str,
    payload: Value,
) {
    let stored = event.stored();
    assert_eq!(stored.kind, kind);
    assert_eq!(stored.payload, payload, "payload of {kind}");
    // The text written to the database is the same text as before: keys in order.
    assert_eq!(stored.payload.to_string(), payload.to_string());
    assert_eq!(E::decode(kind, &payload), event, "decoding {kind}");
}

fn details() -> DisputeDetails {
    DisputeDetails {
        unit: "3301".into(),
        kind: DisputeKind::WageArrears,
        title: "工地欠薪".into(),
        region: "330102".into(),
        address: "城东路1号".into(),
        parties: "某建筑公司与农民工".into(),
        people: 30,
        scale: DisputeScale::Large,
        urgency: Urgency::Urgent,
        owner_name: "王主任".into(),
        hotspot: "wage".into(),
    }
}

#[test]
fn dispute_events_store_as_before() {
    let p = json!({"unit": "3301", "kind": "wage_arrears", "title": "工地欠薪",
        "region": "330102", "address": "城东路1号", "parties": "某建筑公司与农民工",
        "people": 30, "scale": "large", "urgency": "urgent", "owner_name": "王主任",
        "hotspot": "wage"});
    stores_as(DisputeEvent::Created(details()), "created", p.clone());
    stores_as(DisputeEvent::Edited(details()), "edited", p);
    stores_as(
        DisputeEvent::StepAdded {
            step: 4,
            what: "约谈企业".into(),
            due_on: "2026-03-10".into(),
            assignee: "李四".into(),
        },
        "step_added",
        json!({"step": 4, "what": "约谈企业", "due_on": "2026-03-10", "assignee": "李四"}),
    );
    stores_as(
        DisputeEvent::StepDone {
            step: 4,
            what: "约谈企业".into(),
            done_on: "2026-03-09".into(),
        },
        "step_done",
        json!({"step": 4, "what": "约谈企业", "done_on": "2026-03-09"}),
    );
    stores_as(
        DisputeEvent::Mediation {
            held_on: "2026-03-11".into(),
            mediator: "调解员".into(),
            agreed: "分期支付".into(),
        },
        "mediation",
        json!({"held_on": "2026-03-11", "mediator": "调解员", "agreed": "分期支付"}),
    );
    let case = LinkedCase {
        case_id: 9,
        case_no: "XF-2026-0009".into(),
    };
    let p = json!({"case_id": 9, "case_no": "XF-2026-0009"});
    stores_as(
        DisputeEvent::CaseLinked(case.clone()),
        "case_linked",
        p.clone(),
    );
    stores_as(DisputeEvent::CaseUnlinked(case), "case_unlinked", p);
    stores_as(
        DisputeEvent::Closed {
            outcome: Outcome::Referred,
            channel: Some(LegalChannel::Arbitration),
            note: "转仲裁".into(),
            closed_on: "2026-03-12".into(),
        },
        "closed",
        json!({"outcome": "referred", "channel": "labour_arbitration", "note": "转仲裁",
            "closed_on": "2026-03-12"}),
    );
    stores_as(
        DisputeEvent::Closed {
            outcome: Outcome::Resolved,
            channel: None,
            note: String::new(),
            closed_on: "2026-03-12".into(),
        },
        "closed",
        json!({"outcome": "resolved", "channel": "", "note": "", "closed_on": "2026-03-12"}),
    );
}

#[test]
fn a_closing_without_a_channel_may_be_stored_as_null_or_absent() {
    let closed = DisputeEvent::Closed {
        outcome: Outcome::Unresolved,
        channel: None,
        note: "n".into(),
        closed_on: "2026-03-12".into(),
    };
    for p in [
        json!({"outcome": "unresolved", "channel": null, "note": "n", "closed_on": "2026-03-12"}),
        json!({"outcome": "unresolved", "note": "n", "closed_on": "2026-03-12"}),
    ] {
        assert_eq!(DisputeEvent::decode("closed", &p), closed);
    }
}

#[test]
fn screening_events_store_as_before() {
    stores_as(
        ScreeningEvent::Created {
            title: "春节前排查".into(),
            sectors: "建筑,教育".into(),
            starts_on: "2026-01-05".into(),
            ends_on: "2026-01-20".into(),
            units: vec!["330102".into(), "330103".into()],
        },
        "created",
        json!({"title": "春节前排查", "sectors": "建筑,教育", "starts_on": "2026-01-05",
            "ends_on": "2026-01-20", "units": ["330102", "330103"]}),
    );
    stores_as(
        ScreeningEvent::Answered {
            unit: "330102".into(),
            answer: ScreeningAnswer::Found,
            note: "两处".into(),
            disputes: vec![3, 5],
        },
        "answered",
        json!({"unit": "330102", "answer": "found", "note": "两处", "disputes": [3, 5]}),
    );
}

#[test]
fn plan_and_incident_events_store_as_before() {
    let v = VersionInForce {
        version: 2,
        name: "群体访预案".into(),
    };
    let p = json!({"version": 2, "name": "群体访预案"});
    stores_as(PlanEvent::Created(v.clone()), "created", p.clone());
    stores_as(PlanEvent::Revised(v), "revised", p);
    stores_as(
        PlanEvent::Proposed(ProposedBy::GroupVisit {
            case_id: 7,
            headcount: 60,
        }),
        "proposed",
        json!({"case_id": 7, "headcount": 60}),
    );
    stores_as(
        PlanEvent::Proposed(ProposedBy::CriticalHazard {
            hazard_id: 4,
            trigger: HazardTrigger::CriticalHazard,
        }),
        "proposed",
        json!({"hazard_id": 4, "trigger": "critical_hazard"}),
    );
    stores_as(
        PlanEvent::Activated {
            incident_id: 3,
            version: 2,
            case_id: None,
        },
        "activated",
        json!({"incident_id": 3, "version": 2, "case_id": null}),
    );
    stores_as(
        IncidentEvent::Opened {
            plan_id: 1,
            version: 2,
            case_id: Some(7),
            title: "60人集体访".into(),
        },
        "opened",
        json!({"plan_id": 1, "version": 2, "case_id": 7, "title": "60人集体访"}),
    );
    stores_as(
        IncidentEvent::TaskAssigned {
            task_id: 11,
            team: "接待组".into(),
            title: "引导至接待室".into(),
            due_at: "2026-03-03T10:30".into(),
        },
        "task_assigned",
        json!({"task_id": 11, "team": "接待组", "title": "引导至接待室",
            "due_at": "2026-03-03T10:30"}),
    );
    stores_as(
        IncidentEvent::TaskDone {
            task_id: 11,
            team: "接待组".into(),
            title: "引导至接待室".into(),
            note: "已完成".into(),
        },
        "task_done",
        json!({"task_id": 11, "team": "接待组", "title": "引导至接待室", "note": "已完成"}),
    );
    stores_as(
        IncidentEvent::Log {
            text: "人员已疏散".into(),
        },
        "log",
        json!({"text": "人员已疏散"}),
    );
    stores_as(
        IncidentEvent::Closed {
            happened: "a".into(),
            worked: "b".into(),
            improve: "c".into(),
        },
        "closed",
        json!({"happened": "a", "worked": "b", "improve": "c"}),
    );
}

#[test]
fn group_events_store_as_before() {
    stores_as(
        GroupEvent::Created {
            name: "两会维稳领导小组".into(),
            starts_on: "2026-03-01".into(),
            ends_on: "2026-03-15".into(),
            working_groups: 3,
        },
        "created",
        json!({"name": "两会维稳领导小组", "starts_on": "2026-03-01",
            "ends_on": "2026-03-15", "working_groups": 3}),
    );
    stores_as(
        GroupEvent::Revised {
            version: 2,
            changes: vec![GroupChange {
                field: "office".into(),
                from: String::new(),
                to: "信访局".into(),
            }],
        },
        "revised",
        json!({"version": 2, "changes": [{"field": "office", "from": "", "to": "信访局"}]}),
    );
}

#[test]
fn inspection_events_store_as_before() {
    stores_as(
        EstablishmentEvent::Imported {
            kind: EstablishmentKind::SchoolCanteen,
            licence_no: "JY1".into(),
            name: "一中食堂".into(),
            address: "学院路".into(),
            region_code: "330102".into(),
            unit: "330102".into(),
        },
        "imported",
        json!({"kind": "school_canteen", "licence_no": "JY1", "name": "一中食堂",
            "address": "学院路", "region_code": "330102", "unit": "330102"}),
    );
    let inspected = Inspected {
        inspection: 5,
        establishment: "一中食堂".into(),
        inspected_on: "2026-04-01".into(),
        inspectors: "张三 李四".into(),
        failed_items: 2,
        hazards: 1,
    };
    let p = json!({"inspection": 5, "establishment": "一中食堂", "inspected_on": "2026-04-01",
        "inspectors": "张三 李四", "failed_items": 2, "hazards": 1});
    stores_as(
        EstablishmentEvent::Inspected(inspected.clone()),
        "inspected",
        p.clone(),
    );
    stores_as(CampaignEvent::Inspected(inspected), "inspected", p);
    let hazard = HazardFound {
        hazard: 8,
        establishment: "一中食堂".into(),
        severity: Severity::Serious,
        description: "冷藏温度过高".into(),
    };
    let p = json!({"hazard": 8, "establishment": "一中食堂", "severity": "serious",
        "description": "冷藏温度过高"});
    stores_as(
        EstablishmentEvent::HazardFound(hazard.clone()),
        "hazard_found",
        p.clone(),
    );
    stores_as(CampaignEvent::HazardFound(hazard), "hazard_found", p);
    stores_as(
        CampaignEvent::Created {
            name: "秋季食品安全检查".into(),
            kinds: vec![
                EstablishmentKind::SchoolCanteen,
                EstablishmentKind::Pharmacy,
            ],
            unit: "3301".into(),
            units: vec!["330102".into()],
            starts_on: "2026-09-01".into(),
            ends_on: "2026-09-30".into(),
        },
        "created",
        json!({"name": "秋季食品安全检查", "kinds": ["school_canteen", "pharmacy"],
            "unit": "3301", "units": ["330102"], "starts_on": "2026-09-01",
            "ends_on": "2026-09-30"}),
    );
}

#[test]
fn orders_and_reinspections_store_as_before_in_both_histories() {
    for kind in OrderKind::ALL {
        let order = OrderIssued {
            hazard: 8,
            order: 2,
            order_no: "ZG-2026-00002".into(),
            establishment: "一中食堂".into(),
            issued_on: "2026-04-02".into(),
            due_on: Some("2026-04-09".into()),
        };
        let p = json!({"hazard": 8, "order": 2, "order_no": "ZG-2026-00002",
            "establishment": "一中食堂", "issued_on": "2026-04-02", "due_on": "2026-04-09"});
        let step = InspectionStep::Order(*kind, order);
        stores_as(
            EstablishmentEvent::from(step.clone()),
            kind.as_str(),
            p.clone(),
        );
        stores_as(CampaignEvent::from(step), kind.as_str(), p);
    }
    let open_ended = OrderIssued {
        hazard: 8,
        order: 3,
        order_no: "TY-2026-00003".into(),
        establishment: "一中食堂".into(),
        issued_on: "2026-04-20".into(),
        due_on: None,
    };
    stores_as(
        CampaignEvent::SuspensionOrder(open_ended),
        "suspension_order",
        json!({"hazard": 8, "order": 3, "order_no": "TY-2026-00003",
            "establishment": "一中食堂", "issued_on": "2026-04-20", "due_on": null}),
    );
    let step = InspectionStep::Reinspected(Reinspected {
        hazard: 8,
        establishment: "一中食堂".into(),
        reinspected_on: "2026-04-10".into(),
        fixed: true,
        notes: "已整改".into(),
    });
    let p = json!({"hazard": 8, "establishment": "一中食堂", "reinspected_on": "2026-04-10",
        "fixed": true, "notes": "已整改"});
    stores_as(
        EstablishmentEvent::from(step.clone()),
        "reinspected",
        p.clone(),
    );
    stores_as(CampaignEvent::from(step), "reinspected", p);
}

#[test]
fn hotspot_events_store_as_before() {
    let o = OwnerChange {
        key: "region:330102".into(),
        label: "城东".into(),
        owner_id: 4,
        cases: vec![1, 2],
    };
    let p = json!({"key": "region:330102", "label": "城东", "owner_id": 4, "cases": [1, 2]});
    stores_as(
        HotspotEvent::OwnerAssigned(o.clone()),
        "owner_assigned",
        p.clone(),
    );
    stores_as(HotspotEvent::OwnerRemoved(o), "owner_removed", p);
}

#[test]
fn unknown_kinds_and_bad_payloads_are_kept_as_stored() {
    let p = json!({"anything": 1});
    let e = DisputeEvent::decode("escalated", &p);
    let other = Stored {
        kind: "escalated".into(),
        payload: p.clone(),
    };
    assert_eq!(e, DisputeEvent::Other(other.clone()));
    assert_eq!(e.stored(), other);
    assert_eq!(e.kind(), "escalated");
    // A known kind whose payload does not fit it: kept, not refused.
    let broken = json!({"outcome": "won", "note": 3});
    assert!(matches!(
        DisputeEvent::decode("closed", &broken),
        DisputeEvent::Other(Stored { ref kind, ref payload }) if kind == "closed" && *payload == broken
    ));
    assert!(matches!(
        PlanEvent::decode("proposed", &Value::Null),
        PlanEvent::Other(_)
    ));
    // Another register's kind is not taken for this one's.
    let log = json!({"text": "x"});
    assert!(matches!(
        PlanEvent::decode("log", &log),
        PlanEvent::Other(_)
    ));
    assert!(matches!(
        IncidentEvent::decode("log", &log),
        IncidentEvent::Log { .. }
    ));
}

#[test]
fn each_register_has_its_stored_name() {
    assert_eq!(DisputeEvent::REGISTER, "dispute");
    assert_eq!(ScreeningEvent::REGISTER, "screening");
    assert_eq!(PlanEvent::REGISTER, "plan");
    assert_eq!(IncidentEvent::REGISTER, "incident");
    assert_eq!(GroupEvent::REGISTER, "leading_group");
    assert_eq!(EstablishmentEvent::REGISTER, "establishment");
    assert_eq!(CampaignEvent::REGISTER, "inspection_campaign");
    assert_eq!(HotspotEvent::REGISTER, "hotspot");
}
