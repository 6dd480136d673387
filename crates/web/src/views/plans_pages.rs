//! Emergency plans (应急预案) as pages: the list, the form (new and edit: an edit writes a
//! new version), one plan with its versions, timeline and the activate button, and the
//! case page's proposal banner.

use super::{csrf_ok, csrf_refused, error_page, render, tr, Nav};
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use app::plans::PlanInput;
use app::plans::{IncidentEvent, Plan, PlanEvent, PlanRow, RegisterEvent};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::plans::{
    contacts_text, parse_contacts, parse_resources, parse_steps, parse_teams, resources_text,
    teams_text, PlanBody, Trigger,
};
use domain::register_event::{ProposedBy, RegisterHistory};

pub use super::forms::{get, Fields};

/// A refused form as one line in the user's language.
pub fn form_error(t: &Tr, e: &ApiError) -> String {
    super::forms::refusal_line(
        t,
        e,
        super::forms::Labels {
            field: "plfield",
            err: "err",
        },
    )
}

/// One row of a register entry's timeline.
pub struct EventRow {
    pub at: String,
    pub kind: String,
    pub title: String,
    pub actor: String,
    pub detail: String,
}

/// A register entry's events as rows, oldest first: each titled through `group` by its
/// kind, with the details `detail` gives it in words.
pub fn rows<E: RegisterHistory>(
    state: &AppState,
    t: &Tr,
    events: &[RegisterEvent<E>],
    group: &str,
    detail: impl Fn(&E) -> String,
) -> Vec<EventRow> {
    events
        .iter()
        .map(|e| {
            let kind = e.kind();
            EventRow {
                at: super::local_time(state, e.at),
                title: t.code(group, &kind),
                kind,
                actor: t.code("actor", &e.actor_name),
                detail: detail(&e.event),
            }
        })
        .collect()
}

fn version(t: &Tr, v: i64) -> String {
    t.t1("pl-ev-version", "v", &v.to_string())
}

/// A plan's timeline.
pub fn plan_event_rows(
    state: &AppState,
    t: &Tr,
    events: &[RegisterEvent<PlanEvent>],
) -> Vec<EventRow> {
    rows(state, t, events, "pl-ev", |e| match e {
        PlanEvent::Created(v) | PlanEvent::Revised(v) => version(t, v.version),
        PlanEvent::Proposed(ProposedBy::GroupVisit { headcount, .. }) => {
            t.t1("pl-ev-headcount", "n", &headcount.to_string())
        }
        // Worded as it always was: the head count line, with no count.
        PlanEvent::Proposed(ProposedBy::CriticalHazard { .. }) => t.t1("pl-ev-headcount", "n", ""),
        PlanEvent::Activated {
            incident_id,
            version: v,
            ..
        } => format!("#{incident_id} · {}", version(t, *v)),
        PlanEvent::Other(_) => String::new(),
    })
}

/// An incident's timeline.
pub fn incident_event_rows(
    state: &AppState,
    t: &Tr,
    events: &[RegisterEvent<IncidentEvent>],
) -> Vec<EventRow> {
    rows(state, t, events, "pl-ev", |e| match e {
        IncidentEvent::Opened { version: v, .. } => version(t, *v),
        IncidentEvent::TaskAssigned {
            team,
            title,
            due_at,
            ..
        } => format!(
            "{team} · {title} · {} {}",
            t.t("pl-task-due"),
            due_at.replace('T', " ")
        ),
        IncidentEvent::TaskDone {
            team, title, note, ..
        } => [team, title, note]
            .into_iter()
            .filter(|x| !x.is_empty())
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" · "),
        IncidentEvent::Log { text } => text.clone(),
        IncidentEvent::Closed {
            happened,
            worked,
            improve,
        } => format!(
            "{}：{happened} {}：{worked} {}：{improve}",
            t.t("plfield-happened"),
            t.t("plfield-worked"),
            t.t("plfield-improve"),
        ),
        IncidentEvent::Other(_) => String::new(),
    })
}

