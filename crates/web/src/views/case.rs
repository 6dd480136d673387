//! The case page, its corrections and attachments, and the printable receipt (回执).

use super::{
    category_label, category_options, csrf_ok, csrf_refused, error_page, render, tr, Nav, Opt,
};
use crate::api::cases::{
    attachment_response, check_uploads, correct_checked, read_case_audited, store_uploads,
    CorrectionInput,
};
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use app::model::CaseRecord;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::lifecycle::Action;
use domain::Permission;
use serde::Deserialize;

/// One piece of a previewed paragraph: text, or the unit the supervisor picks.
pub struct Seg {
    pub unit: bool,
    pub text: String,
}

/// A notice as the petitioner would get it if the step were taken now.
pub struct Preview {
    pub label: String,
    pub issuer: String,
    pub date: String,
    pub title: String,
    pub paragraphs: Vec<Vec<Seg>>,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    t: Tr,
    nav: Option<Nav>,
    c: CaseRecord,
    due_on: String,
    route_preview: Vec<Preview>,
    category_label: String,
    categories: Vec<Opt>,
    events: Vec<super::timeline::TimelineRow>,
    can_edit: bool,
    csrf: String,
    notice: Option<String>,
    error: Option<String>,
    stage: String,
    due_status: &'static str,
    deadlines: Vec<DeadlineRow>,
    actions: Vec<super::actions::ActionForm>,
    notices: Vec<crate::notices::Notice>,
    suggestion: Option<String>,
    owner: String,
    can_manage: bool,
    leaders: Vec<Opt>,
    attendance: Option<app::ownership::Attendance>,
    /// The region as names: 浙江省 › 杭州市 › 西湖区.
    region_name: String,
    holder: Option<super::case_holder::Holder>,
    draft: Option<super::case_holder::DraftBox>,
    links: super::links::LinksBox,
    supervision: Option<super::supervision_orders::CaseSupervision>,
    /// Plans whose trigger this case met (预案 proposals), for the banner.
    plan_proposals: Vec<super::plans_pages::PlanBanner>,
}

pub struct DeadlineRow {
    pub stage: String,
    pub start: String,
    pub due: String,
    pub met_on: String,
    pub fallback: bool,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    saved: Option<String>,
    conflict: Option<String>,
}

/// The notices a route would send, filled for this case as of today, with the chosen
/// unit marked so that the page can show the supervisor's choice in it.
async fn route_preview(
    state: &AppState,
    t: &Tr,
    c: &CaseRecord,
    holder: &app::model::Unit,
    suggested: Option<&str>,
) -> Vec<Preview> {
    const UNIT: char = '\u{1}';
    let en = t.is_en();
    let issuer = if en && !holder.name_en.is_empty() {
        holder.name_en.clone()
    } else {
        holder.name.clone()
    };
    let today = state.config.today();
    let mut v = crate::notices::case_values(t, c);
    v.insert("office", issuer.clone());
    v.insert("date", crate::dates::document_date(t.lang, today));
    v.insert("unit", UNIT.to_string());
    v.insert("channel", format!("〔{}〕", t.t("route-preview-channel")));
    let unit_text = suggested
        .map(str::to_string)
        .unwrap_or_else(|| format!("〔{}〕", t.t("route-preview-unit")));
    let lang = crate::notices::template_lang(t);
    let mut out = vec![];
    for (kind, label) in [
        ("transfer", "route-preview-transfer"),
        ("legal_channel", "route-preview-legal"),
    ] {
        let Ok(tpl) = state.notice_template(&holder.path, kind, lang).await else {
            continue;
        };
        let (title, paragraphs) = crate::notices::render(&tpl, &v);
        out.push(Preview {
            label: t.t(label),
            issuer: issuer.clone(),
            date: crate::dates::document_date(t.lang, today),
            title: title.replace(UNIT, &unit_text),
            paragraphs: paragraphs
                .iter()
                .map(|p| {
                    let mut segs = vec![];
                    for (i, part) in p.split(UNIT).enumerate() {
                        if i > 0 {
                            segs.push(Seg {
                                unit: true,
                                text: unit_text.clone(),
                            });
                        }
                        if !part.is_empty() {
                            segs.push(Seg {
                                unit: false,
                                text: part.to_string(),
                            });
                        }
                    }
                    segs
                })
                .collect(),
        });
    }
    out
}

pub async fn show(
    state: &AppState,
    t: Tr,
    who: &Principal,
    id: i64,
    notice: Option<String>,
    error: Option<String>,
) -> Response {
    show_page(state, t, who, id, notice, error, None).await
}

