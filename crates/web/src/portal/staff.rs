//! Staff pages for leaders' reception (`/staff/reception`): publish reception slots,
//! answer appointment requests (confirm, offer another slot, decline), log leaders' field
//! visits (下访) with the cases they took up, and (admins) the office's published contact
//! details. Supervisors and leaders publish and answer; everyone in scope reads.

use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use crate::views::{csrf_ok, csrf_refused, error_page, local_time, refusal_page, render, tr, Nav};
use app::model::{
    Appointment, AppointmentAnswer, FieldVisit, NewFieldVisit, NewSlot, ReceptionSlot,
};
use app::settings::MAX_SETTING_CHARS;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use domain::reception::AppointmentStatus;
use domain::Permission;
use serde::Deserialize;
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/reception", get(page))
        .route("/staff/reception/slots", post(add_slot))
        .route("/staff/reception/slots/{id}/cancel", post(cancel_slot))
        .route("/staff/reception/appointments/{id}", post(answer))
        .route("/staff/reception/visits", post(add_visit))
        .route("/staff/reception/settings", post(settings))
}

/// Supervisors and leaders publish slots, answer requests and log field visits.
fn may_manage(who: &Principal) -> bool {
    who.can(domain::Permission::ManageOwnership)
}

#[derive(Template)]
#[template(path = "portal_staff_reception.html")]
struct StaffPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    can_manage: bool,
    is_admin: bool,
    /// Whether the caller may change the portal's contact block (root admins only).
    can_edit_portal: bool,
    slots: Vec<ReceptionSlot>,
    open_slots: Vec<ReceptionSlot>,
    appointments: Vec<(Appointment, String)>,
    visits: Vec<FieldVisit>,
    settings: Vec<(String, String)>,
    today: String,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    saved: Option<String>,
    error: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(q): Query<PageQuery>,
) -> Response {
    let t = tr(&state, lang);
    let scope = who.scope();
    let today = state.config.today();
    let from = (today - chrono::Duration::days(30)).to_string();
    let loaded = async {
        let slots = state.slots_in(&scope, &from).await?;
        let appointments = state.appointments_in(&scope, 200).await?;
        let visits = state.field_visits_in(&scope, 50).await?;
        let settings = state.portal_settings().await?;
        Ok::<_, app::AppError>((slots, appointments, visits, settings))
    }
    .await;
    let (slots, appointments, visits, settings) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    // The requests carry contact details: reading them is audited like a case.
    if appointments
        .iter()
        .any(|a| !a.contact_name.is_empty() || !a.contact_phone.is_empty())
    {
        if let Err(e) = state
            .audit(&who.actor(), "read_personal_data", "appointments", "page")
            .await
        {
            return error_page(&t, Some(&who), &e.into());
        }
    }
    let today_s = today.to_string();
    let open_slots = slots
        .iter()
        .filter(|s| !s.cancelled && s.day >= today_s)
        .cloned()
        .collect();
    let page = StaffPage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        csrf: who.csrf().to_string(),
        can_manage: may_manage(&who),
        is_admin: who.can(Permission::Administer),
        can_edit_portal: who.caller().may_change_installation(),
        slots,
        open_slots,
        appointments: appointments
            .into_iter()
            .map(|a| {
                let at = local_time(&state, a.created_at);
                (a, at)
            })
            .collect(),
        visits,
        settings: app::model::PORTAL_SETTING_KEYS
            .iter()
            .map(|k| (k.to_string(), settings.get(*k).cloned().unwrap_or_default()))
            .collect(),
        today: today_s,
        notice: q.saved.map(|_| t.t("saved")),
        error: q.error.map(|e| t.code("err", &e)),
        t,
    };
    render(&page)
}

fn back(result: Result<(), &str>) -> Response {
    match result {
        Ok(()) => Redirect::to("/staff/reception?saved=1").into_response(),
        Err(code) => Redirect::to(&format!("/staff/reception?error={code}")).into_response(),
    }
}

