//! The public JSON API under `/api/v1/public`: the portal's functions for apps and
//! mini-programs, with no login and the same rate limits as the pages. A wrong number
//! and a wrong code answer the same `404`.

use super::cases::multipart_error;
use super::extract::{is_multipart, ApiMultipart, ApiPath, ApiQuery};
use super::JsonBody;
use crate::error::ApiError;
use crate::i18n::ReqLang;
use crate::portal::limit::{self, Bucket};
use crate::portal::reception::{public_appointment, public_slot, AppointmentRequest};
use crate::portal::submit::{register_public, PublicPetition};
use crate::portal::track::{self, PetitionerRequest, Refusal};
use crate::portal::{instance, limited_json, MAX_SUBMISSION_BYTES};
use crate::state::AppState;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequest, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use std::net::SocketAddr;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The public routes, for the OpenAPI router.
pub fn routes(state: &AppState) -> OpenApiRouter<AppState> {
    let json_routes = OpenApiRouter::new()
        .routes(routes!(case))
        .routes(routes!(rate))
        .routes(routes!(review_request))
        .routes(routes!(reception_schedule))
        .routes(routes!(request_appointment))
        .routes(routes!(appointment))
        .routes(routes!(accept_offer))
        .layer(DefaultBodyLimit::max(state.config.max_json_bytes));
    let uploads = OpenApiRouter::new()
        .routes(routes!(petition))
        .layer(DefaultBodyLimit::max(MAX_SUBMISSION_BYTES));
    json_routes.merge(uploads)
}

/// The one answer for a wrong number and a wrong code alike.
fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({
            "error": "not_found",
            "message": "Nothing matches this number and query code.",
        })),
    )
        .into_response()
}

fn refused(r: Refusal) -> Response {
    match r {
        Refusal::Api(e) => e.into_response(),
        Refusal::Closed(reason) => (
            StatusCode::CONFLICT,
            Json(json!({
                "error": "request_closed",
                "reason": reason,
                "message": format!("This request is not open for the case now ({reason})."),
            })),
        )
            .into_response(),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CodeQuery {
    /// The query code (查询码) from the receipt.
    #[param(schema_with = super::schemas::query_code)]
    pub code: Option<String>,
    /// `en` for English names; Chinese by default (any other value too).
    pub lang: Option<String>,
}

/// The case number in a public route's path.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct CaseNoPath {
    /// The case number from the receipt.
    #[param(schema_with = super::schemas::case_no)]
    case_no: String,
}

/// The appointment reference in a public route's path.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct RefNoPath {
    /// The appointment reference.
    #[param(schema_with = super::schemas::ref_no)]
    ref_no: String,
}

/// Spends one tracking attempt and finds the case, or the answer to send instead.
async fn tracked_case(
    state: &AppState,
    addr: SocketAddr,
    case_no: &str,
    q: &CodeQuery,
) -> Result<i64, Response> {
    limit::hit(&instance(state), Bucket::Track, addr.ip()).map_err(limited_json)?;
    match track::find_case(state, case_no, q.code.as_deref().unwrap_or("")).await {
        Ok(Some(id)) => Ok(id),
        Ok(None) => Err(not_found()),
        Err(e) => Err(e.into_response()),
    }
}

async fn case_json(state: &AppState, id: i64, en: bool) -> Response {
    match track::public_case(state, id, en).await {
        Ok(c) => Json(c).into_response(),
        Err(e) => e.into_response(),
    }
}

/// A case a public request names: where it came from and how to answer.
struct Tracked<'a> {
    state: &'a AppState,
    addr: SocketAddr,
    case_no: &'a str,
    q: &'a CodeQuery,
    en: bool,
}

impl<'a> Tracked<'a> {
    fn new(
        state: &'a AppState,
        addr: SocketAddr,
        case_no: &'a str,
        q: &'a CodeQuery,
        lang: crate::i18n::Lang,
    ) -> Self {
        Tracked {
            state,
            addr,
            case_no,
            q,
            en: lang == crate::i18n::Lang::En,
        }
    }
}

