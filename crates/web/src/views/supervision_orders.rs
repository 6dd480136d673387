//! Supervision orders (督办单) as pages: the list, one order with its reply and reminder
//! forms, the printable order, issuing one from a case page, and listed supervision
//! (挂牌督办) on the case page.

use super::{csrf_ok, csrf_refused, error_page, render, tr, Nav};
use crate::auth::{PageUser, Principal};
use crate::dates::document_date_str;
use crate::error::ApiError;
use crate::i18n::{Lang, ReqLang, Tr};
use crate::state::AppState;
use app::model::SupervisionOrder;
use app::supervision::OrderInput;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use domain::supervision::{order_standing, OrderStanding, DEFAULT_REPLY_DAYS};

use super::forms::{get, Fields};

/// An order's state as a person reads it: answered, N days left, N days late.
pub fn standing(state: &AppState, t: &Tr, o: &SupervisionOrder) -> (String, &'static str) {
    let st = o.state;
    let due = NaiveDate::parse_from_str(&o.due_on, "%Y-%m-%d").unwrap_or_default();
    match order_standing(st, due, state.config.today()) {
        OrderStanding::Settled => (t.code("order-state", o.state.as_str()), "settled"),
        OrderStanding::Open { days_left } => (
            t.t1("sv-order-days-left", "n", &days_left.to_string()),
            "open",
        ),
        OrderStanding::Late { days_late } => (
            t.t1("sv-order-days-late", "n", &days_late.to_string()),
            "late",
        ),
    }
}

/// A refused form as one line in the user's language.
pub fn form_error(t: &Tr, e: &ApiError) -> String {
    super::forms::refusal_line(
        t,
        e,
        super::forms::Labels {
            field: "svfield",
            err: "err",
        },
    )
}

pub struct OrderRow {
    pub o: SupervisionOrder,
    pub standing: String,
    pub standing_class: &'static str,
}

fn row(state: &AppState, t: &Tr, o: SupervisionOrder) -> OrderRow {
    let (standing, standing_class) = standing(state, t, &o);
    OrderRow {
        o,
        standing,
        standing_class,
    }
}

#[derive(Template)]
#[template(path = "supervision_orders.html")]
struct OrdersPage {
    t: Tr,
    nav: Option<Nav>,
    rows: Vec<OrderRow>,
}

pub async fn list(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
) -> Response {
    let t = tr(&state, lang);
    let orders = match state.supervision_orders(&who.caller(), None).await {
        Ok(o) => o,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let page = OrdersPage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        rows: orders.into_iter().map(|o| row(&state, &t, o)).collect(),
        t,
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "supervision_order.html")]
struct OrderPage {
    t: Tr,
    nav: Option<Nav>,
    r: OrderRow,
    issuer: String,
    to: String,
    csrf: String,
    may_answer: bool,
    may_remind: bool,
    may_withdraw: bool,
    notice: Option<String>,
    error: Option<String>,
    reply_text: String,
    withdraw_text: String,
}

/// What a refused form said, and the text typed into it, kept for the next try.
enum Refused {
    Reply(String, String),
    Withdraw(String, String),
}

fn unit_name(u: &domain::UnitRef, lang: Lang) -> String {
    u.name_in(lang == Lang::En).to_string()
}

