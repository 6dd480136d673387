//! Plain records returned by the store.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub level: domain::UnitLevel,
    pub parent_id: Option<i64>,
    pub path: String,
    /// A retired unit keeps its cases and history but takes no new cases or users.
    pub retired: bool,
}

impl Unit {
    /// The unit as an event keeps it: a later rename does not change the record.
    pub fn event_ref(&self) -> domain::UnitRef {
        domain::UnitRef {
            id: self.id,
            code: self.code.clone(),
            name: self.name.clone(),
            name_en: self.name_en.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub level: domain::UnitLevel,
    pub parent_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: domain::Role,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub unit_path: String,
    #[serde(skip)]
    pub password_hash: String,
    pub failed_logins: i64,
    pub locked_until: Option<i64>,
    pub active: bool,
    /// Set by the first start and by an admin's reset: the user must choose a new
    /// password before doing anything else.
    pub must_change_password: bool,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: domain::Role,
    pub unit_id: i64,
    pub password_hash: String,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Category {
    pub code: String,
    pub parent: Option<String>,
    pub name: String,
    pub name_en: String,
    pub sort: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PetitionerRecord {
    pub name: String,
    pub phone: Option<String>,
    pub id_number: Option<String>,
    pub address: Option<String>,
    pub representative: bool,
}

/// A case row as listed in a queue: no personal data.
#[derive(Debug, Clone, Serialize)]
pub struct CaseSummary {
    pub id: i64,
    pub case_no: String,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub channel: domain::Channel,
    #[serde(rename = "type")]
    pub case_type: domain::CaseType,
    pub category: String,
    pub region: String,
    pub headcount: i64,
    pub anonymous: bool,
    pub respondent: String,
    pub state: domain::CaseState,
    pub stage: domain::Stage,
    pub due_on: Option<String>,
    pub received_on: String,
    pub registered_at: i64,
    pub version: i64,
    /// The first characters of the content, for the queue.
    pub excerpt: String,
    /// Under listed supervision (挂牌督办).
    pub listed: bool,
}

/// A whole case, as its page and `GET /api/v1/cases/{id}` show it.
#[derive(Debug, Clone, Serialize)]
pub struct CaseRecord {
    #[serde(flatten)]
    pub summary: CaseSummary,
    pub query_code: String,
    pub content: String,
    pub demands: String,
    pub petitioners: Vec<PetitionerRecord>,
    pub attachments: Vec<Attachment>,
    pub registered_by: Option<i64>,
    /// The lifecycle (`domain::lifecycle::Life`) as stored; empty for old rows.
    #[serde(skip)]
    pub lifecycle: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    pub id: i64,
    pub sha256: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub uploaded_at: i64,
}

#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub sha256: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
}

/// One entry of a case's timeline.
#[derive(Debug, Clone, Serialize)]
pub struct CaseEvent {
    pub seq: i64,
    pub case_id: i64,
    pub kind: String,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub at: i64,
    pub payload: serde_json::Value,
}

impl CaseEvent {
    /// The event, typed: decoded from its kind and payload in one place,
    /// [`domain::Event::decode`].
    pub fn event(&self) -> domain::Event {
        domain::Event::decode(&self.kind, &self.payload)
    }
}

/// Who did something, for events and the audit log.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<i64>,
    pub name: String,
    pub ip: String,
}

impl Actor {
    pub fn system() -> Self {
        Actor {
            id: None,
            name: "system".into(),
            ip: String::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub target: String,
    pub ip: String,
    pub detail: String,
}