/// Checks the form's token and the role; the refusal page if either fails.
fn guard(t: &Tr, who: &Principal, csrf: &str, allowed: bool) -> Option<Response> {
    if !csrf_ok(who, csrf) {
        return Some(csrf_refused(t, who));
    }
    (!allowed).then(|| error_page(t, Some(who), &ApiError::Forbidden))
}

fn text(f: &HashMap<String, String>, k: &str) -> String {
    f.get(k).map(|v| v.trim().to_string()).unwrap_or_default()
}

pub async fn add_slot(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let t = tr(&state, lang);
    if let Some(r) = guard(&t, &who, &text(&f, "csrf"), may_manage(&who)) {
        return r;
    }
    let slot = NewSlot {
        leader_name: text(&f, "leader_name"),
        leader_title: text(&f, "leader_title"),
        day: text(&f, "day"),
        start_time: text(&f, "start_time"),
        end_time: text(&f, "end_time"),
        place: text(&f, "place"),
        capacity: text(&f, "capacity").parse().unwrap_or(10),
    };
    done(&t, &who, state.publish_slot(&who.caller(), &slot).await)
}

pub async fn cancel_slot(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let t = tr(&state, lang);
    if let Some(r) = guard(&t, &who, &text(&f, "csrf"), may_manage(&who)) {
        return r;
    }
    match state.cancel_slot(&who.scope(), id).await {
        Ok(()) => back(Ok(())),
        Err(e) => error_page(&t, Some(&who), &e.into()),
    }
}

pub async fn answer(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let t = tr(&state, lang);
    if let Some(r) = guard(&t, &who, &text(&f, "csrf"), may_manage(&who)) {
        return r;
    }
    let message = text(&f, "message");
    let answer = match text(&f, "decision").as_str() {
        "confirm" => AppointmentAnswer::Confirm { message },
        "decline" => AppointmentAnswer::Decline { message },
        "offer" => match text(&f, "slot").parse::<i64>() {
            Ok(slot_id) => AppointmentAnswer::Offer { slot_id, message },
            Err(_) => return back(Err("required")),
        },
        _ => return back(Err("required")),
    };
    done(
        &t,
        &who,
        state.answer_appointment(&who.caller(), id, &answer).await,
    )
}

/// Back to the page: saved, or refused with a code; an error page for anything else.
fn done<T>(t: &Tr, who: &Principal, r: Result<T, app::AppError>) -> Response {
    match r {
        Ok(_) => back(Ok(())),
        Err(app::AppError::BadRequest(code)) => back(Err(code)),
        Err(e) => error_page(t, Some(who), &e.into()),
    }
}

pub async fn add_visit(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let t = tr(&state, lang);
    if let Some(r) = guard(&t, &who, &text(&f, "csrf"), may_manage(&who)) {
        return r;
    }
    let visit = NewFieldVisit {
        leader_name: text(&f, "leader_name"),
        day: text(&f, "day"),
        place: text(&f, "place"),
        summary: text(&f, "summary"),
    };
    let logged = state
        .log_field_visit(&who.caller(), &visit, &text(&f, "case_nos"))
        .await;
    done(&t, &who, logged)
}

pub async fn settings(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let t = tr(&state, lang);
    if let Some(r) = guard(&t, &who, &text(&f, "csrf"), who.can(Permission::Administer)) {
        return r;
    }
    // The contact block speaks for the whole installation: the root unit's admins only.
    if !who.caller().may_change_installation() {
        return refusal_page(&t, &who, "sec-scope-portal-root-only");
    }
    let values = app::model::PORTAL_SETTING_KEYS
        .iter()
        .map(|k| {
            let v: String = text(&f, k)
                .chars()
                .filter(|c| !c.is_control())
                .take(MAX_SETTING_CHARS)
                .collect();
            (k.to_string(), v)
        })
        .collect();
    match state.set_portal(&who.caller(), &values).await {
        Ok(()) => back(Ok(())),
        Err(e) => error_page(&t, Some(&who), &e.into()),
    }
}
