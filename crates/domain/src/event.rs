//! Every kind of case event with its typed payload. A case's history is stored as rows of
//! `(kind, payload JSON)`; this module is the one place that turns an [`Event`] into that
//! pair and back. The timeline, the notices and the petitioner's track page all read
//! events through [`Event::decode`].
//!
//! The stored JSON is kept as it always was (the same kinds and field names), so older
//! rows decode, and a kind this build does not know decodes as [`Event::Other`].

use crate::case::{CaseType, Channel};
use crate::lifecycle::{self, Action, Command, RouteMode};
use crate::link::CaseLink;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// A unit as it was when an event happened: a later rename does not change what a notice
/// issued then says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct UnitRef {
    pub id: i64,
    pub code: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name_en: String,
}

impl UnitRef {
    /// The unit's name in English when asked for and known, else its Chinese name.
    pub fn name_in(&self, en: bool) -> &str {
        if en && !self.name_en.is_empty() {
            &self.name_en
        } else {
            &self.name
        }
    }
}

/// A petition registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registered {
    pub case_no: String,
    pub channel: Channel,
    #[serde(rename = "type")]
    pub case_type: CaseType,
    pub category: String,
    pub region: String,
    /// The unit it was registered in, by code (absent in bulk-loaded rows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub headcount: i64,
    pub anonymous: bool,
    pub received_on: NaiveDate,
}

/// One corrected field of a registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub from: String,
    pub to: String,
}

/// Something that happened to a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Registered(Registered),
    /// Registration fields corrected: field name → old and new value.
    Corrected(BTreeMap<String, Change>),
    AttachmentAdded {
        filename: String,
        sha256: String,
        size: i64,
    },
    OwnerAssigned {
        owner: String,
        owner_name: String,
    },
    AttendanceNotified {
        users: Vec<i64>,
        headcount: i64,
    },
    AttendanceRecorded {
        users: Vec<i64>,
    },
    /// A leader's field visit (领导下访) was logged with this case among its cases.
    FieldVisitLinked {
        visit_id: i64,
        day: String,
        place: String,
        leader_name: String,
    },
    /// The deadline job marked the case due soon.
    DueSoon {
        due_on: String,
    },
    /// The deadline job marked the case overdue.
    Overdue {
        due_on: String,
    },
    /// Closed when loaded in bulk (the lifecycle's own closing is a [`Event::Step`]).
    Closed {
        reason: String,
    },
    /// Linked to another case on the same matter; recorded on both cases.
    Linked(CaseLink),
    /// A link to another case removed; recorded on both cases.
    Unlinked(CaseLink),
    /// A supervision order (督办单) about this case was issued to the unit holding it.
    SupervisionOrdered(OrderRef),
    /// The receiving unit answered a supervision order in writing.
    SupervisionAnswered {
        order: OrderRef,
        text: String,
    },
    /// The issuing unit withdrew an order it had issued (e.g. issued in error, or the
    /// matter was settled another way); nothing more is owed on it.
    SupervisionWithdrawn {
        order: OrderRef,
        reason: String,
    },
    /// A reminder (催办) about an open order: by hand, or by the scheduled job.
    SupervisionReminded {
        order: OrderRef,
        scheduled: bool,
    },
    /// Put under listed supervision (挂牌督办).
    SupervisionListed {
        reason: String,
    },
    /// Listed supervision lifted.
    SupervisionUnlisted {
        reason: String,
    },
    /// A lifecycle step (its kind is the action's name): route, accept, reply, …
    Step(lifecycle::Event),
    /// A kind this build does not know, kept as stored.
    Other {
        kind: String,
        payload: Value,
    },
}

/// A supervision order as the case's events name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRef {
    pub order_id: i64,
    pub order_no: String,
    /// The unit the order was sent to, as it was then.
    pub to_unit: UnitRef,
    pub due_on: NaiveDate,
    #[serde(default)]
    pub reason: String,
}

