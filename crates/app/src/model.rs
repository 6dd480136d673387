//! The plain records the use cases take and return, as the store defines them.

pub use store::{
    ActionRecord, Actor, ApiToken, Appointment, AppointmentAnswer, AttendanceRow, AuditEntry,
    AuditNote, AuditSubject, Backend, CaseCount, CaseEvent, CaseFilter, CasePatch, CaseRecord,
    CaseSummary, Category, Cursor, FeedItem, FeedPage, FeedPosition, FieldVisit, HandoverRow,
    IntakeOffice, NewAppointment, NewAttachment, NewFieldVisit, NewRegistration, NewSlot, NewUnit,
    NewUser, NoticeTemplate, Notification, Order, Page, PetitionerRecord, ReceptionSlot,
    RegisterResult, ReportRow, RoutingRule, Scope, Session, ShiftRow, SpecialPeriodRow, SwapRow,
    TemplateSource, TrackingKey, Unit, UnitTemplate, User, UserPage, COUNT_CAP, NO_DUE,
    PORTAL_SETTING_KEYS,
};
