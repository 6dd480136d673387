//! The plain records the use cases take and return, as the store defines them.

pub use store::{
    AccountabilityRecord, ActionRecord, Actor, ApiToken, Appointment, AppointmentAnswer,
    AttendanceRow, AuditEntry, AuditNote, AuditSubject, Backend, BoardCell, CaseCount, CaseEvent,
    CaseFilter, CasePatch, CaseRecord, CaseSummary, Category, Cursor, ExportJob, FeedItem,
    FeedPage, FeedPosition, FieldVisit, HandoverRow, IntakeOffice, LinkRow, NewAppointment,
    NewAttachment, NewFieldVisit, NewRegistration, NewSlot, NewUnit, NewUser, NoticeTemplate,
    Notification, Order, OrderCase, Page, PetitionerRecord, RateFilter, ReceptionSlot,
    RegisterResult, ReportRow, RoutingRule, Scope, Session, ShiftRow, SpecialPeriodRow,
    SupervisionOrder, SwapRow, TemplateSource, TrackingKey, Unit, UnitTemplate, User, UserPage,
    COUNT_CAP, NO_DUE, PORTAL_SETTING_KEYS,
};
pub use store::{
    CoveredUnit, Dispute, DisputeCase, DisputeRow, DisputeStep, Finding, Mediation, RegisterEvent,
    Screening, ScreeningRow,
};
