//! Settings, by whom they belong to. The public portal's contact block speaks for the
//! whole installation, so only an admin of the root unit changes it. Notice templates
//! belong to a unit: a unit's admin edits the templates of its own unit or of a unit
//! below it, and an edit overrides the parent's for that subtree. The rules and checks
//! are `app::settings`; the staff pages call the same functions.

use super::JsonBody;
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;
use app::model::{NoticeTemplate, Unit, UnitTemplate};
use axum::extract::{Path, Query, State};
use axum::Json;
use domain::annual::DocumentLang;
use domain::Permission;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A template language from the path; one that does not ship is a template that does
/// not exist.
fn template_lang(lang: &str) -> ApiResult<DocumentLang> {
    DocumentLang::parse(lang).ok_or_else(|| app::AppError::NotFound.into())
}

/// The template of `unit` as it now applies, for the answer to a change.
async fn applied(
    state: &AppState,
    unit: &Unit,
    kind: String,
    lang: DocumentLang,
) -> ApiResult<UnitTemplate> {
    let (template, source) = state.notice_template_from(&unit.path, &kind, lang).await?;
    Ok(UnitTemplate {
        kind,
        lang,
        template,
        source,
    })
}

#[utoipa::path(get, path = "/api/v1/portal-settings", tag = "admin",
    responses((status = 200, description = "The public portal's contact block (office_name, visit_address, visit_hours, phone, duty_phone (the 24-hour duty phone), letter_address, email); unset keys are empty"),
              (status = 401, description = "Not logged in", body = crate::error::ErrorBody)))]
pub async fn get_portal(
    State(state): State<AppState>,
    ApiUser(_who): ApiUser,
) -> ApiResult<Json<BTreeMap<String, String>>> {
    let set = state.portal_settings().await?;
    Ok(Json(
        app::model::PORTAL_SETTING_KEYS
            .iter()
            .map(|k| (k.to_string(), set.get(*k).cloned().unwrap_or_default()))
            .collect(),
    ))
}

#[utoipa::path(put, path = "/api/v1/portal-settings", tag = "admin",
    request_body(content = BTreeMap<String, String>, description = "Any of office_name, visit_address, visit_hours, phone, duty_phone (the 24-hour duty phone), letter_address, email (at most 300 characters each; an empty value hides it)"),
    responses((status = 200, description = "The contact block as saved"),
              (status = 403, description = "Only an admin of the root unit changes installation-wide settings", body = crate::error::ErrorBody),
              (status = 422, description = "An unknown key, or a value too long or with control characters", body = crate::error::ErrorBody)))]
pub async fn put_portal(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(values): JsonBody<BTreeMap<String, String>>,
) -> ApiResult<Json<BTreeMap<String, String>>> {
    state.set_portal(&who.caller(), &values).await?;
    get_portal(State(state), ApiUser(who)).await
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct UnitQuery {
    /// A unit's code in your subtree; your own unit when absent.
    pub unit: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/notice-templates", tag = "admin", params(UnitQuery),
    responses((status = 200, description = "Every notice template as the unit's notices use it, with `source`: the unit whose edit applies, or the default"),
              (status = 403, description = "Not an admin, or the unit is outside your subtree", body = crate::error::ErrorBody)))]
pub async fn list_templates(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Query(q): Query<UnitQuery>,
) -> ApiResult<Json<Vec<UnitTemplate>>> {
    who.require(Permission::Administer)?;
    let unit = state
        .template_unit(&who.caller(), q.unit.as_deref())
        .await?;
    Ok(Json(state.notice_templates_for(&unit).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TemplateInput {
    /// A unit's code in your subtree; your own unit when absent.
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub title: String,
    /// Paragraphs separated by a blank line; placeholders such as `{case_no}` are filled
    /// from the case. An empty body removes the unit's edit.
    pub body: String,
}

#[utoipa::path(put, path = "/api/v1/notice-templates/{kind}/{lang}", tag = "admin", request_body = TemplateInput,
    params(("kind" = String, Path, description = "transfer | legal_channel | acceptance | non_acceptance | extension | decision | review_opinion | rereview_opinion | concluded"),
           ("lang" = String, Path, description = "zh | en")),
    responses((status = 200, description = "The template as the unit now sees it"),
              (status = 403, description = "Not an admin, or the unit is outside your subtree", body = crate::error::ErrorBody),
              (status = 404, description = "No such kind or language", body = crate::error::ErrorBody),
              (status = 422, description = "A field is too long or has control characters", body = crate::error::ErrorBody)))]
pub async fn put_template(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path((kind, lang)): Path<(String, String)>,
    JsonBody(input): JsonBody<TemplateInput>,
) -> ApiResult<Json<UnitTemplate>> {
    let lang = template_lang(&lang)?;
    let tpl = NoticeTemplate {
        title: input.title,
        body: input.body,
    };
    let unit = state
        .set_template(&who.caller(), input.unit.as_deref(), &kind, lang, &tpl)
        .await?;
    Ok(Json(applied(&state, &unit, kind, lang).await?))
}

#[utoipa::path(delete, path = "/api/v1/notice-templates/{kind}/{lang}", tag = "admin", params(UnitQuery,
        ("kind" = String, Path, description = "The notice kind"), ("lang" = String, Path, description = "zh | en")),
    responses((status = 200, description = "The unit's edit is removed; the template as the unit now sees it (its parent's, or the default)"),
              (status = 403, description = "Not an admin, or the unit is outside your subtree", body = crate::error::ErrorBody),
              (status = 404, description = "No such kind or language", body = crate::error::ErrorBody)))]
pub async fn delete_template(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path((kind, lang)): Path<(String, String)>,
    Query(q): Query<UnitQuery>,
) -> ApiResult<Json<UnitTemplate>> {
    let lang = template_lang(&lang)?;
    let empty = NoticeTemplate {
        title: String::new(),
        body: String::new(),
    };
    let unit = state
        .set_template(&who.caller(), q.unit.as_deref(), &kind, lang, &empty)
        .await?;
    Ok(Json(applied(&state, &unit, kind, lang).await?))
}

#[cfg(test)]
mod tests {
    use crate::i18n::{I18n, Lang};

    #[test]
    fn every_message_of_this_area_exists_in_both_languages() {
        let i18n = I18n::load().expect("messages load");
        let zh = include_str!("../../i18n/sec-scope.zh-CN.ftl");
        let en = include_str!("../../i18n/sec-scope.en.ftl");
        for source in [zh, en] {
            for key in source
                .lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim()))
            {
                for lang in [Lang::Zh, Lang::En] {
                    assert!(i18n.has(lang, key), "{} lacks {key}", lang.code());
                }
            }
        }
    }
}
