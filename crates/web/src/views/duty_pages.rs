//! Staff pages for the duty roster and handovers, and the duty line every page shows.

use super::{csrf_ok, csrf_refused, error_page, local_time, render, tr, Nav};
use crate::api::reports::parse_date;
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use app::duty::RosterWeek;
use app::model::HandoverRow;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::duty::roster::{default_start, parse_staff, staff_text, OnDuty, ShiftPlan, Slot};
use domain::Permission;
use std::collections::HashMap;

/// "上城区信访局 带班 王局长 139… 值班 李明 139…" for each team on duty now.
pub async fn team_lines(state: &AppState, t: &Tr, p: &Principal) -> Vec<String> {
    let teams = state.duty_teams(&p.caller()).await.unwrap_or_default();
    teams
        .into_iter()
        .map(|team| {
            let staff: Vec<String> = team
                .shift
                .staff
                .iter()
                .map(|s| format!("{} {}", s.name, s.phone))
                .collect();
            format!(
                "{} {} {} {} {} {}",
                team.unit_name,
                t.t("duty-leader"),
                team.shift.leader.name,
                team.shift.leader.phone,
                t.t("duty-staff"),
                staff.join("、")
            )
        })
        .collect()
}

struct DayRow {
    day: String,
    shift_id: i64,
    starts_at: String,
    leader_name: String,
    leader_phone: String,
    staff: String,
    slots: Vec<(String, String)>,
    swaps: Vec<String>,
    /// The leading group the shift is filed under: its id ("" for none) and name.
    group_id: String,
    group_name: String,
}

struct HandoverLine {
    id: i64,
    day: String,
    pending: String,
    written: String,
    acked: Option<String>,
}

#[derive(Template)]
#[template(path = "duty.html")]
struct DutyPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    unit_name: String,
    from: String,
    prev: String,
    next: String,
    rows: Vec<DayRow>,
    /// The leading groups a shift of the week may be filed under.
    groups: Vec<super::Opt>,
    handovers: Vec<HandoverLine>,
    can_manage: bool,
    can_file: bool,
    error: Option<String>,
}

fn rows_of(t: &Tr, state: &AppState, w: &RosterWeek) -> Vec<DayRow> {
    w.days
        .iter()
        .map(|d| match &d.shift {
            Some(s) => DayRow {
                day: d.day.to_string(),
                shift_id: s.id,
                starts_at: s.starts_at.clone(),
                leader_name: s.leader.name.clone(),
                leader_phone: s.leader.phone.clone(),
                staff: staff_text(&s.staff),
                slots: std::iter::once((
                    Slot::Leader.code(),
                    format!("{} {}", t.t("duty-leader"), s.leader.name),
                ))
                .chain(
                    s.staff
                        .iter()
                        .enumerate()
                        .map(|(i, p)| (Slot::Staff(i).code(), p.name.clone())),
                )
                .collect(),
                swaps: s
                    .swaps
                    .iter()
                    .map(|x| {
                        t.targs(
                            "duty-swap-line",
                            &[
                                ("from", &x.from_name),
                                ("to", &x.to_name),
                                ("by", &x.swapped_by_name),
                                ("at", &local_time(state, x.at)),
                            ],
                        ) + if x.reason.is_empty() {
                            String::new()
                        } else {
                            format!("（{}）", x.reason)
                        }
                        .as_str()
                    })
                    .collect(),
                group_id: s.group_id.map(|g| g.to_string()).unwrap_or_default(),
                group_name: s.group_name.clone().unwrap_or_default(),
            },
            None => DayRow {
                day: d.day.to_string(),
                shift_id: 0,
                starts_at: default_start().format("%H:%M").to_string(),
                leader_name: String::new(),
                leader_phone: String::new(),
                staff: String::new(),
                slots: vec![],
                swaps: vec![],
                group_id: String::new(),
                group_name: String::new(),
            },
        })
        .collect()
}

/// A refused week's form shows what was typed, not what is stored.
fn with_posted(mut rows: Vec<DayRow>, posted: &HashMap<String, String>) -> Vec<DayRow> {
    if !posted.contains_key("leader_0") {
        return rows;
    }
    for (i, r) in rows.iter_mut().enumerate() {
        let get = |k: &str| posted.get(&format!("{k}_{i}")).cloned().unwrap_or_default();
        r.starts_at = get("starts");
        r.leader_name = get("leader");
        r.leader_phone = get("leader_phone");
        r.staff = get("staff");
        r.group_id = get("group");
    }
    rows
}

fn handover_lines(state: &AppState, t: &Tr, hs: Vec<HandoverRow>) -> Vec<HandoverLine> {
    hs.into_iter()
        .map(|h| HandoverLine {
            id: h.id,
            day: h.shift_day,
            pending: h.pending,
            written: format!("{} {}", h.written_by_name, local_time(state, h.written_at)),
            acked: h.ack_at.map(|at| {
                let note = h.ack_note.unwrap_or_default();
                let base = t.targs(
                    "duty-acked-by",
                    &[
                        ("by", h.ack_by_name.as_deref().unwrap_or("")),
                        ("at", &local_time(state, at)),
                    ],
                );
                if note.is_empty() {
                    base
                } else {
                    format!("{base}：{note}")
                }
            }),
        })
        .collect()
}

