//! The case and appointment pages a petitioner sees after a lookup: the notices as
//! readable text, every deadline with whether it was met, and the rating and review
//! forms or why they are closed.

use super::private;
use super::reception::{slot_row, SlotRow};
use super::track::{Notice, PublicCase};
use crate::dates::document_date_str;
use crate::i18n::Tr;
use crate::views::render;
use app::model::Appointment;
use askama::Template;
use axum::response::Response;
use domain::due::DeadlineStatus;
use domain::reception::AppointmentStatus;
use serde::Deserialize;

/// One notice as the page shows it.
pub struct NoticeRow {
    pub kind: String,
    pub title: String,
    /// `YYYY-MM-DD`, for the `<time>` element.
    pub on: String,
    /// The same day as documents write it (2026年11月30日).
    pub on_text: String,
    pub lines: Vec<(String, String)>,
    pub body: String,
    /// The legal basis of a decision, after its text.
    pub basis: String,
    /// A written decision (处理意见书, review opinion), shown as a document.
    pub document: bool,
}

fn notice_row(t: &Tr, n: &Notice) -> NoticeRow {
    let mut lines = vec![];
    let mut add = |label: &str, v: Option<String>| {
        if let Some(v) = v {
            lines.push((t.t(label), v));
        }
    };
    add("field-unit", n.unit.clone());
    add("afield-channel", n.channel.clone());
    let outcome_prefix = if n.kind == "reply" {
        "outcome"
    } else {
        "review-outcome"
    };
    add(
        "afield-outcome",
        n.outcome.as_ref().map(|o| t.code(outcome_prefix, o)),
    );
    add("afield-reason", n.reason.clone());
    add("afield-refer-to", n.refer_to.clone());
    add("afield-days", n.days.map(|d| d.to_string()));
    let day = |d: &Option<String>| d.as_deref().map(|d| document_date_str(t.lang, d));
    add("field-due-on", day(&n.due));
    add("afield-received-on", day(&n.received_on));
    add(
        "afield-rating",
        n.rating.as_ref().map(|r| t.code("rating", r)),
    );
    NoticeRow {
        basis: n.basis.clone().unwrap_or_default(),
        kind: n.kind.clone(),
        title: t.code("portal-notice", &n.kind),
        on: n.on.clone(),
        on_text: document_date_str(t.lang, &n.on),
        lines,
        body: n.text.clone().unwrap_or_default(),
        document: matches!(
            n.kind.as_str(),
            "reply" | "review_decision" | "rereview_decision"
        ),
    }
}

pub struct DeadlineRow {
    pub stage: String,
    pub start: String,
    pub due: String,
    pub met_on: String,
    pub status: DeadlineStatus,
    pub status_label: String,
}

#[derive(Template)]
#[template(path = "portal_case.html")]
struct CasePage {
    t: Tr,
    current: &'static str,
    csrf: String,
    c: PublicCase,
    type_label: String,
    stage_label: String,
    /// The due date and the day of receipt, as a citizen reads dates.
    due_text: String,
    received_text: String,
    deadlines: Vec<DeadlineRow>,
    notices: Vec<NoticeRow>,
    rating_label: String,
    ratings: Vec<(String, String)>,
    rate_closed: String,
    review_action: String,
    review_closed: String,
    review_due: String,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "portal_appointment.html")]