#[derive(Serialize, Deserialize)]
struct Answered {
    #[serde(flatten)]
    order: OrderRef,
    text: String,
}

/// The order's own `reason` is why it was issued; why it was withdrawn is a field of its
/// own.
#[derive(Serialize, Deserialize)]
struct Withdrawn {
    #[serde(flatten)]
    order: OrderRef,
    withdrawn_because: String,
}

#[derive(Serialize, Deserialize)]
struct Reminded {
    #[serde(flatten)]
    order: OrderRef,
    #[serde(default)]
    scheduled: bool,
}

#[derive(Serialize, Deserialize)]
struct Attachment {
    filename: String,
    #[serde(default)]
    sha256: String,
    #[serde(default)]
    size: i64,
}

#[derive(Serialize, Deserialize)]
struct Owner {
    owner: String,
    #[serde(default)]
    owner_name: String,
}

#[derive(Serialize, Deserialize)]
struct Notified {
    users: Vec<i64>,
    #[serde(default)]
    headcount: i64,
}

#[derive(Serialize, Deserialize)]
struct Recorded {
    users: Vec<i64>,
}

#[derive(Serialize, Deserialize)]
struct Visit {
    visit_id: i64,
    day: String,
    place: String,
    leader_name: String,
}

#[derive(Serialize, Deserialize)]
struct Due {
    due_on: String,
}

#[derive(Serialize, Deserialize)]
struct Reason {
    #[serde(default)]
    reason: String,
}

fn to_value<T: Serialize>(v: &T) -> Value {
    // These are plain structs with string keys: serializing them cannot fail.
    serde_json::to_value(v).unwrap_or_default()
}

impl Event {
    /// The stored kind: `registered`, `corrected`, …, or the action's name for a step.
    pub fn kind(&self) -> &str {
        match self {
            Event::Registered(_) => "registered",
            Event::Corrected(_) => "corrected",
            Event::AttachmentAdded { .. } => "attachment_added",
            Event::OwnerAssigned { .. } => "owner_assigned",
            Event::AttendanceNotified { .. } => "attendance_notified",
            Event::AttendanceRecorded { .. } => "attendance_recorded",
            Event::FieldVisitLinked { .. } => "field_visit_linked",
            Event::DueSoon { .. } => "due_soon",
            Event::Overdue { .. } => "overdue",
            Event::Closed { .. } => "closed",
            Event::Linked(_) => "case_linked",
            Event::Unlinked(_) => "case_unlinked",
            Event::SupervisionOrdered(_) => "supervision_ordered",
            Event::SupervisionAnswered { .. } => "supervision_answered",
            Event::SupervisionWithdrawn { .. } => "supervision_withdrawn",
            Event::SupervisionReminded { .. } => "supervision_reminded",
            Event::SupervisionListed { .. } => "supervision_listed",
            Event::SupervisionUnlisted { .. } => "supervision_unlisted",
            Event::Step(s) => s.command.action().as_str(),
            Event::Other { kind, .. } => kind,
        }
    }

