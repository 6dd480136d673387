//! Settings, by whom they belong to. The public portal's contact block speaks for the
//! whole installation, so only an admin of the root unit changes it. Notice templates
//! belong to a unit: a unit's admin edits the templates of its own unit or of a unit
//! below it, and an edit overrides the parent's for that subtree. The staff pages call
//! the same checked functions.

use super::JsonBody;
use crate::auth::{ApiUser, Principal};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::model::{NoticeTemplate, Unit, UnitTemplate};
use app::AppError;
use axum::extract::{Path, Query, State};
use axum::Json;
use domain::{may_change_settings, FieldErrors, Permission, SettingScope};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The longest contact detail, title and body an admin may set.
pub const MAX_SETTING_CHARS: usize = 300;
const MAX_TITLE_CHARS: usize = 200;
const MAX_BODY_CHARS: usize = 20_000;

/// Text an admin typed: no control characters except line breaks and tabs.
fn clean_text(s: &str, multi_line: bool) -> bool {
    s.chars()
        .all(|c| !c.is_control() || (multi_line && matches!(c, '\n' | '\t')))
}

/// Whether the caller's unit is the root of the tree.
pub fn is_root_admin(who: &Principal) -> bool {
    who.role()
        .is_some_and(|r| may_change_settings(r, who.scope().is_root(), SettingScope::Installation))
}

/// Changes the portal's contact block: root admins only (`403` for anyone else).
pub async fn set_portal_checked(
    state: &AppState,
    who: &Principal,
    values: &BTreeMap<String, String>,
) -> ApiResult<()> {
    if !is_root_admin(who) {
        return Err(ApiError::Forbidden);
    }
    let mut errors = FieldErrors::new();
    let mut clean = BTreeMap::new();
    for (k, v) in values {
        let v = v.trim();
        if !app::model::PORTAL_SETTING_KEYS.contains(&k.as_str()) {
            errors.insert(k.clone(), "unknown_setting".into());
        } else if v.chars().count() > MAX_SETTING_CHARS {
            errors.insert(k.clone(), "too_long".into());
        } else if !clean_text(v, false) {
            errors.insert(k.clone(), "invalid_characters".into());
        } else {
            clean.insert(k.clone(), v.to_string());
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(state.set_portal_settings(&clean, &who.actor()).await?)
}

/// The unit whose templates the admin means: its own unit, or a unit by code that must be
/// in its subtree (`403` otherwise: it may not change another unit's templates).
pub async fn template_unit(
    state: &AppState,
    who: &Principal,
    code: Option<&str>,
) -> ApiResult<Unit> {
    let role = who.role().ok_or(ApiError::Forbidden)?;
    let unit = match code.map(str::trim).filter(|c| !c.is_empty()) {
        None => state.unit(who.user.unit_id).await?,
        Some(code) if code.chars().any(char::is_control) => {
            return Err(ApiError::field("unit", "unknown_unit"))
        }
        Some(code) => match state.unit_by_code(code).await {
            Ok(u) => u,
            Err(AppError::NotFound) => return Err(ApiError::field("unit", "unknown_unit")),
            Err(e) => return Err(e.into()),
        },
    };
    let scope = SettingScope::Unit {
        in_callers_subtree: who.scope().contains(&unit.path),
    };
    if may_change_settings(role, who.scope().is_root(), scope) {
        Ok(unit)
    } else {
        Err(ApiError::Forbidden)
    }
}

/// Sets (or, with an empty body, removes) `unit`'s template, with its audit row.
pub async fn set_template_checked(
    state: &AppState,
    who: &Principal,
    unit_code: Option<&str>,
    kind: &str,
    lang: &str,
    tpl: &NoticeTemplate,
) -> ApiResult<Unit> {
    let unit = template_unit(state, who, unit_code).await?;
    let tpl = NoticeTemplate {
        title: tpl.title.trim().to_string(),
        body: tpl.body.replace("\r\n", "\n"),
    };
    let mut errors = FieldErrors::new();
    if tpl.title.chars().count() > MAX_TITLE_CHARS {
        errors.insert("title".into(), "too_long".into());
    } else if !clean_text(&tpl.title, false) {
        errors.insert("title".into(), "invalid_characters".into());
    }
    if tpl.body.chars().count() > MAX_BODY_CHARS {
        errors.insert("body".into(), "too_long".into());
    } else if !clean_text(&tpl.body, true) {
        errors.insert("body".into(), "invalid_characters".into());
    }
    if !tpl.body.trim().is_empty() && tpl.title.is_empty() {
        errors.insert("title".into(), "required".into());
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    state
        .set_notice_template(&unit, kind, lang, &tpl, &who.actor())
        .await?;
    Ok(unit)
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
    set_portal_checked(&state, &who, &values).await?;
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
    let unit = template_unit(&state, &who, q.unit.as_deref()).await?;
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
    let tpl = NoticeTemplate {
        title: input.title,
        body: input.body,
    };
    let unit =
        set_template_checked(&state, &who, input.unit.as_deref(), &kind, &lang, &tpl).await?;
    let (template, source) = state.notice_template_from(&unit.path, &kind, &lang).await?;
    Ok(Json(UnitTemplate {
        kind,
        lang,
        template,
        source,
    }))
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
    let empty = NoticeTemplate {
        title: String::new(),
        body: String::new(),
    };
    let unit = set_template_checked(&state, &who, q.unit.as_deref(), &kind, &lang, &empty).await?;
    let (template, source) = state.notice_template_from(&unit.path, &kind, &lang).await?;
    Ok(Json(UnitTemplate {
        kind,
        lang,
        template,
        source,
    }))
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