async fn show(
    state: &AppState,
    t: Tr,
    who: &Principal,
    id: i64,
    notice: Option<String>,
    error: Option<Refused>,
) -> Response {
    let o = match state.supervision_order(&who.caller(), id).await {
        Ok(o) => o,
        Err(e) => return error_page(&t, Some(who), &e.into()),
    };
    let (may_answer, may_remind) = state.order_rights(&who.caller(), &o);
    let may_withdraw = state.may_withdraw(&who.caller(), &o);
    let failed = error.is_some();
    let (error, reply_text, withdraw_text) = match error {
        None => (None, String::new(), String::new()),
        Some(Refused::Reply(e, v)) => (Some(e), v, String::new()),
        Some(Refused::Withdraw(e, v)) => (Some(e), String::new(), v),
    };
    let page = OrderPage {
        nav: Nav::with_warnings(state, &t, who).await,
        issuer: unit_name(&o.issuer_unit, t.lang),
        to: unit_name(&o.to_unit, t.lang),
        r: row(state, &t, o),
        csrf: who.csrf().to_string(),
        may_answer,
        may_remind,
        may_withdraw,
        notice,
        error,
        reply_text,
        withdraw_text,
        t,
    };
    let status = if failed {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    (status, render(&page)).into_response()
}

#[derive(serde::Deserialize, Default)]
pub struct Flags {
    issued: Option<String>,
    answered: Option<String>,
    reminded: Option<String>,
    withdrawn: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    axum::extract::Query(f): axum::extract::Query<Flags>,
) -> Response {
    let t = tr(&state, lang);
    let notice = if f.issued.is_some() {
        Some(t.t("sv-order-issued"))
    } else if f.answered.is_some() {
        Some(t.t("sv-order-answered"))
    } else if f.reminded.is_some() {
        Some(t.t("sv-order-reminded"))
    } else if f.withdrawn.is_some() {
        Some(t.t("sv-order-withdrawn"))
    } else {
        None
    };
    show(&state, t, &who, id, notice, None).await
}

#[derive(Template)]
#[template(path = "supervision_order_print.html")]
struct PrintPage {
    t: Tr,
    o: SupervisionOrder,
    issuer: String,
    to: String,
    issued_on: String,
    due_on: String,
    body: String,
}

pub async fn print(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
) -> Response {
    let t = tr(&state, lang);
    let o = match state.supervision_order(&who.caller(), id).await {
        Ok(o) => o,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let due_on = document_date_str(t.lang, &o.due_on);
    let page = PrintPage {
        body: t.targs(
            "sv-print-body",
            &[("count", &o.cases.len().to_string()), ("due", &due_on)],
        ),
        issuer: unit_name(&o.issuer_unit, t.lang),
        to: unit_name(&o.to_unit, t.lang),
        issued_on: document_date_str(t.lang, &o.issued_on),
        due_on,
        o,
        t,
    };
    render(&page)
}

/// Issues an order from the case page's form; a refusal shows the case page again.
pub async fn issue(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<Fields>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, get(&f, "csrf")) {
        return csrf_refused(&t, &who);
    }
    let cases: Vec<i64> = f
        .iter()
        .filter(|(k, _)| k == "cases")
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect();
    let days = get(&f, "reply_days").trim();
    let reply_days = match days {
        "" => None,
        d => Some(d.parse::<u32>().unwrap_or(0)),
    };
    let input = OrderInput {
        unit: Some(get(&f, "unit").to_string()).filter(|u| !u.trim().is_empty()),
        cases: cases.clone(),
        case_nos: get(&f, "case_nos")
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；'))
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .collect(),
        reason: get(&f, "reason").to_string(),
        requirements: get(&f, "requirements").to_string(),
        reply_days,
    };
    match state.issue_order(&who.caller(), &input).await {
        Ok(o) => {
            Redirect::to(&format!("/staff/supervision/orders/{}?issued=1", o.id)).into_response()
        }
        Err(e) => {
            let e: ApiError = e.into();
            match (cases.first(), &e) {
                (Some(id), ApiError::Validation(_)) => {
                    let page = super::case::show(
                        &state,
                        t.clone(),
                        &who,
                        *id,
                        None,
                        Some(form_error(&t, &e)),
                    )
                    .await;
                    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
                }
                _ => error_page(&t, Some(&who), &e),
            }
        }
    }
}

pub async fn reply(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, get(&f, "csrf")) {
        return csrf_refused(&t, &who);
    }
    let text = get(&f, "text");
    match state.answer_order(&who.caller(), id, text).await {
        Ok(_) => {
            Redirect::to(&format!("/staff/supervision/orders/{id}?answered=1")).into_response()
        }
        Err(e) => {
            let e: ApiError = e.into();
            if matches!(e, ApiError::Validation(_)) {
                let msg = form_error(&t, &e);
                show(
                    &state,
                    t,
                    &who,
                    id,
                    None,
                    Some(Refused::Reply(msg, text.to_string())),
                )
                .await
            } else {
                error_page(&t, Some(&who), &e)
            }
        }
    }
}

