//! The registers' event enums and the fields each change carries. Field names are the
//! stored payload's keys; coded values are stored as their codes.

use super::Stored;
use crate::dispute::{DisputeKind, DisputeScale, LegalChannel, Outcome, ScreeningAnswer, Urgency};
use crate::inspection::{EstablishmentKind, OrderKind, Severity};
use serde::{Deserialize, Serialize};

/// What a dispute entry said when it was entered or corrected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeDetails {
    /// The responsible unit, by code.
    pub unit: String,
    pub kind: DisputeKind,
    pub title: String,
    pub region: String,
    pub address: String,
    pub parties: String,
    pub people: i64,
    pub scale: DisputeScale,
    pub urgency: Urgency,
    pub owner_name: String,
    pub hotspot: String,
}

/// A petition linked to or unlinked from a dispute entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedCase {
    pub case_id: i64,
    pub case_no: String,
}

/// A change to a dispute entry (register `dispute`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum DisputeEvent {
    Created(DisputeDetails),
    Edited(DisputeDetails),
    /// A step added to the resolution plan.
    StepAdded {
        step: i64,
        what: String,
        due_on: String,
        assignee: String,
    },
    StepDone {
        step: i64,
        what: String,
        done_on: String,
    },
    /// An entry in the mediation record.
    Mediation {
        held_on: String,
        mediator: String,
        agreed: String,
    },
    CaseLinked(LinkedCase),
    CaseUnlinked(LinkedCase),
    Closed {
        outcome: Outcome,
        /// The legal channel of a referral; stored as `""` when there is none.
        #[serde(default, with = "blank_channel")]
        channel: Option<LegalChannel>,
        note: String,
        closed_on: String,
    },
    /// A kind this build does not know, or a payload that does not fit its kind.
    #[serde(skip)]
    Other(Stored),
}

/// A change to a screening campaign (register `screening`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum ScreeningEvent {
    Created {
        title: String,
        sectors: String,
        starts_on: String,
        ends_on: String,
        /// The covered units, by code.
        units: Vec<String>,
    },
    /// A covered unit answered, with the dispute entries it found.
    Answered {
        unit: String,
        answer: ScreeningAnswer,
        note: String,
        disputes: Vec<i64>,
    },
    #[serde(skip)]
    Other(Stored),
}

/// A version of a plan put in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionInForce {
    pub version: i64,
    pub name: String,
}

/// Why a plan was proposed (the payload says which by its fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ProposedBy {
    /// A registered group visit of `headcount` people met the group-visit trigger.
    GroupVisit { case_id: i64, headcount: i64 },
    /// A hazard graded critical met the critical-hazard trigger.
    CriticalHazard {
        hazard_id: i64,
        trigger: HazardTrigger,
    },
}

/// The trigger a critical hazard meets; stored as `critical_hazard`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HazardTrigger {
    CriticalHazard,
}

/// A change to an emergency plan (register `plan`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum PlanEvent {
    Created(VersionInForce),
    Revised(VersionInForce),
    /// A trigger of the plan was met: activation proposed.
    Proposed(ProposedBy),
    /// An incident opened on the plan.
    Activated {
        incident_id: i64,
        version: i64,
        case_id: Option<i64>,
    },
    #[serde(skip)]
    Other(Stored),
}

/// A change to an incident (register `incident`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum IncidentEvent {
    Opened {
        plan_id: i64,
        version: i64,
        case_id: Option<i64>,
        title: String,
    },
    TaskAssigned {
        task_id: i64,
        team: String,
        title: String,
        due_at: String,
    },
    TaskDone {
        task_id: i64,
        team: String,
        title: String,
        note: String,
    },
    /// A free entry in the incident's log.
    Log { text: String },
    /// Closed with its after-action review.
    Closed {
        happened: String,
        worked: String,
        improve: String,
    },
    #[serde(skip)]
    Other(Stored),
}

/// One field of a leading group that a revision changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupChange {
    /// `name`, `starts_on`, `ends_on`, `head`, `head_phone`, `deputies`, `office` or
    /// `working_groups`.
    pub field: String,
    pub from: String,
    pub to: String,
}

/// A change to a leading group (register `leading_group`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum GroupEvent {
    Created {
        name: String,
        starts_on: String,
        ends_on: String,
        /// How many working groups it had.
        working_groups: i64,
    },
    /// The next version, naming each field that changed.
    Revised {
        version: i64,
        changes: Vec<GroupChange>,
    },
    #[serde(skip)]
    Other(Stored),
}