async fn show(
    state: &AppState,
    t: Tr,
    who: &Principal,
    q: &HashMap<String, String>,
    error: Option<String>,
) -> Response {
    let caller = who.caller();
    let from = match parse_date("from", q.get("from").map(String::as_str)) {
        Ok(d) => d,
        Err(e) => return error_page(&t, Some(who), &e),
    };
    let unit = q.get("unit").map(String::as_str);
    let loaded = async {
        let w = state.roster_week(&caller, unit, from).await?;
        let h = state.handovers(&caller, unit).await?;
        let to = w.from + chrono::Duration::days(6);
        let g = state.groups_for_filing(&caller, unit, w.from, to).await?;
        Ok::<_, app::AppError>((w, h, g))
    };
    let (w, h, g) = match loaded.await {
        Ok(x) => x,
        Err(e) => return error_page(&t, Some(who), &e.into()),
    };
    let page = DutyPage {
        nav: Nav::with_warnings(state, &t, who).await,
        csrf: who.csrf().to_string(),
        unit_name: w.unit_name.clone(),
        from: w.from.to_string(),
        prev: (w.from - chrono::Duration::days(7)).to_string(),
        next: (w.from + chrono::Duration::days(7)).to_string(),
        rows: with_posted(rows_of(&t, state, &w), q),
        groups: g
            .into_iter()
            .map(|g| super::Opt {
                code: g.id.to_string(),
                label: format!("{} ({} – {})", g.name, g.starts_on, g.ends_on),
            })
            .collect(),
        handovers: handover_lines(state, &t, h),
        can_manage: who.can(Permission::ManageDuty),
        can_file: who.can(Permission::FileReports),
        error,
        t,
    };
    render(&page)
}

pub async fn page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    show(&state, tr(&state, lang), &who, &q, None).await
}

/// After a form: back to the week, or the week with what went wrong.
async fn done(
    state: &AppState,
    t: Tr,
    who: &Principal,
    f: &HashMap<String, String>,
    r: Result<(), ApiError>,
) -> Response {
    match r {
        Ok(()) => {
            let from = f.get("from").cloned().unwrap_or_default();
            Redirect::to(&format!("/staff/duty?from={from}")).into_response()
        }
        Err(e) => {
            let msg = super::form_error_text(&t, &e);
            show(state, t, who, f, Some(msg)).await
        }
    }
}

/// The week's form: `day_N`, `starts_N`, `leader_N`, `leader_phone_N`, `staff_N` and the
/// leading group `group_N` (empty for none); rows left without a leader are not planned.
pub async fn save(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, f.get("csrf").map(String::as_str).unwrap_or("")) {
        return csrf_refused(&t, &who);
    }
    let get = |k: String| f.get(&k).map(|s| s.trim().to_string()).unwrap_or_default();
    let mut shifts = vec![];
    for i in 0..7 {
        let leader = get(format!("leader_{i}"));
        if leader.is_empty() {
            continue;
        }
        let Some(day) = parse_date("day", Some(&get(format!("day_{i}"))))
            .ok()
            .flatten()
        else {
            continue;
        };
        let starts_at = chrono::NaiveTime::parse_from_str(&get(format!("starts_{i}")), "%H:%M")
            .unwrap_or_else(|_| default_start());
        shifts.push(ShiftPlan {
            day,
            starts_at,
            leader: OnDuty {
                name: leader,
                phone: get(format!("leader_phone_{i}")),
            },
            staff: parse_staff(&get(format!("staff_{i}"))),
            group_id: get(format!("group_{i}")).parse().ok(),
        });
    }
    let r = state
        .plan_shifts(&who.caller(), None, &shifts)
        .await
        .map_err(ApiError::from);
    done(&state, t, &who, &f, r).await
}

pub async fn copy(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, f.get("csrf").map(String::as_str).unwrap_or("")) {
        return csrf_refused(&t, &who);
    }
    let r = async {
        let from = parse_date("from", f.get("from").map(String::as_str))?
            .ok_or(ApiError::field("from", "required"))?;
        let to = from + chrono::Duration::days(7);
        state.copy_week(&who.caller(), None, from, to).await?;
        Ok(())
    }
    .await;
    let mut f2 = f.clone();
    if r.is_ok() {
        if let Some(Ok(d)) = f.get("from").map(|s| s.parse::<chrono::NaiveDate>()) {
            f2.insert("from".into(), (d + chrono::Duration::days(7)).to_string());
        }
    }
    done(&state, t, &who, &f2, r).await
}

pub async fn swap(
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
    let text = |k: &str| f.get(k).cloned().unwrap_or_default();
    let to = OnDuty {
        name: text("name"),
        phone: text("phone"),
    };
    let r = state
        .swap_duty(&who.caller(), id, &text("slot"), &to, &text("reason"))
        .await
        .map(|_| ())
        .map_err(ApiError::from);
    done(&state, t, &who, &f, r).await
}

pub async fn handover(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, f.get("csrf").map(String::as_str).unwrap_or("")) {
        return csrf_refused(&t, &who);
    }
    let pending = f.get("pending").cloned().unwrap_or_default();
    let r = state
        .write_handover(&who.caller(), &pending)
        .await
        .map(|_| ())
        .map_err(ApiError::from);
    done(&state, t, &who, &f, r).await
}

pub async fn acknowledge(
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
    let note = f.get("note").cloned().unwrap_or_default();
    let r = state
        .acknowledge_handover(&who.caller(), id, &note)
        .await
        .map(|_| ())
        .map_err(ApiError::from);
    done(&state, t, &who, &f, r).await
}
