//! The lifecycle on the case page: the forms for exactly the actions allowed now, and
//! their submission.

use super::{csrf_ok, csrf_refused, error_page, tr, Opt};
use crate::api::actions::{act, command, Fields};
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use app::model::Unit;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::lifecycle::{
    may_take, Action, Command, Life, NoteKind, Outcome, Rating, ReviewOutcome, RouteMode,
};

pub struct FormField {
    pub name: &'static str,
    /// text | textarea | date | number | select
    pub kind: &'static str,
    pub options: Vec<Opt>,
    /// What was typed, when the form comes back with an error.
    pub value: String,
    /// The field's error, in words.
    pub error: Option<String>,
}

pub struct ActionForm {
    pub action: Action,
    pub fields: Vec<FormField>,
    /// The deadline that applies to this action, as documents write dates.
    pub due: Option<String>,
    /// The form came back with an error: it is shown open.
    pub open: bool,
    /// A leader sent this draft back with these comments: the form holds the draft.
    pub returned: Option<String>,
}

/// A form that was refused: its action, what was typed and each field's error.
pub struct Failed {
    pub action: String,
    pub fields: Fields,
    pub errors: domain::FieldErrors,
}

fn field(name: &'static str, kind: &'static str) -> FormField {
    FormField {
        name,
        kind,
        options: vec![],
        value: String::new(),
        error: None,
    }
}

fn select(name: &'static str, options: Vec<Opt>) -> FormField {
    FormField {
        name,
        kind: "select",
        options,
        value: String::new(),
        error: None,
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

/// The route form's unit choices: the routing table's suggestion first and chosen;
/// without one, no unit is chosen for the supervisor. The unit that holds the case is
/// marked as such (the case cannot be sent to it).
fn route_units(t: &Tr, fields: &mut [FormField], holder_code: &str, suggested: Option<&str>) {
    for f in fields.iter_mut().filter(|f| f.name == "unit") {
        for o in f.options.iter_mut().filter(|o| o.code == holder_code) {
            o.label = t.t1("route-holder-option", "unit", &o.label);
        }
        match suggested.and_then(|code| f.options.iter().position(|o| o.code == code)) {
            Some(i) => {
                let o = f.options.remove(i);
                f.value = o.code.clone();
                f.options.insert(0, o);
            }
            None => f.options.insert(
                0,
                Opt {
                    code: String::new(),
                    label: t.t("route-choose-unit"),
                },
            ),
        }
    }
}

/// A draft a leader sent back, written into its form (with the comments) so that the
/// drafter edits it instead of typing it again.
fn returned_draft(life: &Life, action: Action, fields: &mut [FormField]) -> Option<String> {
    let d = life.draft.as_ref()?;
    let comments = d.returned.clone()?;
    if d.command.action() != action {
        return None;
    }
    let (outcome, text, basis) = match &d.command {
        Command::Reply {
            outcome,
            text,
            basis,
        } => (outcome.as_str(), text, basis.as_str()),
        Command::ReviewDecision { outcome, text } | Command::RereviewDecision { outcome, text } => {
            (outcome.as_str(), text, "")
        }
        _ => return None,
    };
    for f in fields.iter_mut() {
        f.value = match f.name {
            "outcome" => outcome.to_string(),
            "text" => text.clone(),
            "basis" => basis.to_string(),
            _ => continue,
        };
    }
    Some(comments)
}

/// The deadline that applies to `action` now.
fn due_for(t: &Tr, life: &Life, action: Action) -> Option<String> {
    let due = match action {
        Action::Object => life.objection_due,
        _ => life.due(),
    };
    due.map(|d| crate::dates::document_date(t.lang, d))
}

/// The forms for the actions this user may take on this case today. `case_unit_path` is
/// the unit that has the case: review opinions come only from above it.
#[allow(clippy::too_many_arguments)]
pub fn forms(
    state: &AppState,
    t: &Tr,
    who: &Principal,
    life: &Life,
    units: &[Unit],
    case_unit: &Unit,
    suggested_unit: Option<&str>,
    failed: Option<&Failed>,
) -> Vec<ActionForm> {
    let Some(role) = who.role() else {
        return vec![];
    };
    let above = who.user.unit_path != case_unit.path;
    life.allowed_actions(state.config.today())
        .into_iter()
        .filter(|a| may_take(role, *a, above, life.awaiting_sign_off()))
        .map(|a| {
            let mut fields = fields_for(t, a, units);
            if a == Action::Route {
                route_units(t, &mut fields, &case_unit.code, suggested_unit);
            }
            let returned = returned_draft(life, a, &mut fields);
            let failed = failed.filter(|f| Action::parse(&f.action) == Some(a));
            if let Some(failed) = failed {
                for f in fields.iter_mut() {
                    if let Some(v) = failed.fields.get(f.name) {
                        f.value = v.clone();
                    }
                    f.error = failed.errors.get(f.name).map(|code| t.code("err", code));
                }
            }
            ActionForm {
                action: a,
                fields,
                due: due_for(t, life, a),
                open: failed.is_some() || returned.is_some(),
                returned,
            }
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
    let result: Result<(), ApiError> = match command(action, &fields) {
        Ok(cmd) => act(&state, &who.caller(), id, &cmd)
            .await
            .map(|_| ())
            .map_err(ApiError::from),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(()) => Redirect::to(&format!("/staff/cases/{id}?saved=1")).into_response(),
        Err(ApiError::Validation(errors)) => {
            let status = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            let msg = errors
                .iter()
                .map(|(k, v)| {
                    let label = t.code("afield", k);
                    format!(
                        "{} {}",
                        t.t1("err-field", "field", &label),
                        t.code("err", v)
                    )
                })
                .collect::<Vec<_>>()
                .join(" ");
            let failed = Failed {
                action: action.as_str().to_string(),
                fields,
                errors,
            };
            (
                status,
                super::case::show_failed(&state, t, &who, id, Some(msg), Some(failed)).await,
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