/// An inspection recorded; in both the establishment's and the campaign's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspected {
    /// The inspection's id.
    pub inspection: i64,
    /// The establishment's name.
    pub establishment: String,
    pub inspected_on: String,
    pub inspectors: String,
    /// Checklist items answered `fail`.
    pub failed_items: i64,
    /// Hazards found.
    pub hazards: i64,
}

/// A hazard found by an inspection; in both the establishment's and the campaign's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HazardFound {
    /// The hazard's id.
    pub hazard: i64,
    /// The establishment's name.
    pub establishment: String,
    pub severity: Severity,
    pub description: String,
}

/// An order issued about a hazard (its kind is the order's kind).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderIssued {
    pub hazard: i64,
    /// The order's id.
    pub order: i64,
    pub order_no: String,
    /// The establishment's name.
    pub establishment: String,
    pub issued_on: String,
    /// The deadline of a rectification order.
    pub due_on: Option<String>,
}

/// A hazard under rectification inspected again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reinspected {
    pub hazard: i64,
    /// The establishment's name.
    pub establishment: String,
    pub reinspected_on: String,
    pub fixed: bool,
    pub notes: String,
}

/// What happens to an establishment in a campaign: kept in both the establishment's and
/// the campaign's history, as the same kind and payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InspectionStep {
    Inspected(Inspected),
    HazardFound(HazardFound),
    Order(OrderKind, OrderIssued),
    Reinspected(Reinspected),
}

/// A change to an establishment (register `establishment`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum EstablishmentEvent {
    Imported {
        kind: EstablishmentKind,
        licence_no: String,
        name: String,
        address: String,
        region_code: String,
        /// The responsible unit, by code.
        unit: String,
    },
    Inspected(Inspected),
    HazardFound(HazardFound),
    RectificationOrder(OrderIssued),
    SuspensionOrder(OrderIssued),
    Reinspected(Reinspected),
    #[serde(skip)]
    Other(Stored),
}

/// A change to an inspection campaign (register `inspection_campaign`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum CampaignEvent {
    Created {
        name: String,
        kinds: Vec<EstablishmentKind>,
        /// The unit that runs it, by code.
        unit: String,
        /// The units it covers, by code.
        units: Vec<String>,
        starts_on: String,
        ends_on: String,
    },
    Inspected(Inspected),
    HazardFound(HazardFound),
    RectificationOrder(OrderIssued),
    SuspensionOrder(OrderIssued),
    Reinspected(Reinspected),
    #[serde(skip)]
    Other(Stored),
}

/// Implements `From<InspectionStep>` for a register that keeps the steps.
macro_rules! keeps_steps {
    ($name:ident) => {
        impl From<InspectionStep> for $name {
            fn from(step: InspectionStep) -> $name {
                match step {
                    InspectionStep::Inspected(i) => $name::Inspected(i),
                    InspectionStep::HazardFound(h) => $name::HazardFound(h),
                    InspectionStep::Order(OrderKind::Rectification, o) => {
                        $name::RectificationOrder(o)
                    }
                    InspectionStep::Order(OrderKind::Suspension, o) => $name::SuspensionOrder(o),
                    InspectionStep::Reinspected(r) => $name::Reinspected(r),
                }
            }
        }
    };
}

keeps_steps!(EstablishmentEvent);
keeps_steps!(CampaignEvent);

/// A hotspot's owner leader assigned or removed, with the hotspot's cases then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerChange {
    pub key: String,
    pub label: String,
    pub owner_id: i64,
    pub cases: Vec<i64>,
}

/// A change to a hotspot's owner (register `hotspot`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum HotspotEvent {
    OwnerAssigned(OwnerChange),
    OwnerRemoved(OwnerChange),
    #[serde(skip)]
    Other(Stored),
}

/// A legal channel stored as its code, or `""` (older rows: `null`) for none.
mod blank_channel {
    use crate::dispute::LegalChannel;
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(c: &Option<LegalChannel>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(c.map_or("", LegalChannel::as_str))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<LegalChannel>, D::Error> {
        match Option::<String>::deserialize(d)?.as_deref() {
            None | Some("") => Ok(None),
            Some(code) => LegalChannel::parse(code)
                .map(Some)
                .ok_or_else(|| D::Error::custom(format!("unknown legal channel {code}"))),
        }
    }
}
