//! The dispute register's pages: the list with its filters and XLSX download, the entry
//! form (new, with prefill from a hotspot, and edit), and the entry page with its plan,
//! mediation record, linked petitions, outcome and timeline.

use super::{csrf_ok, csrf_refused, error_page, local_time, render, tr, Nav, Opt};
use crate::api::disputes::{list_file, ListQuery};
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use app::disputes::DisputeInput;
use app::model::{Dispute, DisputeRow, RegisterEvent};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::dispute::{DisputeDraft, DisputeKind, DisputeScale, LegalChannel, Outcome, Urgency};
use domain::register_event::{DisputeEvent, RegisterHistory, ScreeningEvent};
use domain::Permission;
use std::collections::HashMap;

/// Options of a string enum, labelled through `prefix`.
pub fn opts(t: &Tr, prefix: &str, codes: &[&str]) -> Vec<Opt> {
    codes
        .iter()
        .map(|c| Opt {
            code: c.to_string(),
            label: t.code(prefix, c),
        })
        .collect()
}

pub fn kinds(t: &Tr) -> Vec<Opt> {
    let c: Vec<&str> = DisputeKind::ALL.iter().map(|k| k.as_str()).collect();
    opts(t, "dkind", &c)
}

/// A refused form as one line in the user's language.
pub fn form_error(t: &Tr, e: &ApiError) -> String {
    super::forms::refusal_line(
        t,
        e,
        super::forms::Labels {
            field: "dsfield",
            err: "ds-err",
        },
    )
}

#[derive(Template)]
#[template(path = "disputes.html")]
struct ListPage {
    t: Tr,
    nav: Option<Nav>,
    rows: Vec<DisputeRow>,
    kinds: Vec<Opt>,
    outcomes: Vec<Opt>,
    q: HashMap<String, String>,
    export_href: String,
    may_keep: bool,
    error: Option<String>,
    /// The next page, and the first (when this is a later one).
    next_href: Option<String>,
    first_href: Option<String>,
}

fn list_query(q: &HashMap<String, String>) -> ListQuery {
    let g = |k: &str| q.get(k).cloned().filter(|v| !v.is_empty());
    ListQuery {
        unit: g("unit"),
        kind: g("kind"),
        outcome: g("outcome"),
        region: g("region"),
        overdue: g("overdue"),
        q: g("q"),
        limit: None,
        cursor: g("cursor"),
    }
}

fn query_string(q: &HashMap<String, String>) -> String {
    let mut keys: Vec<&String> = q.keys().filter(|k| !q[*k].is_empty()).collect();
    keys.sort();
    keys.iter()
        .map(|k| format!("{}={}", super::urlencode(k), super::urlencode(&q[*k])))
        .collect::<Vec<_>>()
        .join("&")
}

pub async fn list(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let t = tr(&state, lang);
    let mut next = None;
    let (rows, error) = match list_query(&q).query() {
        Ok(dq) => match state
            .dispute_page(&who.caller(), &dq, app::disputes::PAGE_SIZE)
            .await
        {
            Ok(p) => {
                next = p.next;
                (p.items, None)
            }
            Err(e) => {
                let e: ApiError = e.into();
                if !matches!(e, ApiError::Validation(_)) {
                    return error_page(&t, Some(&who), &e);
                }
                (vec![], Some(form_error(&t, &e)))
            }
        },
        Err(e) => (vec![], Some(form_error(&t, &e))),
    };
    let outcomes: Vec<&str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
    // The filters without the page: what the download and the page links keep.
    let mut filters = q.clone();
    filters.remove("cursor");
    let page = ListPage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        rows,
        kinds: kinds(&t),
        outcomes: opts(&t, "doutcome", &outcomes),
        export_href: format!("/staff/disputes/export?{}", query_string(&filters)),
        next_href: next.map(|n| {
            let qs = query_string(&filters);
            let sep = if qs.is_empty() { "" } else { "&" };
            format!("/staff/disputes?{qs}{sep}cursor={n}")
        }),
        first_href: q
            .contains_key("cursor")
            .then(|| format!("/staff/disputes?{}", query_string(&filters))),
        q,
        may_keep: who.can(Permission::KeepDisputes),
        error: error.clone(),
        t,
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    (status, render(&page)).into_response()
}

pub async fn export(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let t = tr(&state, lang);
    match list_file(&state, &who, &t, &list_query(&q), None).await {
        Ok(r) => r,
        Err(e) => error_page(&t, Some(&who), &e),
    }
}

#[derive(Template)]
#[template(path = "dispute_form.html")]
struct FormPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    /// The entry being edited, or none for a new one.
    id: Option<i64>,
    v: HashMap<String, String>,
    kinds: Vec<Opt>,
    scales: Vec<Opt>,
    urgencies: Vec<Opt>,
    error: Option<String>,
}