struct AppointmentPage {
    t: Tr,
    current: &'static str,
    csrf: String,
    ref_no: String,
    status: AppointmentStatus,
    status_label: String,
    slot: SlotRow,
    offered: Option<SlotRow>,
    answer: String,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ViewQuery {
    pub notice: Option<String>,
    pub error: Option<String>,
}

const NOTICES: &[&str] = &[
    "rated",
    "request_review",
    "request_rereview",
    "offer_accepted",
];
const REFUSALS: &[&str] = &[
    "required",
    "too_long",
    "invalid_rating",
    "already_rated",
    "not_delivered",
    "not_replied",
    "review_window_expired",
    "review_in_progress",
    "rereview_window_expired",
    "rereview_in_progress",
    "concluded",
    "directed",
    "declined",
    "closed",
    "voided",
    "offer_gone",
];

/// The explanation for a closed request, with the window's last day where there is one.
pub fn closed_text(t: &Tr, code: &str, due: &str) -> String {
    t.targs(
        &format!("portal-closed-{}", code.replace('_', "-")),
        &[("due", due)],
    )
}

pub fn case_page(t: Tr, csrf: String, c: PublicCase, q: ViewQuery) -> Response {
    // Dates as a citizen reads them: 2026年11月30日.
    let due = |d: Option<chrono::NaiveDate>| {
        d.map(|d| crate::dates::document_date(t.lang, d))
            .unwrap_or_default()
    };
    let review_due = due(c.review.due);
    let page = CasePage {
        due_text: due(c.due_date),
        received_text: document_date_str(t.lang, &c.received_on),
        type_label: t.code("type", &c.case_type),
        stage_label: t.code("stage", &c.stage),
        deadlines: c
            .deadlines
            .iter()
            .map(|d| DeadlineRow {
                stage: t.code("stage", &d.stage),
                start: crate::dates::document_date(t.lang, d.start),
                due: due(d.due),
                met_on: due(d.met_on),
                status: d.status,
                status_label: t.code("portal-deadline", &d.status),
            })
            .collect(),
        notices: c.notices.iter().map(|n| notice_row(&t, n)).collect(),
        rating_label: c
            .rating
            .as_ref()
            .map(|r| t.code("rating", r.as_str()))
            .unwrap_or_default(),
        ratings: domain::lifecycle::Rating::ALL
            .iter()
            .map(|r| (r.as_str().to_string(), t.code("rating", r.as_str())))
            .collect(),
        rate_closed: c
            .rate_closed
            .map(|r| closed_text(&t, r, ""))
            .unwrap_or_default(),
        review_action: c.review.available.map_or("", |a| a.as_str()).to_string(),
        review_closed: c
            .review
            .closed_reason
            .map(|r| closed_text(&t, r, &review_due))
            .unwrap_or_default(),
        review_due,
        notice: q
            .notice
            .filter(|n| NOTICES.contains(&n.as_str()))
            .map(|n| t.code("portal-done", &n)),
        error: q
            .error
            .filter(|e| REFUSALS.contains(&e.as_str()))
            .map(|e| closed_text(&t, &e, "")),
        current: "track",
        csrf,
        c,
        t,
    };
    private(render(&page))
}

pub fn appointment_page(t: Tr, csrf: String, a: &Appointment, q: ViewQuery) -> Response {
    let page = AppointmentPage {
        ref_no: a.ref_no.clone(),
        status: a.status,
        status_label: t.code("portal-appt", &a.status),
        slot: slot_row(&t, &a.slot),
        offered: a.offered_slot.as_ref().map(|s| slot_row(&t, s)),
        answer: a.answer.clone(),
        notice: q
            .notice
            .filter(|n| NOTICES.contains(&n.as_str()))
            .map(|n| t.code("portal-done", &n)),
        error: q
            .error
            .filter(|e| REFUSALS.contains(&e.as_str()))
            .map(|e| closed_text(&t, &e, "")),
        current: "track",
        csrf,
        t,
    };
    private(render(&page))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{I18n, Lang};

    /// Keys the portal builds from codes exist in both languages (the i18n test only
    /// sees literal keys).
    #[test]
    fn every_coded_portal_message_exists() {
        let i18n = I18n::load().expect("bundles");
        let mut keys: Vec<String> = vec![];
        let mut add = |prefix: &str, codes: &[&str]| {
            keys.extend(
                codes
                    .iter()
                    .map(|c| format!("{prefix}-{}", c.replace(['_', '.'], "-"))),
            )
        };
        add("portal-done", NOTICES);
        add("portal-closed", REFUSALS);
        add("portal-closed", &["already_rated", "not_delivered"]);
        let statuses: Vec<&str> = AppointmentStatus::ALL.iter().map(|s| s.as_str()).collect();
        add("portal-appt", &statuses);
        add("portal-appt-help", &statuses);
        add(
            "portal-deadline",
            &DeadlineStatus::ALL
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>(),
        );
        add(
            "portal-notice",
            &[
                "registered",
                "route",
                "route_self",
                "directed",
                "returned",
                "accept",
                "decline",
                "extend",
                "reply",
                "deliver",
                "rate",
                "request_review",
                "review_decision",
                "request_rereview",
                "rereview_decision",
                "close",
                "void",
            ],
        );
        add(
            "portal-field",
            &[
                "type",
                "category",
                "region",
                "respondent",
                "content",
                "demands",
                "attachments",
                "anonymous",
                "name",
                "phone",
                "address",
                "slot_id",
                "matter",
                "case_no",
            ],
        );
        add("portal-setting", app::model::PORTAL_SETTING_KEYS);
        add("portal-weekday", &["1", "2", "3", "4", "5", "6", "7"]);
        let types: Vec<&str> = domain::CaseType::ALL.iter().map(|c| c.as_str()).collect();
        add("portal-type", &types);
        add(
            "err",
            &[
                "slot_unavailable",
                "invalid_case_no",
                "unknown_case",
                "invalid_time",
                "invalid_capacity",
                "rejected",
                "too_many_files",
                "csrf_mismatch",
                "claim_not_anonymous",
            ],
        );
        for lang in [Lang::Zh, Lang::En] {
            for k in &keys {
                assert!(i18n.has(lang, k), "{} lacks {k}", lang.code());
            }
        }
    }
}
