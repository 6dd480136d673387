//! Supervision (督查督办): the board, supervision orders (督办单) with their replies and
//! reminders (催办), listed supervision (挂牌督办) and accountability records (问责).

use super::extract::{ApiPath, ApiQuery};
use super::JsonBody;
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::accountability::AccountabilityInput;
use app::model::{AccountabilityRecord, SupervisionOrder};
use app::supervision::{Board, OrderInput};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use domain::supervision::OrderState;
use serde::Deserialize;

#[utoipa::path(get, path = "/api/v1/supervision/board", tag = "supervision",
    responses((status = 200, description = "Open cases past (`overdue`) or near (`due_soon`) their deadline in your subtree: `units` (each counting its whole subtree, by the stage where the delay is: routing, acceptance, handling, review, other; with the most days late), `late` (the most late cases) `listed` (cases under listed supervision), `dispute_steps` (overdue steps of open dispute entries, by unit) and `inspection_orders` (rectification orders past their deadline and not re-inspected, by unit: `steps` orders at `entries` establishments). Each case figure is `GET /api/v1/cases?unit={code}&stage={stage}&due={overdue|due_soon}`"),
        (status = 403, description = "Only supervisors, leaders and auditors read the board", body = crate::error::ErrorBody)))]
pub async fn board(State(state): State<AppState>, ApiUser(who): ApiUser) -> ApiResult<Json<Board>> {
    Ok(Json(state.supervision_board(&who.caller()).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct OrderBody {
    /// The receiving unit's code; by default the unit that holds the first case. It must
    /// be strictly below yours.
    pub unit: Option<String>,
    /// Case ids, 1 to 50 with `case_nos`, all held by the receiving unit or below it.
    #[serde(default)]
    pub cases: Vec<i64>,
    /// More cases by case number, e.g. `["330106-2026-000123"]`.
    #[serde(default)]
    pub case_nos: Vec<String>,
    /// Why the unit is pressed (督办事由).
    pub reason: String,
    /// What it must do (督办要求).
    #[serde(default)]
    pub requirements: String,
    /// Days to answer in writing: 1–90, 30 by default.
    #[schema(minimum = 1, maximum = 90)]
    pub reply_days: Option<u32>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrdersQuery {
    /// issued | answered | withdrawn
    #[param(pattern = "^(issued|answered|withdrawn)?$")]
    pub state: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/supervision/orders", tag = "supervision", params(OrdersQuery),
    responses((status = 200, description = "Orders sent to units in your subtree, newest first")))]
pub async fn list_orders(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiQuery(q): ApiQuery<OrdersQuery>,
) -> ApiResult<Json<Vec<SupervisionOrder>>> {
    let s = match q.state.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(OrderState::parse(s).ok_or_else(|| ApiError::field("state", "invalid"))?),
    };
    Ok(Json(state.supervision_orders(&who.caller(), s).await?))
}

#[utoipa::path(post, path = "/api/v1/supervision/orders", tag = "supervision", request_body = OrderBody,
    responses((status = 201, description = "Issued: the order with its number and reply date; each case's timeline shows it and the receiving unit is told in the app"),
        (status = 403, description = "Only supervisors and leaders of a unit above the receiving unit issue orders", body = crate::error::ErrorBody)))]
pub async fn issue_order(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(b): JsonBody<OrderBody>,
) -> ApiResult<(StatusCode, Json<SupervisionOrder>)> {
    let input = OrderInput {
        unit: b.unit,
        cases: b.cases,
        case_nos: b.case_nos,
        reason: b.reason,
        requirements: b.requirements,
        reply_days: b.reply_days,
    };
    let order = state.issue_order(&who.caller(), &input).await?;
    Ok((StatusCode::CREATED, Json(order)))
}

#[utoipa::path(get, path = "/api/v1/supervision/orders/{id}", tag = "supervision",
    params(("id" = i64, Path, description = "Order id")),
    responses((status = 200, description = "The order with its cases, reply and reminders")))]