#[derive(Template)]
#[template(path = "plans.html")]
struct ListPage {
    t: Tr,
    nav: Option<Nav>,
    rows: Vec<PlanRow>,
    q: String,
    q_enc: String,
    may_keep: bool,
}

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(q): Query<ListQuery>,
) -> Response {
    let t = tr(&state, lang);
    let q = q.q.unwrap_or_default();
    let rows = match state.plans(&who.caller(), Some(q.trim())).await {
        Ok(r) => r,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let page = ListPage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        rows,
        q_enc: super::urlencode(q.trim()),
        q,
        may_keep: who.role().is_some_and(domain::plans::may_keep_plans),
        t,
    };
    render(&page)
}

/// What the form shows: the values as typed.
#[derive(Default)]
pub struct PlanForm {
    pub name: String,
    pub group_id: String,
    pub trigger_people: String,
    pub trigger_hazard: bool,
    pub trigger_manual: bool,
    pub teams: String,
    pub resources: String,
    pub steps: String,
    pub contacts: String,
}

impl PlanForm {
    fn of(p: &Plan) -> PlanForm {
        let b = &p.body;
        PlanForm {
            name: p.row.name.clone(),
            group_id: p.row.group_id.map(|g| g.to_string()).unwrap_or_default(),
            trigger_people: b
                .group_visit_min()
                .map(|n| n.to_string())
                .unwrap_or_default(),
            trigger_hazard: b.triggers.contains(&Trigger::CriticalHazard),
            trigger_manual: b.triggers.contains(&Trigger::Manual),
            teams: teams_text(&b.teams),
            resources: resources_text(&b.resources),
            steps: b.steps.join("\n"),
            contacts: contacts_text(&b.contacts),
        }
    }

    fn from_fields(f: &Fields) -> PlanForm {
        PlanForm {
            name: get(f, "name").into(),
            group_id: get(f, "group_id").into(),
            trigger_people: get(f, "trigger_people").into(),
            trigger_hazard: get(f, "trigger_hazard") == "1",
            trigger_manual: get(f, "trigger_manual") == "1",
            teams: get(f, "teams").into(),
            resources: get(f, "resources").into(),
            steps: get(f, "steps").into(),
            contacts: get(f, "contacts").into(),
        }
    }

    fn input(&self) -> Result<PlanInput, ApiError> {
        let mut triggers = vec![];
        match self.trigger_people.trim() {
            "" => {}
            n => match n.parse::<i64>() {
                Ok(n) => triggers.push(Trigger::GroupVisit { min_people: n }),
                Err(_) => return Err(ApiError::field("triggers", "invalid_trigger")),
            },
        }
        if self.trigger_hazard {
            triggers.push(Trigger::CriticalHazard);
        }
        if self.trigger_manual {
            triggers.push(Trigger::Manual);
        }
        let group_id = match self.group_id.trim() {
            "" => None,
            g => Some(
                g.parse()
                    .map_err(|_| ApiError::field("group_id", "invalid_reference"))?,
            ),
        };
        Ok(PlanInput {
            unit: None,
            group_id,
            name: self.name.clone(),
            body: PlanBody {
                triggers,
                teams: parse_teams(&self.teams),
                resources: parse_resources(&self.resources),
                steps: parse_steps(&self.steps),
                contacts: parse_contacts(&self.contacts),
            },
        })
    }
}

#[derive(Template)]
#[template(path = "plan_form.html")]
struct FormPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    /// The plan being revised, or none for a new one.
    id: Option<i64>,
    f: PlanForm,
    groups: Vec<super::Opt>,
    error: Option<String>,
}

