//! Leading groups (领导小组) as pages: the list, the form (new, and edit: each change is
//! the group's next version), one group with its timeline and what is filed under it;
//! and the box that shows a member's groups on their dashboard (/staff/today) while the
//! period runs.

use super::plans_pages::{get, rows, EventRow, Fields};
use super::{csrf_ok, csrf_refused, error_page, render, tr, Nav};
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use app::leading_groups::{working_text, GroupFilings};
use app::leading_groups::{GroupInput, LeadingGroup, WorkingGroup};
use app::plans::{GroupEvent, RegisterEvent};
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
    /// The version being changed (0 for a new group).
    pub version: i64,
}

impl GroupForm {
    /// A group as its form shows it: staff accounts as `@username`.
    fn of(g: &LeadingGroup) -> GroupForm {
        GroupForm {
            name: g.name.clone(),
            starts_on: g.starts_on.clone(),
            ends_on: g.ends_on.clone(),
            head: match &g.head_username {
                Some(u) => format!("@{u}"),
                None => g.head.clone(),
            },
            head_phone: g.head_phone.clone(),
            deputies: g.deputies.clone(),
            office: g.office.clone(),
            working: working_text(&g.working_groups),
            version: g.version,
        }
    }

    fn posted(f: &Fields) -> GroupForm {
        GroupForm {
            name: get(f, "name").into(),
            starts_on: get(f, "starts_on").into(),
            ends_on: get(f, "ends_on").into(),
            head: get(f, "head").into(),
            head_phone: get(f, "head_phone").into(),
            deputies: get(f, "deputies").into(),
            office: get(f, "office").into(),
            working: get(f, "working").into(),
            version: get(f, "version").trim().parse().unwrap_or(0),
        }
    }

    fn input(&self) -> GroupInput {
        GroupInput {
            unit: None,
            name: self.name.clone(),
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
            head: self.head.clone(),
            head_phone: self.head_phone.clone(),
            deputies: self.deputies.clone(),
            office: self.office.clone(),
            working_groups: parse_teams(&self.working)
                .into_iter()
                .map(|t| WorkingGroup {
                    name: t.name,
                    duties: t.role,
                    members: t.members,
                })
                .collect(),
            version: (self.version > 0).then_some(self.version),
        }
    }
}

#[derive(Template)]
#[template(path = "group_form.html")]
struct FormPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    /// The group being changed, or none for a new one.
    id: Option<i64>,
    f: GroupForm,
    error: Option<String>,
}