    /// The stored payload.
    pub fn payload(&self) -> Value {
        match self {
            Event::Registered(r) => to_value(r),
            Event::Corrected(c) => to_value(c),
            Event::AttachmentAdded {
                filename,
                sha256,
                size,
            } => to_value(&Attachment {
                filename: filename.clone(),
                sha256: sha256.clone(),
                size: *size,
            }),
            Event::OwnerAssigned { owner, owner_name } => to_value(&Owner {
                owner: owner.clone(),
                owner_name: owner_name.clone(),
            }),
            Event::AttendanceNotified { users, headcount } => to_value(&Notified {
                users: users.clone(),
                headcount: *headcount,
            }),
            Event::AttendanceRecorded { users } => to_value(&Recorded {
                users: users.clone(),
            }),
            Event::FieldVisitLinked {
                visit_id,
                day,
                place,
                leader_name,
            } => to_value(&Visit {
                visit_id: *visit_id,
                day: day.clone(),
                place: place.clone(),
                leader_name: leader_name.clone(),
            }),
            Event::DueSoon { due_on } | Event::Overdue { due_on } => to_value(&Due {
                due_on: due_on.clone(),
            }),
            Event::Closed { reason } => to_value(&Reason {
                reason: reason.clone(),
            }),
            Event::Linked(l) | Event::Unlinked(l) => to_value(l),
            Event::SupervisionOrdered(o) => to_value(o),
            Event::SupervisionAnswered { order, text } => to_value(&Answered {
                order: order.clone(),
                text: text.clone(),
            }),
            Event::SupervisionWithdrawn { order, reason } => to_value(&Withdrawn {
                order: order.clone(),
                withdrawn_because: reason.clone(),
            }),
            Event::SupervisionReminded { order, scheduled } => to_value(&Reminded {
                order: order.clone(),
                scheduled: *scheduled,
            }),
            Event::SupervisionListed { reason } | Event::SupervisionUnlisted { reason } => {
                to_value(&Reason {
                    reason: reason.clone(),
                })
            }
            Event::Step(s) => to_value(s),
            Event::Other { payload, .. } => payload.clone(),
        }
    }

    /// Reads a stored event. A payload that does not fit its kind is kept as
    /// [`Event::Other`], so nothing stored is ever lost or refused.
    pub fn decode(kind: &str, payload: &Value) -> Event {
        fn de<T: for<'de> Deserialize<'de>>(p: &Value) -> Option<T> {
            T::deserialize(p).ok()
        }
        let typed = match kind {
            "registered" => de(payload).map(Event::Registered),
            "corrected" => de(payload).map(Event::Corrected),
            "attachment_added" => de::<Attachment>(payload).map(|a| Event::AttachmentAdded {
                filename: a.filename,
                sha256: a.sha256,
                size: a.size,
            }),
            "owner_assigned" => de::<Owner>(payload).map(|o| Event::OwnerAssigned {
                owner: o.owner,
                owner_name: o.owner_name,
            }),
            "attendance_notified" => de::<Notified>(payload).map(|n| Event::AttendanceNotified {
                users: n.users,
                headcount: n.headcount,
            }),
            "attendance_recorded" => {
                de::<Recorded>(payload).map(|r| Event::AttendanceRecorded { users: r.users })
            }
            "field_visit_linked" => de::<Visit>(payload).map(|v| Event::FieldVisitLinked {
                visit_id: v.visit_id,
                day: v.day,
                place: v.place,
                leader_name: v.leader_name,
            }),
            "due_soon" => de::<Due>(payload).map(|d| Event::DueSoon { due_on: d.due_on }),
            "overdue" => de::<Due>(payload).map(|d| Event::Overdue { due_on: d.due_on }),
            "closed" => de::<Reason>(payload).map(|r| Event::Closed { reason: r.reason }),
            "case_linked" => de(payload).map(Event::Linked),
            "case_unlinked" => de(payload).map(Event::Unlinked),
            "supervision_ordered" => de(payload).map(Event::SupervisionOrdered),
            "supervision_answered" => de::<Answered>(payload).map(|a| Event::SupervisionAnswered {
                order: a.order,
                text: a.text,
            }),
            "supervision_withdrawn" => {
                de::<Withdrawn>(payload).map(|w| Event::SupervisionWithdrawn {
                    order: w.order,
                    reason: w.withdrawn_because,
                })
            }
            "supervision_reminded" => de::<Reminded>(payload).map(|r| Event::SupervisionReminded {
                order: r.order,
                scheduled: r.scheduled,
            }),
            "supervision_listed" => {
                de::<Reason>(payload).map(|r| Event::SupervisionListed { reason: r.reason })
            }
            "supervision_unlisted" => {
                de::<Reason>(payload).map(|r| Event::SupervisionUnlisted { reason: r.reason })
            }
            _ => match Action::parse(kind) {
                Some(action) => de::<lifecycle::Event>(payload)
                    .filter(|s| s.command.action() == action)
                    .map(Event::Step),
                None => None,
            },
        };
        typed.unwrap_or_else(|| Event::Other {
            kind: kind.to_string(),
            payload: payload.clone(),
        })
    }