pub async fn remind(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, get(&f, "csrf")) {
        return csrf_refused(&t, &who);
    }
    match state.remind_order(&who.caller(), id).await {
        Ok(_) => {
            Redirect::to(&format!("/staff/supervision/orders/{id}?reminded=1")).into_response()
        }
        Err(e) => {
            let e: ApiError = e.into();
            if matches!(e, ApiError::Validation(_)) {
                let msg = form_error(&t, &e);
                show(
                    &state,
                    t,
                    &who,
                    id,
                    None,
                    Some(Refused::Reply(msg, String::new())),
                )
                .await
            } else {
                error_page(&t, Some(&who), &e)
            }
        }
    }
}

/// The issuing unit withdraws its order, from the order's page.
pub async fn withdraw(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, get(&f, "csrf")) {
        return csrf_refused(&t, &who);
    }
    let reason = get(&f, "reason");
    match state.withdraw_order(&who.caller(), id, reason).await {
        Ok(_) => {
            Redirect::to(&format!("/staff/supervision/orders/{id}?withdrawn=1")).into_response()
        }
        Err(e) => {
            let e: ApiError = e.into();
            if matches!(e, ApiError::Validation(_)) {
                let msg = form_error(&t, &e);
                let kept = Refused::Withdraw(msg, reason.to_string());
                show(&state, t, &who, id, None, Some(kept)).await
            } else {
                error_page(&t, Some(&who), &e)
            }
        }
    }
}

/// Lists a case for supervision or lifts it, from the case page.
pub async fn listing(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, get(&f, "csrf")) {
        return csrf_refused(&t, &who);
    }
    let listed = get(&f, "listed") == "1";
    match state
        .set_listing(&who.caller(), id, listed, get(&f, "reason"))
        .await
    {
        Ok(()) => Redirect::to(&format!("/staff/cases/{id}?saved=1")).into_response(),
        Err(e) => {
            let e: ApiError = e.into();
            if matches!(e, ApiError::Validation(_)) {
                let msg = form_error(&t, &e);
                let page = super::case::show(&state, t, &who, id, None, Some(msg)).await;
                (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
            } else {
                error_page(&t, Some(&who), &e)
            }
        }
    }
}

/// The case page's supervision box: the orders about the case, whether it is listed,
/// and the forms for those who may press its unit.
pub struct CaseSupervision {
    pub listed: bool,
    pub orders: Vec<OrderRow>,
    pub may_supervise: bool,
    pub default_days: u32,
}

pub async fn case_box(
    state: &AppState,
    t: &Tr,
    who: &Principal,
    case: &app::model::CaseSummary,
) -> Option<CaseSupervision> {
    let orders = state
        .orders_of_case(&who.caller(), case.id)
        .await
        .unwrap_or_default();
    let unit_path = state.unit(case.unit_id).await.ok()?.path;
    let may_supervise = case.state.is_open()
        && who.role().is_some_and(|r| {
            domain::supervision::may_supervise(r, &who.user.unit_path, &unit_path)
        });
    if orders.is_empty() && !may_supervise && !case.listed {
        return None;
    }
    Some(CaseSupervision {
        listed: case.listed,
        orders: orders.into_iter().map(|o| row(state, t, o)).collect(),
        may_supervise,
        default_days: DEFAULT_REPLY_DAYS,
    })
}
