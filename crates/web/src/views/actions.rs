//! The lifecycle on the case page: the forms for exactly the actions allowed now, and
//! their submission.

use super::{csrf_ok, csrf_refused, error_page, tr, Opt};
use crate::api::actions::{act, command, Fields};
use crate::app::AppState;
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::lifecycle::{
    may_act, Action, Life, NoteKind, Outcome, Rating, ReviewOutcome, RouteMode,
};
use store::Unit;

pub struct FormField {
    pub name: &'static str,
    /// text | textarea | date | number | select
    pub kind: &'static str,
    pub options: Vec<Opt>,
}

pub struct ActionForm {
    pub action: &'static str,
    pub fields: Vec<FormField>,
}

fn field(name: &'static str, kind: &'static str) -> FormField {
    FormField {
        name,
        kind,
        options: vec![],
    }
}

fn select(name: &'static str, options: Vec<Opt>) -> FormField {
    FormField {
        name,
        kind: "select",
        options,
    }
}

fn coded<T: Copy>(t: &Tr, prefix: &str, all: &[T], code: impl Fn(T) -> &'static str) -> Vec<Opt> {
    all.iter()
        .map(|v| Opt {
            code: code(*v).to_string(),
            label: t.code(prefix, code(*v)),
        })
        .collect()
}

fn fields_for(t: &Tr, action: Action, units: &[Unit]) -> Vec<FormField> {
    let reason = || field("reason", "textarea");
    match action {
        Action::Route => vec![
            select("mode", coded(t, "mode", RouteMode::ALL, RouteMode::as_str)),
            select("unit", super::unit_options(units)),
            field("channel", "text"),
            field("result_due", "date"),
        ],
        Action::Object
        | Action::RequestReview
        | Action::RequestRereview
        | Action::Close
        | Action::Void => vec![reason()],
        Action::Accept | Action::Approve => vec![],
        Action::Return => vec![field("comments", "textarea")],
        Action::LinkConcluded => vec![field("case_no", "text")],
        Action::Decline => vec![reason(), field("refer_to", "text")],
        Action::Note => vec![
            select("kind", coded(t, "note", NoteKind::ALL, NoteKind::as_str)),
            field("text", "textarea"),
        ],
        Action::Extend => vec![field("days", "number"), reason()],
        Action::Reply => vec![
            select(
                "outcome",
                coded(t, "outcome", Outcome::ALL, Outcome::as_str),
            ),
            field("text", "textarea"),
            field("basis", "text"),
        ],
        Action::Deliver => vec![field("received_on", "date")],
        Action::Rate => vec![select(
            "rating",
            coded(t, "rating", Rating::ALL, Rating::as_str),
        )],
        Action::ReviewDecision | Action::RereviewDecision => vec![
            select(
                "outcome",
                coded(
                    t,
                    "review-outcome",
                    ReviewOutcome::ALL,
                    ReviewOutcome::as_str,
                ),
            ),
            field("text", "textarea"),
        ],
    }
}

/// The forms for the actions this user may take on this case today. `case_unit_path` is
/// the unit that has the case: review opinions come only from above it.
pub fn forms(
    state: &AppState,
    t: &Tr,
    who: &Principal,
    life: &Life,
    units: &[Unit],
    case_unit_path: &str,
    suggested_unit: Option<&str>,
) -> Vec<ActionForm> {
    let Some(role) = who.role() else {
        return vec![];
    };
    let above = who.user.unit_path != case_unit_path;
    life.allowed_actions(state.config.today())
        .into_iter()
        .filter(|a| may_act(role, *a))
        .filter(|a| above || !matches!(a, Action::ReviewDecision | Action::RereviewDecision))
        // A review opinion's draft is signed off above the handling unit too.
        .filter(|a| {
            above
                || !matches!(a, Action::Approve | Action::Return)
                || matches!(
                    life.awaiting_sign_off(),
                    Some(domain::lifecycle::Command::Reply { .. })
                )
        })
        .map(|a| {
            let mut fields = fields_for(t, a, units);
            // The routing table's suggestion comes first, so it is the default choice.
            if let (Action::Route, Some(code)) = (a, suggested_unit) {
                for f in fields.iter_mut().filter(|f| f.name == "unit") {
                    if let Some(i) = f.options.iter().position(|o| o.code == code) {
                        let o = f.options.remove(i);
                        f.options.insert(0, o);
                    }
                }
            }
            (a, fields)
        })
        .map(|(a, fields)| ActionForm {
            action: a.as_str(),
            fields,
        })
        .collect()
}

pub async fn submit(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path((id, action)): Path<(i64, String)>,
    Form(fields): Form<Fields>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, fields.get("csrf").map(String::as_str).unwrap_or("")) {
        return csrf_refused(&t, &who);
    }
    let Some(action) = Action::parse(&action) else {
        return error_page(&t, Some(&who), &ApiError::NotFound);
    };
    let result = match command(action, &fields) {
        Ok(cmd) => act(&state, &who, id, &cmd).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Redirect::to(&format!("/staff/cases/{id}?saved=1")).into_response(),
        Err(ApiError::Validation(errors)) => {
            let status = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            let msg = errors
                .iter()
                .map(|(k, v)| format!("{} {}", t.code("afield", k), t.code("err", v)))
                .collect::<Vec<_>>()
                .join(" ");
            (
                status,
                super::case::show(&state, t, &who, id, None, Some(msg)).await,
            )
                .into_response()
        }
        Err(e @ ApiError::IllegalTransition { .. }) => {
            let msg = t.code("err", e.code());
            (
                e.status(),
                super::case::show(&state, t, &who, id, None, Some(msg)).await,
            )
                .into_response()
        }
        Err(e) => error_page(&t, Some(&who), &e),
    }
}
