//! The home page: how to reach the office, the procedure with its time limits (drawn from
//! the rule set the server runs), the types of matter, and the reception schedule.

use super::reception::{slot_rows, SlotRow};
use super::{message_page, period};
use crate::auth::MaybeStaff;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use crate::views::{render, tr};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use domain::calendar::RuleSet;

/// One way to reach the office, as published.
pub struct ChannelRow {
    pub label: String,
    pub value: String,
    pub link: Option<String>,
}

/// One box of the flowchart.
pub struct FlowStep {
    pub title: String,
    /// The time limit, e.g. "15 日内".
    pub limit: String,
    pub text: String,
    /// A side exit from this step (a legal channel, an objection …).
    pub branch: String,
}

#[derive(Template)]
#[template(path = "portal_index.html")]
struct HomePage {
    t: Tr,
    current: &'static str,
    office: String,
    channels: Vec<ChannelRow>,
    flow: Vec<FlowStep>,
    rule_set: String,
    slots: Vec<SlotRow>,
    /// A logged-in staff member is looking: say plainly what is not yet published.
    staff_view: bool,
}

fn step(title: String, limit: String, text: String, branch: String) -> FlowStep {
    FlowStep {
        title,
        limit,
        text,
        branch,
    }
}

/// The procedure as steps, each with the period the rule set gives it.
pub fn flow(t: &Tr, r: &RuleSet) -> Vec<FlowStep> {
    let p = |x| period(t, x);
    vec![
        step(
            t.t("portal-flow-register"),
            String::new(),
            t.t("portal-flow-register-text"),
            String::new(),
        ),
        step(
            t.t("portal-flow-route"),
            t.t1("portal-flow-within", "period", &p(r.route)),
            t.t("portal-flow-route-text"),
            t.t("portal-flow-route-branch"),
        ),
        step(
            t.t("portal-flow-accept"),
            t.t1("portal-flow-within", "period", &p(r.acceptance)),
            t.t("portal-flow-accept-text"),
            t.t1("portal-flow-accept-branch", "objection", &p(r.objection)),
        ),
        step(
            t.t("portal-flow-handle"),
            t.t1("portal-flow-within", "period", &p(r.handling)),
            t.t1("portal-flow-handle-text", "extension", &p(r.max_extension)),
            String::new(),
        ),
        step(
            t.t("portal-flow-reply"),
            String::new(),
            t.t("portal-flow-reply-text"),
            t.t("portal-flow-rate-branch"),
        ),
        step(
            t.t("portal-flow-review"),
            t.t1("portal-flow-within", "period", &p(r.review_decision)),
            t.t1("portal-flow-review-text", "period", &p(r.review_request)),
            String::new(),
        ),
        step(
            t.t("portal-flow-rereview"),
            t.t1("portal-flow-within", "period", &p(r.rereview_decision)),
            t.t1(
                "portal-flow-rereview-text",
                "period",
                &p(r.rereview_request),
            ),
            String::new(),
        ),
        step(
            t.t("portal-flow-close"),
            String::new(),
            t.t("portal-flow-close-text"),
            String::new(),
        ),
    ]
}

/// The office's name and contact details, as an admin published them.
pub async fn office(state: &AppState, t: &Tr) -> Result<(String, Vec<ChannelRow>), app::AppError> {
    let s = state.portal_settings().await?;
    let get = |k: &str| {
        s.get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let office = match get("office_name") {
        Some(name) => name,
        None => match state.root_unit().await? {
            Some(u) if t.is_en() && !u.name_en.is_empty() => u.name_en,
            Some(u) => u.name,
            None => t.t("portal-site-name"),
        },
    };
    let mut channels = vec![];
    let mut push = |label: &str, value: Option<String>, link: Option<String>| {
        if let Some(value) = value {
            channels.push(ChannelRow {
                label: t.t(label),
                value,
                link,
            });
        }
    };
    push("portal-channel-visit", get("visit_address"), None);
    push("portal-channel-hours", get("visit_hours"), None);
    push(
        "portal-channel-phone",
        get("phone"),
        get("phone").map(|p| format!("tel:{}", p.replace([' ', '-'], ""))),
    );
    push(
        "portal-channel-duty-phone",
        get("duty_phone"),
        get("duty_phone").map(|p| format!("tel:{}", p.replace([' ', '-'], ""))),
    );
    push("portal-channel-letter", get("letter_address"), None);
    push(
        "portal-channel-email",
        get("email"),
        get("email").map(|e| format!("mailto:{e}")),
    );
    Ok((office, channels))
}

pub async fn page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    MaybeStaff(staff): MaybeStaff,
) -> Response {
    let t = tr(&state, lang);
    let loaded = async {
        let (office, channels) = office(&state, &t).await?;
        let today = state.config.today().to_string();
        let slots = state.public_slots(&today, 5).await?;
        Ok::<_, app::AppError>((office, channels, slots))
    }
    .await;
    let (office, channels, slots) = match loaded {
        Ok(x) => x,
        Err(e) => {
            tracing::error!(error = %e, "portal home");
            return message_page(
                &t,
                StatusCode::INTERNAL_SERVER_ERROR,
                t.t("status-500"),
                t.t("err-internal-error"),
                "",
            );
        }
    };
    let staff_view = staff.is_some();
    let res = render(&HomePage {
        current: "home",
        office,
        channels,
        flow: flow(&t, &state.config.rules),
        rule_set: t.code("ruleset", &state.config.rules.name),
        slots: slot_rows(&t, &slots),
        staff_view,
        t,
    });
    if staff_view {
        super::private(res)
    } else {
        res
    }
}
