//! Safety inspection campaigns (安全隐患排查): the establishments register and its import,
//! campaigns with their progress and export, inspections, and each hazard's orders.

use super::exports::{file_download, parse_format};
use super::extract::{ApiMultipart, ApiPath, ApiQuery};
use super::stats_export::TableFormat;
use super::JsonBody;
use crate::auth::{ApiUser, Principal};
use crate::error::{ApiError, ApiResult};
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use app::establishment_import::ImportReport;
use app::inspections::{Campaign, Establishment, Hazard, HazardOrder, Inspection, RegisterEvent};
use app::inspections::{CampaignInput, CampaignView, InspectionInput};
use app::table_file::{table_bytes, Table};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::inspection::EstablishmentKind;
use domain::register_event::{CampaignEvent, EstablishmentEvent};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::{KnownFormat, RefOr};
use utoipa::{PartialSchema, ToSchema};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EstablishmentQuery {
    /// One kind of establishment.
    #[param(
        pattern = "^(school_canteen|kindergarten_canteen|enterprise_canteen|construction_site_canteen|restaurant|drug_wholesaler|clinic|pharmacy)?$"
    )]
    pub kind: Option<String>,
    /// A unit's code: its subtree only.
    pub unit: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/establishments", tag = "inspections", params(EstablishmentQuery),
    responses((status = 200, description = "Establishments of your subtree (at most 1000), by unit then licence number")))]
pub async fn list_establishments(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiQuery(q): ApiQuery<EstablishmentQuery>,
) -> ApiResult<Json<Vec<Establishment>>> {
    if let Some(k) = q.kind.as_deref().filter(|k| !k.is_empty()) {
        EstablishmentKind::parse(k).ok_or_else(|| ApiError::field("kind", "invalid"))?;
    }
    let unit = q.unit.as_deref().map(str::trim).filter(|u| !u.is_empty());
    let list = state
        .establishments(&who.caller(), q.kind.as_deref(), unit)
        .await;
    match list {
        Err(app::AppError::NotFound) => Err(ApiError::field("unit", "invalid")),
        other => Ok(Json(other?)),
    }
}

#[utoipa::path(get, path = "/api/v1/establishments/{id}", tag = "inspections",
    params(("id" = i64, Path, description = "Establishment id")),
    responses((status = 200, description = "The establishment")))]
pub async fn get_establishment(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Establishment>> {
    Ok(Json(state.establishment(&who.caller(), id).await?))
}

#[utoipa::path(get, path = "/api/v1/establishments/{id}/events", tag = "inspections",
    params(("id" = i64, Path, description = "Establishment id")),
    responses((status = 200, description = "The establishment's history, oldest first: imported, inspected, hazard_found, rectification_order, reinspected, suspension_order")))]
pub async fn establishment_events(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<RegisterEvent<EstablishmentEvent>>>> {
    Ok(Json(state.establishment_events(&who.caller(), id).await?))
}

/// `POST /api/v1/establishments/import`: one file.
pub struct ImportForm;

impl PartialSchema for ImportForm {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .property(
                "file",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
                    .content_media_type("application/octet-stream")
                    .description(Some(
                        "A CSV (UTF-8) or XLSX file whose first row names the columns: kind (类型), licence_no (许可证号), name (名称), address (地址), region_code (行政区划代码), unit (责任单位, a unit code)",
                    )),
            )
            .required("file")
            .into()
    }
}

impl ToSchema for ImportForm {}

/// One refused row of an import.
#[derive(Serialize, ToSchema)]
pub struct RowErrorDoc {
    /// The row in the file (1 is the heading row; 0 for the file as a whole).
    pub row: usize,
    /// kind, licence_no, name, address, region_code, unit or file.
    pub column: String,
    pub code: String,
}

/// What an import did.
#[derive(Serialize, ToSchema)]
pub struct ImportReportDoc {
    pub imported: usize,
    pub errors: Vec<RowErrorDoc>,
}

/// Why an import was refused: its rows (`imported`, `errors`), or the request itself, e.g.
/// no file (`error`, `fields`).
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum ImportRefusalDoc {
    Rows(ImportReportDoc),
    Request(crate::error::ErrorBody),
}

