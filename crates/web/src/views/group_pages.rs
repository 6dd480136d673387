//! Leading groups (领导小组) as pages: the list, the form and one group; and the box that
//! shows a member's groups on their dashboard (/staff/today) while the period runs.

use super::plans_pages::{event_rows, form_error, get, EventRow, Fields};
use super::{csrf_ok, csrf_refused, error_page, render, tr, Nav};
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use app::leading_groups::GroupInput;
use app::leading_groups::{LeadingGroup, WorkingGroup};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::plans::parse_teams;

#[derive(Template)]
#[template(path = "groups.html")]
struct ListPage {
    t: Tr,
    nav: Option<Nav>,
    rows: Vec<LeadingGroup>,
    on: String,
    may_keep: bool,
}

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    on: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(q): Query<ListQuery>,
) -> Response {
    let t = tr(&state, lang);
    let on = q.on.unwrap_or_default();
    let rows = match state.leading_groups(&who.caller(), Some(on.as_str())).await {
        Ok(r) => r,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let page = ListPage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        rows,
        on,
        may_keep: who.role().is_some_and(domain::plans::may_keep_plans),
        t,
    };
    render(&page)
}

#[derive(Default)]
pub struct GroupForm {
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub head: String,
    pub head_phone: String,
    pub deputies: String,
    pub office: String,
    pub working: String,
}

#[derive(Template)]
#[template(path = "group_form.html")]
struct FormPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    f: GroupForm,
    error: Option<String>,
}

async fn form_page(
    state: &AppState,
    t: Tr,
    who: &Principal,
    f: GroupForm,
    error: Option<String>,
) -> Response {
    let failed = error.is_some();
    let page = FormPage {
        nav: Nav::with_warnings(state, &t, who).await,
        csrf: who.csrf().to_string(),
        f,
        error,
        t,
    };
    let status = if failed {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    (status, render(&page)).into_response()
}

pub async fn new_form(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
) -> Response {
    let t = tr(&state, lang);
    let today = state.config.today().to_string();
    let f = GroupForm {
        starts_on: today.clone(),
        ends_on: today,
        ..Default::default()
    };
    form_page(&state, t, &who, f, None).await
}

pub async fn create(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<Fields>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, get(&f, "csrf")) {
        return csrf_refused(&t, &who);
    }
    let form = GroupForm {
        name: get(&f, "name").into(),
        starts_on: get(&f, "starts_on").into(),
        ends_on: get(&f, "ends_on").into(),
        head: get(&f, "head").into(),
        head_phone: get(&f, "head_phone").into(),
        deputies: get(&f, "deputies").into(),
        office: get(&f, "office").into(),
        working: get(&f, "working").into(),
    };
    let input = GroupInput {
        unit: None,
        name: form.name.clone(),
        starts_on: form.starts_on.clone(),
        ends_on: form.ends_on.clone(),
        head: form.head.clone(),
        head_phone: form.head_phone.clone(),
        deputies: form.deputies.clone(),
        office: form.office.clone(),
        working_groups: parse_teams(&form.working)
            .into_iter()
            .map(|t| WorkingGroup {
                name: t.name,
                duties: t.role,
                members: t.members,
            })
            .collect(),
    };
    match state.create_leading_group(&who.caller(), &input).await {
        Ok(g) => Redirect::to(&format!("/staff/groups/{}?saved=1", g.id)).into_response(),
        Err(e) => {
            let e: ApiError = e.into();
            if matches!(e, ApiError::Validation(_)) {
                let msg = form_error(&t, &e);
                form_page(&state, t, &who, form, Some(msg)).await
            } else {
                error_page(&t, Some(&who), &e)
            }
        }
    }
}

#[derive(Template)]
#[template(path = "group.html")]
struct GroupPage {
    t: Tr,
    nav: Option<Nav>,
    g: LeadingGroup,
    notice: Option<String>,
    events: Vec<EventRow>,
}

#[derive(serde::Deserialize, Default)]
pub struct Flags {
    saved: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Query(flags): Query<Flags>,
) -> Response {
    let t = tr(&state, lang);
    let caller = who.caller();
    let g = match state.leading_group(&caller, id).await {
        Ok(g) => g,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let events = state
        .leading_group_timeline(&caller, id)
        .await
        .unwrap_or_default();
    let page = GroupPage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        notice: flags.saved.map(|_| t.t("grp-saved")),
        events: event_rows(&state, &t, &events),
        g,
        t,
    };
    render(&page)
}

/// The dashboard box: the groups the user is in, in force today.
#[derive(Template)]
#[template(path = "today_groups.html")]
pub struct TodayGroups {
    pub t: Tr,
    pub groups: Vec<LeadingGroup>,
}

/// The dashboard's groups box as HTML (empty when the user is in no group today).
pub async fn today_box(state: &AppState, t: &Tr, who: &Principal) -> String {
    let groups = state
        .my_leading_groups(&who.caller())
        .await
        .unwrap_or_default();
    if groups.is_empty() {
        return String::new();
    }
    TodayGroups {
        t: t.clone(),
        groups,
    }
    .render()
    .unwrap_or_default()
}
