//! Hearken's pure rules: validated values, the registration rules and the roles.
//!
//! Nothing in this crate does IO, touches a clock or a database. Randomness and
//! time are passed in by the caller.

pub mod annual;
pub mod attendance;
pub mod calendar;
pub mod case;
pub mod codes;
pub mod dispute;
pub mod due;
pub mod duty;
pub mod error;
pub mod event;
pub mod export;
pub mod inspection;
pub mod lifecycle;
pub mod link;
pub mod petitioner;
pub mod plans;
pub mod reception;
pub mod register_event;
pub mod registration;
pub mod role;
pub mod settings;
pub mod stats;
pub mod supervision;
pub mod text;
pub mod volume;

pub use case::{CaseState, CaseType, Channel, Stage};
pub use codes::{CaseNo, QueryCode, RegionCode, UnitCode};
pub use due::DueStatus;
pub use error::{DomainError, FieldErrors};
pub use event::{Event, UnitRef};
pub use link::{CaseLink, LinkKind};
pub use petitioner::{IdNumber, Petitioner, PhoneNumber};
pub use registration::{NewCase, Registration, MAX_REPRESENTATIVES};
pub use role::{Permission, Role, UnitLevel};
pub use settings::{may_change_settings, SettingScope};
pub use text::{Line, Text, TextError, Username};