/// The case page again, with a refused action's form open, its values kept and its
/// fields' errors beside them.
pub async fn show_failed(
    state: &AppState,
    t: Tr,
    who: &Principal,
    id: i64,
    error: Option<String>,
    failed: Option<super::actions::Failed>,
) -> Response {
    show_page(state, t, who, id, None, error, failed).await
}

async fn show_page(
    state: &AppState,
    t: Tr,
    who: &Principal,
    id: i64,
    notice: Option<String>,
    error: Option<String>,
    failed: Option<super::actions::Failed>,
) -> Response {
    let c = match read_case_audited(state, who, id, "page").await {
        Ok(c) => c,
        Err(e) => return error_page(&t, Some(who), &e),
    };
    let (cats, events) = match (
        state.categories().await,
        state.case_events(&who.scope(), id).await,
    ) {
        (Ok(c), Ok(e)) => (c, e),
        (Err(e), _) | (_, Err(e)) => return error_page(&t, Some(who), &e.into()),
    };
    let units = match state.units_under(&who.user.unit_path).await {
        Ok(u) => u,
        Err(e) => return error_page(&t, Some(who), &e.into()),
    };
    let life = crate::lifecycle_view::life_of(&c);
    let suggestion = if life.stage == domain::Stage::Routing {
        state
            .suggest_unit(&c.summary.category, &c.summary.region)
            .await
            .ok()
            .flatten()
    } else {
        None
    };
    let case_unit = match state.unit(c.summary.unit_id).await {
        Ok(u) => u,
        Err(e) => return error_page(&t, Some(who), &e.into()),
    };
    let show = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let holder = super::case_holder::holder(state, &t, &c, &life, &events).await;
    let draft = super::case_holder::draft_box(&t, &life);
    let actions = super::actions::forms(
        state,
        &t,
        who,
        &life,
        &units,
        &case_unit,
        suggestion.as_ref().map(|r| r.unit_code.as_str()),
        failed.as_ref(),
    );
    let route_preview = if actions.iter().any(|a| a.action == Action::Route) {
        let suggested = suggestion.as_ref().map(|r| r.unit_name.as_str());
        route_preview(state, &t, &c, &case_unit, suggested).await
    } else {
        vec![]
    };
    let timeline = super::timeline::rows(state, &t, &events).await;
    let region_name = super::regions::Regions::load(state)
        .await
        .chain(&c.summary.region);
    let links = super::links::links_box(state, &t, who, &c).await;
    let supervision = super::supervision_orders::case_box(state, &t, who, &c.summary).await;
    let plan_proposals = super::plans_pages::case_banner(state, &t, who, c.summary.id).await;
    let page = CasePage {
        plan_proposals,
        links,
        supervision,
        holder,
        draft,
        region_name,
        nav: Nav::with_warnings(state, &t, who).await,
        due_on: show(life.due()),
        route_preview,
        stage: life.stage.as_str().to_string(),
        due_status: state.due_status(&life).as_str(),
        deadlines: life
            .deadlines
            .iter()
            .map(|d| DeadlineRow {
                stage: d.stage.as_str().to_string(),
                start: d.start.to_string(),
                due: show(d.due),
                met_on: show(d.met_on),
                fallback: d.fallback,
            })
            .collect(),
        notices: crate::notices::notices_for(state, &t, &c, &events)
            .await
            .unwrap_or_default(),
        owner: state
            .case_owner(&who.caller(), id)
            .await
            .ok()
            .flatten()
            .map(|u| u.display_name)
            .unwrap_or_default(),
        can_manage: who.can(domain::Permission::ManageOwnership),
        leaders: state
            .users_under(&who.user.unit_path)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|u| u.role == domain::Role::Leader && u.active)
            .map(|u| Opt {
                code: u.username,
                label: format!("{} ({})", u.display_name, u.unit_name),
            })
            .collect(),
        attendance: if c.summary.headcount >= domain::attendance::GROUP_MIN {
            state.attendance(&who.caller(), id).await.ok()
        } else {
            None
        },
        suggestion: suggestion
            .as_ref()
            .map(|r| format!("{} ({})", r.unit_name, r.unit_code)),
        actions,
        events: timeline,
        category_label: category_label(&t, &cats, &c.summary.category),
        categories: category_options(&t, &cats),
        // A closed or voided case's registration is a record: no more corrections.
        can_edit: who.can(Permission::EditCase) && c.summary.state.is_open(),
        csrf: who.csrf().to_string(),
        notice,
        error,
        c,
        t,
    };
    render(&page)
}