/// A petitioner's request on a tracked case: spends a tracking attempt, finds the case,
/// runs the request, and answers with `answer` (given the action taken and the case as
/// tracking shows it), or with why it was refused.
async fn petitioner_request(
    t: Tracked<'_>,
    request: &PetitionerRequest,
    answer: impl FnOnce(track::Action, track::PublicCase) -> Response,
) -> Response {
    let id = match tracked_case(t.state, t.addr, t.case_no, t.q).await {
        Ok(id) => id,
        Err(r) => return r,
    };
    match track::act(t.state, id, request).await {
        Ok(action) => match track::public_case(t.state, id, t.en).await {
            Ok(c) => answer(action, c),
            Err(e) => e.into_response(),
        },
        Err(r) => refused(r),
    }
}

/// The answer to send when this address may not submit again now.
fn submit_refused(state: &AppState, addr: SocketAddr) -> Option<Response> {
    limit::peek(&instance(state), Bucket::Submit, addr.ip())
        .err()
        .map(limited_json)
}

/// The answer to a submission: `201` with `created`'s body. A submission and a filled
/// honeypot count against the address's limit; a refused one does not.
fn submitted<T>(
    state: &AppState,
    addr: SocketAddr,
    r: Result<T, ApiError>,
    created: impl FnOnce(T) -> serde_json::Value,
) -> Response {
    if matches!(r, Ok(_) | Err(ApiError::BadRequest("rejected"))) {
        limit::record(&instance(state), Bucket::Submit, addr.ip());
    }
    match r {
        Ok(x) => (StatusCode::CREATED, Json(created(x))).into_response(),
        Err(e) => e.into_response(),
    }
}

/// Reads a petition from JSON, or from multipart with a `petition` JSON part and
/// `attachments` files.
async fn read_petition(
    state: &AppState,
    req: Request,
) -> Result<(PublicPetition, Vec<crate::api::cases::Upload>), ApiError> {
    if !is_multipart(&req) {
        let mut req = req;
        DefaultBodyLimit::max(state.config.max_json_bytes).apply(&mut req);
        let bytes = super::json::json_bytes(req, state).await?;
        return Ok((
            super::json::parse_checked::<PublicPetition>(&bytes)?,
            vec![],
        ));
    }
    let ApiMultipart(mut mp) = ApiMultipart::from_request(req, state).await?;
    let (mut petition, mut files) = (None, vec![]);
    while let Some(field) = mp.next_field().await.map_err(|e| multipart_error(&e))? {
        let name = field.name().unwrap_or("").to_string();
        let filename = field.file_name().unwrap_or("attachment").to_string();
        let bytes = field.bytes().await.map_err(|e| multipart_error(&e))?;
        match name.as_str() {
            "petition" => {
                petition = Some(
                    super::json::parse_checked::<PublicPetition>(&bytes).map_err(|e| match e {
                        ApiError::Validation(f)
                            if !f.values().any(|c| c == "invalid_characters") =>
                        {
                            ApiError::BadRequest("malformed_json")
                        }
                        e => e,
                    })?,
                )
            }
            "attachments" if !bytes.is_empty() => files.push(crate::api::cases::Upload {
                filename,
                bytes: bytes.to_vec(),
            }),
            _ => {}
        }
    }
    let petition = petition.ok_or_else(|| ApiError::field("petition", "required"))?;
    Ok((petition, files))
}

#[utoipa::path(post, path = "/api/v1/public/petitions", tag = "public",
    request_body(description = "A petition as JSON, or multipart/form-data with a `petition` JSON part and up to 5 `attachments` files (PDF, images, Word, Excel, text; 20 MB together). `anonymous` is allowed for suggestions and accusations only; a claim needs a `name`. `website` is a honeypot and must stay empty.",
        content(
            (super::schemas::PetitionDoc = "application/json",
                example = json!({"type":"claim","category":"labor.wages","region":"330106","content":"工地拖欠工资三个月。","demands":"请求督促支付工资。","respondent":"某建筑公司","anonymous":false,"name":"张三","phone":"13800000000","address":""})),
            (super::schemas::PetitionForm = "multipart/form-data",
                encoding(("petition" = (content_type = "application/json")),
                         ("attachments" = (content_type = "application/octet-stream"))))
        )),
    responses((status = 201, description = "Registered: `{case_no, query_code}`; keep both to track the case"),
              (status = 400, description = "Rejected (the honeypot was filled) or malformed", body = crate::error::ErrorBody),
              (status = 422, description = "Invalid; nothing was stored", body = crate::error::ErrorBody),
              (status = 429, description = "Too many submissions from this address; see `Retry-After`")))]
