//! Units, users and roles. Admins manage their own unit's subtree and nothing above it.
//! The staff pages call the same functions.

use super::extract::ApiPath;
use super::JsonBody;
use crate::app::AppState;
use crate::auth::{password, ApiUser, Principal};
use crate::error::{ApiError, ApiResult};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use domain::{Line, Permission, Role, UnitCode, UnitLevel, Username};

/// Longest unit name, in characters.
pub const MAX_UNIT_NAME_CHARS: usize = 100;
/// Longest display name, in characters.
pub const MAX_DISPLAY_NAME_CHARS: usize = 100;
use serde::Deserialize;
use store::{AuditNote, NewUnit, NewUser, StoreError, Unit, User};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct UnitInput {
    #[schema(schema_with = super::schemas::unit_code)]
    pub code: String,
    #[schema(schema_with = super::schemas::unit_name)]
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    /// province | city | county | township | village | department
    #[schema(schema_with = super::schemas::unit_level)]
    pub level: String,
    /// The parent unit's code; required (the root exists already).
    #[schema(schema_with = super::schemas::unit_code)]
    pub parent: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct UnitNames {
    #[schema(schema_with = super::schemas::unit_name)]
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    /// `true` retires the unit (it keeps its cases but takes no new cases or users);
    /// `false` brings it back; absent leaves it as it is.
    #[serde(default)]
    pub retired: Option<bool>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct UserInput {
    #[schema(schema_with = super::schemas::username)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    /// clerk | handler | leader | supervisor | duty | admin | auditor
    #[schema(schema_with = super::schemas::role)]
    pub role: String,
    /// The unit's code; defaults to the admin's own unit.
    #[serde(default)]
    pub unit: Option<String>,
    #[schema(schema_with = super::schemas::password)]
    pub password: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct UserUpdate {
    pub display_name: Option<String>,
    pub role: Option<String>,
    pub unit: Option<String>,
    pub active: Option<bool>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PasswordReset {
    #[schema(schema_with = super::schemas::password)]
    pub password: String,
}

/// What changed, for the audit row: `{"role":["clerk","handler"]}`.
pub fn change_detail(changes: &[(&str, serde_json::Value, serde_json::Value)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = changes
        .iter()
        .filter(|(_, a, b)| a != b)
        .map(|(k, a, b)| (k.to_string(), serde_json::json!([a, b])))
        .collect();
    if map.is_empty() {
        String::new()
    } else {
        serde_json::Value::Object(map).to_string()
    }
}

/// A unit in the admin's subtree, by code; anything else is "not found".
async fn unit_in_scope(
    state: &AppState,
    who: &Principal,
    code: &str,
    field: &str,
) -> ApiResult<Unit> {
    // A code that cannot be one names no unit; it never reaches the database.
    let Some(code) = UnitCode::parse(code) else {
        return Err(ApiError::field(field, "unknown_unit"));
    };
    match state.store.unit_by_code(code.as_str()).await {
        Ok(u) if who.scope().contains(&u.path) => Ok(u),
        Ok(_) | Err(StoreError::NotFound) => Err(ApiError::field(field, "unknown_unit")),
        Err(e) => Err(e.into()),
    }
}

async fn user_in_scope(state: &AppState, who: &Principal, id: i64) -> ApiResult<User> {
    let user = state.store.user(id).await?;
    if who.scope().contains(&user.unit_path) {
        Ok(user)
    } else {
        Err(ApiError::NotFound)
    }
}

pub async fn create_unit_checked(
    state: &AppState,
    who: &Principal,
    input: &UnitInput,
) -> ApiResult<Unit> {
    who.require(Permission::Administer)?;
    let mut errors = domain::FieldErrors::new();
    let code = UnitCode::parse(&input.code);
    if code.is_none() {
        errors.insert("code".into(), "invalid_unit_code".into());
    }
    let name = match Line::required(&input.name, MAX_UNIT_NAME_CHARS) {
        Ok(n) => Some(n),
        Err(e) => {
            errors.insert("name".into(), e.code().into());
            None
        }
    };
    let name_en = match Line::parse(&input.name_en, MAX_UNIT_NAME_CHARS) {
        Ok(n) => Some(n),
        Err(e) => {
            errors.insert("name_en".into(), e.code().into());
            None
        }
    };
    let level = UnitLevel::parse(input.level.trim());
    if level.is_none() {
        errors.insert("level".into(), "invalid_level".into());
    }
    let parent = match unit_in_scope(state, who, &input.parent, "parent").await {
        Ok(p) => Some(p),
        Err(ApiError::Validation(f)) => {
            errors.extend(f);
            None
        }
        Err(e) => return Err(e),
    };
    if parent.as_ref().is_some_and(|p| p.retired) {
        errors.insert("parent".into(), "unit_retired".into());
    }
    match (code, level, parent, name, name_en) {
        (Some(code), Some(level), Some(parent), Some(name), Some(name_en)) if errors.is_empty() => {
            let actor = who.actor();
            let note = AuditNote {
                actor: &actor,
                action: "unit_created",
                target: code.as_str().to_string(),
                detail: change_detail(&[
                    ("name", "".into(), name.as_str().into()),
                    ("parent", "".into(), parent.code.clone().into()),
                ]),
            };
            let unit = state
                .store
                .create_unit_audited(
                    &NewUnit {
                        code: code.as_str().to_string(),
                        name: name.into_string(),
                        name_en: name_en.into_string(),
                        level: level.as_str().to_string(),
                        parent_id: Some(parent.id),
                    },
                    &note,
                )
                .await
                .map_err(|e| match e {
                    StoreError::Duplicate { .. } => ApiError::field("code", "duplicate_unit_code"),
                    e => e.into(),
                })?;
            Ok(unit)
        }
        _ => Err(ApiError::Validation(errors)),
    }
}

pub async fn create_user_checked(
    state: &AppState,
    who: &Principal,
    input: &UserInput,
) -> ApiResult<User> {
    who.require(Permission::Administer)?;
    let mut errors = domain::FieldErrors::new();
    let username = Username::parse(&input.username);
    if username.is_none() {
        errors.insert(
            "username".into(),
            if domain::text::is_clean_line(&input.username) {
                "invalid_username"
            } else {
                "invalid_characters"
            }
            .into(),
        );
    }
    let display = match Line::parse(&input.display_name, MAX_DISPLAY_NAME_CHARS) {
        Ok(d) => Some(d),
        Err(e) => {
            errors.insert("display_name".into(), e.code().into());
            None
        }
    };
    let role = Role::parse(input.role.trim());
    if role.is_none() {
        errors.insert("role".into(), "invalid_role".into());
    }
    if let Err(code) = password::check_policy(&input.password) {
        errors.insert("password".into(), code.into());
    }
    let unit = match input.unit.as_deref().filter(|u| !u.trim().is_empty()) {
        None => Some(state.store.unit(who.user.unit_id).await?),
        Some(code) => match unit_in_scope(state, who, code, "unit").await {
            Ok(u) => Some(u),
            Err(ApiError::Validation(f)) => {
                errors.extend(f);
                None
            }
            Err(e) => return Err(e),
        },
    };
    if unit.as_ref().is_some_and(|u| u.retired) {
        errors.insert("unit".into(), "unit_retired".into());
    }
    let (Some(username), Some(display), Some(role), Some(unit), true) =
        (username, display, role, unit, errors.is_empty())
    else {
        return Err(ApiError::Validation(errors));
    };
    let username = username.as_str().to_string();
    let hash = password::hash_async(input.password.clone())
        .await
        .map_err(ApiError::Internal)?;
    let actor = who.actor();
    let note = AuditNote {
        actor: &actor,
        action: "user_created",
        target: username.clone(),
        detail: change_detail(&[
            ("role", "".into(), role.as_str().into()),
            ("unit", "".into(), unit.code.clone().into()),
        ]),
    };
    state
        .store
        .create_user_audited(
            &NewUser {
                username: username.clone(),
                display_name: if display.is_empty() {
                    username.clone()
                } else {
                    display.into_string()
                },
                role: role.as_str().to_string(),
                unit_id: unit.id,
                password_hash: hash,
            },
            &note,
        )
        .await
        .map_err(|e| match e {
            StoreError::Duplicate { .. } => ApiError::field("username", "duplicate_username"),
            e => e.into(),
        })
}

pub async fn update_user_checked(
    state: &AppState,
    who: &Principal,
    id: i64,
    input: &UserUpdate,
) -> ApiResult<User> {
    who.require(Permission::Administer)?;
    let user = user_in_scope(state, who, id).await?;
    let role = match input.role.as_deref() {
        None => user.role.clone(),
        Some(r) => Role::parse(r.trim())
            .ok_or_else(|| ApiError::field("role", "invalid_role"))?
            .as_str()
            .to_string(),
    };
    let (unit_id, unit_code) = match input.unit.as_deref().filter(|u| !u.trim().is_empty()) {
        None => (user.unit_id, user.unit_code.clone()),
        Some(code) => {
            let unit = unit_in_scope(state, who, code, "unit").await?;
            if unit.retired && unit.id != user.unit_id {
                return Err(ApiError::field("unit", "unit_retired"));
            }
            (unit.id, unit.code)
        }
    };
    let active = input.active.unwrap_or(user.active);
    if user.id == who.user.id && (!active || role != user.role) {
        return Err(ApiError::field("role", "cannot_change_own_account"));
    }
    let display = match input.display_name.as_deref() {
        None => None,
        Some(d) => Some(
            Line::parse(d, MAX_DISPLAY_NAME_CHARS)
                .map_err(|e| ApiError::field("display_name", e.code()))?,
        ),
    };
    let display = display
        .as_ref()
        .map(Line::as_str)
        .filter(|d| !d.is_empty())
        .unwrap_or(&user.display_name);
    // A change of role or unit, or a deactivation, ends the user's sessions and tokens
    // in the same transaction (see `Store::update_user_audited`).
    let actor = who.actor();
    let note = AuditNote {
        actor: &actor,
        action: if role != user.role {
            "role_changed"
        } else {
            "user_updated"
        },
        target: user.username.clone(),
        detail: change_detail(&[
            ("role", user.role.clone().into(), role.clone().into()),
            ("unit", user.unit_code.clone().into(), unit_code.into()),
            ("active", user.active.into(), active.into()),
            ("name", user.display_name.clone().into(), display.into()),
        ]),
    };
    Ok(state
        .store
        .update_user_audited(id, display, &role, unit_id, active, &note)
        .await?)
}

pub async fn reset_password_checked(
    state: &AppState,
    who: &Principal,
    id: i64,
    pw: &str,
) -> ApiResult<()> {
    who.require(Permission::Administer)?;
    let user = user_in_scope(state, who, id).await?;
    password::check_policy(pw).map_err(|code| ApiError::field("password", code))?;
    let hash = password::hash_async(pw.to_string())
        .await
        .map_err(ApiError::Internal)?;
    // The owner must choose their own password at the next login; the reset ends every
    // session and token of the user, in the same transaction as its audit row.
    let actor = who.actor();
    let note = AuditNote {
        actor: &actor,
        action: "password_reset",
        target: user.username.clone(),
        detail: String::new(),
    };
    state
        .store
        .set_password_audited(user.id, &hash, true, &note)
        .await?;
    Ok(())
}

#[utoipa::path(get, path = "/api/v1/units", tag = "admin", responses((status = 200, description = "Units in your subtree, in tree order")))]
pub async fn list_units(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
) -> ApiResult<Json<Vec<Unit>>> {
    Ok(Json(state.store.units_under(&who.user.unit_path).await?))
}

#[utoipa::path(post, path = "/api/v1/units", tag = "admin", request_body = UnitInput,
    responses((status = 201, description = "Created"), (status = 422, description = "Invalid", body = crate::error::ErrorBody)))]
pub async fn create_unit(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(input): JsonBody<UnitInput>,
) -> ApiResult<(StatusCode, Json<Unit>)> {
    Ok((
        StatusCode::CREATED,
        Json(create_unit_checked(&state, &who, &input).await?),
    ))
}

/// The unit code in the path.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct UnitCodePath {
    /// The unit's code.
    #[param(schema_with = super::schemas::unit_code)]
    code: String,
}

#[utoipa::path(patch, path = "/api/v1/units/{code}", tag = "admin", request_body = UnitNames,
    params(UnitCodePath), responses((status = 200, description = "Renamed")))]