/// Reads the `file` field of a multipart body.
pub async fn read_file_field(mut mp: axum::extract::Multipart) -> ApiResult<Vec<u8>> {
    let mut file = None;
    while let Some(field) = mp.next_field().await.map_err(|_| ApiError::TooLarge)? {
        if field.name() == Some("file") {
            let bytes = field.bytes().await.map_err(|_| ApiError::TooLarge)?;
            file = Some(bytes.to_vec());
        }
    }
    file.filter(|f| !f.is_empty())
        .ok_or_else(|| ApiError::field("file", "required"))
}

#[utoipa::path(post, path = "/api/v1/establishments/import", tag = "inspections",
    request_body(content((ImportForm = "multipart/form-data",
        encoding(("file" = (content_type = "application/octet-stream")))))),
    responses((status = 201, description = "Every row imported", body = ImportReportDoc),
        (status = 422, description = "Refused whole: each error by row and column, or the request named by field (e.g. no file); nothing was imported", body = ImportRefusalDoc)))]
pub async fn import(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiMultipart(mp): ApiMultipart,
) -> ApiResult<Response> {
    let bytes = read_file_field(mp).await?;
    let report: ImportReport = state.import_establishments(&who.caller(), &bytes).await?;
    let status = if report.errors.is_empty() {
        StatusCode::CREATED
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Json(report)).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct CampaignBody {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// Kinds of establishment the campaign covers.
    #[schema(min_items = 1)]
    pub kinds: Vec<String>,
    /// The units it covers, by code, each with its whole subtree (all in your subtree; a
    /// unit inside another listed one adds nothing). Yours when neither this nor `unit`.
    #[serde(default)]
    #[schema(max_items = 100)]
    pub units: Vec<String>,
    /// One unit it covers (the older form of `units`; both may be given).
    pub unit: Option<String>,
    /// First day, `YYYY-MM-DD`.
    pub starts_on: String,
    /// Last day, `YYYY-MM-DD`.
    pub ends_on: String,
}

#[utoipa::path(get, path = "/api/v1/inspection-campaigns", tag = "inspections",
    responses((status = 200, description = "Campaigns you take part in, newest first: run by your subtree, or covering a unit in it or above it. `units` lists the covered units (code, name), each with its subtree; `unit_code` is the unit that runs it")))]
pub async fn list_campaigns(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
) -> ApiResult<Json<Vec<Campaign>>> {
    Ok(Json(state.campaigns(&who.caller()).await?))
}

#[utoipa::path(post, path = "/api/v1/inspection-campaigns", tag = "inspections", request_body = CampaignBody,
    responses((status = 201, description = "Created")))]