pub async fn petition(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    req: Request,
) -> Response {
    if let Some(r) = submit_refused(&state, addr) {
        return r;
    }
    let (input, files) = match read_petition(&state, req).await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let r = register_public(&state, &input, &files).await;
    submitted(
        &state,
        addr,
        r,
        |r| json!({ "case_no": r.case_no.as_str(), "query_code": r.query_code.as_str() }),
    )
}

#[utoipa::path(get, path = "/api/v1/public/cases/{case_no}", tag = "public",
    params(CaseNoPath, CodeQuery),
    responses((status = 200, description = "The stage, the unit that has the case, every deadline (`status`: met, met_late, open, due_soon, overdue, none), the notices and replies, `can_rate` and `review` (whether a review or re-review can be requested, or why not)"),
              (status = 404, description = "No case with this number and code (both answer the same)"),
              (status = 429, description = "Too many attempts from this address; see `Retry-After`")))]
pub async fn case(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    ReqLang(lang): ReqLang,
    ApiPath(case_no): ApiPath<String>,
    ApiQuery(q): ApiQuery<CodeQuery>,
) -> Response {
    match tracked_case(&state, addr, &case_no, &q).await {
        Ok(id) => case_json(&state, id, lang == crate::i18n::Lang::En).await,
        Err(r) => r,
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RatingBody {
    /// `satisfied`, `basically_satisfied` or `dissatisfied`.
    #[serde(default)]
    #[schema(schema_with = super::schemas::rating)]
    pub rating: String,
}

#[utoipa::path(post, path = "/api/v1/public/cases/{case_no}/rating", tag = "public",
    params(CaseNoPath, CodeQuery),
    request_body = RatingBody,
    responses((status = 200, description = "Rated; the case as tracking shows it"),
              (status = 404, description = "No case with this number and code"),
              (status = 409, description = "`request_closed`: the reply was not delivered yet, or the case was rated already (`reason`)"),
              (status = 422, description = "No or an unknown rating", body = crate::error::ErrorBody),
              (status = 429, description = "Too many attempts; see `Retry-After`")))]
pub async fn rate(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    ReqLang(lang): ReqLang,
    ApiPath(case_no): ApiPath<String>,
    ApiQuery(q): ApiQuery<CodeQuery>,
    JsonBody(body): JsonBody<RatingBody>,
) -> Response {
    let request = PetitionerRequest::Rate {
        rating: body.rating,
    };
    let tracked = Tracked::new(&state, addr, &case_no, &q, lang);
    petitioner_request(tracked, &request, |_, c| Json(c).into_response()).await
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReviewBody {
    /// Why the petitioner asks for a review.
    #[serde(default)]
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/public/cases/{case_no}/review-request", tag = "public",
    params(CaseNoPath, CodeQuery),
    request_body = ReviewBody,
    responses((status = 200, description = "Requested: `{action, case}`; `action` is `request_review` or `request_rereview`, whichever the case's stage allows"),
              (status = 404, description = "No case with this number and code"),
              (status = 409, description = "`request_closed`, with the `reason`: not_replied, review_window_expired, review_in_progress, rereview_window_expired, rereview_in_progress, concluded, directed, declined, closed, voided"),
              (status = 422, description = "No reason given", body = crate::error::ErrorBody),
              (status = 429, description = "Too many attempts; see `Retry-After`")))]
