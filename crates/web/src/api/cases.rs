//! Registration, the queue, case records, corrections and attachments.

use super::extract::{is_multipart, ApiMultipart, ApiPath, ApiQuery};
use super::JsonBody;
use crate::attachments;
use crate::auth::{ApiUser, Principal};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::model::{CaseEvent, CaseFilter, CasePatch, CaseRecord, Cursor, NewAttachment};
use app::AppError;
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, StatusCode};
use axum::response::Response;
use axum::Json;
use domain::{NewCase, Permission};
use serde::Deserialize;

pub use app::attachments::Upload;

/// Reads the `case` JSON part and the `attachments` file parts of a multipart body.
async fn read_multipart(mut mp: Multipart) -> ApiResult<(Option<NewCase>, Vec<Upload>)> {
    let mut case = None;
    let mut files = vec![];
    while let Some(field) = mp.next_field().await.map_err(|e| multipart_error(&e))? {
        match field.name().unwrap_or("") {
            "case" => {
                let bytes = field.bytes().await.map_err(|e| multipart_error(&e))?;
                let parsed =
                    super::json::parse_checked::<NewCase>(&bytes).map_err(|e| match e {
                        // A part that is not a registration at all.
                        ApiError::Validation(f)
                            if !f.values().any(|c| c == "invalid_characters") =>
                        {
                            ApiError::BadRequest("malformed_json")
                        }
                        e => e,
                    })?;
                case = Some(parsed);
            }
            "attachments" | "attachment" | "file" => {
                let filename = field.file_name().unwrap_or("attachment").to_string();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| multipart_error(&e))?
                    .to_vec();
                if !bytes.is_empty() {
                    files.push(Upload { filename, bytes });
                }
            }
            _ => {}
        }
    }
    Ok((case, files))
}

pub fn multipart_error(e: &axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::TooLarge
    } else {
        ApiError::BadRequest("malformed_multipart")
    }
}

/// Checks every upload before anything is stored, so a bad file rejects the whole
/// request; a refusal names the file.
pub fn check_uploads(state: &AppState, files: &[Upload]) -> ApiResult<()> {
    if files.len() > 10 {
        return Err(ApiError::field("attachments", "too_many_files"));
    }
    for f in files {
        if f.bytes.len() > state.config.max_upload_bytes {
            return Err(ApiError::upload("file_too_large", &f.filename));
        }
        attachments::check(&f.filename, &f.bytes).map_err(|c| ApiError::upload(c, &f.filename))?;
    }
    Ok(())
}

pub async fn store_uploads(
    state: &AppState,
    who: &Principal,
    case_id: i64,
    files: &[Upload],
) -> ApiResult<()> {
    // Files first, rows after; the sweep waits until the rows are in.
    let _writing = attachments::gate().read().await;
    let saved: Vec<NewAttachment> = attachments::save_all(
        &state.config.attachments_dir,
        files,
        state.config.max_upload_bytes,
    )
    .await?;
    for meta in &saved {
        state
            .add_attachment(&who.scope(), case_id, meta, &who.actor())
            .await?;
    }
    Ok(())
}

/// Reads a case and records that its petitioners' personal data were read.
pub async fn read_case_audited(
    state: &AppState,
    who: &Principal,
    id: i64,
    how: &str,
) -> ApiResult<CaseRecord> {
    let case = state.case(&who.scope(), id).await?;
    if !case.petitioners.is_empty() {
        state
            .audit_about(
                &who.actor(),
                "read_personal_data",
                &case.summary.case_no,
                how,
                app::model::AuditSubject::Case(case.summary.id),
            )
            .await?;
    }
    Ok(case)
}