async fn form_page(
    state: &AppState,
    t: Tr,
    who: &Principal,
    id: Option<i64>,
    f: PlanForm,
    error: Option<String>,
) -> Response {
    let groups = state
        .leading_groups(&who.caller(), None)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|g| super::Opt {
            code: g.id.to_string(),
            label: format!("{} ({} – {})", g.name, g.starts_on, g.ends_on),
        })
        .collect();
    let failed = error.is_some();
    let page = FormPage {
        nav: Nav::with_warnings(state, &t, who).await,
        csrf: who.csrf().to_string(),
        id,
        f,
        groups,
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
    let f = PlanForm {
        trigger_manual: true,
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
    match state.plan(&who.caller(), id).await {
        Ok(p) => form_page(&state, t, &who, Some(id), PlanForm::of(&p), None).await,
        Err(e) => error_page(&t, Some(&who), &e.into()),
    }
}

async fn save(state: &AppState, t: Tr, who: &Principal, id: Option<i64>, f: Fields) -> Response {
    if !csrf_ok(who, get(&f, "csrf")) {
        return csrf_refused(&t, who);
    }
    let form = PlanForm::from_fields(&f);
    let result = match form.input() {
        Ok(input) => match id {
            None => state.create_plan(&who.caller(), &input).await,
            Some(id) => state.revise_plan(&who.caller(), id, &input).await,
        }
        .map_err(ApiError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(p) => Redirect::to(&format!("/staff/plans/{}?saved=1", p.row.id)).into_response(),
        Err(e @ ApiError::Validation(_)) => {
            let msg = form_error(&t, &e);
            form_page(state, t, who, id, form, Some(msg)).await
        }
        Err(e) => error_page(&t, Some(who), &e),
    }
}

pub async fn create(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<Fields>,
) -> Response {
    let t = tr(&state, lang);
    save(&state, t, &who, None, f).await
}

pub async fn revise(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let t = tr(&state, lang);
    save(&state, t, &who, Some(id), f).await
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    p: Plan,
    may_keep: bool,
    notice: Option<String>,
    events: Vec<EventRow>,
    incidents: Vec<app::plans::Incident>,
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
    let p = match state.plan(&caller, id).await {
        Ok(p) => p,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let events = state.plan_timeline(&caller, id).await.unwrap_or_default();
    let incidents = state
        .incidents(&caller, None)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|i| i.plan_id == id)
        .collect();
    let page = PlanPage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        csrf: who.csrf().to_string(),
        may_keep: who.role().is_some_and(domain::plans::may_keep_plans),
        notice: flags.saved.map(|_| t.t("pl-saved")),
        events: plan_event_rows(&state, &t, &events),
        incidents,
        p,
        t,
    };
    render(&page)
}

/// Activates a plan (from its page or the case page's banner), then shows the incident.
pub async fn activate(
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
    let case_id = get(&f, "case_id").trim().parse::<i64>().ok();
    let hazard_id = get(&f, "hazard_id").trim().parse::<i64>().ok();
    let due = get(&f, "due_at");
    let opened = match hazard_id {
        Some(h) => {
            state
                .activate_plan_for_hazard(&who.caller(), id, h, Some(due))
                .await
        }
        None => {
            state
                .activate_plan(&who.caller(), id, case_id, Some(due))
                .await
        }
    };
    match opened {
        Ok(i) => Redirect::to(&format!("/staff/incidents/{}?opened=1", i.id)).into_response(),
        Err(e) => error_page(&t, Some(&who), &e.into()),
    }
}

/// One plan whose trigger a case met, as the case page's banner shows it.
pub struct PlanBanner {
    pub p: app::plans::Proposal,
    pub may_activate: bool,
    pub text: String,
}

/// The case page's banner: plans whose trigger this case met, with the activate button
/// for those who may decide.
pub async fn case_banner(
    state: &AppState,
    t: &Tr,
    who: &Principal,
    case_id: i64,
) -> Vec<PlanBanner> {
    state
        .case_proposals(&who.caller(), case_id)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|c| PlanBanner {
            text: t.targs(
                "pl-proposal-banner",
                &[("plan", &c.p.plan_name), ("n", &c.p.headcount.to_string())],
            ),
            p: c.p,
            may_activate: c.may_activate,
        })
        .collect()
}