pub async fn review_request(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    ReqLang(lang): ReqLang,
    ApiPath(case_no): ApiPath<String>,
    ApiQuery(q): ApiQuery<CodeQuery>,
    JsonBody(body): JsonBody<ReviewBody>,
) -> Response {
    let request = PetitionerRequest::Review {
        reason: body.reason,
    };
    let tracked = Tracked::new(&state, addr, &case_no, &q, lang);
    petitioner_request(tracked, &request, |action, c| {
        Json(json!({ "action": action, "case": c })).into_response()
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/public/reception", tag = "public",
    responses((status = 200, description = "`{slots}`: the published reception days from today, each with its leader, unit, place, times and `places_left`")))]
pub async fn reception_schedule(State(state): State<AppState>, ReqLang(lang): ReqLang) -> Response {
    let today = state.config.today().to_string();
    match state.public_slots(&today, 200).await {
        Ok(slots) => {
            let en = lang == crate::i18n::Lang::En;
            let slots: Vec<_> = slots.iter().map(|s| public_slot(s, en)).collect();
            Json(json!({ "slots": slots })).into_response()
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

#[utoipa::path(post, path = "/api/v1/public/appointments", tag = "public",
    request_body(content = serde_json::Value, description = "`{slot_id, matter, case_no?, name?, phone?}`; `website` is a honeypot and must stay empty",
        example = json!({"slot_id": 1, "matter": "工资拖欠问题，想当面反映", "case_no": "", "name": "", "phone": ""})),
    responses((status = 201, description = "Requested: `{ref_no, query_code}`; the answer shows at `GET /api/v1/public/appointments/{ref_no}`"),
              (status = 422, description = "Invalid (`slot_unavailable` for a full, past or withdrawn slot)", body = crate::error::ErrorBody),
              (status = 429, description = "Too many submissions; see `Retry-After`")))]
pub async fn request_appointment(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    JsonBody(body): JsonBody<AppointmentRequest>,
) -> Response {
    if let Some(r) = submit_refused(&state, addr) {
        return r;
    }
    let r = state.ask_appointment(&body).await.map_err(ApiError::from);
    submitted(
        &state,
        addr,
        r,
        |(a, code)| json!({ "ref_no": a.ref_no, "query_code": code.as_str() }),
    )
}

async fn tracked_appointment(
    state: &AppState,
    addr: SocketAddr,
    ref_no: &str,
    q: &CodeQuery,
) -> Result<app::model::Appointment, Response> {
    limit::hit(&instance(state), Bucket::Track, addr.ip()).map_err(limited_json)?;
    match state
        .find_appointment(ref_no, q.code.as_deref().unwrap_or(""))
        .await
        .map_err(ApiError::from)
    {
        Ok(Some(a)) => Ok(a),
        Ok(None) => Err(not_found()),
        Err(e) => Err(e.into_response()),
    }
}

#[utoipa::path(get, path = "/api/v1/public/appointments/{ref_no}", tag = "public",
    params(RefNoPath, CodeQuery),
    responses((status = 200, description = "`status` (requested, confirmed, offered, declined), the slot, any other slot offered, and the office's answer"),
              (status = 404, description = "No appointment with this reference and code"),
              (status = 429, description = "Too many attempts; see `Retry-After`")))]
pub async fn appointment(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    ReqLang(lang): ReqLang,
    ApiPath(ref_no): ApiPath<String>,
    ApiQuery(q): ApiQuery<CodeQuery>,
) -> Response {
    match tracked_appointment(&state, addr, &ref_no, &q).await {
        Ok(a) => Json(public_appointment(&a, lang == crate::i18n::Lang::En)).into_response(),
        Err(r) => r,
    }
}

#[utoipa::path(post, path = "/api/v1/public/appointments/{ref_no}/accept", tag = "public",
    params(RefNoPath, CodeQuery),
    responses((status = 200, description = "The other slot offered is accepted: the appointment is confirmed for it"),
              (status = 404, description = "No appointment with this reference and code"),
              (status = 409, description = "No offer is open"),
              (status = 429, description = "Too many attempts; see `Retry-After`")))]
pub async fn accept_offer(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    ReqLang(lang): ReqLang,
    ApiPath(ref_no): ApiPath<String>,
    ApiQuery(q): ApiQuery<CodeQuery>,
) -> Response {
    let a = match tracked_appointment(&state, addr, &ref_no, &q).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    match state.accept_offer(a.id).await {
        Ok(a) => Json(public_appointment(&a, lang == crate::i18n::Lang::En)).into_response(),
        Err(app::AppError::Conflict { .. }) => refused(Refusal::Closed("no_offer")),
        Err(e) => ApiError::from(e).into_response(),
    }
}