async fn form_page(
    state: &AppState,
    t: Tr,
    who: &Principal,
    id: Option<i64>,
    f: GroupForm,
    error: Option<String>,
) -> Response {
    let failed = error.is_some();
    let page = FormPage {
        nav: Nav::with_warnings(state, &t, who).await,
        csrf: who.csrf().to_string(),
        id,
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
    form_page(&state, t, &who, None, f, None).await
}

pub async fn edit_form(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
) -> Response {
    let t = tr(&state, lang);
    let caller = who.caller();
    match state.leading_group(&caller, id).await {
        Ok(_) if !who.role().is_some_and(domain::plans::may_keep_plans) => {
            error_page(&t, Some(&who), &ApiError::Forbidden)
        }
        Ok(g) if !caller.scope().contains(&g.unit_path) => {
            error_page(&t, Some(&who), &ApiError::NotFound)
        }
        Ok(g) => form_page(&state, t, &who, Some(id), GroupForm::of(&g), None).await,
        Err(e) => error_page(&t, Some(&who), &e.into()),
    }
}

/// A new group (`id` none) or a change to one: back to the group, or the form with
/// what went wrong.
async fn save(state: &AppState, t: Tr, who: &Principal, id: Option<i64>, f: Fields) -> Response {
    if !csrf_ok(who, get(&f, "csrf")) {
        return csrf_refused(&t, who);
    }
    let form = GroupForm::posted(&f);
    let input = form.input();
    let caller = who.caller();
    let saved = match id {
        None => state.create_leading_group(&caller, &input).await,
        Some(id) => state.update_leading_group(&caller, id, &input).await,
    };
    match saved {
        Ok(g) => Redirect::to(&format!("/staff/groups/{}?saved=1", g.id)).into_response(),
        Err(e) => {
            let e: ApiError = e.into();
            if matches!(e, ApiError::Validation(_) | ApiError::Conflict { .. }) {
                let labels = super::forms::Labels {
                    field: "grpfield",
                    err: "err",
                };
                let msg = super::forms::refusal_line(&t, &e, labels);
                form_page(state, t, who, id, form, Some(msg)).await
            } else {
                error_page(&t, Some(who), &e)
            }
        }
    }
}

pub async fn create(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<Fields>,
) -> Response {
    save(&state, tr(&state, lang), &who, None, f).await
}

pub async fn update(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    save(&state, tr(&state, lang), &who, Some(id), f).await
}

/// A shift or report filed under the group, as a line of its list.
struct FiledRow {
    day: String,
    unit_name: String,
    what: String,
    href: String,
}

#[derive(Template)]
#[template(path = "group.html")]
struct GroupPage {
    t: Tr,
    nav: Option<Nav>,
    g: LeadingGroup,
    notice: Option<String>,
    events: Vec<EventRow>,
    may_edit: bool,
    shifts: Vec<FiledRow>,
    reports: Vec<FiledRow>,
}

#[derive(serde::Deserialize, Default)]
pub struct Flags {
    saved: Option<String>,
}

fn filed_rows(t: &Tr, f: GroupFilings) -> (Vec<FiledRow>, Vec<FiledRow>) {
    let shifts = f
        .shifts
        .into_iter()
        .map(|s| FiledRow {
            href: format!("/staff/duty?from={}", s.shift.day),
            day: s.shift.day,
            what: format!(
                "{} {} {} · {} {}",
                t.t("duty-leader"),
                s.shift.leader.name,
                s.shift.leader.phone,
                t.t("duty-staff"),
                s.shift
                    .staff
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            unit_name: s.unit_name,
        })
        .collect();
    let reports = f
        .reports
        .into_iter()
        .map(|r| FiledRow {
            href: format!("/staff/reports/{}", r.id),
            what: format!(
                "{} · {}{}",
                t.t1("duty-window", "n", &r.window_no.to_string()),
                t.t1("duty-version", "v", &r.version.to_string()),
                if r.nothing_to_report {
                    format!(" · {}", t.t("duty-nothing-short"))
                } else {
                    String::new()
                }
            ),
            day: r.day,
            unit_name: r.unit_name,
        })
        .collect();
    (shifts, reports)
}

/// The group's timeline: created, then each change with the fields that changed.
fn group_event_rows(
    state: &AppState,
    t: &Tr,
    events: &[RegisterEvent<GroupEvent>],
) -> Vec<EventRow> {
    rows(state, t, events, "grp-ev", |e| match e {
        GroupEvent::Created { .. } | GroupEvent::Other(_) => String::new(),
        GroupEvent::Revised { version, changes } => {
            let blank = |x: &str| {
                if x.is_empty() {
                    "—".to_string()
                } else {
                    x.to_string()
                }
            };
            let lines = changes.iter().map(|c| {
                let field = t.code("grpfield", &c.field);
                if c.field == "working_groups" {
                    format!("{field}：\n{}", blank(&c.to))
                } else {
                    format!("{field}：{} → {}", blank(&c.from), blank(&c.to))
                }
            });
            std::iter::once(t.t1("pl-ev-version", "v", &version.to_string()))
                .chain(lines)
                .collect::<Vec<_>>()
                .join("\n")
        }
    })
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
    let loaded = async {
        let g = state.leading_group(&caller, id).await?;
        let events = state.leading_group_timeline(&caller, id).await?;
        let filings = state.group_filings(&caller, id).await?;
        Ok::<_, app::AppError>((g, events, filings))
    };
    let (g, events, filings) = match loaded.await {
        Ok(x) => x,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let (shifts, reports) = filed_rows(&t, filings);
    let page = GroupPage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        notice: flags.saved.map(|_| t.t("grp-saved")),
        events: group_event_rows(&state, &t, &events),
        may_edit: who.role().is_some_and(domain::plans::may_keep_plans)
            && caller.scope().contains(&g.unit_path),
        shifts,
        reports,
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