pub async fn update_unit(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(code): ApiPath<String>,
    JsonBody(input): JsonBody<UnitNames>,
) -> ApiResult<Json<Unit>> {
    Ok(Json(
        update_unit_checked(&state, &who, &code, &input).await?,
    ))
}

/// Renames a unit or retires it, with its audit row. Units are never deleted.
pub async fn update_unit_checked(
    state: &AppState,
    who: &Principal,
    code: &str,
    input: &UnitNames,
) -> ApiResult<Unit> {
    who.require(Permission::Administer)?;
    let unit = unit_in_scope(state, who, code, "code")
        .await
        .map_err(|_| ApiError::NotFound)?;
    let name = Line::required(&input.name, MAX_UNIT_NAME_CHARS)
        .map_err(|e| ApiError::field("name", e.code()))?;
    let name_en = Line::parse(&input.name_en, MAX_UNIT_NAME_CHARS)
        .map_err(|e| ApiError::field("name_en", e.code()))?;
    let (name, name_en) = (name.as_str(), name_en.as_str());
    let retired = input.retired.unwrap_or(unit.retired);
    if retired && unit.id == who.user.unit_id {
        return Err(ApiError::field("retired", "cannot_retire_own_unit"));
    }
    let action = match (unit.retired, retired) {
        (false, true) => "unit_retired",
        (true, false) => "unit_restored",
        _ => "unit_updated",
    };
    let actor = who.actor();
    let note = AuditNote {
        actor: &actor,
        action,
        target: unit.code.clone(),
        detail: change_detail(&[
            ("name", unit.name.clone().into(), name.into()),
            ("name_en", unit.name_en.clone().into(), name_en.into()),
        ]),
    };
    Ok(state
        .store
        .update_unit_audited(unit.id, name, name_en, retired, &note)
        .await?)
}