#[utoipa::path(post, path = "/api/v1/cases", tag = "cases",
    request_body(description = "A registration as JSON, or multipart/form-data with a `case` JSON part and `attachments` files",
        content(
            (super::schemas::NewCaseDoc = "application/json",
                example = json!({"channel":"visit","type":"claim","category":"labor.wages","region":"330102",
                    "petitioners":[{"name":"张三","phone":"13800000000","id_number":null,"address":"西湖区文三路1号"}],
                    "headcount":1,"representatives":[],"respondent":"某建筑公司","content":"拖欠工资三个月","demands":"支付工资"})),
            (super::schemas::CaseForm = "multipart/form-data",
                encoding(("case" = (content_type = "application/json")),
                         ("attachments" = (content_type = "application/octet-stream"))))
        )),
    responses((status = 201, description = "Registered: `id`, `case_no`, `query_code` and the case"),
              (status = 403, description = "Your role may not register petitions", body = crate::error::ErrorBody),
              (status = 422, description = "Invalid (each problem in `fields`); nothing was stored", body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    req: Request,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    who.require(Permission::Register)?;
    let (input, files) = if is_multipart(&req) {
        let ApiMultipart(mp) = ApiMultipart::from_request(req, &state).await?;
        let (case, files) = read_multipart(mp).await?;
        (
            case.ok_or_else(|| ApiError::field("case", "required"))?,
            files,
        )
    } else {
        // This route allows upload-sized bodies; a JSON registration gets the JSON limit.
        let mut req = req;
        axum::extract::DefaultBodyLimit::max(state.config.max_json_bytes).apply(&mut req);
        let bytes = super::json::json_bytes(req, &state).await?;
        let input = super::json::parse_checked::<NewCase>(&bytes)?;
        (input, vec![])
    };
    check_uploads(&state, &files)?;
    let (result, _unit) = state.register(&who.caller(), &input, &files).await?;
    let case =
        crate::lifecycle_view::view_with_help(&state, state.case(&who.scope(), result.id).await?)
            .await;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({
            "id": result.id,
            "case_no": result.case_no.as_str(),
            "query_code": result.query_code.as_str(),
            "case": case,
        })),
    ))
}

/// The most rows a queue page holds (`limit`).
pub const MAX_PAGE: i64 = 200;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// A unit code: its subtree (within yours); with `!` after it (`330106!`), only the
    /// cases that unit holds itself.
    pub unit: Option<String>,
    /// open | closed | voided
    pub state: Option<String>,
    pub channel: Option<String>,
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub case_type: Option<String>,
    /// A category code; subcategories match too, unless it ends in `!` (`labor!`: that
    /// category itself only).
    pub category: Option<String>,
    /// A region-code prefix: up to 12 digits; with `!` after it, that code exactly.
    #[param(pattern = "^[0-9]{0,12}!?$")]
    pub region: Option<String>,
    /// The month received (YYYY-MM).
    #[param(pattern = "^[0-9]{4}-[0-9]{2}$")]
    pub month: Option<String>,
    /// Received on or after (YYYY-MM-DD).
    #[param(format = Date)]
    pub from: Option<String>,
    /// Received on or before (YYYY-MM-DD).
    #[param(format = Date)]
    pub to: Option<String>,
    /// A whole case number, or a part: digits alone (`000053`, `53`) match the
    /// sequence; `2026-000053` the end; anything else the start. `%` and `_` are literal.
    pub case_no: Option<String>,
    /// A stage (`handling`, …) or a supervision board group: `routing`, `acceptance`,
    /// `handling`, `review` (review and re-review), `other`.
    pub stage: Option<String>,
    /// `overdue` (past the stage's deadline) or `due_soon` (within the due-soon window).
    #[param(pattern = "^(overdue|due_soon)?$")]
    pub due: Option<String>,
    /// `1`: only cases under listed supervision (挂牌督办).
    #[param(pattern = "^(1|true)?$")]
    pub listed: Option<String>,
    /// Only the cases behind a per-unit rate's figure (`GET /api/v1/stats/rates`):
    /// `routing`, `acceptance`, `completion`, `satisfaction`, `overturn` or `repeat`.
    #[param(pattern = "^(routing|acceptance|completion|satisfaction|overturn|repeat)?$")]
    pub rate: Option<String>,
    /// With `rate`: `counted` (the denominator, the default), `met` (the numerator) or
    /// `missed` (counted but not met: late, dissatisfied, upheld; not for `repeat`).
    #[param(pattern = "^(counted|met|missed)?$")]
    pub rate_part: Option<String>,
    /// With `rate`: the unit whose figure it is, as in the rates' rows: a code (its
    /// subtree) or a code with `!` (that unit itself). Your own unit by default.
    pub rate_unit: Option<String>,
    /// With `rate`: steps taken on or after (YYYY-MM-DD), as the rates' `from`.
    #[param(format = Date)]
    pub rate_from: Option<String>,
    /// With `rate`: steps taken on or before (YYYY-MM-DD), as the rates' `to`.
    #[param(format = Date)]
    pub rate_to: Option<String>,
    /// `due` (soonest deadline first, the default) or `registered` (oldest first).
    #[param(pattern = "^(due|registered)?$")]
    pub sort: Option<String>,
    /// The `next` value of the previous page.
    pub cursor: Option<String>,
    /// Rows per page, 1–200 (50 by default); outside that range the answer is 422.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// Longest queue filter value, in characters.
const MAX_PARAM_CHARS: usize = 200;

