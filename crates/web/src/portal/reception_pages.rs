//! The public reception page: the published schedule of leaders' reception days and the
//! appointment request form (约访), and the request's receipt with its reference and code.

use super::limit::{self, Bucket};
use super::reception::{slot_row, slot_rows, AppointmentRequest, SlotRow};
use super::{
    csrf_token, csrf_valid, instance, limited_page, message_page, private, track_cookie, tracked,
    with_cookie,
};
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use crate::views::{render, tr};
use askama::Template;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::FieldErrors;
use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Template)]
#[template(path = "portal_reception.html")]
struct ReceptionPage {
    t: Tr,
    current: &'static str,
    csrf: String,
    slots: Vec<SlotRow>,
    f: RequestForm,
    errors: FieldErrors,
    error_items: Vec<(String, String)>,
}

#[derive(Deserialize, Default)]
pub struct RequestForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    slot: String,
    #[serde(default)]
    matter: String,
    #[serde(default)]
    case_no: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    website: String,
}

async fn show(
    state: &AppState,
    t: Tr,
    headers: &HeaderMap,
    f: RequestForm,
    errors: FieldErrors,
) -> Response {
    let today = state.config.today().to_string();
    let slots = match state.public_slots(&today, 100).await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "reception page");
            return message_page(
                &t,
                StatusCode::INTERNAL_SERVER_ERROR,
                t.t("status-500"),
                t.t("err-internal-error"),
                "/",
            );
        }
    };
    let (csrf, set) = csrf_token(state, headers);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ReceptionPage {
        current: "reception",
        csrf,
        slots: slot_rows(&t, &slots),
        f,
        error_items: super::error_items(
            &t,
            &errors,
            &["form", "slot_id", "matter", "case_no", "name", "phone"],
        ),
        errors,
        t,
    };
    with_cookie(set, (status, render(&page)).into_response())
}

pub async fn page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
) -> Response {
    show(
        &state,
        tr(&state, lang),
        &headers,
        RequestForm::default(),
        FieldErrors::new(),
    )
    .await
}

pub async fn request(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<RequestForm>,
) -> Response {
    let t = tr(&state, lang);
    let inst = instance(&state);
    if let Err(l) = limit::peek(&inst, Bucket::Submit, addr.ip()) {
        return limited_page(&t, l, "/reception");
    }
    if !csrf_valid(&headers, &f.csrf) {
        let mut e = FieldErrors::new();
        e.insert("form".into(), "csrf_mismatch".into());
        return show(&state, t, &headers, f, e).await;
    }
    let input = AppointmentRequest {
        slot_id: f.slot.trim().parse().ok(),
        matter: f.matter.clone(),
        case_no: f.case_no.clone(),
        name: f.name.clone(),
        phone: f.phone.clone(),
        website: f.website.clone(),
    };
    match state.ask_appointment(&input).await.map_err(ApiError::from) {
        Ok((a, code)) => {
            limit::record(&inst, Bucket::Submit, addr.ip());
            let cookie = track_cookie(&state, &a.ref_no, code.as_str());
            (
                [(header::SET_COOKIE, cookie)],
                Redirect::to("/reception/receipt"),
            )
                .into_response()
        }
        Err(ApiError::Validation(errors)) => show(&state, t, &headers, f, errors).await,
        Err(ApiError::BadRequest("rejected")) => {
            limit::record(&inst, Bucket::Submit, addr.ip());
            message_page(
                &t,
                StatusCode::BAD_REQUEST,
                t.t("portal-rejected-title"),
                t.t("portal-rejected-text"),
                "/reception",
            )
        }
        Err(e) => message_page(
            &t,
            e.status(),
            t.code("status", e.status().as_str()),
            t.code("err", e.code()),
            "/reception",
        ),
    }
}

#[derive(Template)]
#[template(path = "portal_appt_receipt.html")]
struct ReceiptPage {
    t: Tr,
    current: &'static str,
    ref_no: String,
    code: String,
    slot: SlotRow,
}

pub async fn receipt(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
) -> Response {
    let t = tr(&state, lang);
    let Some((number, code)) = tracked(&headers) else {
        return Redirect::to("/reception").into_response();
    };
    match state.find_appointment(&number, &code).await {
        Ok(Some(a)) => private(render(&ReceiptPage {
            current: "reception",
            ref_no: a.ref_no.clone(),
            code,
            slot: slot_row(&t, &a.slot),
            t,
        })),
        _ => Redirect::to("/reception").into_response(),
    }
}
