//! Hearken's persistence: one API over embedded SQLite and PostgreSQL.
//!
//! Queries are runtime sqlx queries in portable SQL through the `Any` driver, so each
//! piece of business logic is written once. The backend is chosen from the URL. Every
//! query that reads or lists cases takes the caller's [`Scope`]; no caller can forget it.

mod accountability;
mod actions;
mod admin_changes;
mod annual;
mod audit;
mod case_list;
mod cases;
mod categories;
mod connect;
mod dispute_stats;
mod disputes;
mod duty;
mod error;
mod establishments;
mod exports;
mod feed;
mod hazard_plans;
mod hotspots;
mod incidents;
mod inspection_hazards;
mod inspection_overdue;
mod inspections;
mod intake;
mod jobs;
mod leading_groups;
mod links;
mod models;
mod notice_templates;
mod notifications;
mod ownership;
mod planner_hints;
mod plans;
mod public;
mod reception;
mod register_batch;
mod register_events;
mod registration_write;
mod report_history;
mod reports;
mod routing;
mod screenings;
mod search_source;
mod sessions;
mod stat_tallies;
mod stats;
mod supervision;
mod tokens;
mod units;
mod users;
mod volume_tallies;

pub mod bulk;

pub use accountability::{AccountabilityRecord, NewAccountability};
pub use actions::ActionRecord;
pub use admin_changes::{AuditNote, UserPage};
pub use annual::{AnnualTemplate, IssuedReport, NewIssuedReport, YearActivity};
pub use audit::AuditSubject;
pub use case_list::{
    like_escape, CaseCount, CaseFilter, Cursor, Order, Page, RateFilter, COUNT_CAP, NO_DUE,
};
pub use cases::{CasePatch, RegisterResult};
pub use connect::Backend;
pub use dispute_stats::OverdueByUnit;
pub use disputes::{
    Dispute, DisputeCase, DisputeData, DisputeFilter, DisputeRow, DisputeStep, Mediation,
};
pub use duty::{HandoverRow, ShiftRow, SwapRow};
pub use error::StoreError;
pub use establishments::{Establishment, NewEstablishment, ESTABLISHMENT_LIST_CAP};
pub use exports::{ExportJob, ExportPetitioner, NewExport};
pub use feed::{FeedItem, FeedPage, FeedPosition};
pub use hazard_plans::HazardProposal;
pub use hotspots::{HotspotOwner, MatterRow, MATTER_ROWS_CAP};
pub use inspections::{
    Campaign, CampaignStanding, CampaignUnit, ChecklistAnswer, Hazard, HazardOrder, Inspection,
    NewCampaign, NewInspection,
};
pub use intake::IntakeOffice;
pub use leading_groups::{LeadingGroup, NewLeadingGroup, WorkingGroup};
pub use links::{CaseLife, LinkRow};
pub use models::*;
pub use notice_templates::{notice_kinds, NoticeTemplate, TemplateSource, UnitTemplate};
pub use notifications::{DueCase, Notification};
pub use ownership::AttendanceRow;
pub use plans::{
    Activation, Incident, IncidentTask, NewPlan, Plan, PlanRow, PlanVersion, Proposal,
    NOTIFY_INCIDENT, NOTIFY_PROPOSAL,
};
pub use public::{TrackingKey, PORTAL_SETTING_KEYS};
pub use reception::{
    Appointment, AppointmentAnswer, FieldVisit, NewAppointment, NewFieldVisit, NewSlot,
    ReceptionSlot,
};
pub use register_batch::BatchCounts;
pub use register_events::RegisterEvent;
pub use registration_write::NewRegistration;
pub use report_history::{ReportCursor, ReportSearch};
pub use reports::{NewReport, NewSpecialPeriod, ReportRow, ScheduleRow, SpecialPeriodRow};
pub use routing::RoutingRule;
pub use screenings::{CoveredUnit, Finding, NewScreening, Screening, ScreeningRow};
pub use search_source::CaseText;
pub use stat_tallies::{tally_rows, RateMark, TallyRow, UnitRate};
pub use stats::{VolumeBy, VolumeRow};
pub use supervision::{
    BoardCell, NewOrder, OpenOrder, OrderCase, SupervisionOrder, NOTIFY_ANSWER, NOTIFY_LISTED,
    NOTIFY_ORDER, NOTIFY_REMINDER,
};
pub use volume_tallies::VolumeTallyRow;

use sqlx::AnyPool;

/// The store: a pool for reads and a pool for writes. On SQLite the write pool has a
/// single connection, so writers queue in-process instead of failing with `SQLITE_BUSY`;
/// on PostgreSQL both are the same pool.
#[derive(Clone)]
pub struct Store {
    read: AnyPool,
    write: AnyPool,
    backend: Backend,
    batcher: Option<register_batch::Batcher>,
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// A user's visibility: the subtree of one unit, named by its materialised path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    path: String,
}

impl Scope {
    pub fn new(unit_path: &str) -> Self {
        Scope {
            path: unit_path.to_string(),
        }
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// The half-open range `[lower, upper)` of paths inside this subtree. A path is
    /// `/1/5/23/`; every descendant starts with it, and `0` is the byte after `/`.
    pub fn bounds(&self) -> (String, String) {
        bounds_of(&self.path)
    }

    pub fn contains(&self, path: &str) -> bool {
        path.starts_with(&self.path)
    }

    /// Whether this is the subtree of a root unit (a path of one unit), or everything.
    pub fn is_root(&self) -> bool {
        self.path
            .trim_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .count()
            <= 1
    }

    /// The ids of the units from the root down to this one, in that order.
    pub(crate) fn unit_ids(&self) -> Vec<i64> {
        self.path
            .split('/')
            .filter_map(|s| s.parse().ok())
            .collect()
    }
}

pub(crate) fn bounds_of(path: &str) -> (String, String) {
    let mut upper = path.trim_end_matches('/').to_string();
    upper.push('0');
    (path.to_string(), upper)
}

pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
