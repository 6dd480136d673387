//! The receipt (回执) of an online petition: the case number and the query code, with
//! the next step and its deadline; printable, and downloadable as text.

use super::{period, private, tracked};
use crate::i18n::{ReqLang, Tr};
use crate::lifecycle_view::life_of;
use crate::state::AppState;
use crate::views::{category_label, render, tr};
use app::model::Scope;
use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};

/// What a receipt shows.
pub struct ReceiptData {
    pub case_no: String,
    pub query_code: String,
    pub received_on: String,
    pub case_type: String,
    pub category: String,
    pub anonymous: bool,
    pub attachments: usize,
    pub next_step: String,
    /// Where and how to track the case.
    pub tracking: String,
}

/// The receipt of the case the browser holds the code of, if it holds one.
async fn receipt_data(state: &AppState, t: &Tr, headers: &HeaderMap) -> Option<ReceiptData> {
    let (number, code) = tracked(headers)?;
    let id = super::track::find_case(state, &number, &code)
        .await
        .ok()??;
    let c = state.case(&Scope::new("/"), id).await.ok()?;
    let cats = state.categories().await.ok()?;
    let life = life_of(&c);
    let due = life
        .due()
        .map(|d| crate::dates::document_date(t.lang, d))
        .unwrap_or_default();
    let next_step = t.targs(
        "portal-receipt-next",
        &[
            ("period", &period(t, state.config.rules.route)),
            ("due", &due),
        ],
    );
    Some(ReceiptData {
        case_no: c.summary.case_no.clone(),
        query_code: c.query_code.clone(),
        received_on: crate::dates::document_date_str(t.lang, &c.summary.received_on),
        case_type: t.code("type", &c.summary.case_type),
        category: category_label(t, &cats, &c.summary.category),
        anonymous: c.summary.anonymous,
        attachments: c.attachments.len(),
        next_step,
        tracking: super::how_to_track::how_to_track(
            state,
            t,
            headers,
            &c.summary.case_no,
            &c.query_code,
        )
        .await,
    })
}

#[derive(Template)]
#[template(path = "portal_receipt.html")]
struct ReceiptPage {
    t: Tr,
    current: &'static str,
    r: ReceiptData,
}

pub async fn receipt(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
) -> Response {
    let t = tr(&state, lang);
    match receipt_data(&state, &t, &headers).await {
        Some(r) => private(render(&ReceiptPage {
            t,
            current: "submit",
            r,
        })),
        None => Redirect::to("/track").into_response(),
    }
}

/// The receipt as a text file to keep.
pub async fn receipt_text(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
) -> Response {
    let t = tr(&state, lang);
    let Some(r) = receipt_data(&state, &t, &headers).await else {
        return Redirect::to("/track").into_response();
    };
    let line = |k: &str, v: &str| format!("{}: {v}\r\n", t.t(k));
    let mut body = format!("{}\r\n\r\n", t.t("portal-receipt-title"));
    body.push_str(&line("field-case-no", &r.case_no));
    body.push_str(&line("field-query-code", &r.query_code));
    body.push_str(&line("field-received-on", &r.received_on));
    body.push_str(&line("field-channel", &t.t("channel-online")));
    body.push_str(&line("field-type", &r.case_type));
    body.push_str(&line("field-category", &r.category));
    body.push_str(&format!(
        "\r\n{}\r\n\r\n{}\r\n\r\n{}\r\n",
        r.next_step,
        r.tracking,
        t.t("portal-receipt-keep")
    ));
    let disposition = format!("attachment; filename=\"receipt-{}.txt\"", r.case_no);
    private(
        (
            [
                (
                    header::CONTENT_TYPE,
                    "text/plain; charset=utf-8".to_string(),
                ),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            body,
        )
            .into_response(),
    )
}
