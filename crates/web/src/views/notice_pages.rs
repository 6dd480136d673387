//! Printing a notice, and the admin page that edits their templates.

use super::{csrf_ok, csrf_refused, error_page, render, tr, Nav};
use crate::api::cases::read_case_audited;
use crate::app::AppState;
use crate::auth::PageUser;
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::notices::{notices_for, Notice};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::Permission;
use serde::Deserialize;
use std::collections::HashMap;
use store::NoticeTemplate;

#[derive(Template)]
#[template(path = "notice.html")]
struct NoticePage {
    t: Tr,
    n: Notice,
    case_no: String,
    case_id: i64,
}

pub async fn print(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path((id, seq)): Path<(i64, i64)>,
) -> Response {
    let t = tr(&state, lang);
    let c = match read_case_audited(&state, &who, id, "notice").await {
        Ok(c) => c,
        Err(e) => return error_page(&t, Some(&who), &e),
    };
    let events = match state.store.case_events(&who.scope(), id).await {
        Ok(e) => e,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let notices = match notices_for(&state, &t, &c, &events).await {
        Ok(n) => n,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let Some(n) = notices.into_iter().find(|n| n.seq == seq) else {
        return error_page(&t, Some(&who), &ApiError::NotFound);
    };
    render(&NoticePage {
        case_no: c.summary.case_no.clone(),
        case_id: id,
        n,
        t,
    })
}

pub struct Entry {
    pub kind: String,
    pub lang: String,
    pub title: String,
    pub body: String,
}

#[derive(Template)]
#[template(path = "admin_notices.html")]
struct TemplatesPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    entries: Vec<Entry>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub async fn templates(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(q): Query<Done>,
) -> Response {
    let t = tr(&state, lang);
    if !who.can(Permission::Administer) {
        return error_page(&t, Some(&who), &ApiError::Forbidden);
    }
    let kinds = match store::notice_kinds() {
        Ok(k) => k,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let mut entries = vec![];
    for kind in kinds {
        for lang in ["zh", "en"] {
            match state.store.notice_template(&kind, lang).await {
                Ok(tpl) => entries.push(Entry {
                    kind: kind.clone(),
                    lang: lang.into(),
                    title: tpl.title,
                    body: tpl.body,
                }),
                Err(e) => return error_page(&t, Some(&who), &e.into()),
            }
        }
    }
    let page = TemplatesPage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        csrf: who.csrf().to_string(),
        entries,
        notice: q.done.map(|_| t.t("saved")),
        t,
    };
    render(&page)
}

pub async fn save_template(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path((kind, tlang)): Path<(String, String)>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, f.get("csrf").map(String::as_str).unwrap_or("")) {
        return csrf_refused(&t, &who);
    }
    if !who.can(Permission::Administer) {
        return error_page(&t, Some(&who), &ApiError::Forbidden);
    }
    let tpl = NoticeTemplate {
        title: f.get("title").cloned().unwrap_or_default(),
        body: f
            .get("body")
            .cloned()
            .unwrap_or_default()
            .replace("\r\n", "\n"),
    };
    match state
        .store
        .set_notice_template(&kind, &tlang, &tpl, &who.actor())
        .await
    {
        Ok(()) => Redirect::to("/staff/admin/notices?done=1").into_response(),
        Err(e) => error_page(&t, Some(&who), &e.into()),
    }
}