async fn show_form(
    state: &AppState,
    t: Tr,
    who: &Principal,
    id: Option<i64>,
    v: HashMap<String, String>,
    error: Option<String>,
) -> Response {
    let scales: Vec<&str> = DisputeScale::ALL.iter().map(|s| s.as_str()).collect();
    let urgencies: Vec<&str> = Urgency::ALL.iter().map(|s| s.as_str()).collect();
    let failed = error.is_some();
    let page = FormPage {
        nav: Nav::with_warnings(state, &t, who).await,
        csrf: who.csrf().to_string(),
        id,
        v,
        kinds: kinds(&t),
        scales: opts(&t, "dscale", &scales),
        urgencies: opts(&t, "durgency", &urgencies),
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

/// The new-entry form; a hotspot page links here with `title, kind, region, address,
/// parties, cases` (comma-separated case ids) and `hotspot` filled in.
pub async fn new_form(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let t = tr(&state, lang);
    if !who.can(Permission::KeepDisputes) {
        return error_page(&t, Some(&who), &ApiError::Forbidden);
    }
    let keys = [
        "title", "kind", "region", "address", "parties", "cases", "hotspot",
    ];
    let mut v: HashMap<String, String> = q
        .into_iter()
        .filter(|(k, _)| keys.contains(&k.as_str()))
        .collect();
    v.entry("people".into()).or_insert_with(|| "1".into());
    show_form(&state, t, &who, None, v, None).await
}

/// Case numbers or ids, separated by commas or spaces, as ids in the caller's scope.
pub async fn case_ids(state: &AppState, who: &Principal, s: &str) -> Result<Vec<i64>, ApiError> {
    let mut out = vec![];
    for tok in s
        .split([',', '，', ' ', '\n'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
    {
        match tok.parse::<i64>() {
            Ok(id) => out.push(id),
            Err(_) => match state.dispute_case_id_by_no(&who.caller(), tok).await {
                Ok(id) => out.push(id),
                Err(_) => return Err(ApiError::field("cases", "not_found")),
            },
        }
    }
    Ok(out)
}

fn input(f: &HashMap<String, String>, cases: Vec<i64>) -> DisputeInput {
    let g = |k: &str| f.get(k).cloned().unwrap_or_default();
    DisputeInput {
        draft: DisputeDraft {
            kind: g("kind"),
            title: g("title"),
            region: g("region"),
            address: g("address"),
            parties: g("parties"),
            people: g("people"),
            scale: g("scale"),
            urgency: g("urgency"),
            hotspot: g("hotspot"),
        },
        unit: g("unit"),
        owner_user: g("owner_user"),
        owner_name: g("owner_name"),
        cases,
    }
}

pub async fn create(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, f.get("csrf").map(String::as_str).unwrap_or("")) {
        return csrf_refused(&t, &who);
    }
    let cases = case_ids(
        &state,
        &who,
        f.get("cases").map(String::as_str).unwrap_or(""),
    )
    .await;
    let result = match cases {
        Ok(c) => state
            .create_dispute(&who.caller(), &input(&f, c))
            .await
            .map_err(ApiError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(d) => Redirect::to(&format!("/staff/disputes/{}?saved=1", d.row.id)).into_response(),
        Err(e) if matches!(e, ApiError::Validation(_)) => {
            let msg = form_error(&t, &e);
            show_form(&state, t, &who, None, f, Some(msg)).await
        }
        Err(e) => error_page(&t, Some(&who), &e),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
) -> Response {
    let t = tr(&state, lang);
    let d = match state.dispute(&who.caller(), id).await {
        Ok(d) => d.row,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let v: HashMap<String, String> = [
        ("kind", d.kind.as_str().to_string()),
        ("title", d.title),
        ("region", d.region),
        ("address", d.address),
        ("parties", d.parties),
        ("people", d.people.to_string()),
        ("scale", d.scale.as_str().to_string()),
        ("urgency", d.urgency.as_str().to_string()),
        ("unit", d.unit_code),
        ("owner_name", d.owner_name),
        ("hotspot", d.hotspot),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    show_form(&state, t, &who, Some(id), v, None).await
}

pub async fn update(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, f.get("csrf").map(String::as_str).unwrap_or("")) {
        return csrf_refused(&t, &who);
    }
    match state
        .update_dispute(&who.caller(), id, &input(&f, vec![]))
        .await
    {
        Ok(_) => Redirect::to(&format!("/staff/disputes/{id}?saved=1")).into_response(),
        Err(e) => {
            let e: ApiError = e.into();
            if matches!(e, ApiError::Validation(_)) {
                let msg = form_error(&t, &e);
                show_form(&state, t, &who, Some(id), f, Some(msg)).await
            } else {
                error_page(&t, Some(&who), &e)
            }
        }
    }
}

/// One line of the timeline.
pub struct EventRow {
    pub at: String,
    pub kind: String,
    pub actor: String,
    pub detail: String,
}

/// A register's timeline in words: each event labelled through `dsev` by its kind, with
/// the details `detail` gives it.
fn rows<E: RegisterHistory>(
    state: &AppState,
    t: &Tr,
    events: &[RegisterEvent<E>],
    detail: impl Fn(&E) -> String,
) -> Vec<EventRow> {
    events
        .iter()
        .map(|e| EventRow {
            at: local_time(state, e.at),
            kind: t.code("dsev", &e.kind()),
            actor: e.actor_name.clone(),
            detail: detail(&e.event),
        })
        .collect()
}

/// A dispute entry's timeline in words.
pub fn event_rows(
    state: &AppState,
    t: &Tr,
    events: &[RegisterEvent<DisputeEvent>],
) -> Vec<EventRow> {
    rows(state, t, events, |e| match e {
        DisputeEvent::Created(d) | DisputeEvent::Edited(d) => d.title.clone(),
        DisputeEvent::StepAdded {
            what,
            due_on,
            assignee,
            ..
        } => format!("{what} · {due_on} · {assignee}"),
        DisputeEvent::StepDone { what, done_on, .. } => format!("{what} · {done_on}"),
        DisputeEvent::Mediation {
            held_on,
            mediator,
            agreed,
        } => format!("{held_on} · {mediator}：{agreed}"),
        DisputeEvent::CaseLinked(c) | DisputeEvent::CaseUnlinked(c) => c.case_no.clone(),
        DisputeEvent::Closed {
            outcome,
            channel,
            note,
            ..
        } => {
            let mut d = t.code("doutcome", outcome.as_str());
            if let Some(c) = channel {
                d = format!("{d} · {}", t.code("dchannel", c.as_str()));
            }
            if !note.is_empty() {
                d = format!("{d} · {note}");
            }
            d
        }
        DisputeEvent::Other(_) => String::new(),
    })
}

/// A screening campaign's timeline in words.
pub fn screening_event_rows(
    state: &AppState,
    t: &Tr,
    events: &[RegisterEvent<ScreeningEvent>],
) -> Vec<EventRow> {
    rows(state, t, events, |e| match e {
        ScreeningEvent::Created { title, .. } => title.clone(),
        ScreeningEvent::Answered { unit, answer, .. } => {
            format!("{unit} · {}", t.code("dsans", answer.as_str()))
        }
        ScreeningEvent::Other(_) => String::new(),
    })
}

#[derive(Template)]
#[template(path = "dispute.html")]
struct EntryPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    d: Dispute,
    today: String,
    events: Vec<EventRow>,
    may_keep: bool,
    outcomes: Vec<Opt>,
    channels: Vec<Opt>,
    v: HashMap<String, String>,
    notice: Option<String>,
    error: Option<String>,
}

/// The entry page, with the typed values and the error after a refusal.
pub async fn show_entry(
    state: &AppState,
    t: Tr,
    who: &Principal,
    id: i64,
    v: HashMap<String, String>,
    notice: Option<String>,
    error: Option<String>,
) -> Response {
    let caller = who.caller();
    let d = match state.dispute(&caller, id).await {
        Ok(d) => d,
        Err(e) => return error_page(&t, Some(who), &e.into()),
    };
    let events = match state.dispute_timeline(&caller, id).await {
        Ok(e) => event_rows(state, &t, &e),
        Err(e) => return error_page(&t, Some(who), &e.into()),
    };
    let outcomes: Vec<&str> = Outcome::ALL
        .iter()
        .filter(|o| **o != Outcome::Open)
        .map(|o| o.as_str())
        .collect();
    let channels: Vec<&str> = LegalChannel::ALL.iter().map(|c| c.as_str()).collect();
    let failed = error.is_some();
    let page = EntryPage {
        nav: Nav::with_warnings(state, &t, who).await,
        csrf: who.csrf().to_string(),
        today: state.config.today().to_string(),
        events,
        may_keep: who.can(Permission::KeepDisputes),
        outcomes: opts(&t, "doutcome", &outcomes),
        channels: opts(&t, "dchannel", &channels),
        d,
        v,
        notice,
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

#[derive(serde::Deserialize, Default)]
pub struct Flags {
    saved: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Query(q): Query<Flags>,
) -> Response {
    let t = tr(&state, lang);
    let notice = q.saved.map(|_| t.t("ds-saved"));
    show_entry(&state, t, &who, id, HashMap::new(), notice, None).await
}