    /// The lifecycle step, if this is one.
    pub fn step(&self) -> Option<&lifecycle::Event> {
        match self {
            Event::Step(s) => Some(s),
            _ => None,
        }
    }

    /// The unit that holds the case after this event, by code, when the event moved it
    /// (registration, transfer, assignment). Used to follow old rows that carry no unit.
    pub fn moved_to(&self) -> Option<&str> {
        match self {
            Event::Registered(r) => r.unit.as_deref(),
            Event::Step(s) => match &s.command {
                Command::Route {
                    mode: RouteMode::Transfer | RouteMode::Assign,
                    unit,
                    ..
                } => s
                    .to_unit
                    .as_ref()
                    .map(|u| u.code.as_str())
                    .or(unit.as_deref()),
                _ => None,
            },
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Stage;
    use serde_json::json;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn stored_rows_of_every_kind_decode_and_encode_unchanged() {
        let rows = [
            (
                "registered",
                json!({"case_no":"ROOT-2026-000001","channel":"online","type":"claim","category":"labor",
                       "region":"330106","unit":"ROOT","headcount":1,"anonymous":false,"received_on":"2026-03-02"}),
            ),
            (
                "corrected",
                json!({"region":{"from":"330106","to":"330102"}}),
            ),
            (
                "attachment_added",
                json!({"filename":"a.pdf","sha256":"ab","size":3}),
            ),
            (
                "owner_assigned",
                json!({"owner":"xh_leader","owner_name":"王局长"}),
            ),
            ("attendance_notified", json!({"users":[1,2],"headcount":25})),
            ("attendance_recorded", json!({"users":[1]})),
            (
                "field_visit_linked",
                json!({"visit_id":3,"day":"2026-03-05","place":"西湖区信访局","leader_name":"王局长"}),
            ),
            ("due_soon", json!({"due_on":"2026-03-17"})),
            ("overdue", json!({"due_on":"2026-03-17"})),
            ("closed", json!({"reason":"归档"})),
            (
                "case_linked",
                json!({"other":7,"other_no":"330106-2025-000012","kind":"earlier_stage","inverse":false}),
            ),
            (
                "case_unlinked",
                json!({"other":3,"other_no":"330106-2026-000040","kind":"duplicate_of","inverse":true}),
            ),
            (
                "supervision_ordered",
                json!({"order_id":4,"order_no":"ROOT-DB-2026-0004","to_unit":{"id":7,"code":"330106","name":"西湖区信访局"},
                       "due_on":"2026-12-30","reason":"逾期未受理"}),
            ),
            (
                "supervision_answered",
                json!({"order_id":4,"order_no":"ROOT-DB-2026-0004","to_unit":{"id":7,"code":"330106","name":"西湖区信访局"},
                       "due_on":"2026-12-30","reason":"逾期未受理","text":"已于12月3日受理"}),
            ),
            (
                "supervision_withdrawn",
                json!({"order_id":4,"order_no":"ROOT-DB-2026-0004","to_unit":{"id":7,"code":"330106","name":"西湖区信访局"},
                       "due_on":"2026-12-30","reason":"逾期未受理","withdrawn_because":"误发"}),
            ),
            (
                "supervision_reminded",
                json!({"order_id":4,"order_no":"ROOT-DB-2026-0004","to_unit":{"id":7,"code":"330106","name":"西湖区信访局"},
                       "due_on":"2026-12-30","reason":"","scheduled":true}),
            ),
            ("supervision_listed", json!({"reason":"群众反映强烈"})),
            ("supervision_unlisted", json!({"reason":"已化解"})),
            (
                "route",
                json!({"on":"2026-03-03","action":"route","mode":"transfer","unit":"330106","channel":null,
                       "result_due":null,"stage":"acceptance","due":"2026-03-18","fallback":false,
                       "objection_due":"2026-03-10"}),
            ),
            (
                "reply",
                json!({"on":"2026-03-20","action":"reply","outcome":"support","text":"同意","basis":"第32条",
                       "stage":"reply_delivery","due":null,"fallback":false,"objection_due":null}),
            ),
        ];
        for (kind, payload) in rows {
            let e = Event::decode(kind, &payload);
            assert!(
                !matches!(e, Event::Other { .. }),
                "{kind} should decode: {payload}"
            );
            assert_eq!(e.kind(), kind);
            assert_eq!(e.payload(), payload, "{kind} re-encodes as stored");
        }
    }

    #[test]
    fn drafts_approvals_and_returns_decode_as_steps() {
        let draft = json!({"on":"2026-03-20","action":"reply","outcome":"support","text":"同意","basis":"第32条",
                           "stage":"handling","due":"2026-04-20","fallback":false,"objection_due":null,"draft":true});
        let e = Event::decode("reply", &draft);
        let step = e.step().expect("a draft is a step");
        assert!(step.draft);
        assert_eq!(step.effect(), None, "a draft issues nothing");
        assert_eq!(e.payload(), draft);

        let approve = json!({"on":"2026-03-21","action":"approve",
                             "issues":{"action":"reply","outcome":"support","text":"同意","basis":"第32条"},
                             "stage":"reply_delivery","due":null,"fallback":false,"objection_due":null});
        let e = Event::decode("approve", &approve);
        let step = e.step().expect("an approval is a step");
        assert!(matches!(
            step.effect(),
            Some(Command::Reply { text, .. }) if text == "同意"
        ));
        assert_eq!(e.payload(), approve);

        let ret = json!({"on":"2026-03-21","action":"return","comments":"依据不足",
                         "stage":"handling","due":"2026-04-20","fallback":false,"objection_due":null});
        let e = Event::decode("return", &ret);
        assert!(matches!(
            e.step().map(|s| &s.command),
            Some(Command::Return { comments }) if comments == "依据不足"
        ));
    }

    #[test]
    fn unknown_kinds_and_bad_payloads_are_kept_as_stored() {
        let p = json!({"anything": 1});
        let e = Event::decode("field_visit", &p);
        assert_eq!(
            e,
            Event::Other {
                kind: "field_visit".into(),
                payload: p.clone()
            }
        );
        assert_eq!(e.payload(), p);
        // A payload naming another action is not taken for this one.
        let route = json!({"on":"2026-03-03","action":"accept","stage":"handling"});
        assert!(matches!(
            Event::decode("route", &route),
            Event::Other { .. }
        ));
    }

    #[test]
    fn a_step_carries_the_units_as_they_were() {
        let step = lifecycle::Event {
            on: d("2026-03-03"),
            command: Command::Route {
                mode: RouteMode::Transfer,
                unit: Some("330106-RS".into()),
                channel: None,
                result_due: None,
            },
            stage: Stage::Acceptance,
            due: Some(d("2026-03-18")),
            fallback: false,
            objection_due: None,
            by_unit: Some(UnitRef {
                id: 1,
                code: "ROOT".into(),
                name: "信访局".into(),
                name_en: String::new(),
            }),
            to_unit: Some(UnitRef {
                id: 7,
                code: "330106-RS".into(),
                name: "西湖区人社局".into(),
                name_en: "Xihu HR".into(),
            }),
            draft: false,
        };
        let e = Event::Step(step.clone());
        let p = e.payload();
        assert_eq!(p["by_unit"]["name"], "信访局");
        assert_eq!(p["to_unit"]["code"], "330106-RS");
        assert_eq!(p["unit"], "330106-RS");
        assert_eq!(Event::decode("route", &p), e);
        assert_eq!(e.moved_to(), Some("330106-RS"));
        assert_eq!(
            step.to_unit.as_ref().map(|u| u.name_in(true)),
            Some("Xihu HR")
        );
    }
}