impl ListQuery {
    /// The store filter, with the unit code resolved to its path.
    pub async fn filter(&self, state: &AppState) -> ApiResult<CaseFilter> {
        // Every value is one line of text; a control character is refused by name
        // before anything reaches the database.
        let params = [
            ("unit", &self.unit),
            ("state", &self.state),
            ("channel", &self.channel),
            ("type", &self.case_type),
            ("category", &self.category),
            ("region", &self.region),
            ("from", &self.from),
            ("to", &self.to),
            ("month", &self.month),
            ("case_no", &self.case_no),
            ("stage", &self.stage),
            ("due", &self.due),
            ("listed", &self.listed),
            ("rate", &self.rate),
            ("rate_part", &self.rate_part),
            ("rate_unit", &self.rate_unit),
            ("rate_from", &self.rate_from),
            ("rate_to", &self.rate_to),
            ("sort", &self.sort),
            ("cursor", &self.cursor),
        ];
        let mut errors = domain::FieldErrors::new();
        for (field, v) in params {
            if let Some(Err(e)) = v
                .as_deref()
                .map(|s| domain::Line::parse(s, MAX_PARAM_CHARS))
            {
                errors.insert(field.into(), e.code().into());
            }
        }
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let nonempty = |v: &Option<String>| {
            v.as_ref()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        for (field, v) in [
            ("from", &self.from),
            ("to", &self.to),
            ("rate_from", &self.rate_from),
            ("rate_to", &self.rate_to),
        ] {
            if let Some(d) = nonempty(v) {
                chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                    .map_err(|_| ApiError::field(field, "invalid_date"))?;
            }
        }
        if let Some(r) = nonempty(&self.region) {
            let prefix = r.strip_suffix(domain::stats::ONLY_MARK).unwrap_or(&r);
            if !domain::codes::is_region_prefix(prefix) {
                return Err(ApiError::field("region", "invalid_region"));
            }
        }
        if let Some(m) = nonempty(&self.month) {
            chrono::NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d")
                .ok()
                .filter(|_| m.len() == 7)
                .ok_or_else(|| ApiError::field("month", "invalid_month"))?;
        }
        let unit = nonempty(&self.unit);
        let unit_only = unit
            .as_deref()
            .is_some_and(|u| u.ends_with(domain::stats::ONLY_MARK));
        let unit_path = match unit.map(|u| u.trim_end_matches(domain::stats::ONLY_MARK).to_string())
        {
            None => None,
            Some(code) => match state.unit_by_code(&code.to_ascii_uppercase()).await {
                Ok(u) => Some(u.path),
                Err(AppError::NotFound) => Some("/none/".into()),
                Err(e) => return Err(e.into()),
            },
        };
        let stages = match nonempty(&self.stage) {
            None => vec![],
            Some(s) => match (
                domain::supervision::DelayStage::parse(&s),
                domain::Stage::parse(&s),
            ) {
                (Some(group), _) => group
                    .stages()
                    .iter()
                    .map(|s| s.as_str().to_string())
                    .collect(),
                (None, Some(stage)) => vec![stage.as_str().to_string()],
                (None, None) => return Err(ApiError::field("stage", "invalid_stage")),
            },
        };
        // The same dates as the supervision board's figures.
        let (due_before, due_from, due_until) = match nonempty(&self.due).as_deref() {
            None => (None, None, None),
            Some(d) => match domain::DueStatus::parse(d) {
                Some(d) if d.is_pressing() => {
                    let f = state.board_filter(None, Some(d));
                    (f.due_before, f.due_from, f.due_until)
                }
                _ => return Err(ApiError::field("due", "invalid_due")),
            },
        };
        let listed = match nonempty(&self.listed).as_deref() {
            None => false,
            Some("1" | "true") => true,
            Some(_) => return Err(ApiError::field("listed", "invalid")),
        };
        let rate = self.rate_filter(state).await?;
        Ok(CaseFilter {
            stages,
            due_before,
            due_from,
            due_until,
            listed,
            rate,
            unit_path,
            unit_only,
            month: nonempty(&self.month),
            state: nonempty(&self.state),
            channel: nonempty(&self.channel),
            case_type: nonempty(&self.case_type),
            category: nonempty(&self.category),
            region: nonempty(&self.region),
            received_from: nonempty(&self.from),
            received_to: nonempty(&self.to),
            case_no: nonempty(&self.case_no).map(|s| s.to_ascii_uppercase()),
            order: match nonempty(&self.sort).as_deref() {
                None | Some("due") => app::model::Order::Due,
                Some("registered") => app::model::Order::Registered,
                Some(_) => return Err(ApiError::field("sort", "invalid_sort")),
            },
        })
    }

    /// The rate filter (`rate`, `rate_part`, `rate_unit`, `rate_from`, `rate_to`).
    async fn rate_filter(&self, state: &AppState) -> ApiResult<Option<app::model::RateFilter>> {
        use domain::stats::{Rate, RatePart, ONLY_MARK};
        let nonempty = |v: &Option<String>| {
            v.as_ref()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let Some(rate) = nonempty(&self.rate) else {
            for (field, v) in [
                ("rate_part", &self.rate_part),
                ("rate_unit", &self.rate_unit),
                ("rate_from", &self.rate_from),
                ("rate_to", &self.rate_to),
            ] {
                if nonempty(v).is_some() {
                    return Err(ApiError::field(field, "needs_rate"));
                }
            }
            return Ok(None);
        };
        let rate = Rate::parse(&rate).ok_or_else(|| ApiError::field("rate", "invalid_rate"))?;
        let part = match nonempty(&self.rate_part) {
            None => RatePart::Counted,
            Some(p) => RatePart::parse(&p)
                .filter(|p| *p != RatePart::Missed || rate.lists_misses())
                .ok_or_else(|| ApiError::field("rate_part", "invalid_rate_part"))?,
        };
        let unit = nonempty(&self.rate_unit);
        let unit_only = unit.as_deref().is_some_and(|u| u.ends_with(ONLY_MARK));
        let unit_path = match unit.map(|u| u.trim_end_matches(ONLY_MARK).to_ascii_uppercase()) {
            None => None,
            Some(code) => match state.unit_by_code(&code).await {
                Ok(u) => Some(u.path),
                Err(AppError::NotFound) => Some("/none/".into()),
                Err(e) => return Err(e.into()),
            },
        };
        Ok(Some(app::model::RateFilter {
            rate,
            part,
            unit_path,
            unit_only,
            from: nonempty(&self.rate_from),
            to: nonempty(&self.rate_to),
        }))
    }

    pub fn cursor(&self) -> ApiResult<Option<Cursor>> {
        match self.cursor.as_deref().filter(|c| !c.is_empty()) {
            None => Ok(None),
            Some(c) => Cursor::decode(c)
                .map(Some)
                .ok_or_else(|| ApiError::field("cursor", "invalid_cursor")),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(ListQuery),
    responses((status = 200, description = "`items` (soonest deadline first, or oldest registration with `sort=registered`), `next`, the cursor of the next page or null, and `total`, how many cases match (counted up to 10,000; `total_exact` is false beyond)")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<serde_json::Value>> {
    let filter = q.filter(&state).await?;
    let limit = super::extract::page_limit(q.limit, 50, MAX_PAGE)?;
    let page = state
        .list_cases(&who.scope(), &filter, q.cursor()?, limit)
        .await?;
    let count = state.count_cases(&who.scope(), &filter).await?;
    Ok(Json(serde_json::json!({
        "items": page.items,
        "next": page.next.map(|c| c.encode()),
        "total": count.total,
        "total_exact": count.exact,
    })))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases", params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, description = "The case"), (status = 404, description = "No such case in your scope", body = crate::error::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<crate::lifecycle_view::CaseView>> {
    let record = read_case_audited(&state, &who, id, "api").await?;
    Ok(Json(
        crate::lifecycle_view::view_with_help(&state, record).await,
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CorrectionInput {
    /// The version you read; if someone changed the case since, the answer is 409.
    pub version: i64,
    pub category: Option<String>,
    #[schema(schema_with = super::schemas::region_code_or_null)]
    pub region: Option<String>,
    pub respondent: Option<String>,
    #[schema(max_length = 20000)]
    pub content: Option<String>,
    pub demands: Option<String>,
}

/// Validates a correction against the same rules as registration.
pub async fn correct_checked(
    state: &AppState,
    who: &Principal,
    id: i64,
    input: &CorrectionInput,
) -> ApiResult<CaseRecord> {
    who.require(Permission::EditCase)?;
    let mut errors = domain::FieldErrors::new();
    if let Some(c) = &input.category {
        let known = state.categories().await?;
        if !known.iter().any(|k| k.code == c.trim()) {
            errors.insert("category".into(), "unknown_category".into());
        }
    }
    if let Some(r) = &input.region {
        if domain::RegionCode::parse(r).is_none() {
            errors.insert("region".into(), "invalid_region".into());
        }
    }
    // The same text rules as registration: one line for the respondent, multi-line
    // text (line breaks and tabs, no other control characters) for content and demands.
    use domain::registration::{MAX_CONTENT_CHARS, MAX_DEMANDS_CHARS, MAX_SHORT_CHARS};
    let mut field = |name: &str, r: Result<String, domain::TextError>| match r {
        Ok(v) => Some(v),
        Err(e) => {
            errors.insert(name.into(), e.code().into());
            None
        }
    };
    let respondent = input.respondent.as_deref().and_then(|v| {
        field(
            "respondent",
            domain::Line::parse(v, MAX_SHORT_CHARS).map(domain::Line::into_string),
        )
    });
    let content = input.content.as_deref().and_then(|v| {
        field(
            "content",
            domain::Text::required(v, MAX_CONTENT_CHARS).map(domain::Text::into_string),
        )
    });
    let demands = input.demands.as_deref().and_then(|v| {
        field(
            "demands",
            domain::Text::parse(v, MAX_DEMANDS_CHARS).map(domain::Text::into_string),
        )
    });
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let trim = |v: &Option<String>| v.as_ref().map(|s| s.trim().to_string());
    let patch = CasePatch {
        category: trim(&input.category),
        region: trim(&input.region),
        respondent,
        content,
        demands,
    };
    Ok(state
        .correct_case(&who.scope(), id, input.version, &patch, &who.actor())
        .await?)
}

#[utoipa::path(patch, path = "/api/v1/cases/{id}", tag = "cases", request_body = CorrectionInput,
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, description = "Corrected"), (status = 409, description = "Changed by someone else first", body = crate::error::ErrorBody)))]
pub async fn correct(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(input): JsonBody<CorrectionInput>,
) -> ApiResult<Json<CaseRecord>> {
    Ok(Json(correct_checked(&state, &who, id, &input).await?))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/events", tag = "cases", params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, description = "The timeline, oldest first; `seq` is global")))]
pub async fn events(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<CaseEvent>>> {
    Ok(Json(state.case_events(&who.scope(), id).await?))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/attachments", tag = "cases", params(("id" = i64, Path, description = "Case id")),
    request_body(description = "One or more `attachments` files: PDF, JPEG, PNG, DOC(X), XLS(X), TXT",
        content((super::schemas::AttachmentsForm = "multipart/form-data",
            encoding(("attachments" = (content_type = "application/octet-stream")))))),
    responses((status = 201, description = "Stored"), (status = 422, description = "Type or size not allowed", body = crate::error::ErrorBody)))]
pub async fn add_attachments(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiMultipart(mp): ApiMultipart,
) -> ApiResult<(StatusCode, Json<CaseRecord>)> {
    who.require(Permission::EditCase)?;
    state.case_summary(&who.scope(), id).await?;
    let (_, files) = read_multipart(mp).await?;
    if files.is_empty() {
        return Err(ApiError::field("attachments", "required"));
    }
    check_uploads(&state, &files)?;
    store_uploads(&state, &who, id, &files).await?;
    Ok((
        StatusCode::CREATED,
        Json(state.case(&who.scope(), id).await?),
    ))
}

/// Sends a stored attachment as a download.
pub async fn attachment_response(
    state: &AppState,
    who: &Principal,
    id: i64,
    aid: i64,
) -> ApiResult<Response> {
    let a = state.attachment(&who.scope(), id, aid).await?;
    // An attachment may carry personal data: its download is audited like a case read.
    let case = state.case_summary(&who.scope(), id).await?;
    state
        .audit_about(
            &who.actor(),
            "read_personal_data",
            &case.case_no,
            &format!("attachment {}", a.filename),
            app::model::AuditSubject::Case(case.id),
        )
        .await?;
    let bytes = tokio::fs::read(attachments::path_for(
        &state.config.attachments_dir,
        &a.sha256,
    ))
    .await
    .map_err(|e| ApiError::Internal(format!("attachment {}: {e}", a.sha256)))?;
    // The type decides how it is served: images inline, everything else as a download,
    // under a name whose extension is the type's. Never sniffed (`nosniff`).
    let kind = attachments::kind_of_mime(&a.content_type);
    let name = attachments::download_name(&a.filename, &a.content_type);
    let content_type = kind.map(|k| k.mime).unwrap_or("application/octet-stream");
    Response::builder()
        .header(header::CONTENT_TYPE, content_type)
        .header(
            header::CONTENT_DISPOSITION,
            attachments::content_disposition(kind, &name),
        )
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .body(Body::from(bytes))
        .map_err(|e| ApiError::Internal(e.to_string()))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/attachments/{attachment_id}", tag = "cases",
    params(("id" = i64, Path, description = "Case id"), ("attachment_id" = i64, Path, description = "Attachment id")),
    responses((status = 200, description = "The file")))]
pub async fn download_attachment(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath((id, aid)): ApiPath<(i64, i64)>,
) -> ApiResult<Response> {
    attachment_response(&state, &who, id, aid).await
}
