//! Registration, the queue, case records, corrections and attachments.

use super::extract::{is_multipart, ApiMultipart, ApiPath, ApiQuery};
use super::JsonBody;
use crate::attachments;
use crate::auth::{ApiUser, Principal};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::model::{CaseEvent, CasePatch, CaseRecord, NewAttachment};
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

pub use super::case_query::ListQuery;

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
