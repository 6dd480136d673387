//! The plain records the use cases take and return, as the store defines them.

pub use store::{
    AccountabilityRecord, ActionRecord, Actor, ApiToken, Appointment, AppointmentAnswer,
    AttendanceRow, AuditEntry, AuditNote, AuditSubject, Backend, BoardCell, CaseCount, CaseEvent,
    CaseFilter, CasePatch, CaseRecord, CaseSummary, Category, Cursor, ExportJob, FeedItem,
    FeedPage, FeedPosition, FieldVisit, IntakeOffice, LinkRow, NewAppointment, NewAttachment,
    NewFieldVisit, NewRegistration, NewSlot, NewUnit, NewUser, NoticeTemplate, Notification, Order,
    OrderCase, Page, PetitionerRecord, ReceptionSlot, RegisterResult, RoutingRule, Scope, Session,
    SupervisionOrder, TemplateSource, TrackingKey, Unit, UnitTemplate, User, UserPage, COUNT_CAP,
    NO_DUE, PORTAL_SETTING_KEYS,
};