pub async fn create_campaign(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(b): JsonBody<CampaignBody>,
) -> ApiResult<(StatusCode, Json<Campaign>)> {
    let input = CampaignInput {
        name: b.name,
        kinds: b.kinds,
        units: b.units,
        unit: b.unit,
        starts_on: b.starts_on,
        ends_on: b.ends_on,
    };
    Ok((
        StatusCode::CREATED,
        Json(state.create_campaign(&who.caller(), &input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/inspection-campaigns/{id}", tag = "inspections",
    params(("id" = i64, Path, description = "Campaign id")),
    responses((status = 200, description = "The campaign, its progress by unit (visited of total, open hazards, orders overdue) and in all, the establishments it covers, its hazards and inspections: the part in your subtree")))]
pub async fn get_campaign(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<CampaignView>> {
    Ok(Json(state.campaign_view(&who.caller(), id).await?))
}

#[utoipa::path(get, path = "/api/v1/inspection-campaigns/{id}/events", tag = "inspections",
    params(("id" = i64, Path, description = "Campaign id")),
    responses((status = 200, description = "The campaign's history, oldest first (for the campaign's unit and the units above it)")))]
pub async fn campaign_events(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<RegisterEvent<CampaignEvent>>>> {
    Ok(Json(state.campaign_events(&who.caller(), id).await?))
}

/// A campaign's progress by unit as a file in the reader's language.
pub async fn progress_file(
    state: &AppState,
    who: &Principal,
    t: &Tr,
    id: i64,
    format: Option<&str>,
) -> ApiResult<Response> {
    let format = parse_format(format)?;
    let v = state.campaign_view(&who.caller(), id).await?;
    let headings = [
        t.t("insp-col-unit"),
        t.t("insp-col-unit-code"),
        t.t("insp-col-total"),
        t.t("insp-col-visited"),
        t.t("insp-col-open-hazards"),
        t.t("insp-col-overdue"),
    ];
    let line = |r: &app::inspections::ProgressRow, name: String| {
        vec![
            name,
            r.unit_code.clone(),
            r.total.to_string(),
            r.visited.to_string(),
            r.open_hazards.to_string(),
            r.overdue_orders.to_string(),
        ]
    };
    let mut rows: Vec<Vec<String>> = v
        .units
        .iter()
        .map(|r| line(r, r.unit_name.clone()))
        .collect();
    let mut total = line(&v.total, t.t("insp-total"));
    total[1] = String::new();
    rows.push(total);
    let table = Table {
        headings: &headings,
        numeric: &[2, 3, 4, 5],
    };
    let bytes = table_bytes(format, &table, rows.into_iter())?;
    file_download(format, &format!("hearken-inspection-campaign-{id}"), bytes)
}

#[utoipa::path(get, path = "/api/v1/inspection-campaigns/{id}/export", tag = "inspections",
    params(("id" = i64, Path, description = "Campaign id"), TableFormat),
    responses((status = 200, description = "The progress by unit as an XLSX (default) or CSV file: unit, code, establishments, visited, open hazards, orders overdue; then the total")))]
pub async fn export_campaign(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ReqLang(lang): ReqLang,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(f): ApiQuery<TableFormat>,
) -> ApiResult<Response> {
    let t = crate::views::tr(&state, lang);
    progress_file(&state, &who, &t, id, f.format.as_deref()).await
}

#[derive(Deserialize, ToSchema)]
pub struct HazardBody {
    #[schema(min_length = 1, max_length = 1000)]
    pub description: String,
    /// general | serious | critical
    #[schema(pattern = "^(general|serious|critical)$")]
    pub severity: String,
}

#[derive(Deserialize, ToSchema)]
pub struct InspectionBody {
    pub establishment_id: i64,
    /// `YYYY-MM-DD`, within the campaign and not after today.
    pub inspected_on: String,
    #[schema(min_length = 1, max_length = 200)]
    pub inspectors: String,
    /// One answer per checklist item of the establishment's kind, in order: pass, fail or na.
    pub answers: Vec<String>,
    #[serde(default)]
    pub findings: String,
    #[serde(default)]
    pub hazards: Vec<HazardBody>,
}

#[utoipa::path(post, path = "/api/v1/inspection-campaigns/{id}/inspections", tag = "inspections",
    params(("id" = i64, Path, description = "Campaign id")), request_body = InspectionBody,
    responses((status = 201, description = "Recorded, with its hazards (each `open`)")))]
pub async fn record_inspection(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(b): JsonBody<InspectionBody>,
) -> ApiResult<(StatusCode, Json<Inspection>)> {
    let input = InspectionInput {
        establishment_id: b.establishment_id,
        inspected_on: b.inspected_on,
        inspectors: b.inspectors,
        answers: b.answers,
        findings: b.findings,
        hazards: b
            .hazards
            .into_iter()
            .map(|h| (h.description, h.severity))
            .collect(),
        photos: vec![],
    };
    let i = state.record_inspection(&who.caller(), id, &input).await?;
    Ok((StatusCode::CREATED, Json(i)))
}

#[utoipa::path(get, path = "/api/v1/inspection-campaigns/inspections/{id}", tag = "inspections",
    params(("id" = i64, Path, description = "Inspection id")),
    responses((status = 200, description = "The inspection with its answers and hazards")))]
pub async fn get_inspection(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Inspection>> {
    Ok(Json(state.inspection(&who.caller(), id).await?))
}

#[utoipa::path(get, path = "/api/v1/inspection-campaigns/hazards/{id}", tag = "inspections",
    params(("id" = i64, Path, description = "Hazard id")),
    responses((status = 200, description = "The hazard, its state (open, rectifying, fixed, not_fixed, suspended) and its orders")))]