pub async fn page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> Response {
    let t = tr(&state, lang);
    let notice = q.saved.map(|_| t.t("case-saved"));
    let error = q.conflict.map(|_| t.code("err", "version_conflict"));
    show(&state, t, &who, id, notice, error).await
}

#[derive(Template)]
#[template(path = "receipt.html")]
struct ReceiptPage {
    t: Tr,
    c: CaseRecord,
    office: String,
    petitioner_names: String,
    next_step: String,
    today: String,
    /// Where and how to track the case.
    tracking: String,
}

pub async fn receipt(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    headers: axum::http::HeaderMap,
) -> Response {
    let t = tr(&state, lang);
    let c = match read_case_audited(&state, &who, id, "receipt").await {
        Ok(c) => c,
        Err(e) => return error_page(&t, Some(&who), &e),
    };
    let due = crate::dates::document_date_str(t.lang, c.summary.due_on.as_deref().unwrap_or(""));
    let page = ReceiptPage {
        office: c.summary.unit_name.clone(),
        petitioner_names: c
            .petitioners
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join("、"),
        next_step: t.targs(
            "receipt-next-routing",
            &[
                ("due", &due),
                ("days", &state.config.rules.route.days.to_string()),
            ],
        ),
        today: crate::dates::document_date(t.lang, state.config.today()),
        tracking: crate::portal::how_to_track::how_to_track(
            &state,
            &t,
            &headers,
            &c.summary.case_no,
            &c.query_code,
        )
        .await,
        c,
        t,
    };
    render(&page)
}

#[derive(Deserialize)]
pub struct CorrectForm {
    #[serde(default)]
    csrf: String,
    version: i64,
    category: Option<String>,
    region: Option<String>,
    respondent: Option<String>,
    content: Option<String>,
    demands: Option<String>,
}

pub async fn correct(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<CorrectForm>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, &f.csrf) {
        return csrf_refused(&t, &who);
    }
    let input = CorrectionInput {
        version: f.version,
        category: f.category,
        region: f.region,
        respondent: f.respondent,
        content: f.content,
        demands: f.demands,
    };
    match correct_checked(&state, &who, id, &input).await {
        Ok(_) => Redirect::to(&format!("/staff/cases/{id}?saved=1")).into_response(),
        Err(ApiError::Conflict { .. }) => {
            Redirect::to(&format!("/staff/cases/{id}?conflict=1")).into_response()
        }
        Err(ApiError::Validation(errors)) => {
            let msg = errors
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{} {}",
                        t.t1("err-field", "field", &t.field_label(k)),
                        t.code("err", v)
                    )
                })
                .collect::<Vec<_>>()
                .join(" ");
            show(&state, t, &who, id, None, Some(msg)).await
        }
        Err(e) => error_page(&t, Some(&who), &e),
    }
}

pub async fn upload(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Response {
    let t = tr(&state, lang);
    let (fields, files) = match super::read_form(mp).await {
        Ok(x) => x,
        Err(e) => return error_page(&t, Some(&who), &e),
    };
    let csrf = fields.get("csrf").cloned().unwrap_or_default();
    if !csrf_ok(&who, &csrf) {
        return csrf_refused(&t, &who);
    }
    if !who.can(Permission::EditCase) {
        return error_page(&t, Some(&who), &ApiError::Forbidden);
    }
    let result = match check_uploads(&state, &files) {
        Ok(()) => store_uploads(&state, &who, id, &files).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Redirect::to(&format!("/staff/cases/{id}?saved=1")).into_response(),
        Err(e @ (ApiError::Validation(_) | ApiError::Upload { .. })) => {
            let (errors, bad_file) = e.form_errors().unwrap_or_default();
            let named = bad_file
                .map(|n| t.t1("sec-scope-bad-file", "file", &n))
                .unwrap_or_default();
            let msg = errors
                .values()
                .map(|v| format!("{named}{}", t.code("err", v)))
                .collect::<Vec<_>>()
                .join(" ");
            show(&state, t, &who, id, None, Some(msg)).await
        }
        Err(e) => error_page(&t, Some(&who), &e),
    }
}

pub async fn download(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path((id, aid)): Path<(i64, i64)>,
) -> Response {
    match attachment_response(&state, &who, id, aid).await {
        Ok(r) => r,
        Err(e) => error_page(&tr(&state, lang), Some(&who), &e),
    }
}