#[utoipa::path(get, path = "/api/v1/users", tag = "admin", responses((status = 200, description = "Users in your subtree"),
    (status = 403, description = "Not an admin", body = crate::error::ErrorBody)))]
pub async fn list_users(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
) -> ApiResult<Json<Vec<User>>> {
    who.require(Permission::Administer)?;
    Ok(Json(state.store.users_under(&who.user.unit_path).await?))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "admin", request_body = UserInput,
    responses((status = 201, description = "Created"), (status = 422, description = "Invalid", body = crate::error::ErrorBody)))]
pub async fn create_user(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(input): JsonBody<UserInput>,
) -> ApiResult<(StatusCode, Json<User>)> {
    Ok((
        StatusCode::CREATED,
        Json(create_user_checked(&state, &who, &input).await?),
    ))
}

#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "admin", request_body = UserUpdate,
    params(("id" = i64, Path, description = "User id")), responses((status = 200, description = "Updated")))]
pub async fn update_user(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(input): JsonBody<UserUpdate>,
) -> ApiResult<Json<User>> {
    Ok(Json(update_user_checked(&state, &who, id, &input).await?))
}

#[utoipa::path(post, path = "/api/v1/users/{id}/password", tag = "admin", request_body = PasswordReset,
    params(("id" = i64, Path, description = "User id")), responses((status = 204, description = "Password set; lockout cleared")))]
pub async fn reset_password(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(input): JsonBody<PasswordReset>,
) -> ApiResult<StatusCode> {
    reset_password_checked(&state, &who, id, &input.password).await?;
    Ok(StatusCode::NO_CONTENT)
}