pub async fn get_hazard(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Hazard>> {
    Ok(Json(state.hazard(&who.caller(), id).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct RectificationBody {
    /// Days to rectify: 1–90, 15 by default.
    #[schema(minimum = 1, maximum = 90)]
    pub days: Option<i64>,
    #[schema(min_length = 1, max_length = 2000)]
    pub requirements: String,
}

#[utoipa::path(post, path = "/api/v1/inspection-campaigns/hazards/{id}/rectification", tag = "inspections",
    params(("id" = i64, Path, description = "Hazard id")), request_body = RectificationBody,
    responses((status = 201, description = "The rectification order (整改通知) with its number and deadline; the hazard is `rectifying`"),
        (status = 400, description = "The hazard is not open (`hazard_state`)", body = crate::error::ErrorBody)))]
pub async fn rectification(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(b): JsonBody<RectificationBody>,
) -> ApiResult<(StatusCode, Json<HazardOrder>)> {
    let o = state
        .issue_rectification(&who.caller(), id, b.days, &b.requirements)
        .await?;
    Ok((StatusCode::CREATED, Json(o)))
}

#[derive(Deserialize, ToSchema)]
pub struct ReinspectionBody {
    /// Whether the hazard was fixed.
    pub fixed: bool,
    /// What was found (required when not fixed).
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub notes: String,
}

#[utoipa::path(post, path = "/api/v1/inspection-campaigns/hazards/{id}/reinspection", tag = "inspections",
    params(("id" = i64, Path, description = "Hazard id")), request_body = ReinspectionBody,
    responses((status = 200, description = "Re-inspected: the hazard is `fixed` or `not_fixed`"),
        (status = 400, description = "The hazard is not under rectification (`hazard_state`)", body = crate::error::ErrorBody)))]
pub async fn reinspection(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(b): JsonBody<ReinspectionBody>,
) -> ApiResult<Json<Hazard>> {
    Ok(Json(
        state
            .reinspect(&who.caller(), id, b.fixed, &b.notes)
            .await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct SuspensionBody {
    #[schema(min_length = 1, max_length = 2000)]
    pub requirements: String,
}

#[utoipa::path(post, path = "/api/v1/inspection-campaigns/hazards/{id}/suspension", tag = "inspections",
    params(("id" = i64, Path, description = "Hazard id")), request_body = SuspensionBody,
    responses((status = 201, description = "The suspension order (停业整顿); the hazard is `suspended`"),
        (status = 400, description = "The re-inspection has not found the hazard unfixed (`hazard_state`)", body = crate::error::ErrorBody)))]
pub async fn suspension(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(b): JsonBody<SuspensionBody>,
) -> ApiResult<(StatusCode, Json<HazardOrder>)> {
    let o = state
        .issue_suspension(&who.caller(), id, &b.requirements)
        .await?;
    Ok((StatusCode::CREATED, Json(o)))
}

#[utoipa::path(get, path = "/api/v1/inspection-campaigns/checklists/{kind}", tag = "inspections",
    params(("kind" = String, Path, description = "Kind of establishment", pattern = "^(school_canteen|kindergarten_canteen|enterprise_canteen|construction_site_canteen|restaurant|drug_wholesaler|clinic|pharmacy)$")),
    responses((status = 200, description = "The kind's checklist items, in order")))]
pub async fn get_checklist(
    State(state): State<AppState>,
    ApiUser(_who): ApiUser,
    ApiPath(kind): ApiPath<String>,
) -> ApiResult<Json<Vec<String>>> {
    let kind = EstablishmentKind::parse(&kind).ok_or(ApiError::NotFound)?;
    Ok(Json(state.checklist(kind).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct ChecklistBody {
    /// The items, in order (1–50, each up to 200 characters).
    pub items: Vec<String>,
}

#[utoipa::path(put, path = "/api/v1/inspection-campaigns/checklists/{kind}", tag = "inspections",
    params(("kind" = String, Path, description = "Kind of establishment", pattern = "^(school_canteen|kindergarten_canteen|enterprise_canteen|construction_site_canteen|restaurant|drug_wholesaler|clinic|pharmacy)$")),
    request_body = ChecklistBody,
    responses((status = 200, description = "Saved (admins); the audit log records it")))]
pub async fn put_checklist(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(kind): ApiPath<String>,
    JsonBody(b): JsonBody<ChecklistBody>,
) -> ApiResult<Json<Vec<String>>> {
    let kind = EstablishmentKind::parse(&kind).ok_or(ApiError::NotFound)?;
    Ok(Json(
        state.set_checklist(&who.caller(), kind, &b.items).await?,
    ))
}