pub async fn get_order(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<SupervisionOrder>> {
    Ok(Json(state.supervision_order(&who.caller(), id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReplyBody {
    /// The unit's written answer.
    pub text: String,
}

#[utoipa::path(post, path = "/api/v1/supervision/orders/{id}/reply", tag = "supervision", request_body = ReplyBody,
    params(("id" = i64, Path, description = "Order id")),
    responses((status = 200, description = "Answered; each case's timeline shows the answer and the issuing unit is told"),
        (status = 403, description = "Only the receiving unit answers", body = crate::error::ErrorBody)))]
pub async fn reply(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(b): JsonBody<ReplyBody>,
) -> ApiResult<Json<SupervisionOrder>> {
    Ok(Json(state.answer_order(&who.caller(), id, &b.text).await?))
}

#[utoipa::path(post, path = "/api/v1/supervision/orders/{id}/remind", tag = "supervision",
    params(("id" = i64, Path, description = "Order id")),
    responses((status = 200, description = "Reminded (催办): the receiving unit is told again and each case's timeline shows it"),
        (status = 403, description = "Only supervisors and leaders above the receiving unit remind", body = crate::error::ErrorBody)))]
pub async fn remind(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<SupervisionOrder>> {
    Ok(Json(state.remind_order(&who.caller(), id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct WithdrawBody {
    /// Why the order is withdrawn (e.g. issued in error, or settled another way).
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/supervision/orders/{id}/withdraw", tag = "supervision", request_body = WithdrawBody,
    params(("id" = i64, Path, description = "Order id")),
    responses((status = 200, description = "Withdrawn: nothing more is owed on it, no reminder follows, the receiving unit is told and each case's timeline shows it"),
        (status = 403, description = "Only a supervisor or leader of the issuing unit withdraws its order", body = crate::error::ErrorBody),
        (status = 422, description = "No reason, or the order is no longer open", body = crate::error::ErrorBody)))]
pub async fn withdraw(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(b): JsonBody<WithdrawBody>,
) -> ApiResult<Json<SupervisionOrder>> {
    Ok(Json(
        state.withdraw_order(&who.caller(), id, &b.reason).await?,
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ListingBody {
    /// true to put the case under listed supervision, false to lift it.
    pub listed: bool,
    /// Why (required to list).
    #[serde(default)]
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/supervision/cases/{id}/listing", tag = "supervision", request_body = ListingBody,
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 204, description = "Listed or lifted; the case's timeline shows it"),
        (status = 403, description = "Only supervisors and leaders above the case's unit list it", body = crate::error::ErrorBody)))]
pub async fn listing(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(b): JsonBody<ListingBody>,
) -> ApiResult<StatusCode> {
    state
        .set_listing(&who.caller(), id, b.listed, &b.reason)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema, Default)]
#[serde(default)]
pub struct AccountabilityBody {
    /// The case number.
    pub case_no: String,
    /// The official's username, when they have an account.
    pub official_user: String,
    /// Otherwise the official's name …
    pub official_name: String,
    /// … and their unit's code.
    pub official_unit: String,
    /// failed_to_register | failed_to_accept | failed_to_notify | missed_deadline | shirked |
    /// wrong_decision | disclosure | retaliation | caused_by_violation (Arts. 42–46)
    pub kind: String,
    pub facts: String,
    /// criticism | self_examination | admonition | sanction | referred | no_fault
    pub decision: String,
    /// Who decided it (a body or a person).
    pub decided_by: String,
    /// YYYY-MM-DD, today by default.
    pub decided_on: String,
}

impl From<AccountabilityBody> for AccountabilityInput {
    fn from(b: AccountabilityBody) -> Self {
        AccountabilityInput {
            case_no: b.case_no,
            official_user: b.official_user,
            official_name: b.official_name,
            official_unit: b.official_unit,
            kind: b.kind,
            facts: b.facts,
            decision: b.decision,
            decided_by: b.decided_by,
            decided_on: b.decided_on,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/supervision/accountability", tag = "supervision",
    responses((status = 200, description = "Accountability records about officials of units in your subtree, newest first"),
        (status = 403, description = "Only supervisors, leaders and auditors read them", body = crate::error::ErrorBody)))]
pub async fn list_accountability(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
) -> ApiResult<Json<Vec<AccountabilityRecord>>> {
    Ok(Json(state.accountability_records(&who.caller()).await?))
}

#[utoipa::path(post, path = "/api/v1/supervision/accountability", tag = "supervision", request_body = AccountabilityBody,
    responses((status = 201, description = "Recorded, with an audit entry"),
        (status = 403, description = "Only supervisors and leaders of a unit above the official's unit record accountability", body = crate::error::ErrorBody)))]
pub async fn create_accountability(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(b): JsonBody<AccountabilityBody>,
) -> ApiResult<(StatusCode, Json<AccountabilityRecord>)> {
    let r = state
        .record_accountability(&who.caller(), &b.into())
        .await?;
    Ok((StatusCode::CREATED, Json(r)))
}

#[utoipa::path(get, path = "/api/v1/supervision/accountability/{id}", tag = "supervision",
    params(("id" = i64, Path, description = "Record id")),
    responses((status = 200, description = "One accountability record"),
        (status = 403, description = "Only supervisors, leaders and auditors read them", body = crate::error::ErrorBody)))]
pub async fn get_accountability(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<AccountabilityRecord>> {
    Ok(Json(state.accountability_record(&who.caller(), id).await?))
}
