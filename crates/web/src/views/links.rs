//! The case page's linked cases (same matter, duplicate, earlier stage) and the related
//! cases it suggests, with the forms that link and unlink them. The use case is
//! [`app::links`]; a link shows on both cases' pages and timelines.

use super::{csrf_ok, csrf_refused, error_page, tr, Opt};
use crate::api::search::{find_similar, with_states, SimilarInput};
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use app::model::CaseRecord;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::{LinkKind, Permission};
use std::collections::HashMap;

/// A linked case as the page lists it.
pub struct LinkItem {
    pub id: i64,
    pub case_no: String,
    /// How the link reads from this case, in words.
    pub reading: String,
    pub stage: String,
}

/// A case the index finds on the same matter, not linked yet.
pub struct RelatedItem {
    pub id: i64,
    pub case_no: String,
    pub score: String,
    pub stage: String,
    pub concluded: bool,
}

/// The page's links section.
pub struct LinksBox {
    pub links: Vec<LinkItem>,
    pub related: Vec<RelatedItem>,
    pub can_link: bool,
    /// The link kinds, as the form offers them.
    pub kinds: Vec<Opt>,
}

/// The links of case `c` and the related cases the index suggests for it.
pub async fn links_box(state: &AppState, t: &Tr, who: &Principal, c: &CaseRecord) -> LinksBox {
    let id = c.summary.id;
    let rows = state.case_links(&who.scope(), id).await.unwrap_or_default();
    let can_link = who.can(Permission::LinkCases);
    let linked: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let input = SimilarInput {
        content: c.content.clone(),
        region: Some(c.summary.region.clone()),
        respondent: Some(c.summary.respondent.clone()).filter(|r| !r.is_empty()),
        received_on: Some(c.summary.received_on.clone()),
        unit: Some(c.summary.unit_code.clone()),
    };
    // While the index is being built there are no suggestions; the number form still works.
    let related = match find_similar(state, who, input, Some(id)).await {
        Ok(found) => with_states(state, who, found).await.unwrap_or_default(),
        Err(_) => vec![],
    };
    LinksBox {
        links: rows
            .into_iter()
            .map(|r| LinkItem {
                reading: t.t(&format!("link-rel-{}", r.reading.replace('_', "-"))),
                id: r.id,
                case_no: r.case_no,
                stage: t.code("stage", &r.stage),
            })
            .collect(),
        related: related
            .into_iter()
            .filter(|s| !linked.contains(&s.id))
            .map(|s| RelatedItem {
                id: s.id,
                case_no: s.case_no,
                score: format!("{:.2}", s.score),
                stage: t.code("stage", &s.stage),
                concluded: s.concluded,
            })
            .collect(),
        can_link,
        kinds: LinkKind::ALL
            .iter()
            .map(|k| Opt {
                code: k.as_str().to_string(),
                label: t.code("link-kind", k.as_str()),
            })
            .collect(),
    }
}

/// The other case, by id (the related list's buttons) or by number (the form).
async fn other_case(
    state: &AppState,
    who: &Principal,
    f: &HashMap<String, String>,
) -> Result<i64, ApiError> {
    if let Some(id) = f.get("other").and_then(|s| s.trim().parse::<i64>().ok()) {
        return Ok(id);
    }
    let no = f
        .get("other_no")
        .map(|s| s.trim().to_ascii_uppercase())
        .unwrap_or_default();
    if no.is_empty() {
        return Err(ApiError::field("other", "required"));
    }
    match state.case_id_by_no(&who.scope(), &no).await {
        Ok(id) => Ok(id),
        Err(app::AppError::NotFound) => Err(ApiError::field("other", "unknown_case")),
        Err(e) => Err(e.into()),
    }
}

/// Back to the case page: with a notice when it worked, with the error on it when not.
async fn done(
    state: &AppState,
    t: Tr,
    who: &Principal,
    id: i64,
    r: Result<(), ApiError>,
) -> Response {
    match r {
        Ok(()) => Redirect::to(&format!("/staff/cases/{id}?saved=1#links")).into_response(),
        Err(ApiError::Validation(errors)) => {
            let msg = super::forms::errors_line(&t, &errors);
            let page = super::case::show(state, t, who, id, None, Some(msg)).await;
            (axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
        }
        Err(e) => error_page(&t, Some(who), &e),
    }
}

/// `POST /staff/cases/{id}/links`: link this case to another (`other` id or `other_no`).
pub async fn link(
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
    let r = async {
        let kind = crate::api::links::link_kind(f.get("kind").map(String::as_str).unwrap_or(""))?;
        let other = other_case(&state, &who, &f).await?;
        state.link_cases(&who.caller(), id, other, kind).await?;
        Ok(())
    }
    .await;
    done(&state, t, &who, id, r).await
}

/// `POST /staff/cases/{id}/links/{other}/remove`: remove the link.
pub async fn unlink(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path((id, other)): Path<(i64, i64)>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, f.get("csrf").map(String::as_str).unwrap_or("")) {
        return csrf_refused(&t, &who);
    }
    let r = state
        .unlink_cases(&who.caller(), id, other)
        .await
        .map(|_| ())
        .map_err(ApiError::from);
    done(&state, t, &who, id, r).await
}
